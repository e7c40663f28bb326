/**
 * Library errors name the library's options (in backticks, and as OligolyteError.option), never a
 * command-line flag: a script that calls fitDiffusivity has no --fit-start. The CLI maps them back
 * to its flags (test/cli/option-flags.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { analyseTransport } from '../../src/analysis/transport/analyse-run.js';
import { fitDiffusivity } from '../../src/analysis/transport/diffusivity.js';
import { computeMsd } from '../../src/analysis/transport/msd.js';
import { parseMix } from '../../src/builders/mix.js';
import { OptionError } from '../../src/core/errors.js';
import { readFrames } from '../../src/io/registry.js';
import { walk } from '../analysis/random-walk.js';
import { sharedFixture } from '../helpers.js';

const LGPS = sharedFixture('peer-trajectories/derived/LGPS_600K_unwrapped.extxyz.gz');

/** The error `f` throws (or rejects with). */
const caught = async (f: () => unknown): Promise<OptionError> => {
  try {
    await f();
  } catch (e) {
    expect(e).toBeInstanceOf(OptionError);
    return e as OptionError;
  }
  throw new Error('no error thrown');
};

const expectOptionError = (e: OptionError, option: string, name = option) => {
  expect(e.message).not.toMatch(/--[a-z]/);
  expect(e.message).toContain(`\`${name}\``);
  expect(e.option).toBe(option);
};

describe('library errors name options, not CLI flags', () => {
  it('fitDiffusivity: fitStartPs', async () => {
    const msd = computeMsd(walk(1, 4, 2, 60, 0.1, 0, 0));
    expectOptionError(
      await caught(() => fitDiffusivity(msd, { frameIntervalFs: 10, fitStartPs: -1 })),
      'fitStartPs',
    );
    expectOptionError(
      await caught(() => fitDiffusivity(msd, { frameIntervalFs: 10, fitStartPs: 5, fitEndPs: 10 })),
      'fitStartPs',
    );
  });
  it('analyseTransport: frameStep', async () => {
    const e = await caught(() =>
      analyseTransport(readFrames(LGPS, { frames: { stop: 10 } }), {
        species: 'Li',
        temperatureK: 600,
        frameStep: 0,
      }),
    );
    expectOptionError(e, 'frameStep');
  });
  it('parseMix: mix', async () => {
    expectOptionError(await caught(() => parseMix('0b')), 'mix');
    expectOptionError(await caught(() => parseMix('0b:2,kilo:1')), 'mix');
    expectOptionError(await caught(() => parseMix(' , ')), 'mix');
  });
});
