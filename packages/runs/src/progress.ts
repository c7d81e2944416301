/**
 * Progress for long work (training, comparisons): a one-line bar with custom fields
 * (`return=-3.2 qos=97.1%`) when stderr is a terminal; when it is not, a plain line every
 * `everyPercent` % or `everySeconds` s; nothing at all in CI (`CI=true`) unless asked.
 *
 * Invariants: never writes to stdout (stdout is for results a user may pipe); `stop()` always
 * ends with a newline in `bar` mode and prints a final line in `lines` mode, so whatever comes
 * next starts on a clean line.
 *
 * Why not cli-progress: @autofarm/runs does not depend on it (only the CLI does) and the lock
 * file is shared, so this is the ~80 lines of it we need, with the same look.
 */

/** Custom fields shown after the counters, in insertion order. */
export type ProgressFields = Record<string, string | number>;

export type ProgressMode = 'bar' | 'lines' | 'quiet';

/** What the reporter writes to; process.stderr fits. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressOptions {
  total: number;
  /** Shown first, e.g. `train-sarsa`. */
  label?: string;
  /** `auto` (default): bar on a TTY, quiet when CI is set, lines otherwise. */
  mode?: ProgressMode | 'auto';
  /** Default process.stderr. */
  stream?: ProgressStream;
  /** Lines mode: print when the done fraction passes a multiple of this. Default 10. */
  everyPercent?: number;
  /** Lines mode: print at least this often while work advances. Default 30. */
  everySeconds?: number;
  /** Default process.env (only CI is read). */
  env?: Record<string, string | undefined>;
  /** Milliseconds clock; injectable for tests. */
  now?: () => number;
}

export interface Progress {
  readonly mode: ProgressMode;
  /** `done` units of `total` finished; fields replace the previous ones. */
  update(done: number, fields?: ProgressFields): void;
  increment(fields?: ProgressFields): void;
  /** A message that does not garble the bar; printed in every mode, to the same stream. */
  log(message: string): void;
  stop(fields?: ProgressFields): void;
}

const BAR_WIDTH = 24;
/** Redraw a terminal bar at most 10 times a second: 1000 episodes would otherwise mean 1000 writes. */
const BAR_REDRAW_MS = 100;

export function progressMode(stream: ProgressStream, env: Record<string, string | undefined>): ProgressMode {
  if (stream.isTTY) return 'bar';
  const ci = (env.CI ?? '').toLowerCase();
  return ci === 'true' || ci === '1' ? 'quiet' : 'lines';
}

/** 12 -> "12", 0.97123 -> "0.9712", -123.456 -> "-123.5". */
export function formatField(value: string | number): string {
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value) || Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(1) : String(Number(value.toPrecision(4)));
}

function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const mode = !options.mode || options.mode === 'auto' ? progressMode(stream, options.env ?? process.env) : options.mode;
  const total = Math.max(0, options.total);
  const everyPercent = options.everyPercent ?? 10;
  const everyMs = (options.everySeconds ?? 30) * 1000;
  const label = options.label ? `${options.label} ` : '';
  const start = now();
  let done = 0;
  let fields: ProgressFields = {};
  let lastDraw = -Infinity;
  let lastLineAt = start;
  let lastBucket = 0;
  let barShown = false;
  let stopped = false;

  const fraction = () => (total === 0 ? 1 : Math.min(1, done / total));
  const eta = () => (done === 0 ? NaN : ((now() - start) / done) * (total - done));
  const fieldText = () => {
    const parts = Object.entries(fields).map(([k, v]) => `${k}=${formatField(v)}`);
    return parts.length ? ` | ${parts.join(' ')}` : '';
  };

  const drawBar = (force: boolean) => {
    const t = now();
    if (!force && t - lastDraw < BAR_REDRAW_MS) return;
    lastDraw = t;
    const filled = Math.round(fraction() * BAR_WIDTH);
    const pct = `${Math.floor(fraction() * 100)}%`.padStart(4);
    let line =
      `${label}[${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}] ${pct} ${done}/${total} ` +
      `| ETA ${formatDuration(eta())}${fieldText()}`;
    const width = stream.columns ?? 0;
    if (width > 1 && line.length >= width) line = line.slice(0, width - 1);
    stream.write(`\r\x1b[2K${line}`);
    barShown = true;
  };

  const printLine = (final: boolean) => {
    const pct = Math.floor(fraction() * 100);
    const timing = final ? `in ${formatDuration(now() - start)}` : `elapsed ${formatDuration(now() - start)} ETA ${formatDuration(eta())}`;
    stream.write(`${label}${done}/${total} (${pct}%) ${timing}${fieldText()}\n`);
    lastLineAt = now();
  };

  const report = () => {
    if (mode === 'bar') drawBar(done >= total);
    else if (mode === 'lines') {
      const bucket = everyPercent > 0 ? Math.floor((fraction() * 100) / everyPercent) : 0;
      // The 100 % line is stop()'s, so a finished run prints one last line, not two.
      if (done < total && (bucket > lastBucket || now() - lastLineAt >= everyMs)) printLine(false);
      lastBucket = Math.max(lastBucket, bucket);
    }
  };

  return {
    mode,
    update(value, next) {
      if (stopped) return;
      done = Math.max(0, value);
      if (next) fields = { ...next };
      report();
    },
    increment(next) {
      this.update(done + 1, next);
    },
    log(message) {
      if (mode === 'bar' && barShown) stream.write('\r\x1b[2K');
      stream.write(`${message}\n`);
      if (mode === 'bar' && barShown && !stopped) drawBar(true);
    },
    stop(next) {
      if (stopped) return;
      if (next) fields = { ...next };
      stopped = true;
      if (mode === 'bar') {
        drawBar(true);
        stream.write('\n');
      } else if (mode === 'lines') printLine(true);
    },
  };
}
