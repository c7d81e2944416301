/**
 * convert-trace as a library function: one function's row of an Azure Functions 2019
 * per-minute invocations file -> our trace CSV (`minute,count`), optionally a slice of the day.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
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
  /** First minute of the slice, 0-based. */
  start: number;
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
    start,
    trigger: row.trigger,
    minutes: counts.length,
    total: sum,
    meanPerMinute: sum / counts.length,
    peakPerMinute: Math.max(...counts),
  };
}

/** What the printed scenario needs besides the conversion's result. */
export interface TraceScenarioOptions {
  /** The trace CSV written (made absolute, so the scenario loads wherever it is saved). */
  file: string;
  /** Episode seconds per trace minute (60 = real time). */
  interval: number;
  /** episode.step_duration of the configuration the scenario will overlay. */
  stepDuration: number;
}

/**
 * Seconds an episode runs on after the trace ends, so the last tasks can be collected: the
 * shipped scenarios give their 240 s workloads 320 s, 80 s of drain.
 */
export const DRAIN_SECONDS = 80;

/**
 * A scenario file that replays the converted trace and loads as printed: every field a phase
 * requires, and episode.max_steps long enough for the whole trace plus DRAIN_SECONDS (the
 * default 40 steps end a 120-minute real-time trace after 5 of its minutes, issue 22 item 1).
 */
export function traceScenarioYaml(r: ConvertTraceResult, o: TraceScenarioOptions): string {
  const duration = r.minutes * o.interval;
  const maxSteps = Math.ceil((duration + DRAIN_SECONDS) / o.stepDuration);
  const last = r.start + r.minutes - 1;
  const name = `${r.function.slice(0, 8)} (${r.trigger}), minutes ${r.start}-${last}`;
  return [
    `description: "Azure Functions trace ${name} at ${o.interval} s a minute; ${r.meanPerMinute.toFixed(1)}/min on average"`,
    'workload:',
    `  base_rate: ${Number(r.meanPerMinute.toFixed(1))}   # the trace mean per minute: replays it at its own level`,
    '  phases:',
    `    - name: "${name}"`,
    '      pattern: trace',
    '      multiplier: 1.0',
    `      duration: ${duration}   # ${r.minutes} minutes x ${o.interval} s`,
    `      trace: { file: ${JSON.stringify(resolve(o.file))}, interval: ${o.interval} }`,
    'episode:',
    `  max_steps: ${maxSteps}   # ${duration} s of trace + ${DRAIN_SECONDS} s to drain, in steps of ${o.stepDuration} s`,
  ].join('\n');
}
