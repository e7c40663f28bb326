/**
 * Issue 25 from the command line: runs that blow up, outputs that cannot be written, signals,
 * absurd options and files that try to write outside their folder. Each case failed (exit 0 with
 * a wrong result, a stack trace, a hang or a stray file) before its fix.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers.js';

let dir: string;
let glass: string;
beforeAll(() => {
  dir = tempDir();
  glass = join(dir, 'glass.extxyz');
  const b = cli('build', 'glass', '--mix', '0b:8', '-o', glass);
  expect(b.code, b.err).toBe(0);
});

describe('a run that blows up exits 1 with the step and the reason (item 2)', () => {
  for (const dt of ['10', '8'])
    it(`md --time-step ${dt} --temperature 2000 (was exit 0 with T = 0 K)`, () => {
      const out = join(dir, `md${dt}`);
      const r = cli('md', glass, '--time-step', dt, '--temperature', '2000', '--steps', '2000', '-o', out);
      expect(r.code, r.err).toBe(1);
      expect(r.err).toMatch(/the run blew up at step \d+: atom \d+ \(Li\) (moved|moves) [\d.]+ A/);
      expect(r.err).toMatch(/use a smaller time step/);
      expect(r.out).toBe('');
      expect(existsSync(join(out, 'summary.json'))).toBe(false);
    });

  it('the last good checkpoint stays; under `run` the status says failed', () => {
    const out = join(dir, 'md-cp');
    const r = cli(
      'md',
      glass,
      '--time-step',
      '8',
      '--temperature',
      '2000',
      '--steps',
      '100',
      '--checkpoint-every',
      '2',
      '-o',
      out,
    );
    expect(r.code).toBe(1);
    const m =
      /blew up at step (\d+).*the last good checkpoint \(step (\d+)\) is kept in (\S+checkpoint\.json)/.exec(
        r.err,
      );
    expect(m, r.err).not.toBeNull();
    expect(Number(m![2])).toBeLessThan(Number(m![1]));
    expect(JSON.parse(readFileSync(m![3], 'utf8')).step).toBe(Number(m![2]));

    writeFileSync(
      join(dir, 'hot.toml'),
      'structure = "glass.extxyz"\n[[stage]]\nname = "hot"\nensemble = "nvt"\ntemperature = 2000\ntime_step = 10\ntime_ps = 2\n',
    );
    const p = cli('run', join(dir, 'hot.toml'), '-o', join(dir, 'hot'));
    expect(p.code, p.err).toBe(1);
    expect(p.err).toMatch(/01-hot: the run blew up at step \d+/);
    const status = JSON.parse(readFileSync(join(dir, 'hot', 'status.json'), 'utf8'));
    expect(status.state).toBe('failed');
    expect(JSON.stringify(status)).toMatch(/blew up at step/);
  }, 60_000);
});
