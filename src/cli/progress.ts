import { createRequire } from 'node:module';
import { basename } from 'node:path';
import type * as CliProgress from 'cli-progress';

/**
 * cli-progress, loaded when a bar is first drawn: only on a terminal, and its 25 files cost about
 * 10 ms of every command's start-up (issue 28).
 */
let cliProgress: typeof CliProgress | undefined;
const progressBars = (): typeof CliProgress =>
  (cliProgress ??= createRequire(import.meta.url)('cli-progress') as typeof CliProgress);

/**
 * A progress bar on stderr for long reads, shown only when stderr is a terminal (quiet in pipes,
 * logs and CI). Returns the callback to pass as onProgress and a function that stops the bar.
 */
export const fileProgress = (
  label: string,
): { onProgress?: (done: number, total: number) => void; stop: () => void } => {
  if (!process.stderr.isTTY) return { stop: () => {} };
  const bar = new (progressBars().SingleBar)({
    stream: process.stderr,
    format: `${label} [{bar}] {percentage}% | {value}/{total} MB | ETA {eta}s`,
    hideCursor: true,
    clearOnComplete: true,
  });
  let started = false;
  return {
    onProgress: (done, total) => {
      const mb = (x: number) => Math.round(x / 1e5) / 10;
      if (!started) {
        bar.start(mb(total), 0);
        started = true;
      }
      bar.update(mb(done));
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
};

/**
 * A progress bar per file, for commands that read several files one after another: each file's
 * first report stops the bars before it. Returns the onFileProgress callback and a stop function.
 */
export const fileBars = () => {
  const bars = new Map<string, ReturnType<typeof fileProgress>>();
  return {
    onFileProgress: (file: string, done: number, total: number) => {
      if (!bars.has(file)) {
        for (const b of bars.values()) b.stop();
        bars.set(file, fileProgress(basename(file)));
      }
      bars.get(file)!.onProgress?.(done, total);
    },
    stop: () => {
      for (const b of bars.values()) b.stop();
    },
  };
};
