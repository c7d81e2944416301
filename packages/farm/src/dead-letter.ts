/**
 * Malformed or misaddressed messages go to the dead-letter list with the reason, and the loop
 * that found them goes on (the original's worker and collector exited instead, reference §16 item 31).
 */
import type { Redis } from 'ioredis';
import { encodeMessage, type QueueNames } from '@autofarm/core';
import { deadLetterScript } from './scripts.js';
import { emit, type FarmHooks } from './events.js';

export interface DeadLetterInput {
  /** The list the message was read from (recorded as `source`). */
  source: string;
  /** The list still holding the raw message (a processing list), if it must be removed from it. */
  holder?: string;
  raw: string;
  reason: string;
  by: string;
  at: number;
}

export async function deadLetter(conn: Redis, names: QueueNames, input: DeadLetterInput, hooks?: FarmHooks): Promise<void> {
  const record = encodeMessage({ reason: input.reason, source: input.source, payload: input.raw, at: input.at, by: input.by });
  if (input.holder) await deadLetterScript.run(conn, [input.holder, names.deadLetter], [input.raw, record]);
  else await conn.lpush(names.deadLetter, record);
  emit(hooks, { type: 'dead-letter', by: input.by, source: input.source, reason: input.reason });
}
