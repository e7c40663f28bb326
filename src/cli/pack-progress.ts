import type { PackProgress } from '../builders/pack-glass.js';
import { formatDuration } from '../md/protocols/plan.js';

/**
 * Progress of a glass packing on stderr, for packings that take a while (nothing for the first
 * 2 s): the start and sweep, the units still overlapping, and at most how long the rest can take
 * (the sweeps left in the packer's budget at the pace so far; it usually ends sooner, when no
 * unit overlaps). On a terminal one line is rewritten; otherwise a line every 10 s.
 */
export const packProgress = (): { onProgress: (p: PackProgress) => void; stop: () => void } => {
  const t0 = performance.now();
  const tty = process.stderr.isTTY === true;
  let sweepsDone = 0;
  let lastPrint = Number.NEGATIVE_INFINITY;
  let printed = false;
  return {
    onProgress: (p) => {
      sweepsDone++;
      const now = performance.now();
      const elapsed = (now - t0) / 1000;
      if (elapsed < 2 || now - lastPrint < (tty ? 250 : 10_000)) return;
      lastPrint = now;
      const left = p.sweeps - p.sweep + p.sweeps * (p.starts - p.start);
      const line = `packing: start ${p.start}/${p.starts}, sweep ${p.sweep}/${p.sweeps}, ${p.overlapping} of ${p.units} units still overlap; ${formatDuration(elapsed)} so far, at most about ${formatDuration((elapsed / sweepsDone) * left)} left`;
      process.stderr.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
      printed = true;
    },
    stop: () => {
      if (printed && tty) process.stderr.write('\n');
    },
  };
};
