import { OptionError } from '../../core/errors.js';
import type { Frame } from '../../core/frame.js';

/**
 * The time between frames of a streamed run, for the dynamics analyses (correlation functions
 * and spectra need an even spacing): the caller's `frameIntervalFs` when given, else the frames'
 * own times, checked to be evenly spaced as they stream (to 1e-6 relative). Memory O(1).
 */
export class FrameClock {
  private count = 0;
  private first = Number.NaN;
  private gap = Number.NaN;
  private previous = Number.NaN;
  private uneven?: string;

  push(frame: Frame): void {
    const t = frame.timeFs ?? Number.NaN;
    if (this.count === 0) this.first = t;
    else if (this.count === 1) {
      this.gap = t - this.first;
      if (!(this.gap > 0) && !this.uneven && Number.isFinite(t))
        this.uneven = `frame 1 is ${this.gap} fs after frame 0: the frame times do not increase`;
    } else if (!this.uneven && Number.isFinite(this.gap)) {
      const g = t - this.previous;
      if (!(Math.abs(g - this.gap) <= 1e-6 * Math.abs(this.gap) + 1e-9))
        this.uneven = `frames ${this.count - 1} and ${this.count} are ${g} fs apart, not ${this.gap} fs: frames unevenly spaced in time`;
    }
    this.previous = t;
    this.count++;
  }

  get frames(): number {
    return this.count;
  }

  /** The interval (fs) and where it came from; throws when neither the option nor the file gives one. */
  interval(optionFs?: number): { intervalFs: number; from: 'option' | 'file times' } {
    if (optionFs !== undefined) {
      if (!(optionFs > 0 && Number.isFinite(optionFs)))
        throw new OptionError(`\`frameIntervalFs\` must be a positive time in fs, got ${optionFs}`, {
          option: 'frameIntervalFs',
        });
      return { intervalFs: optionFs, from: 'option' };
    }
    if (this.count < 2)
      throw new OptionError(`the run has ${this.count} frame(s); a time series needs at least 2`);
    if (!Number.isFinite(this.gap))
      throw new OptionError('the frames carry no times: give the time between frames (`frameIntervalFs`)', {
        option: 'frameIntervalFs',
      });
    if (this.uneven)
      throw new OptionError(`${this.uneven} (give \`frameIntervalFs\` to override)`, {
        option: 'frameIntervalFs',
      });
    return { intervalFs: this.gap, from: 'file times' };
  }
}
