/**
 * The OpenFaaS gateway, for what the Kubernetes API cannot say: is OpenFaaS up (GET /healthz,
 * no auth) and which functions does it manage (GET /system/functions, basic auth). Scaling
 * does NOT go through the gateway: Community Edition clamps POST /system/scale-function to
 * 5 replicas (gateway/scaling/ranges.go, DefaultMaxReplicas = 5; the original ran patched
 * gateway images for this), and the farm needs up to 32.
 */

/** One entry of GET /system/functions (faas-provider's FunctionStatus; fields we read). */
export interface FunctionStatus {
  name: string;
  image: string;
  namespace?: string;
  replicas?: number;
  availableReplicas?: number;
  invocationCount?: number;
  labels?: Record<string, string> | null;
  annotations?: Record<string, string> | null;
}

export interface GatewayAuth {
  user: string;
  password: string;
}

/** Basic-auth credentials from OPENFAAS_USER (default admin) and OPENFAAS_PASSWORD, if set. */
export function gatewayAuthFromEnv(env: NodeJS.ProcessEnv = process.env): GatewayAuth | null {
  const password = env.OPENFAAS_PASSWORD;
  return password ? { user: env.OPENFAAS_USER ?? 'admin', password } : null;
}

export class Gateway {
  readonly url: string;

  constructor(
    url: string,
    private readonly auth: GatewayAuth | null = null,
    private readonly timeoutMs = 3000,
  ) {
    this.url = url.replace(/\/+$/, '');
  }

  private async get(path: string, authenticated: boolean): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (authenticated && this.auth)
      headers.authorization = `Basic ${Buffer.from(`${this.auth.user}:${this.auth.password}`).toString('base64')}`;
    try {
      return await fetch(`${this.url}${path}`, { headers, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      const e = error as { name?: string; cause?: { code?: string; message?: string }; message?: string };
      if (e.name === 'TimeoutError' || e.name === 'AbortError')
        throw new Error(`gateway ${this.url}: no answer within ${this.timeoutMs / 1000} s`);
      throw new Error(`gateway ${this.url}: unreachable (${e.cause?.code ?? e.cause?.message ?? e.message})`);
    }
  }

  /** Resolves if the gateway answers GET /healthz with 200. */
  async healthz(): Promise<void> {
    const res = await this.get('/healthz', false);
    await res.body?.cancel();
    if (res.status !== 200) throw new Error(`gateway ${this.url}: /healthz answered HTTP ${res.status}`);
  }

  /** True when credentials are configured (listFunctions needs them). */
  get authenticated(): boolean {
    return this.auth !== null;
  }

  /** GET /system/functions?namespace=… */
  async listFunctions(namespace: string): Promise<FunctionStatus[]> {
    const res = await this.get(`/system/functions?namespace=${encodeURIComponent(namespace)}`, true);
    if (res.status === 401) {
      await res.body?.cancel();
      throw new Error(
        `gateway ${this.url}: /system/functions needs credentials (set OPENFAAS_PASSWORD${this.auth ? '; the one set was refused' : ''})`,
      );
    }
    if (res.status !== 200) {
      const text = await res.text();
      throw new Error(`gateway ${this.url}: /system/functions answered HTTP ${res.status} ${text.trim().slice(0, 200)}`);
    }
    const body = (await res.json()) as unknown;
    if (!Array.isArray(body)) throw new Error(`gateway ${this.url}: /system/functions did not return a list`);
    return body as FunctionStatus[];
  }
}
