/**
 * What a running controller shows: Prometheus metrics (prom-client, one registry per
 * controller so tests can run several in one process) and a small HTTP server with /metrics,
 * /healthz (the process is alive) and /readyz (signals read recently and not stale).
 */
import { createServer, type Server } from 'node:http';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { UsageError } from '@autofarm/core';

export class AutoscaleMetrics {
  readonly registry = new Registry();
  readonly desired: Gauge;
  readonly actual: Gauge;
  readonly ready: Gauge;
  readonly busy: Gauge;
  readonly queue: Gauge;
  readonly decisions: Counter<'reason' | 'bound'>;
  readonly fallbackActive: Gauge;
  readonly observedRate: Gauge;
  readonly forecastRate: Gauge;
  readonly qos: Gauge;
  readonly decisionSeconds: Histogram;
  /** Set by the controller: true while its last signal read succeeded and was not stale. */
  isReady = false;

  constructor() {
    const registers = [this.registry];
    const gauge = (name: string, help: string) => new Gauge({ name: `autofarm_autoscale_${name}`, help, registers });
    this.desired = gauge('desired_workers', 'Worker count the controller last asked for.');
    this.actual = gauge('actual_workers', 'Worker count the target runs (as it reports it).');
    this.ready = gauge('ready_workers', 'Workers started and able to take a task.');
    this.busy = gauge('busy_workers', 'Workers holding a task (the floor of a scale-down).');
    this.queue = gauge('queue_length', 'Tasks waiting in the worker queue.');
    this.fallbackActive = gauge('fallback_active', '1 while the fallback rule decides instead of the chosen policy.');
    this.observedRate = gauge('observed_rate', 'Arrival rate measured between the last two decisions, tasks per program second.');
    this.forecastRate = gauge('forecast_rate', 'Arrival rate the policy forecasts (only policies that expose one), tasks/s.');
    this.qos = gauge('rolling_qos', 'Share of the results of the last observation window that met their deadline.');
    this.decisions = new Counter({
      name: 'autofarm_autoscale_decisions_total',
      help: 'Decisions by reason (policy, fallback:*, hold:*) and the bound that limited them (none, min, max, busy, scale-down-cap).',
      labelNames: ['reason', 'bound'],
      registers,
    });
    // 0.1 ms .. 1 s: a feature-only policy decides in well under 5 ms; a DQN forward pass in ~ms.
    this.decisionSeconds = new Histogram({
      name: 'autofarm_autoscale_decision_seconds',
      help: 'Real seconds from reading the signals to the bounded decision (excludes applying it).',
      buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
    collectDefaultMetrics({ register: this.registry, prefix: 'autofarm_autoscale_process_' });
  }
}

/** Serve /metrics, /healthz and /readyz on host:port; a port in use is a UsageError naming it. */
export async function serveMetrics(metrics: AutoscaleMetrics, host: string, port: number): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/metrics') {
      metrics.registry.metrics().then(
        (text) => res.writeHead(200, { 'Content-Type': metrics.registry.contentType }).end(text),
        (error: unknown) => res.writeHead(500).end(String(error)),
      );
    } else if (path === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok\n');
    } else if (path === '/readyz') {
      const ready = metrics.isReady;
      res.writeHead(ready ? 200 : 503, { 'Content-Type': 'text/plain' }).end(ready ? 'ready\n' : 'signals not read yet or stale\n');
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found: try /metrics, /healthz or /readyz\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE' || error.code === 'EACCES' || error.code === 'EADDRNOTAVAIL'
          ? new UsageError(`--port: cannot listen on ${host}:${port} (${error.code}); pick another with --port or autoscale.port`)
          : error,
      ),
    );
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : port };
}
