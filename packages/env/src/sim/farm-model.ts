/**
 * The simulated farm: emitter -> FIFO worker queue -> workers -> result hop -> collector,
 * on the Kernel. Arrivals and tasks come from workload's episodeWorkload, so for one seed
 * the simulator and the real emitter create the same tasks at the same times.
 *
 * Worker lifecycle: a scale-up creates a `starting` worker that takes tasks after
 * sim.scale_up_delay (cold start). A scale-down removes starting workers first (no capacity
 * lost), then idle ones (at once), then busy ones, which leave after their current task
 * (graceful, like SYN/ACK). Worker-seconds count every worker from request to exit.
 *
 * Latency of a task = queue wait + dispatch latency (+ poll wait) + processing + collect
 * latency (+ poll wait): the same end-to-end time the collector judges against the deadline.
 */
import { createRng, type CompletedTask, type Config, type Rng, type WindowMetrics } from '@autofarm/core';
import { episodeWorkload } from '@autofarm/workload';
import { Kernel } from './kernel.js';

interface Worker {
  state: 'starting' | 'idle' | 'busy';
  /** Task being processed (arrival index), -1 when none. */
  task: number;
  /** The worker's completion callback, made once so the hot path allocates no closure per task. */
  done: () => void;
  /** Leaves after the current task. */
  leaving: boolean;
  /** Pending cold start is cancelled when the worker is removed while starting. */
  cancelled: boolean;
  /** When the pending event fires: end of the cold start (starting) or of the task (busy). */
  at: number;
}

/** Per-task data in parallel typed arrays, indexed by arrival order. */
interface Tasks {
  gen: Float64Array;
  processing: Float64Array;
  deadline: Float64Array;
}

export class FarmModel {
  private readonly kernel = new Kernel();
  private readonly sim: Config['sim'];
  /** Tasks collected before this model was forked off another (a fork's `completed` starts empty). */
  private collectedBefore = 0;
  private tasks: Tasks = { gen: new Float64Array(0), processing: new Float64Array(0), deadline: new Float64Array(0) };
  private arrivalTimes: number[] = [];
  private phaseStarts: number[] = [];
  private generationEnd = 0;
  private pollRng: Rng | null = null;

  // Queue of task indices waiting for a worker (array + head pointer: FIFO without shifting).
  private queue: number[] = [];
  private head = 0;
  private workers = new Set<Worker>();
  private idle: Worker[] = [];
  private starting = 0;
  private busy = 0;
  private desired = 0;

  // Results travelling to the collector: collection times are non-decreasing (FIFO collector).
  private resultTask: number[] = [];
  private resultAt: number[] = [];
  private resultHead = 0;
  private lastCollect = 0;
  private completed: CompletedTask[] = [];
  private completedAt: number[] = [];
  private met = 0;

  private enqueued = 0;
  private nextArrival = 0;
  private aliveWorkers = 0;
  private workerSeconds = 0;
  private lastAliveChange = 0;

  constructor(config: Config) {
    this.sim = config.sim;
  }

  /** A new episode at time 0 with `initialWorkers` ready workers. */
  start(config: Config, seed: number, initialWorkers: number): void {
    this.kernel.clear();
    const workload = episodeWorkload(config, seed);
    const n = workload.arrivals.length;
    this.tasks = { gen: new Float64Array(n), processing: new Float64Array(n), deadline: new Float64Array(n) };
    this.arrivalTimes = workload.arrivals.map((a) => a.time);
    for (let i = 0; i < n; i++) {
      const t = workload.nextTask();
      this.tasks.gen[i] = this.arrivalTimes[i] as number;
      this.tasks.processing[i] = t.processingTime;
      this.tasks.deadline[i] = t.deadline;
    }
    // A phase counts as started (no longer in input_q) at its nominal start, or, for the
    // controlled process whose phases drift, at its first arrival.
    const phases = workload.plan.phases.length;
    this.phaseStarts = workload.plan.phases.map((p) => p.start);
    if (workload.plan.process === 'controlled') {
      const first = new Array<number>(phases).fill(Infinity);
      for (const a of workload.arrivals) first[a.phase] = Math.min(first[a.phase] as number, a.time);
      for (let i = phases - 2; i >= 0; i--) first[i] = Math.min(first[i] as number, first[i + 1] as number);
      this.phaseStarts = first;
    }
    const lastArrival = n > 0 ? (this.arrivalTimes[n - 1] as number) : 0;
    this.generationEnd = workload.plan.process === 'controlled' ? lastArrival : Math.max(lastArrival, workload.plan.duration);
    this.pollRng = this.sim.poll_interval > 0 ? createRng(seed).stream('poll') : null;

    this.queue = [];
    this.head = 0;
    this.workers = new Set();
    this.idle = [];
    this.starting = 0;
    this.busy = 0;
    this.desired = 0;
    this.resultTask = [];
    this.resultAt = [];
    this.resultHead = 0;
    this.lastCollect = 0;
    this.completed = [];
    this.completedAt = [];
    this.collectedBefore = 0;
    this.met = 0;
    this.enqueued = 0;
    this.nextArrival = 0;
    this.aliveWorkers = 0;
    this.workerSeconds = 0;
    this.lastAliveChange = 0;

    for (let i = 0; i < initialWorkers; i++) this.addWorker(true);
    this.desired = initialWorkers;
    this.scheduleNextArrival();
  }

