/**
 * Ctrl-C for long training commands: the first one finishes the current episode, saves the
 * `*_interrupt` model and ends with exit code 130 (the original exited non-zero too); a second
 * one quits at once.
 */
export async function interruptible<T extends { interrupted: boolean }>(
  command: string,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write(`\n${command}: stopping after this episode (Ctrl-C again to quit now)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    const result = await run(controller.signal);
    if (result.interrupted) process.exitCode = 130;
    return result;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
