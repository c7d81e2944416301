/**
 * The Azure Functions 2019 public trace (Shahrad et al., "Serverless in the Wild", ATC 2020):
 * files `invocations_per_function_md.anon.dNN.csv`, one row per function and day, columns
 * HashOwner,HashApp,HashFunction,Trigger,"1".."1440" (invocations in each minute of the day).
 * These helpers pick one function's row and turn it into our trace CSV (`minute,count`), which a
 * `pattern: trace` phase replays.
 */
import { UsageError } from '@autofarm/core';

export const AZURE_KEY_COLUMNS = ['HashOwner', 'HashApp', 'HashFunction', 'Trigger'] as const;

export interface AzureFunctionRow {
  owner: string;
  app: string;
  function: string;
  trigger: string;
  /** Invocations per minute, minute 1 first. */
  counts: number[];
}

const cells = (line: string) => line.split(',').map((c) => c.trim().replace(/^"|"$/g, ''));

/** Every row of a per-minute invocations file; UsageError naming the line for anything malformed. */
export function parseAzureInvocations(text: string, source: string): AzureFunctionRow[] {
  // Keep each row's 1-based line number in the file: an error names the line a user can open.
  const lines = text
    .split(/\r?\n/)
    .map((line, i) => ({ line, number: i + 1 }))
    .filter((l) => l.line.trim() !== '');
  const header = cells(lines[0]?.line ?? '');
  const keys = header.slice(0, 4);
  if (keys.join() !== AZURE_KEY_COLUMNS.join() || header.length < 5 || header.slice(4).some((h, i) => h !== String(i + 1))) {
    throw new UsageError(
      `${source}: expected an Azure Functions 2019 per-minute file (header ${AZURE_KEY_COLUMNS.join(',')},"1".."1440"), ` +
        `found header "${(lines[0]?.line ?? '').slice(0, 60)}"`,
    );
  }
  const minutes = header.length - 4;
  return lines.slice(1).map(({ line, number }) => {
    const c = cells(line);
    if (c.length !== header.length) {
      throw new UsageError(`${source} line ${number}: expected ${header.length} cells (4 keys and ${minutes} counts), found ${c.length}`);
    }
    const counts = c.slice(4).map(Number);
    const bad = counts.findIndex((n, i) => c[i + 4] === '' || !Number.isFinite(n) || n < 0);
    if (bad >= 0) {
      throw new UsageError(
        `${source} line ${number}: expected a count >= 0 in column "${header[bad + 4]}" (minute ${bad + 1}), found "${c[bad + 4]}"`,
      );
    }
    return { owner: c[0] as string, app: c[1] as string, function: c[2] as string, trigger: c[3] as string, counts };
  });
}

const total = (r: AzureFunctionRow) => r.counts.reduce((a, b) => a + b, 0);

/**
 * The row of the function whose HashFunction starts with `hash`, or else the `rank`-th busiest
 * function of the file (1 = most invocations; ties by file order).
 */
export function selectAzureFunction(rows: readonly AzureFunctionRow[], select: { hash?: string; rank?: number }): AzureFunctionRow {
  if (select.hash !== undefined) {
    const found = rows.filter((r) => r.function.startsWith(select.hash as string));
    if (found.length !== 1)
      throw new UsageError(`--function: expected the prefix of exactly one HashFunction, found ${found.length} matching "${select.hash}"`);
    return found[0] as AzureFunctionRow;
  }
  const rank = select.rank ?? 1;
  const sorted = rows.map((r, i) => ({ r, i })).sort((a, b) => total(b.r) - total(a.r) || a.i - b.i);
  const row = sorted[rank - 1]?.r;
  if (!row) throw new UsageError(`--rank: expected 1..${rows.length}, found ${rank}`);
  return row;
}

/** Our trace CSV: a comment naming the source, a `minute,count` header, one line per minute. */
export function traceCsv(counts: readonly number[], comment: string, firstMinute = 0): string {
  return `# ${comment}\nminute,count\n${counts.map((n, i) => `${firstMinute + i},${n}`).join('\n')}\n`;
}
