/**
 * convert-trace as a library function: one function's row of an Azure Functions 2019
 * per-minute invocations file -> our trace CSV (`minute,count`), optionally a slice of the day.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { UsageError } from '@autofarm/core';
import { parseAzureInvocations, selectAzureFunction, traceCsv } from '@autofarm/workload';

export interface ConvertTraceOptions {
  input: string;
  out: string;
  /** Prefix of the HashFunction to take (else the rank-th busiest). */
  function?: string;
  rank?: number;
  /** First minute of the slice, 0-based (default 0). */
  start?: number;
  /** Minutes in the slice (default: the rest of the day). */
  minutes?: number;
}

export interface ConvertTraceResult {
  function: string;
  trigger: string;
  minutes: number;
  total: number;
  /** Mean invocations per minute over the slice: the base_rate that replays it at its own level. */
  meanPerMinute: number;
  peakPerMinute: number;
}

export function convertTrace(options: ConvertTraceOptions): ConvertTraceResult {
  let text: string;
  try {
    text = readFileSync(options.input, 'utf8');
  } catch (cause) {
    throw new UsageError(`--input: cannot read "${options.input}" (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`, { cause });
  }
  const rows = parseAzureInvocations(text, options.input);
  const row = selectAzureFunction(rows, {
    ...(options.function !== undefined ? { hash: options.function } : {}),
    ...(options.rank !== undefined ? { rank: options.rank } : {}),
  });
  const start = options.start ?? 0;
  if (start >= row.counts.length) throw new UsageError(`--start: expected a minute below ${row.counts.length}, found ${start}`);
  const counts = row.counts.slice(start, options.minutes !== undefined ? start + options.minutes : undefined);
  const sum = counts.reduce((a, b) => a + b, 0);
  const comment =
    `Azure Functions 2019 trace, ${options.input.split('/').pop() ?? options.input}: ` +
    `HashFunction ${row.function} (${row.trigger}), minutes ${start}..${start + counts.length - 1}`;
  writeFileSync(options.out, traceCsv(counts, comment, start));
  return {
    function: row.function,
    trigger: row.trigger,
    minutes: counts.length,
    total: sum,
    meanPerMinute: sum / counts.length,
    peakPerMinute: Math.max(...counts),
  };
}
