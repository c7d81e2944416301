/**
 * The farm's collector as an OpenFaaS function (template node24-longrun, functions/stack.yml).
 *
 * One replica; its loop starts with the pod and, for each episode the openfaas backend announces
 * in Redis, judges every result against its deadline (each task id once) and runs the reaper
 * that gives a dead worker's tasks back to the queue.
 */
import { farmFunction } from '@autofarm/farm';

export const { run, status } = farmFunction('collector');
