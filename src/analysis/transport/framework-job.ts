import type { Frame } from '../../core/frame.js';
import type { FrameJobMemory } from '../../io/read-ahead.js';
import { FrameworkMotion, type FrameworkMotionOptions, type FrameworkMotionResult } from './displacements.js';

/**
 * A frame job (read-ahead.ts) that records the framework's motion on the thread reading the
 * frames: the drift and the other atoms' displacements read every atom of every frame, which that
 * thread has just converted and holds in its cache, while the analysing thread records the
 * analysed atoms alone (DisplacementRecorder with `driftElsewhere`, and `othersElsewhere` when the
 * others are kept here too).
 */
export interface FrameworkJobInit {
  natoms: number;
  options: FrameworkMotionOptions;
}

export const createFrameJob = (
  init: unknown,
  memory?: FrameJobMemory,
): { push(frame: Frame): void; finish(): FrameworkMotionResult; onFrameCount(frames: number): void } => {
  const { natoms, options } = init as FrameworkJobInit;
  const motion = new FrameworkMotion(natoms, { ...options, memory });
  return {
    push: (frame) => motion.push(frame),
    finish: () => motion.result(),
    onFrameCount: (frames) => motion.expectFrames(frames),
  };
};
