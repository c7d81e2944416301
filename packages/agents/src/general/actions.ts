/**
 * The general agents' actions: reserves over a queueing-model sizing (core's reserve-sizing.ts,
 * shared with the `reserve` baseline, says how a reserve sizes the farm). This file binds that
 * sizing to the configuration and to the model files.
 */
import { ModelFileError, ReserveActions, type Config, type SizingAssumptions } from '@autofarm/core';

export {
  DRAIN_SECONDS,
  gammaServiceProfile,
  ReserveActions,
  ReserveSizer,
  SCALE_DOWN_BATCH,
  SIZING_QOS,
  type LoadEstimate,
  type SizingAssumptions,
} from '@autofarm/core';

/** An agent's action set: core's ReserveActions with at least two actions to choose among. */
function agentActions(reserves: readonly number[], scaleDownLimit: number, sizing: SizingAssumptions): ReserveActions {
  if (reserves.length < 2) throw new RangeError('general.action_reserves: need at least 2 actions');
  return new ReserveActions(reserves, scaleDownLimit, sizing);
}

/**
 * The action set configured in `general` (action_reserves, scale_down_limit), sized with the
 * configuration's task-time shape and deadline coefficient.
 */
export function reserveActions(config: Config): ReserveActions {
  return agentActions(config.general.action_reserves, config.general.scale_down_limit, {
    serviceShape: config.tasks.processing_time.shape,
    deadlineCoefficient: config.tasks.deadline.coefficient,
  });
}

/** The action fields a general model file holds (the SARSA file and the DQN metadata's `general` block). */
export interface ModelActionFields {
  action_reserves: number[];
  /** Largest share of the workers one decision removes. */
  scale_down_limit: number;
  /** Task-time gamma shape and deadline coefficient the sizing assumes. */
  sizing: { service_shape: number; deadline_coefficient: number };
  /** Seconds between decisions. */
  cadence: number;
}

/** A model file's actions and cadence; anything missing or out of range is a ModelFileError naming `where`. */
export function modelActions(m: Partial<ModelActionFields>, where: string): { actions: ReserveActions; cadence: number } {
  const s = m.sizing;
  if (!s || !(s.service_shape > 0) || !(s.deadline_coefficient > 0))
    throw new ModelFileError(`${where}: sizing must hold service_shape > 0 and deadline_coefficient > 0, found ${JSON.stringify(s)}`);
  if (!(typeof m.cadence === 'number' && m.cadence > 0))
    throw new ModelFileError(`${where}: cadence must be a positive number of seconds, found ${JSON.stringify(m.cadence)}`);
  try {
    const sizing = { serviceShape: s.service_shape, deadlineCoefficient: s.deadline_coefficient };
    return { actions: agentActions(m.action_reserves ?? [], m.scale_down_limit ?? Number.NaN, sizing), cadence: m.cadence };
  } catch (cause) {
    throw new ModelFileError(`${where}: ${(cause as Error).message}`, { cause });
  }
}
