/**
 * The farm's emitter as an OpenFaaS function (template node24-longrun, functions/stack.yml).
 *
 * One replica; its loop starts with the pod and, for each episode the openfaas backend announces
 * in Redis, pushes that episode's tasks at their arrival times (the seed's workload, the same
 * the simulator uses), then waits for the next episode.
 */
import { farmFunction } from '@autofarm/farm';

export const { run, status } = farmFunction('emitter');
