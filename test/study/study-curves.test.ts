/**
 * The per-temperature files a study writes beside study.json for its report: the MSD at every lag
 * (as the transport command's --msd-csv) and the species' probability density as a cube file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyseTransport } from '../../src/analysis/transport/analyse-run.js';
import type { Structure } from '../../src/core/frame.js';
import { Lattice } from '../../src/core/lattice.js';
import { Topology } from '../../src/core/topology.js';
import { BOHR_A } from '../../src/core/units.js';
import { studyCurveFiles, writeStudyCurves } from '../../src/study/output.js';
import { seededGaussian, tempDir } from '../helpers.js';

const lattice = Lattice.cubic(6);
const NLI = 10;
const topology = new Topology({
  symbols: Array.from({ length: NLI + 2 }, (_, i) => (i < NLI ? 'Li' : 'Cl')),
});

/** A random walk of 10 Li among 2 fixed Cl, 40 frames 100 fs apart. */
async function* walk(): AsyncIterable<Structure> {
  const gauss = seededGaussian(3);
  const pos = Float64Array.from({ length: 3 * (NLI + 2) }, (_, i) => (i * 1.3) % 6);
  for (let k = 0; k < 40; k++) {
    if (k > 0) for (let i = 0; i < 3 * NLI; i++) pos[i] += 0.3 * gauss();
    yield { topology, frame: { positions: pos.slice(), lattice, unwrapped: true, timeFs: 100 * k } };
  }
}

/** The numbers after the atom lines of a cube file with `natoms` atoms. */
const cubeValues = (text: string, natoms: number): number[] =>
  text
    .split('\n')
    .slice(6 + natoms)
    .join(' ')
    .trim()
    .split(/\s+/)
    .map(Number);

describe('writeStudyCurves', () => {
  it('writes the MSD at every lag and a cube density that integrates to 1 over the cell', async () => {
    const run = await analyseTransport(walk(), { species: 'Li', temperatureK: 500, densityGridSpacingA: 1 });
    const dir = tempDir();
    await writeStudyCurves(dir, 500, run);
    const files = studyCurveFiles(500);
    expect(files).toEqual({
      msdCsv: join('transport', 'T500K-msd.csv'),
      densityCube: join('transport', 'T500K-density.cube'),
      dihedralsCsv: join('structure', 'T500K-dihedrals.csv'),
    });

    const csv = readFileSync(join(dir, files.msdCsv), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('run,temperature_K,lag_ps,msd_A2,msd_x_A2,msd_y_A2,msd_z_A2,charge_msd_per_ion_A2');
    expect(csv).toHaveLength(1 + 40);
    const last = csv[40].split(',');
    expect(last.slice(0, 3)).toEqual(['"T500K"', '500', '3.9']);
    expect(Number(last[3])).toBeCloseTo(run.msd.tracer.total[39], 12);

    const cube = readFileSync(join(dir, files.densityCube), 'utf8');
    const values = cubeValues(cube, NLI + 2);
    expect(values).toHaveLength(6 * 6 * 6);
    // Values in 1/bohr^3; a voxel is (6 A / 6)^3 = 1 A^3 = 1 / BOHR_A^3 bohr^3.
    const integral = values.reduce((s, v) => s + v, 0) / BOHR_A ** 3;
    expect(integral).toBeCloseTo(1, 4);
  });

  it('writes no cube when the run has no density grid', async () => {
    const run = await analyseTransport(walk(), { species: 'Li', temperatureK: 500 });
    const dir = tempDir();
    await writeStudyCurves(dir, 500, run);
    expect(() => readFileSync(join(dir, studyCurveFiles(500).densityCube))).toThrow(/ENOENT/);
  });
});
