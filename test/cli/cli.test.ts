import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, readAll, sharedFixture, tempDir, tempFile } from '../helpers.js';

describe('oligolyte info', () => {
  it('describes a trajectory in text and JSON', () => {
    const f = sharedFixture('peer-trajectories/kinisi/example_XDATCAR.gz');
    const text = cli('info', f);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/format\s+xdatcar/);
    expect(text.out).toMatch(/frames\s+140/);
    expect(text.out).toMatch(/Li192Cl32S160P32/);
    const json = JSON.parse(cli('info', '--json', f).out);
    expect(json.frames).toBe(140);
    expect(json.atoms).toBe(416);
    expect(json.cell.a).toBeCloseTo(20.312311, 5);
    expect(json.densityGPerCm3).toBeGreaterThan(1);
  });
  it('reports the time step where the format knows it', () => {
    const json = JSON.parse(
      cli('info', '--json', new URL('../fixtures/vasprun-md.xml', import.meta.url).pathname).out,
    );
    expect(json.run.timeStepFs).toBe(2);
    expect(json.frameIntervalFs).toBe(2);
  });
  it('exits 1 with file:line on bad input, 2 on usage errors', () => {
    const bad = tempFile('POSCAR', 'x\n1.0\n5 0 0\n0 5 0\n0 0 5\nLi\n1\nDirect\n0 0 zero\n');
    const r = cli('info', bad);
    expect(r.code).toBe(1);
    expect(r.err.trim()).toBe(
      `oligolyte: ${bad}:9:5: expected three coordinates (atom 1 of 1), found "zero"`,
    );
    expect(cli('info', '/nonexistent/file').code).toBe(1);
    expect(cli('info', '--no-such-option', bad).code).toBe(2);
    expect(cli('info', '--from', 'nonsense', bad).code).toBe(2);
    expect(cli('nonsense').code).toBe(2);
  });
});

describe('oligolyte convert', () => {
  it('converts a slice of frames', async () => {
    const out = join(tempDir(), 'part.extxyz');
    const r = cli(
      'convert',
      sharedFixture('peer-trajectories/kinisi/example_XDATCAR.gz'),
      out,
      '--frames',
      '10:20:5',
    );
    expect(r.code, r.err).toBe(0);
    const frames = await readAll(out);
    expect(frames.length).toBe(2);
    const ref = await readAll(sharedFixture('peer-trajectories/kinisi/example_XDATCAR.gz'), {
      frames: { start: 15, stop: 16 },
    });
    expect(Array.from(frames[1].frame.positions)).toEqual(Array.from(ref[0].frame.positions));
  });
  it('leaves no output when the input is bad', () => {
    const dir = tempDir();
    const bad = tempFile(
      'XDATCAR',
      'x\n1.0\n5 0 0\n0 5 0\n0 0 5\nLi\n2\nDirect configuration= 1\n0 0 0\n0.5 0.5 0.5\nDirect configuration= 2\n0 0 0\n',
    );
    const r = cli('convert', bad, join(dir, 'out.extxyz'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/:13: expected 1 more position lines/);
    expect(existsSync(join(dir, 'out.extxyz'))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
  it('needs a type map for LAMMPS types and says so', () => {
    const r = cli(
      'info',
      sharedFixture('peer-trajectories/kinisi/example_LAMMPS_drift.traj'),
      '--from',
      'lammps-dump',
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--type-map/);
    expect(
      cli(
        'info',
        sharedFixture('peer-trajectories/kinisi/example_LAMMPS_drift.traj'),
        '--from',
        'lammps-dump',
        '--type-map',
        'H,He',
      ).code,
    ).toBe(0);
  });
});

describe('output paths', () => {
  it('creates the output folder, and fails loudly when it cannot write', () => {
    const dir = tempDir();
    const cif = new URL('../../examples/LiAlCl4_COD1004036.cif', import.meta.url).pathname;
    const ok = cli('convert', cif, join(dir, 'new', 'sub', 'POSCAR'));
    expect(ok.code, ok.err).toBe(0);
    expect(existsSync(join(dir, 'new', 'sub', 'POSCAR'))).toBe(true);
    // A folder cannot be made under a plain file.
    const bad = cli('convert', cif, join(dir, 'new', 'sub', 'POSCAR', 'x', 'POSCAR'));
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/oligolyte: /);
  });
});
