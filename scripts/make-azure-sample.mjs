#!/usr/bin/env node
// Writes packages/workload/src/fixtures/azure-invocations-sample.csv: a SYNTHETIC file in the
// format of the Azure Functions 2019 trace's invocations_per_function_md.anon.dNN.csv (three
// made-up functions, 1440 per-minute counts each), seeded so it is the same on every machine.
// The real trace is not redistributed here; this file only tests the converter and feeds the
// example trace (scenarios/traces/azure-http-example.csv). Run after `pnpm build`.
import { writeFileSync } from 'node:fs';
import { createRng, poisson } from '../packages/core/dist/index.js';

const rng = createRng(2019).stream('azure-sample');
const minutes = Array.from({ length: 1440 }, (_, i) => i);
// An HTTP API with a daily cycle (quiet at night, peak in the afternoon) and two short bursts.
const http = minutes.map((m) => {
  const day = 0.55 - 0.45 * Math.cos((2 * Math.PI * (m - 120)) / 1440);
  const burst = (m >= 530 && m < 536) || (m >= 575 && m < 579) ? 1.7 : 1;
  return poisson(rng, 520 * day * burst);
});
// A timer that fires 40 invocations every 5 minutes.
const timer = minutes.map((m) => (m % 5 === 0 ? 40 : 0));
// A queue-triggered function with rare work.
const queue = minutes.map(() => poisson(rng, 0.3));
const header = ['HashOwner', 'HashApp', 'HashFunction', 'Trigger', ...minutes.map((m) => `"${m + 1}"`)].join(',');
const row = (owner, app, fn, trigger, counts) => [owner, app, fn, trigger, ...counts].join(',');
const text = [
  header,
  row('0a1b2c3d4e5f', '9f8e7d6c5b4a', 'c0ffee00a1b2c3d4', 'timer', timer),
  row('0a1b2c3d4e5f', '9f8e7d6c5b4a', 'beef0042d00d1234', 'http', http),
  row('77aa88bb99cc', '1234abcd5678', 'fade0077cafe9876', 'queue', queue),
].join('\n');
writeFileSync(new URL('../packages/workload/src/fixtures/azure-invocations-sample.csv', import.meta.url), `${text}\n`);
