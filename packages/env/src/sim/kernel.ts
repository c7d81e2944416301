/**
 * A discrete-event kernel shaped like SimPy's Environment: a heap of events keyed by
 * (time, priority, sequence), a clock `now`, `schedule` and `runUntil`. Ties in time run by
 * priority, then in the order they were scheduled, so a run is deterministic.
 *
 * The heap is an implicit binary heap over parallel arrays (no per-event objects on the hot
 * path): the farm model pushes about one event per task, ~40 per 8 s step.
 */
export type Callback = () => void;

export class Kernel {
  now = 0;
  private times: number[] = [];
  private prios: number[] = [];
  private seqs: number[] = [];
  private calls: Callback[] = [];
  private seq = 0;

  get pending(): number {
    return this.times.length;
  }

  /** Run `fn` `delay` seconds from now (lower priority runs first at equal times). */
  schedule(delay: number, fn: Callback, priority = 0): void {
    this.at(this.now + delay, fn, priority);
  }

  at(time: number, fn: Callback, priority = 0): void {
    if (time < this.now) throw new RangeError(`Kernel.at: time ${time} is before now ${this.now}`);
    const t = this.times;
    const p = this.prios;
    const s = this.seqs;
    const c = this.calls;
    let i = t.length;
    const seq = this.seq++;
    t.push(time);
    p.push(priority);
    s.push(seq);
    c.push(fn);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(time, priority, seq, t[parent] as number, p[parent] as number, s[parent] as number)) break;
      t[i] = t[parent] as number;
      p[i] = p[parent] as number;
      s[i] = s[parent] as number;
      c[i] = c[parent] as Callback;
      i = parent;
    }
    t[i] = time;
    p[i] = priority;
    s[i] = seq;
    c[i] = fn;
  }

  /** Process every event with time <= `until`, then set the clock to `until`. */
  runUntil(until: number): void {
    const t = this.times;
    while (t.length > 0 && (t[0] as number) <= until) {
      this.now = t[0] as number;
      this.pop()();
    }
    if (until > this.now) this.now = until;
  }

  /** Drop every pending event and rewind the clock (a new episode). */
  clear(): void {
    this.times = [];
    this.prios = [];
    this.seqs = [];
    this.calls = [];
    this.now = 0;
    this.seq = 0;
  }

  private pop(): Callback {
    const t = this.times;
    const p = this.prios;
    const s = this.seqs;
    const c = this.calls;
    const top = c[0] as Callback;
    const lastT = t.pop() as number;
    const lastP = p.pop() as number;
    const lastS = s.pop() as number;
    const lastC = c.pop() as Callback;
    const n = t.length;
    if (n === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const m = r < n && before(t[r] as number, p[r] as number, s[r] as number, t[l] as number, p[l] as number, s[l] as number) ? r : l;
      if (!before(t[m] as number, p[m] as number, s[m] as number, lastT, lastP, lastS)) break;
      t[i] = t[m] as number;
      p[i] = p[m] as number;
      s[i] = s[m] as number;
      c[i] = c[m] as Callback;
      i = m;
    }
    t[i] = lastT;
    p[i] = lastP;
    s[i] = lastS;
    c[i] = lastC;
    return top;
  }
}

/** Heap order: earlier time, then lower priority, then earlier sequence. */
function before(t1: number, p1: number, s1: number, t2: number, p2: number, s2: number): boolean {
  if (t1 !== t2) return t1 < t2;
  if (p1 !== p2) return p1 < p2;
  return s1 < s2;
}
