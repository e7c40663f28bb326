/**
 * Whole-run environments: cut-offs from the first minimum of g(r) (first frames or the whole run),
 * given cut-offs kept, the errors when g(r) has no minimum, and the table, JSON and CSV outputs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  analyseEnvironmentFiles,
  analyseEnvironments,
  environmentsTable,
  writeEnvironmentsCsv,
  writeEnvironmentsJson,
} from '../../../src/analysis/structure/environments-report.js';
import { OligolyteError } from '../../../src/core/errors.js';
import type { Structure } from '../../../src/core/frame.js';
import { Lattice } from '../../../src/core/lattice.js';
import { Topology } from '../../../src/core/topology.js';
import { writeFrames } from '../../../src/io/registry.js';
import { seededGaussian, seededRandom, tempDir } from '../../helpers.js';

/** A 2 x 2 x 2 rock-salt LiCl supercell (64 atoms) with thermal noise, frames 10 fs apart. */
const rockSalt = (frames: number, sigma = 0.12, seed = 1): Structure[] => {
  const a = 5.1295;
  const symbols: string[] = [];
  const base: number[] = [];
  const fcc = [
    [0, 0, 0],
    [0.5, 0.5, 0],
    [0.5, 0, 0.5],
    [0, 0.5, 0.5],
  ];
  for (let i = 0; i < 2; i++)
    for (let j = 0; j < 2; j++)
      for (let k = 0; k < 2; k++)
        for (const [x, y, z] of fcc) {
          symbols.push('Li');
          base.push((i + x) * a, (j + y) * a, (k + z) * a);
          symbols.push('Cl');
          base.push((i + x + 0.5) * a, (j + y) * a, (k + z) * a);
        }
  const topology = new Topology({ symbols });
  const lattice = Lattice.cubic(2 * a);
  const gauss = seededGaussian(seed);
  return Array.from({ length: frames }, (_, t) => ({
    topology,
    frame: { positions: Float64Array.from(base, (v) => v + sigma * gauss()), lattice, timeFs: 10 * t },
  }));
};

describe('cut-offs from g(r)', () => {
  it('a thermal rock salt: the Li-Cl cut-off falls between the first (2.56 A) and second (4.44 A) shells; every Li is Li[Cl6]', async () => {
    const frames = rockSalt(20);
    const { cutoffs, result } = await analyseEnvironments(frames, { cutoffFrames: 5 });
    expect(cutoffs.frames).toBe(5);
    const cl = cutoffs.pairs[0];
    expect(cl).toMatchObject({ element: 'Cl', pair: 'Li-Cl', from: 'g(r) first minimum' });
    expect(cl.cutoffA).toBeGreaterThan(3);
    expect(cl.cutoffA).toBeLessThan(4.2);
    expect(cl.firstPeakA!).toBeCloseTo(2.56, 1);
    expect(cl.coordinationAtMinimum!).toBeCloseTo(6, 6);
    expect(result.frames).toBe(20);
    expect(result.labels.states.map((s) => [s.name, s.population.mean])).toEqual([['Li[Cl6]', 1]]);
    expect(result.frameIntervalFs).toBe(10);
    // A Li[Cl6] that never changes: its lifetime exceeds the window.
    expect(result.labels.states[0].lifetimes!.continuous.decayed).toBe(false);
  });

  it('given cut-offs are used as they are; g(r) without a minimum is an error naming the pair', async () => {
    const frames = rockSalt(3);
    const given = await analyseEnvironments(frames, { cutoffsA: { Cl: 2.0 } });
    expect(given.cutoffs).toMatchObject({ frames: 0, cutoffsA: { Cl: 2 } });
    expect(given.result.labels.states[0].name).toBe('Li[]');
    // O far from every Li (more than 6 A at every image): g(Li-O) is 0 up to rMax, no peak.
    const rnd = seededRandom(5);
    const topology = new Topology({ symbols: [...Array(4).fill('Li'), ...Array(4).fill('O')] });
    const lattice = Lattice.cubic(30);
    const gas = Array.from({ length: 4 }, () => ({
      topology,
      frame: {
        positions: Float64Array.from({ length: 24 }, (_, k) => (k < 12 ? 2 : 15) + 2 * rnd()),
        lattice,
      },
    }));
    let err: unknown;
    try {
      await analyseEnvironments(gas, {});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OligolyteError);
    expect((err as Error).message).toMatch(
      /^no first minimum of g\(Li-O\) within 6 A over 4 frames \(not even a first peak\): give its cut-off \(`cutoffsA`, O=\.\.\.\)$/,
    );
    expect((err as OligolyteError).option).toBe('cutoffsA');
    const molecule = [{ topology, frame: { positions: gas[0].frame.positions } }];
    await expect(analyseEnvironments(molecule, {})).rejects.toThrow(
      /no periodic cell: cut-offs from g\(r\) need one/,
    );
  });
});

describe('files and outputs', () => {
  it('reads a trajectory file (cut-offs from its first frames or its whole run) and writes the table, JSON and CSV', async () => {
    const dir = tempDir();
    const file = join(dir, 'rocksalt.extxyz');
    await writeFrames(file, rockSalt(12));
    const first = await analyseEnvironmentFiles([file], { cutoffFrames: 4, hysteresisA: 0.2 });
    const all = await analyseEnvironmentFiles([file], { cutoffFrames: 'all' });
    expect(first.runs[0].cutoffs.frames).toBe(4);
    expect(all.runs[0].cutoffs.frames).toBe(12);
    expect(all.runs[0].format).toBe('extxyz');
    expect(all.runs[0].result.labels.states[0].name).toBe('Li[Cl6]');
    const table = environmentsTable(first);
    expect(table).toContain(
      'Li: 32 centres; 12 frames, 10.00 fs apart (file times), 0.1100 ps; neighbours Cl',
    );
    expect(table).toMatch(
      /cut-offs: Li-Cl 3\.\d+ A \(first minimum of g\(r\) over 4 frames; peak 2\.5\d A, 6\.00 Cl within\)/,
    );
    expect(table).toContain('hysteresis 0.200 A: Cl enters inside');
    expect(table).toMatch(/Li\[Cl6\] +1\.000 \+- 0\.000 +6 +Li\[Cl6\]/);
    expect(table).toMatch(/CN 6 \(384\): octahedron/);
    const json = join(dir, 'env.json');
    const csv = join(dir, 'env.csv');
    await writeEnvironmentsJson(json, first);
    await writeEnvironmentsCsv(csv, first);
    const j = JSON.parse(readFileSync(json, 'utf8'));
    expect(j.runs[0].cutoffs.pairs[0].pair).toBe('Li-Cl');
    expect(j.runs[0].labels.states[0].population.mean).toBe(1);
    expect(j.runs[0].lagsPs[1]).toBe(0.01);
    const rows = readFileSync(csv, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('run,grouping,state,lag_frames,lag_ps,continuous,intermittent');
    // Lags 0..6 for Li[Cl6], the 4 NMR classes (3 never seen: empty cells) and CN 6.
    expect(rows.length).toBe(1 + 7 * (1 + 4 + 1));
    expect(rows[1]).toBe(`${file},label,Li[Cl6],0,0,1,1`);
    expect(rows).toContain(`${file},nmr,other,0,0,,`);
  });
});
