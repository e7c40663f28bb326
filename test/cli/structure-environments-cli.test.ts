import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Lattice } from '../../src/core/lattice.js';
import { Topology } from '../../src/core/topology.js';
import { writeFrames } from '../../src/io/registry.js';
import { cli, seededGaussian, tempDir } from '../helpers.js';

/** A thermal 2 x 2 x 2 rock-salt LiCl with 4 of its 32 Cl replaced by O, 40 frames 10 fs apart. */
const writeRun = async (path: string) => {
  const a = 5.1295;
  const symbols: string[] = [];
  const base: number[] = [];
  const fcc = [
    [0, 0, 0],
    [0.5, 0.5, 0],
    [0.5, 0, 0.5],
    [0, 0.5, 0.5],
  ];
  let anion = 0;
  for (let i = 0; i < 2; i++)
    for (let j = 0; j < 2; j++)
      for (let k = 0; k < 2; k++)
        for (const [x, y, z] of fcc) {
          symbols.push('Li');
          base.push((i + x) * a, (j + y) * a, (k + z) * a);
          symbols.push(anion++ % 8 === 3 ? 'O' : 'Cl');
          base.push((i + x + 0.5) * a, (j + y) * a, (k + z) * a);
        }
  const topology = new Topology({ symbols });
  const lattice = Lattice.cubic(2 * a);
  const gauss = seededGaussian(8);
  const frames = Array.from({ length: 40 }, (_, t) => ({
    topology,
    frame: { positions: Float64Array.from(base, (v) => v + 0.3 * gauss()), lattice, timeFs: 10 * t },
  }));
  await writeFrames(path, frames);
};

describe('oligolyte structure environments', () => {
  const dir = tempDir();
  const run = join(dir, 'run.extxyz');
  beforeAll(() => writeRun(run));

  it('prints the cut-offs found, populations, NMR classes, CN, lifetimes, transitions and shapes; writes JSON and CSV', () => {
    const json = join(dir, 'env.json');
    const csv = join(dir, 'env.csv');
    const r = cli(
      'structure',
      'environments',
      run,
      '--hysteresis',
      '0.2',
      '--cutoff-frames',
      '10',
      '--json',
      json,
      '--csv',
      csv,
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(
      'Li: 32 centres; 40 frames, 10.00 fs apart (file times), 0.3900 ps; neighbours O, Cl',
    );
    expect(r.out).toMatch(
      /cut-offs: Li-O \d\.\d+ A \(first minimum of g\(r\) over 10 frames; .*\); Li-Cl \d\.\d+ A/,
    );
    expect(r.out).toMatch(/hysteresis 0\.200 A: O enters inside/);
    expect(r.out).toMatch(/Li\[OCl5\] +0\.\d+ \+- 0\.\d+ +6 +other/);
    expect(r.out).toMatch(/Li\[Cl6\] +0\.\d+ \+- 0\.\d+ +6 +Li\[Cl6\]/);
    expect(r.out).toMatch(/NMR class +fraction \+- error/);
    expect(r.out).toMatch(/transitions: \d+ label changes over 39 frame steps/);
    expect(r.out).toMatch(/CN 6 \(\d+\): octahedron/);
    const j = JSON.parse(readFileSync(json, 'utf8'));
    const res = j.runs[0];
    expect(res.cutoffs.pairs.map((p: { pair: string }) => p.pair)).toEqual(['Li-O', 'Li-Cl']);
    expect(res.hysteresisA).toBe(0.2);
    const total = res.labels.states.reduce(
      (s: number, x: { population: { mean: number } }) => s + x.population.mean,
      0,
    );
    expect(total).toBeCloseTo(1, 12);
    expect(res.nmrClasses.states.map((s: { name: string }) => s.name)).toEqual([
      'Li[Cl6]',
      'Li[OnCl5-n]',
      'Li[OmCl4-m]',
      'other',
    ]);
    expect(res.lagsPs.length).toBe(21);
    const rows = readFileSync(csv, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('run,grouping,state,lag_frames,lag_ps,continuous,intermittent');
    expect(rows[1].startsWith(`${run},label,`)).toBe(true);
  });

  it('given cut-offs and a frame slice with --time-step: no g(r), the interval is time step x frame step x slice step', () => {
    const r = cli(
      'structure',
      'environments',
      run,
      '--cutoffs',
      'O=3.3,Cl=3.4',
      '--frames',
      '0:40:2',
      '--time-step',
      '1',
      '--frame-step',
      '5',
      '--shape-every',
      '0',
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('20 frames, 10.00 fs apart (option), 0.1900 ps');
    expect(r.out).toContain('cut-offs: Li-O 3.30 A (given); Li-Cl 3.40 A (given)');
    expect(r.out).not.toContain('polyhedra');
  });

  it('bad input: one-line errors naming the cause', () => {
    const na = cli('structure', 'environments', run, '--centre', 'Na');
    expect(na.code).toBe(1);
    expect(na.err).toBe('oligolyte: --centre: no Na atoms in the run (its elements: Li, Cl, O)\n');
    const min = cli('structure', 'environments', run, '--cutoff-rmax', '2', '--cutoffs', 'Cl=3.4');
    expect(min.code).toBe(1);
    expect(min.err).toBe(
      'oligolyte: no first minimum of g(Li-O) within 2 A over 40 frames (not even a first peak): give its cut-off (--cutoffs, O=...)\n',
    );
    const bad = cli('structure', 'environments', run, '--cutoffs', 'O:2.6');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--cutoffs: "O:2.6" is not ELEMENT=DISTANCE (O=2.6)');
  });
});