  get now(): number {
    return this.kernel.now;
  }

  /** Move toward `target` workers; returns the new desired count. */
  scale(target: number): number {
    while (this.desired < target) {
      this.addWorker(false);
      this.desired++;
    }
    while (this.desired > target) {
      this.removeWorker();
      this.desired--;
    }
    return this.desired;
  }

  advanceTo(time: number): void {
    this.kernel.runUntil(time);
    this.collectUntil(time);
  }

  metrics(window: number): WindowMetrics {
    const now = this.kernel.now;
    this.accrueWorkerSeconds();
    let phasesPending = 0;
    for (const s of this.phaseStarts) if (s > now) phasesPending++;
    // Completed tasks whose collection falls in (now - window, now].
    const from = now - window;
    let lo = this.completedAt.length;
    while (lo > 0 && (this.completedAt[lo - 1] as number) > from) lo--;
    return {
      time: now,
      phasesPending,
      workerQueue: this.queue.length - this.head,
      resultQueue: this.resultAt.length - this.resultHead,
      collectedTotal: this.collectedBefore + this.completed.length,
      metTotal: this.met,
      workers: this.desired,
      readyWorkers: this.workers.size - this.starting - this.leavingCount(),
      busyWorkers: this.busy,
      enqueuedTotal: this.enqueued,
      tasksPlanned: this.arrivalTimes.length,
      generationDone: this.nextArrival >= this.arrivalTimes.length && now >= this.generationEnd,
      window: this.completed.slice(lo),
      workerSeconds: this.workerSeconds,
      deadLetters: 0,
    };
  }

  private leavingCount(): number {
    let n = 0;
    for (const w of this.workers) if (w.leaving) n++;
    return n;
  }

  private readonly arrive = (): void => {
    this.queue.push(this.nextArrival++);
    this.enqueued++;
    this.dispatch(true);
    this.scheduleNextArrival();
  };

  private scheduleNextArrival(): void {
    if (this.nextArrival < this.arrivalTimes.length) this.kernel.at(this.arrivalTimes[this.nextArrival] as number, this.arrive);
  }

  private addWorker(ready: boolean): void {
    const w = this.newWorker(ready ? 'idle' : 'starting', -1);
    this.workers.add(w);
    this.changeAlive(+1);
    if (ready) {
      this.idle.push(w);
      return;
    }
    this.starting++;
    w.at = this.kernel.now + this.sim.scale_up_delay;
    this.kernel.at(w.at, () => this.ready(w));
  }

  private newWorker(state: Worker['state'], task: number): Worker {
    const w: Worker = { state, leaving: false, cancelled: false, task, at: 0, done: () => this.finish(w) };
    return w;
  }

  /** The end of a cold start. */
  private ready(w: Worker): void {
    if (w.cancelled) return;
    this.starting--;
    w.state = 'idle';
    this.idle.push(w);
    this.dispatch(false);
  }

  /**
   * A copy of the farm as it is now that runs on, independently, over the same realized future
   * (arrival times and task times are shared, read-only). Pending events are re-created from
   * each worker's `at`, so events at exactly equal times may run in another order than here; a
   * fork's metrics window holds only tasks collected after the fork. With sim.poll_interval > 0
   * the copy draws its poll waits from a stream of its own.
   */
  fork(): FarmModel {
    const f = new FarmModel({ sim: this.sim } as Config);
    f.kernel.now = this.kernel.now;
    f.tasks = this.tasks;
    f.arrivalTimes = this.arrivalTimes;
    f.phaseStarts = this.phaseStarts;
    f.generationEnd = this.generationEnd;
    f.pollRng = this.pollRng ? this.pollRng.stream('fork') : null;
    f.queue = this.queue.slice(this.head);
    const copies = new Map<Worker, Worker>();
    for (const w of this.workers) {
      const c = f.newWorker(w.state, w.task);
      c.leaving = w.leaving;
      c.at = w.at;
      copies.set(w, c);
      f.workers.add(c);
      if (w.state === 'busy') f.kernel.at(w.at, c.done);
      else if (w.state === 'starting') f.kernel.at(w.at, () => f.ready(c));
    }
    f.idle = this.idle.map((w) => copies.get(w) as Worker);
    f.starting = this.starting;
    f.busy = this.busy;
    f.desired = this.desired;
    f.resultTask = this.resultTask.slice(this.resultHead);
    f.resultAt = this.resultAt.slice(this.resultHead);
    f.lastCollect = this.lastCollect;
    f.collectedBefore = this.collectedBefore + this.completed.length;
    f.met = this.met;
    f.enqueued = this.enqueued;
    f.nextArrival = this.nextArrival;
    f.scheduleNextArrival();
    f.aliveWorkers = this.aliveWorkers;
    f.workerSeconds = this.workerSeconds;
    f.lastAliveChange = this.lastAliveChange;
    return f;
  }

