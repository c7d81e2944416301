/**
 * Waiting in tests for a condition, not for a guessed amount of time. The deadline is generous
 * (20 s by default: a loaded 2-core CI machine may stall a process for seconds) because a test
 * that passes returns as soon as the condition holds; only a failing one waits it out, and then
 * it says what it waited for and what it last saw.
 */

export interface UntilOptions {
  /** Real ms before giving up (default 20 000). */
  timeoutMs?: number;
  /** Real ms between two looks (default 20). */
  pollMs?: number;
  /** What is awaited, for the error message. */
  what?: string;
}

/**
 * Resolves as soon as `check` returns true (or a value other than false/undefined, which is
 * returned); rejects after the deadline with `what` and the last answer.
 */
export async function until<T>(
  check: () => T | false | undefined | Promise<T | false | undefined>,
  options: UntilOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const deadline = performance.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const answer = await check();
      if (answer !== false && answer !== undefined) return answer;
      last = answer;
    } catch (error) {
      last = error;
    }
    if (performance.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs / 1000} s waiting for ${options.what ?? 'a condition'} ` +
          `(last: ${last instanceof Error ? last.message : String(last)})`,
      );
    await new Promise((r) => setTimeout(r, options.pollMs ?? 20));
  }
}
