/**
 * Last-resort cleanup for the local backend's children: on process exit, and on SIGINT / SIGTERM
 * (which end Node without an `exit` event), run `kill` synchronously. After a signal, if no one
 * else listens for it, it is re-raised so the process still ends the way it was asked to.
 */
export function onFatalSignal(kill: () => void): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    kill();
    if (process.listenerCount(signal) === 1) {
      process.off(signal, onSignal);
      process.kill(process.pid, signal);
    }
  };
  process.on('exit', kill);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('exit', kill);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
