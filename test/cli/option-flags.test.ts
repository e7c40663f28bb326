/**
 * The CLI names its flags in the messages of library errors about options (the library names the
 * option: `fitStartPs`; the CLI prints --fit-start).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliMessage } from '../../src/cli/option-flags.js';
import { OptionError, UnknownFormatError } from '../../src/core/errors.js';
import { cli, LGPS_600K, sharedFixture, tempDir } from '../helpers.js';

describe('option names -> CLI flags', () => {
  it('maps the backticked option names of an error about an option', () => {
    expect(
      cliMessage(new OptionError('`fitStartPs` must be >= 0 ps, got -1', { option: 'fitStartPs' })),
    ).toBe('--fit-start must be >= 0 ps, got -1');
    expect(cliMessage(new OptionError('give `timeStepFs` (and `frameStep`)', { option: 'timeStepFs' }))).toBe(
      'give --time-step (and --frame-step)',
    );
    // One library name, two flags: the error's qualified option decides.
    expect(
      cliMessage(new UnknownFormatError('x: give `format` (poscar)', { option: 'writeFrames.format' })),
    ).toBe('x: give --to (poscar)');
    expect(cliMessage(new UnknownFormatError('x: give `format`', { option: 'readFrames.format' }))).toBe(
      'x: give --from',
    );
    // Errors that are not about an option are printed as they are.
    expect(cliMessage(new OptionError('a `frameStep` mentioned in passing'))).toBe(
      'a `frameStep` mentioned in passing',
    );
  });
  it('transport: --fit-start, --temperature, --topology', () => {
    // The CLI checks that --fit-start is a number >= 0 itself; a start beyond the run is the library's.
    const a = cli('transport', LGPS_600K, '--temperature', '600', '--fit-start', '1000', '--fit-end', '2000');
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/^oligolyte: --fit-start 1000 ps is beyond the run \(/m);
    const b = cli('transport', LGPS_600K);
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/^oligolyte: the file does not give the temperature: give --temperature$/m);
    const c = cli(
      'transport',
      sharedFixture('peer-trajectories/pymatgen-analysis-diffusion/cNa3PS4_trajectories.npy'),
      '--temperature',
      '600',
    );
    expect(c.err).toMatch(/a \.npy array has no atoms; give them with --topology$/m);
  });
  it('build glass: --mix', () => {
    const r = cli('build', 'glass', '--mix', 'nonsense', '-o', join(tempDir(), 'g.vasp'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^oligolyte: --mix: "nonsense" is not unit:count/m);
  });
});
