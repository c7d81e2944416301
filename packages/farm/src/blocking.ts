/**
 * A connection that runs blocking pops and can be woken early: `wake()` sends CLIENT UNBLOCK
 * from a second connection, so a worker blocked in BLMOVE (up to `blockSeconds`) sees a SYN at
 * once instead of after its timeout. The timeout still bounds the wait if a wake is lost
 * (e.g. the UNBLOCK overtook the BLMOVE on the other connection: we retry a few times).
 */
import type { Redis } from 'ioredis';

export class Wakeable {
  private clientId: number | null = null;
  private blocked = false;

  constructor(readonly conn: Redis) {
    const refresh = () => {
      conn.client('ID').then(
        (id) => {
          this.clientId = Number(id);
        },
        () => {
          this.clientId = null;
        },
      );
    };
    // The id changes with every reconnect.
    conn.on('ready', refresh);
    if (conn.status === 'ready') refresh();
  }

  /** Run one blocking command; `wake()` makes it return early with its timeout value. */
  async block<T>(command: () => Promise<T>): Promise<T> {
    this.blocked = true;
    try {
      return await command();
    } finally {
      this.blocked = false;
    }
  }

  /** Interrupt the blocking command in flight, if any, using `via` (another connection). */
  async wake(via: Redis): Promise<void> {
    // 5 tries 2 ms apart: covers an UNBLOCK that reached Redis before the BLMOVE it targets.
    for (let i = 0; i < 5 && this.blocked; i++) {
      if (this.clientId !== null) {
        const n = await via.client('UNBLOCK', this.clientId).catch(() => 0);
        if (Number(n) === 1) return;
      }
      await new Promise((r) => setTimeout(r, 2));
    }
  }
}

/** Disconnect `conns` when `signal` aborts (pending commands then reject and the loops end). */
export function disconnectOnAbort(signal: AbortSignal | undefined, conns: Redis[]): () => void {
  if (!signal) return () => {};
  const onAbort = () => {
    for (const c of conns) c.disconnect();
  };
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}

export const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