  /** Tasks that missed their deadline so far: collected late, or still in the farm and already past it. */
  lateTotal(): number {
    const now = this.kernel.now;
    const { gen, deadline } = this.tasks;
    const overdue = (task: number) => now - (gen[task] as number) > (deadline[task] as number);
    let late = this.collectedBefore + this.completed.length - this.met;
    for (let i = this.head; i < this.queue.length; i++) if (overdue(this.queue[i] as number)) late++;
    for (const w of this.workers) if (w.state === 'busy' && overdue(w.task)) late++;
    for (let i = this.resultHead; i < this.resultAt.length; i++) {
      const task = this.resultTask[i] as number;
      if ((this.resultAt[i] as number) - (gen[task] as number) > (deadline[task] as number)) late++;
    }
    return late;
  }

  private removeWorker(): void {
    // Cheapest capacity first: a worker still starting, then an idle one, then a busy one.
    for (const w of this.workers) {
      if (w.state === 'starting' && !w.cancelled) {
        w.cancelled = true;
        this.starting--;
        this.exit(w);
        return;
      }
    }
    const idle = this.idle.pop();
    if (idle) {
      this.exit(idle);
      return;
    }
    for (const w of this.workers) {
      if (w.state === 'busy' && !w.leaving) {
        w.leaving = true;
        return;
      }
    }
  }

  private exit(w: Worker): void {
    this.workers.delete(w);
    this.changeAlive(-1);
  }

  /** Hand queued tasks to idle workers. `arrival`: the task just came into an empty farm (poll wait applies). */
  private dispatch(arrival: boolean): void {
    while (this.head < this.queue.length && this.idle.length > 0) {
      const w = this.idle.pop() as Worker;
      const task = this.queue[this.head++] as number;
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      w.state = 'busy';
      w.task = task;
      this.busy++;
      const wait = this.sim.dispatch_latency + (arrival ? this.pollWait() : 0);
      w.at = this.kernel.now + wait + (this.tasks.processing[task] as number);
      this.kernel.at(w.at, w.done);
    }
  }

  private finish(w: Worker): void {
    this.busy--;
    this.sendResult(w.task);
    w.task = -1;
    if (w.leaving) {
      this.exit(w);
      return;
    }
    w.state = 'idle';
    this.idle.push(w);
    this.dispatch(false);
  }

  private sendResult(task: number): void {
    const now = this.kernel.now;
    const collectorIdle = this.lastCollect <= now;
    const at = Math.max(now + this.sim.collect_latency + (collectorIdle ? this.pollWait() : 0), this.lastCollect);
    this.lastCollect = at;
    this.resultTask.push(task);
    this.resultAt.push(at);
  }

  private collectUntil(time: number): void {
    const { gen, deadline, processing } = this.tasks;
    while (this.resultHead < this.resultAt.length && (this.resultAt[this.resultHead] as number) <= time) {
      const at = this.resultAt[this.resultHead] as number;
      const task = this.resultTask[this.resultHead] as number;
      this.resultHead++;
      const latency = at - (gen[task] as number);
      const d = deadline[task] as number;
      const met = latency <= d;
      if (met) this.met++;
      this.completed.push({ latency, deadline: d, met, processing: processing[task] as number, arrival: gen[task] as number });
      this.completedAt.push(at);
    }
  }

  /** Idle poll wait: uniform over one poll period (0 with blocking pops). */
  private pollWait(): number {
    return this.pollRng ? this.pollRng.float() * this.sim.poll_interval : 0;
  }

  private changeAlive(delta: number): void {
    this.accrueWorkerSeconds();
    this.aliveWorkers += delta;
  }

  private accrueWorkerSeconds(): void {
    const now = this.kernel.now;
    this.workerSeconds += this.aliveWorkers * (now - this.lastAliveChange);
    this.lastAliveChange = now;
  }
}
