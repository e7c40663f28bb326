/** The report a study writes at its end (a two-trimer study of two short temperatures); --no-report skips it. */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers.js';

describe('oligolyte study writes its report', () => {
  it('at the end by default, and not with --no-report', () => {
    const dir = tempDir();
    const file = join(dir, 'tiny.toml');
    writeFileSync(
      file,
      [
        'name = "tiny"',
        '[model]',
        'mix = "0b:2"',
        'seed = 3',
        '[simulation]',
        'forcefield = "laoc-v4"',
        '[[simulation.stage]]',
        'name = "relax"',
        'ensemble = "langevin"',
        'temperature = 300',
        'time_ps = 0.1',
        'damping = 50',
        '[simulation.series]',
        'temperatures = [500, 700]',
        'equilibrate_ps = 0.05',
        'produce_ps = 0.6',
        'produce_time_step = 1',
        'dump_every = 10',
        'parallel = 1',
        '[transport]',
        'arrhenius_min = 500',
        '[structure]',
        'enabled = true',
        '',
      ].join('\n'),
    );
    const out = join(dir, 'out');
    const r = cli('study', file, '--output', out, '--threads', '1');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`wrote ${out}/report.html and figures/`);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('tiny: study report');
    expect(existsSync(join(out, 'transport', 'T700K-density.cube'))).toBe(true);
    // 2 trimers: 4 Al-O-Al links, 61 frames (0.6 ps every 10 fs, and the first).
    const dihedrals = readFileSync(join(out, 'structure', 'T700K-dihedrals.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(dihedrals).toHaveLength(1 + 4 * 61);

    rmSync(join(out, 'report.html'));
    const again = cli('study', file, '--output', out, '--threads', '1', '--resume', '--no-report');
    expect(again.code).toBe(0);
    expect(again.out).not.toContain('report.html');
    expect(existsSync(join(out, 'report.html'))).toBe(false);
  }, 120_000);
});
