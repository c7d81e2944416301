/**
 * `openfaas`: how the openfaas backend reaches the live farm (gateway, namespace, the function
 * Deployments and the label that finds their pods).
 */
import { z } from 'zod';

export const openfaasSchema = z.strictObject({
  gateway: z.string().default('http://127.0.0.1:8080').describe('OpenFaaS gateway URL.'),
  namespace: z.string().default('openfaas-fn').describe('Namespace of the functions.'),
  worker_function: z.string().default('worker').describe('Name of the worker function (its Deployment is scaled).'),
  emitter_function: z.string().default('emitter'),
  collector_function: z.string().default('collector'),
  kube_context: z.string().nullable().default(null).describe('kubeconfig context; null = current context.'),
  scale_down_timeout: z.number().positive().describe('Seconds to wait for a scale-down ACK.').default(32),
  // Issue 19: how the backend finds a function's pods. deploy/functions/*.yaml and
  // functions/stack.yml both put autofarm_function on every pod, so the default serves all three
  // cluster-up modes (faas-netes adds its own faas_function beside it). Optional without a
  // default so that configurations which do not set it keep their configHash (shipped models).
  function_label: z
    .string()
    .regex(/^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/, 'a Kubernetes label key')
    .optional()
    .describe('Pod label whose value is the function name (selector <label>=<function>); unset = autofarm_function.'),
});
