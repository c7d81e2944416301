/**
 * The settings a launcher hands to a role process (process-main): JSON, validated on arrival.
 * `config` is the resolved configuration; the child re-validates it with core's parseConfig.
 *
 * A process spawned without a clock connects, reports `standby` and waits for a `go` message
 * with the episode clock: the local backend starts all initial processes that way, then picks
 * the episode origin once every one of them is up, so a slow start does not eat into program
 * time (at time_scale 10, 0.3 s of process start-up would be 3 program seconds).
 */
import { z } from '@autofarm/core';
import type { ClockSpec } from './clock.js';
import type { FarmEvent, Role } from './events.js';
import type { RedisTarget } from './redis.js';
import type { HeartbeatSettings } from './worker.js';

export interface RoleSettings {
  role: Role;
  /** Worker / emitter / collector id (unique within the episode; worker ids are never reused). */
  id: string;
  episodeId: string;
  /** Episode seed (the emitter's workload). */
  seed: number;
  /** The episode clock; absent: wait for a `go` message carrying it. */
  clock?: ClockSpec;
  config: unknown;
  redis: RedisTarget;
  heartbeat?: HeartbeatSettings;
}

/** Parent -> child over IPC: start the loop on this clock. */
export interface GoMessage {
  kind: 'go';
  clock: ClockSpec;
}

/** Child -> parent over IPC. */
export type RoleMessage = { kind: 'standby' } | { kind: 'event'; event: FarmEvent } | { kind: 'exit'; exit: unknown };

export const clockSpecSchema = z.union([
  z.object({ kind: z.literal('monotonic'), originNs: z.string().regex(/^\d+$/), timeScale: z.number().positive() }),
  z.object({ kind: z.literal('wall'), originMs: z.number(), timeScale: z.number().positive() }),
]);

const roleSettingsSchema = z.object({
  role: z.enum(['emitter', 'worker', 'collector']),
  id: z.string().min(1),
  episodeId: z.string().min(1),
  seed: z.number().int(),
  clock: clockSpecSchema.optional(),
  config: z.unknown(),
  redis: z.object({ host: z.string(), port: z.number().int(), password: z.string().nullable(), tls: z.boolean(), db: z.number().int() }),
  heartbeat: z.object({ intervalMs: z.number().positive(), ttlMs: z.number().positive() }).optional(),
});

export function parseRoleSettings(text: string): RoleSettings {
  const parsed = roleSettingsSchema.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new Error(`invalid role settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data as RoleSettings;
}
