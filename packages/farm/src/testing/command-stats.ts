/**
 * Counting what Redis did instead of timing it: `CONFIG RESETSTAT`, run the code, then read
 * how often a command ran. "Took the next task in the same round trip" or "polled five more
 * times" are then facts about the protocol, whatever the machine's load.
 */
import type { Redis } from 'ioredis';

/** How many times Redis has run `command` (lower case, e.g. `blmove`) since the last CONFIG RESETSTAT. */
export async function commandCalls(conn: Redis, command: string): Promise<number> {
  const info = await conn.info('commandstats');
  return Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(info)?.[1] ?? 0);
}
