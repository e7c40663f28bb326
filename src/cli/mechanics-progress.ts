import { SingleBar } from 'cli-progress';

/**
 * A progress bar on stderr for the minimiser and the elastic constants (shown only when stderr
 * is a terminal): steps (or strained states) done of the most, with a label.
 */
export const stepBar = (
  label: string,
): { update: (done: number, total: number, note?: string) => void; stop: () => void } => {
  if (!process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new SingleBar({
    stream: process.stderr,
    format: `${label} [{bar}] {value}/{total} {note}`,
    hideCursor: true,
    clearOnComplete: true,
  });
  let started = false;
  return {
    update: (done, total, note = '') => {
      if (!started) {
        bar.start(total, 0, { note });
        started = true;
      }
      bar.update(done, { note });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
};
