/**
 * serveEnv: any Env over a JSON-lines protocol, one JSON object per line in each direction, so
 * a program in another language (the Python package `autofarm_gym`) can drive it. The CLI's
 * `autofarm serve-env` runs it on stdin/stdout.
 *
 * Protocol version 1. The server speaks first:
 *   <- {"type":"hello","protocol":1,"backend":"sim","deterministic":true,
 *       "observation_space":{"shape":[9],"low":[...],"high":[...],"names":[...]},
 *       "action_space":{"type":"delta","max_delta":1,"n":3},"max_steps":40,"step_duration":8,...}
 * then answers each request with exactly one line, in order:
 *   -> {"op":"reset","seed":7,"options":{"initialWorkers":4}}   (seed, options optional)
 *   <- {"type":"reset","observation":[...9 numbers],"info":{...}}
 *   -> {"op":"step","action":-1}                                 (a worker DELTA, -k..+k)
 *   <- {"type":"step","observation":[...],"reward":-0.5,"terminated":false,"truncated":false,"info":{...}}
 *   -> {"op":"spaces"}                                            <- the hello again
 *   -> {"op":"close"}                                             <- {"type":"closed"}, then the server ends
 * A request that fails (bad JSON, unknown op, step before reset, an action out of range, a
 * backend error) is answered by {"type":"error","op":...,"error":<error name>,"message":...}
 * and the server goes on. End of input means close; so does an output that can no longer be
 * written (the client is gone) and, in the CLI, SIGINT/SIGTERM.
 *
 * `info` is StepInfo without its two per-task fields (`metrics`, `latencies`): those are
 * arrays that would double the line for a field few clients read. Numbers are written by
 * JSON.stringify (shortest round-trip form), so a client that parses them as doubles gets the
 * exact values the TypeScript env produced.
 */
import type { Readable, Writable } from 'node:stream';
import type { Env, ResetOptions, StepInfo } from '@autofarm/core';

export const PROTOCOL_VERSION = 1;

/** What the hello line says besides the spaces (the server's own facts). */
export interface ServeHello {
  backend: string;
  maxSteps: number;
  stepDuration: number;
  /** Free-form facts a client may show (package version, config file, ...). */
  extra?: Record<string, unknown>;
}

export interface ServeOptions {
  env: Env;
  input: Readable;
  output: Writable;
  hello: ServeHello;
  /** Aborting stops serving after the request in progress (the CLI aborts on SIGINT/SIGTERM). */
  signal?: AbortSignal;
}

/** The hello line's object: the protocol version, the spaces and the episode facts. */
export function helloMessage(env: Env, hello: ServeHello): Record<string, unknown> {
  const box = env.observationSpace;
  return {
    type: 'hello',
    protocol: PROTOCOL_VERSION,
    ...hello.extra,
    backend: hello.backend,
    deterministic: env.deterministic,
    observation_space: { shape: [box.size], low: box.low, high: box.high, names: box.names },
    action_space: { type: 'delta', max_delta: env.bounds.maxDelta, n: env.actionSpace.n },
    max_steps: hello.maxSteps,
    step_duration: hello.stepDuration,
  };
}

/** StepInfo without the per-task arrays. Built field by field: cheaper than copy-and-delete. */
function leanInfo(i: StepInfo) {
  return {
    step: i.step,
    time: i.time,
    requestedDelta: i.requestedDelta,
    appliedDelta: i.appliedDelta,
    workers: i.workers,
    queueLength: i.queueLength,
    qosRate: i.qosRate,
    episodeQos: i.episodeQos,
    totalReward: i.totalReward,
    scalingActions: i.scalingActions,
    qosViolations: i.qosViolations,
    processedTasks: i.processedTasks,
    enqueuedTotal: i.enqueuedTotal,
    unfinishedTasks: i.unfinishedTasks,
    episodeFinalQos: i.episodeFinalQos,
  };
}

function errorLine(op: unknown, error: unknown): string {
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return JSON.stringify({ type: 'error', op: typeof op === 'string' ? op : null, error: name, message });
}

