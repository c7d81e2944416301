/**
 * `pnpm bench <name>`: runs one benchmark. Every benchmark prints progress as it likes and its
 * result as ONE JSON object on the last line of its output (scripts read that line), and also
 * writes it to .bench/<name>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { benchmarks } from './registry.js';

const name = process.argv[2];
const bench = name ? benchmarks[name] : undefined;
if (!bench) {
  process.stderr.write(`usage: pnpm bench <name> [args]; names: ${Object.keys(benchmarks).join(', ')}\n`);
  process.exit(2);
}
const result = await bench(process.argv.slice(3));
mkdirSync('.bench', { recursive: true });
writeFileSync(`.bench/${name}.json`, `${JSON.stringify(result, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(result)}\n`);
