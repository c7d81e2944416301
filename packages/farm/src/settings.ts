/**
 * The settings a launcher hands to a role process (process-main): JSON, validated on arrival.
 * `config` is the resolved configuration; the child re-validates it with core's parseConfig.
 */
import { z } from '@autofarm/core';
import type { ClockSpec } from './clock.js';
import type { Role } from './events.js';
import type { RedisTarget } from './redis.js';
import type { HeartbeatSettings } from './worker.js';

export interface RoleSettings {
  role: Role;
  /** Worker / emitter / collector id (unique within the episode; worker ids are never reused). */
  id: string;
  episodeId: string;
  /** Episode seed (the emitter's workload). */
  seed: number;
  clock: ClockSpec;
  config: unknown;
  redis: RedisTarget;
  heartbeat?: HeartbeatSettings;
}

const roleSettingsSchema = z.object({
  role: z.enum(['emitter', 'worker', 'collector']),
  id: z.string().min(1),
  episodeId: z.string().min(1),
  seed: z.number().int(),
  clock: z.union([
    z.object({ kind: z.literal('monotonic'), originNs: z.string().regex(/^\d+$/), timeScale: z.number().positive() }),
    z.object({ kind: z.literal('wall'), originMs: z.number(), timeScale: z.number().positive() }),
  ]),
  config: z.unknown(),
  redis: z.object({ host: z.string(), port: z.number().int(), password: z.string().nullable(), tls: z.boolean(), db: z.number().int() }),
  heartbeat: z.object({ intervalMs: z.number().positive(), ttlMs: z.number().positive() }).optional(),
});

export function parseRoleSettings(text: string): RoleSettings {
  const parsed = roleSettingsSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`invalid role settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data as RoleSettings;
}