class ProtocolError extends Error {
  override name = 'ProtocolError';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function resetOptions(request: Record<string, unknown>): ResetOptions {
  const { seed, options } = request;
  if (seed !== undefined && seed !== null && !(typeof seed === 'number' && Number.isSafeInteger(seed))) {
    throw new ProtocolError(`reset: "seed" must be an integer or null, got ${JSON.stringify(seed)}`);
  }
  const out: ResetOptions = typeof seed === 'number' ? { seed } : {};
  if (options !== undefined && options !== null) {
    if (!isObject(options)) throw new ProtocolError(`reset: "options" must be an object, got ${JSON.stringify(options)}`);
    const unknown = Object.keys(options).filter((k) => k !== 'initialWorkers');
    if (unknown.length > 0) throw new ProtocolError(`reset: unknown option(s) ${unknown.join(', ')}; known: initialWorkers`);
    const w = options.initialWorkers;
    if (w !== undefined && !(typeof w === 'number' && Number.isInteger(w) && w >= 1)) {
      throw new ProtocolError(`reset: options.initialWorkers must be an integer >= 1, got ${JSON.stringify(w)}`);
    }
    if (typeof w === 'number') out.options = { initialWorkers: w };
  }
  return out;
}

/**
 * Answer requests from `input` until a close request or the end of input; closes the env
 * before returning. Never throws for anything a request does: errors become error lines.
 */
export async function serveEnv({ env, input, output, hello, signal }: ServeOptions): Promise<void> {
  // Stop reading when told to, or when the client can no longer be answered (EPIPE: it is gone).
  let stopped = false;
  const stop = () => {
    stopped = true;
    input.destroy();
  };
  output.on('error', stop);
  if (signal?.aborted) stop();
  signal?.addEventListener('abort', stop, { once: true });
  const helloLine = `${JSON.stringify(helloMessage(env, hello))}\n`;
  output.write(helloLine);

  /** Answers one line; false when the client asked to close. */
  const answer = async (line: string): Promise<boolean> => {
    let request: unknown;
    try {
      request = JSON.parse(line);
    } catch (error) {
      output.write(`${errorLine(null, new ProtocolError(`not a JSON line: ${(error as Error).message}`))}\n`);
      return true;
    }
    const op = isObject(request) ? request.op : undefined;
    try {
      if (!isObject(request)) throw new ProtocolError(`a request is a JSON object with an "op", got ${line.slice(0, 80)}`);
      switch (op) {
        case 'step': {
          const action = request.action;
          if (typeof action !== 'number')
            throw new ProtocolError(`step: "action" must be a number (a worker delta), got ${JSON.stringify(action)}`);
          // The protocol's action space is the learners' set (±max_delta, a Discrete on the Python side);
          // FarmEnv itself would accept any integer and clamp the count.
          const k = env.bounds.maxDelta;
          if (!env.actionSpace.contains(action))
            throw new ProtocolError(`step: "action" must be an integer worker delta in [-${k}, ${k}], got ${action}`);
          const r = await env.step(action);
          output.write(
            `{"type":"step","observation":${JSON.stringify(r.observation)},"reward":${JSON.stringify(r.reward)},` +
              `"terminated":${r.terminated},"truncated":${r.truncated},"info":${JSON.stringify(leanInfo(r.info))}}\n`,
          );
          return true;
        }
        case 'reset': {
          const r = await env.reset(resetOptions(request));
          output.write(`{"type":"reset","observation":${JSON.stringify(r.observation)},"info":${JSON.stringify(leanInfo(r.info))}}\n`);
          return true;
        }
        case 'spaces':
        case 'hello':
          output.write(helloLine);
          return true;
        case 'close':
          return false;
        default:
          throw new ProtocolError(`unknown op ${JSON.stringify(op)}; known: reset, step, spaces, close`);
      }
    } catch (error) {
      output.write(`${errorLine(op, error)}\n`);
      return true;
    }
  };

  let closeRequested = false;
  try {
    input.setEncoding('utf8');
    let buffer = '';
    outer: for await (const chunk of input as AsyncIterable<string>) {
      buffer += chunk;
      let start = 0;
      let nl: number;
      while ((nl = buffer.indexOf('\n', start)) >= 0) {
        const line = buffer.slice(start, nl).trim();
        start = nl + 1;
        if (stopped) break outer;
        if (line.length > 0 && !(await answer(line))) {
          closeRequested = true;
          break outer;
        }
      }
      buffer = buffer.slice(start);
    }
  } catch (error) {
    // A destroyed input ends the iteration with a premature-close error: that is the stop.
    if (!stopped) throw error;
  } finally {
    signal?.removeEventListener('abort', stop);
    try {
      await env.close();
    } catch {
      // The client is leaving; a backend that fails to stop has nothing left to tell it.
    }
  }
  if (closeRequested && !stopped) output.write('{"type":"closed"}\n');
}
