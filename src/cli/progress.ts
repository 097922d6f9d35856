import { Presets, SingleBar } from 'cli-progress';

export interface ProgressReporter {
  /** Sets the absolute position and the text shown after the bar. */
  update(value: number, detail: string): void;
  stop(): void;
}

export interface ProgressOptions {
  total: number;
  unit: string;
  /** Seconds between plain lines when stderr is not a terminal. */
  plainEverySeconds?: number;
  enabled?: boolean;
}

/**
 * A progress bar with rate and ETA on a terminal; plain periodic lines
 * otherwise (logs and CI), so long runs still show they are alive.
 */
export function createProgress(options: ProgressOptions): ProgressReporter {
  if (options.enabled === false) return { update: () => {}, stop: () => {} };
  if (process.stderr.isTTY) {
    const bar = new SingleBar(
      {
        stream: process.stderr,
        format: `{bar} {percentage}% | {value}/{total} ${options.unit} | {rate}/s | ETA {eta_formatted} | {detail}`,
        etaBuffer: 50,
        hideCursor: true,
      },
      Presets.shades_classic,
    );
    const started = performance.now();
    bar.start(Math.max(options.total, 1), 0, { detail: '', rate: '0' });
    return {
      update(value, detail) {
        const rate = Math.round(value / Math.max((performance.now() - started) / 1000, 0.001));
        bar.update(value, { detail, rate: String(rate) });
      },
      stop: () => bar.stop(),
    };
  }
  const every = (options.plainEverySeconds ?? 5) * 1000;
  const started = performance.now();
  let last = started;
  return {
    update(value, detail) {
      const now = performance.now();
      if (now - last < every) return;
      last = now;
      const rate = value / ((now - started) / 1000);
      const eta = rate > 0 ? Math.round((options.total - value) / rate) : 0;
      const percent = options.total > 0 ? Math.floor((100 * value) / options.total) : 100;
      process.stderr.write(
        `progress: ${value}/${options.total} ${options.unit} (${percent}%), ${Math.round(rate)}/s, ETA ${eta}s; ${detail}\n`,
      );
    },
    stop: () => {},
  };
}
