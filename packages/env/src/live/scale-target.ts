/**
 * What a live controller scales: the target's current count and program clock, and a way to ask
 * for a count. Two implementations: the local farm's, through two Redis keys that
 * `autofarm load --backend local` follows (this file), and the worker Deployment's scale
 * subresource on OpenFaaS (openfaas-target.ts). The controller never resets or restarts a
 * farm: it only reads and asks.
 */
import type { Redis } from 'ioredis';
import { BackendUnavailableError } from '@autofarm/core';
import { createClock, type ClockSpec, type ProgramClock } from '@autofarm/farm';

export interface TargetStatus {
  /** Workers the target runs (the desired count it applied). */
  workers: number;
  /** Of those, started and able to take a task. */
  ready: number;
}

export interface ScaleTarget {
  /** For messages: where the target is. */
  readonly where: string;
  /** The farm's program clock (results are stamped on it). */
  clock(): Promise<ProgramClock>;
  status(): Promise<TargetStatus>;
  /** Ask for `workers` (already bounded); returns the count the target recorded. */
  apply(workers: number): Promise<number>;
}

/** The local farm's keys under `prefix`: the controller writes `desired`, the farm writes `status`. */
export function liveKeys(prefix: string): { desired: string; status: string } {
  return { desired: `${prefix}:desired`, status: `${prefix}:status` };
}

/** What `autofarm load --backend local` publishes in `<prefix>:status` (JSON). */
export interface LocalFarmStatus extends TargetStatus {
  clock: ClockSpec;
  /** Epoch ms of the write: a farm that stopped publishing is not followed blindly. */
  updatedMs: number;
}

/** The local farm as a scale target: it follows `<prefix>:desired` within ~100 ms (load.ts). */
export class LocalScaleTarget implements ScaleTarget {
  private readonly keys: { desired: string; status: string };
  private cachedClock: ProgramClock | null = null;

  constructor(
    private readonly conn: Redis,
    prefix: string,
    readonly where: string,
  ) {
    this.keys = liveKeys(prefix);
  }

  private async read(): Promise<LocalFarmStatus> {
    const text = await this.conn.get(this.keys.status);
    if (text === null)
      throw new BackendUnavailableError(
        `no local farm at redis ${this.where} (${this.keys.status} is not set): start one with \`autofarm load --backend local\``,
      );
    try {
      return JSON.parse(text) as LocalFarmStatus;
    } catch {
      throw new BackendUnavailableError(`${this.keys.status} at redis ${this.where} is not JSON: "${text.slice(0, 40)}"`);
    }
  }

  /** The clock of the last status read (one GET per tick, not two). */
  async clock(): Promise<ProgramClock> {
    if (!this.cachedClock) await this.status();
    return this.cachedClock as ProgramClock;
  }

  async status(): Promise<TargetStatus> {
    const { workers, ready, clock } = await this.read();
    // A restarted farm has a new origin: follow it (same spec = same clock object).
    if (!this.cachedClock || JSON.stringify(this.cachedClock.spec) !== JSON.stringify(clock)) this.cachedClock = createClock(clock);
    return { workers, ready };
  }

  async apply(workers: number): Promise<number> {
    await this.conn.set(this.keys.desired, String(workers));
    return workers;
  }
}
