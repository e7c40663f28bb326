/**
 * A frame job for test/io/read-ahead.test.ts (read-ahead.ts FrameJob): counts the frames and sums
 * their first coordinates on the reading thread, and fails at frame `failAt` when given.
 */
import { OptionError } from '../../src/core/errors.js';
import type { Frame } from '../../src/core/frame.js';

export const createFrameJob = (init: unknown) => {
  const { failAt } = init as { failAt?: number };
  let frames = 0;
  let sum = 0;
  return {
    push(frame: Frame) {
      if (frames === failAt) throw new OptionError(`the job stops at frame ${failAt}`);
      frames++;
      sum += frame.positions[0];
    },
    finish: () => ({ frames, sum }),
  };
};
