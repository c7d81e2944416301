import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '@autofarm/core';
import { createEnv } from './create-env.js';
import { PROTOCOL_VERSION, serveEnv } from './serve.js';

const shipped = loadConfig(new URL('../../../configuration.yml', import.meta.url).pathname);
const hello = { backend: 'sim', maxSteps: shipped.episode.max_steps, stepDuration: shipped.episode.step_duration };

/** Runs serveEnv over in-memory streams with `requests` as input; returns every answer line, parsed. */
async function exchange(requests: string[], end = true) {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.setEncoding('utf8').on('data', (c: string) => (text += c));
  const env = await createEnv(shipped);
  let closed = false;
  const close = env.close.bind(env);
  env.close = async () => {
    closed = true;
    await close();
  };
  const done = serveEnv({ env, input, output, hello });
  // Split across writes on purpose: a request may arrive in pieces.
  for (const r of requests) {
    input.write(r.slice(0, 5));
    input.write(`${r.slice(5)}\n`);
  }
  if (end) input.end();
  await done;
  return {
    lines: text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l)),
    closed,
  };
}

describe('serveEnv (the JSON-lines protocol)', () => {
  it('speaks first with the protocol version, the spaces and the episode facts', async () => {
    const { lines } = await exchange([]);
    expect(lines[0]).toMatchObject({
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      backend: 'sim',
      deterministic: true,
      action_space: { type: 'delta', max_delta: 1, n: 3 },
      max_steps: 40,
      step_duration: 8,
    });
    expect(lines[0].observation_space.shape).toEqual([9]);
    expect(lines[0].observation_space.names[0]).toBe('input_q');
    expect(lines[0].observation_space.high).toHaveLength(9);
  });

  it('answers reset and step with exactly what the env returns, info without the per-task arrays', async () => {
    const actions = [1, 0, -1, 1, 1];
    const { lines } = await exchange([
      JSON.stringify({ op: 'reset', seed: 11 }),
      ...actions.map((a) => JSON.stringify({ op: 'step', action: a })),
    ]);
    const env = await createEnv(shipped);
    const reset = await env.reset({ seed: 11 });
    expect(lines[1]).toMatchObject({ type: 'reset', observation: reset.observation });
    for (const [i, a] of actions.entries()) {
      const r = await env.step(a);
      const line = lines[i + 2];
      expect(line).toMatchObject({
        type: 'step',
        observation: r.observation,
        reward: r.reward,
        terminated: r.terminated,
        truncated: r.truncated,
      });
      expect(line.info).toMatchObject({
        step: i + 1,
        workers: r.info.workers,
        appliedDelta: r.info.appliedDelta,
        totalReward: r.info.totalReward,
      });
      expect(line.info.metrics).toBeUndefined();
      expect(line.info.latencies).toBeUndefined();
    }
  });

  it('passes reset options on and answers an error for an unknown one', async () => {
    const { lines } = await exchange(['{"op":"reset","seed":1,"options":{"initialWorkers":5}}', '{"op":"reset","options":{"workers":5}}']);
    expect(lines[1].observation[4]).toBe(5);
    expect(lines[2]).toMatchObject({ type: 'error', op: 'reset', error: 'ProtocolError' });
    expect(lines[2].message).toContain('workers');
  });

  it('answers every bad request with an error line and goes on serving', async () => {
    const { lines } = await exchange([
      '{"op":"step","action":1}',
      'not json',
      '[1,2]',
      '{"op":"dance"}',
      '{"op":"reset","seed":"x"}',
      '{"op":"reset","seed":2}',
      '{"op":"step","action":7}',
      '{"op":"step","action":"up"}',
      '{"op":"step","action":0}',
    ]);
    const types = lines.slice(1).map((l) => l.type);
    expect(types).toEqual(['error', 'error', 'error', 'error', 'error', 'reset', 'error', 'error', 'step']);
    expect(lines[1].message).toContain('before reset');
    expect(lines[2]).toMatchObject({ op: null, error: 'ProtocolError' });
    expect(lines[4].message).toContain('unknown op "dance"');
    expect(lines[7]).toMatchObject({ op: 'step', error: 'ProtocolError' });
  });

  it('repeats the hello on a spaces request', async () => {
    const { lines } = await exchange(['{"op":"spaces"}']);
    expect(lines[1]).toEqual(lines[0]);
  });

  it('closes the env and says closed on a close request, ignoring what follows', async () => {
    const { lines, closed } = await exchange(['{"op":"reset","seed":3}', '{"op":"close"}', '{"op":"step","action":0}'], false);
    expect(lines.map((l) => l.type)).toEqual(['hello', 'reset', 'closed']);
    expect(closed).toBe(true);
  });

  it('closes the env when its input ends', async () => {
    const { lines, closed } = await exchange(['{"op":"reset","seed":3}']);
    expect(lines.map((l) => l.type)).toEqual(['hello', 'reset']);
    expect(closed).toBe(true);
  });
});

describe('serveEnv stopping from outside', () => {
  it('stops and closes the env when its signal aborts, with input still open', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const lines: string[] = [];
    output.setEncoding('utf8').on('data', (c: string) => lines.push(...c.trim().split('\n')));
    const env = await createEnv(shipped);
    let closed = false;
    env.close = async () => {
      closed = true;
    };
    const abort = new AbortController();
    const done = serveEnv({ env, input, output, hello, signal: abort.signal });
    input.write('{"op":"reset","seed":1}\n');
    await new Promise((r) => setTimeout(r, 50));
    abort.abort();
    await done;
    expect(closed).toBe(true);
    expect(lines.map((l) => JSON.parse(l).type)).toEqual(['hello', 'reset']);
  });

  it('stops and closes the env when the output breaks (the client is gone)', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const env = await createEnv(shipped);
    let closed = false;
    env.close = async () => {
      closed = true;
    };
    const done = serveEnv({ env, input, output, hello });
    output.destroy(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    await done;
    expect(closed).toBe(true);
  });
});
