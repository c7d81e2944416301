// Example handler for the node24-longrun template (replaced by your function's handler).

let beats = 0;

/** Started when the container starts; return (or throw) to end the loop, watch ctx.signal to stop. */
export async function run(ctx) {
  while (!ctx.signal.aborted) {
    beats += 1;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** Answers HTTP invocations. */
export async function handle(event, ctx) {
  return { statusCode: 200, body: { pod: ctx.podName, beats, method: event.method, path: event.path } };
}

export function status() {
  return { beats };
}
