#!/usr/bin/env node
// Fails (exit 1) naming file:line for every line of tracked source over 140 characters: the
// formatter wraps code at that width but leaves long strings and comments to us.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const LIMIT = 140;
const files = execFileSync('git', ['ls-files', '*.ts', '*.mts', '*.cts', '*.js', '*.mjs', '*.cjs', '*.py', '*.sh'], { encoding: 'utf8' })
  .split('\n')
  .filter(Boolean);
const long = [];
for (const file of files) {
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if ([...line].length > LIMIT) long.push(`${file}:${i + 1}: ${[...line].length} characters`);
    });
}
if (long.length > 0) {
  console.error(`${long.length} line(s) over ${LIMIT} characters:\n${long.join('\n')}`);
  process.exit(1);
}
console.log(`line length: ${files.length} files, every line <= ${LIMIT} characters`);
