/**
 * The farm's worker as an OpenFaaS function (template node24-longrun, functions/stack.yml).
 *
 * The loop starts with the pod and takes part in every episode the openfaas backend announces
 * in Redis (packages/farm hostRole): a pod added by a scale-up joins the running episode. On a
 * SCALE_DOWN SYN it finishes its task, ACKs with its pod name and returns; the backend then has
 * the ReplicaSet remove exactly this pod (pod-deletion-cost). If the pod is still here after the
 * template's restart_delay (60 s), the worker rejoins the episode under a fresh id.
 */
import { farmFunction } from '@autofarm/farm';

export const { run, status } = farmFunction('worker');
