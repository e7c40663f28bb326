/**
 * `oligolyte ff errors`: reference data made with one force field (laoc-v4: its own errors are
 * zero), another force field's per-element force RMSE equal to a direct sum, --frames, the JSON
 * and CSV outputs, and the errors for data without forces and an unknown force field.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOligomer } from '../../src/builders/oligomer.js';
import { packGlass } from '../../src/builders/pack-glass.js';
import type { Structure } from '../../src/core/frame.js';
import { SeededRandom } from '../../src/core/random.js';
import { EV_IN_KCAL_PER_MOL } from '../../src/core/units.js';
import { computeEnergy } from '../../src/forcefield/energy.js';
import { LAOC_V3, LAOC_V4 } from '../../src/forcefield/force-field.js';
import { typeSystem } from '../../src/forcefield/typing.js';
import { writeFrames } from '../../src/io/registry.js';
import { cli, forceFieldReference, tempDir } from '../helpers.js';

const frames = (withForces: boolean): Structure[] =>
  Array.from({ length: 6 }, (_, k) => {
    const s = packGlass({ units: [{ molecule: buildOligomer(), count: 2 }], seed: 5 });
    const rng = new SeededRandom(k + 1);
    const positions = Float64Array.from(s.frame.positions, (x) => x + 0.08 * rng.gaussian());
    const r = forceFieldReference(s, positions, LAOC_V4);
    return withForces ? r : { ...r, frame: { ...r.frame, forces: undefined } };
  });

describe('oligolyte ff errors', () => {
  it('per-element force RMSE and relative energies of each force field; JSON and CSV', async () => {
    const dir = tempDir();
    const data = frames(true);
    await writeFrames(join(dir, 'ref.extxyz'), data);
    const r = cli(
      'ff',
      'errors',
      join(dir, 'ref.extxyz'),
      '--ff',
      'laoc-v4,laoc-v3',
      '--frames',
      '1:5',
      '--json',
      join(dir, 'e.json'),
      '--csv',
      join(dir, 'e.csv'),
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^4 configurations: RMSE/);
    expect(r.out).toMatch(/laoc-v3/);
    const j = JSON.parse(readFileSync(join(dir, 'e.json'), 'utf8'));
    const [v4, v3] = j.results;
    expect(v4.forceField).toBe('laoc-v4');
    for (const e of ['Al', 'Cl', 'Li', 'O']) expect(v4.metrics.forceRmseEvA[e]).toBeLessThan(1e-9);
    expect(v4.metrics.relativeEnergyRmseMeVPerAtom).toBeLessThan(1e-9);
    // laoc-v3 on Li over frames 1-4, summed directly.
    let sum = 0;
    let n = 0;
    for (const s of data.slice(1, 5)) {
      const f = computeEnergy(
        s.frame.positions,
        s.frame.lattice!,
        typeSystem(s, LAOC_V3),
        LAOC_V3,
      ).forcesKcalMolA;
      for (let i = 0; i < s.topology.natoms; i++)
        if (s.topology.symbol(i) === 'Li')
          for (let x = 0; x < 3; x++) {
            sum += (f[3 * i + x] / EV_IN_KCAL_PER_MOL - s.frame.forces![3 * i + x]) ** 2;
            n++;
          }
    }
    expect(v3.metrics.forceRmseEvA.Li).toBeCloseTo(Math.sqrt(sum / n), 6);
    expect(v3.metrics.forceRmseEvA.Li).toBeGreaterThan(0.01);
    const csv = readFileSync(join(dir, 'e.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('force_field,element,force_rmse_ev_a,reference_force_rms_ev_a');
    expect(csv.length).toBe(9);
  }, 120_000);

  it('data without forces and an unknown force field are errors naming them (exit 2)', async () => {
    const dir = tempDir();
    await writeFrames(join(dir, 'noforces.extxyz'), frames(false));
    const a = cli('ff', 'errors', join(dir, 'noforces.extxyz'), '--ff', 'laoc-v4');
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/noforces\.extxyz: frame 1 has no forces/);
    const b = cli('ff', 'errors', join(dir, 'noforces.extxyz'), '--ff', 'laoc-v9');
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/unknown force field "laoc-v9"/);
  });
});
