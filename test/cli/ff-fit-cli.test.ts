/**
 * `oligolyte ff fit`: a fit input, reference data in extended XYZ (energies, forces, stresses made
 * with known parameters), a crystal target; the report, the fitted force field (loadable with
 * --ff) and the JSON and CSV outputs. The fit itself is tested in test/forcefield/fit.test.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOligomer } from '../../src/builders/oligomer.js';
import { packGlass } from '../../src/builders/pack-glass.js';
import type { Structure } from '../../src/core/frame.js';
import { SeededRandom } from '../../src/core/random.js';
import { withBornTerms } from '../../src/forcefield/fit/fit.js';
import { applyParameters } from '../../src/forcefield/fit/parameters.js';
import { LAOC_V4, validateForceField } from '../../src/forcefield/force-field.js';
import { writeFrames } from '../../src/io/registry.js';
import { cli, forceFieldReference, sharedFixture, tempDir } from '../helpers.js';

const born = { 'Li-Cl': { a: 4.0, rho: 0.3, sigma: 2.4, c: 20, d: 0 } };
const paths = [
  { path: 'born.Li-Cl.a', initial: 4.0, lower: 0.01, upper: 100 },
  { path: 'charges.scale', initial: 0.8, lower: 0.5, upper: 1 },
];

const input = (dir: string, extra = '') =>
  `
name = "cli-fit"
description = "test"
start = "laoc-v4"
data = ["ref.extxyz"]
seed = 3
validation_fraction = 0.25
max_iterations = 30
${extra}
[weights]
forces = 1.0
energies = 0.2
stresses = 0.2
crystal_forces = 0.0
crystal_stress = 0.0

[born.Li-Cl]
a = 4.0
rho = 0.3
sigma = 2.4
c = 20.0
d = 0.0

${paths.map((p) => `[[parameter]]\npath = "${p.path}"\ninitial = ${p.initial}\nlower = ${p.lower}\nupper = ${p.upper}\n`).join('\n')}
[[crystal]]
name = "LiCl"
file = "${sharedFixture('structures/LiCl_rocksalt.cif').replace(/\\/g, '/')}"
repeat = [2, 2, 2]
`.replace(/ref\.extxyz/, join(dir, 'ref.extxyz').replace(/\\/g, '/'));

describe('oligolyte ff fit', () => {
  it('fits, prints the report, writes the force field, JSON and CSV', async () => {
    const dir = tempDir();
    const truth = applyParameters(withBornTerms(LAOC_V4, born), paths, [6, 0.86]);
    const frames: Structure[] = Array.from({ length: 8 }, (_, k) => {
      const s = packGlass({ units: [{ molecule: buildOligomer(), count: 2 }], seed: 5 });
      const rng = new SeededRandom(k + 1);
      return forceFieldReference(
        s,
        Float64Array.from(s.frame.positions, (x) => x + 0.08 * rng.gaussian()),
        truth,
      );
    });
    await writeFrames(join(dir, 'ref.extxyz'), frames);
    writeFileSync(join(dir, 'fit.toml'), input(dir));
    const r = cli(
      'ff',
      'fit',
      join(dir, 'fit.toml'),
      '--output',
      join(dir, 'ff.json'),
      '--json',
      join(dir, 'fit.json'),
      '--csv',
      join(dir, 'fit.csv'),
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/validation set \(2 configurations\)/);
    expect(r.out).toMatch(/born\.Li-Cl\.a/);
    expect(r.out).toMatch(/LiCl\s+baseline/);
    const ff = validateForceField(JSON.parse(readFileSync(join(dir, 'ff.json'), 'utf8')), 'ff.json');
    expect(ff.name).toBe('cli-fit');
    // Crystal weights 0 here (its numbers are reported all the same): the parameters are recovered.
    expect(ff.born!['Li-Cl_t'].a).toBeCloseTo(6, 5);
    expect(ff.charges.scale).toBeCloseTo(0.86, 7);
    const j = JSON.parse(readFileSync(join(dir, 'fit.json'), 'utf8'));
    expect(j.validationIds.length).toBe(2);
    expect(j.parameters[0].sigma).toBeGreaterThan(0);
    const csv = readFileSync(join(dir, 'fit.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('force_field,set,element,force_rmse_ev_a,reference_force_rms_ev_a');
    expect(csv.filter((l) => l.startsWith('fitted,validation,')).length).toBe(4);
    // The energy command reads the fitted force field.
    expect(
      cli('energy', sharedFixture('structures/LiCl_rocksalt.cif'), '--ff', join(dir, 'ff.json')).code,
    ).toBe(0);
  }, 120_000);

  it('a start force field given as a JSON file is read relative to the input file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'v4.json'), JSON.stringify({ ...LAOC_V4, name: 'v4-from-file' }));
    writeFileSync(join(dir, 'fit.toml'), input(dir).replace('start = "laoc-v4"', 'start = "v4.json"'));
    const r = cli('ff', 'fit', join(dir, 'fit.toml'), '--max-iterations', '1');
    // The data file does not exist: the error comes after the force field was found and read.
    expect(r.err).not.toMatch(/unknown force field/);
    expect(r.err).toMatch(/ref\.extxyz/);
  });

  it('a data entry { file, first = n } reads only the first n frames of that file', async () => {
    const dir = tempDir();
    const s = packGlass({ units: [{ molecule: buildOligomer(), count: 2 }], seed: 5 });
    const frame = forceFieldReference(s, s.frame.positions, LAOC_V4);
    await writeFrames(join(dir, 'ref.extxyz'), [frame, frame, frame, frame, frame]);
    const entry = (first: number) =>
      input(dir).replace(/data = \["([^"]+)"\]/, (_, f) => `data = [{ file = "${f}", first = ${first} }]`);
    writeFileSync(join(dir, 'fit.toml'), entry(3));
    const r = cli(
      'ff',
      'fit',
      join(dir, 'fit.toml'),
      '--max-iterations',
      '1',
      '--json',
      join(dir, 'fit.json'),
    );
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/^3 reference configurations/);
    expect(JSON.parse(readFileSync(join(dir, 'fit.json'), 'utf8')).dataFirst).toEqual([3]);
    writeFileSync(join(dir, 'fit.toml'), entry(9));
    const bad = cli('ff', 'fit', join(dir, 'fit.toml'));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/ref\.extxyz: first = 9, but the file holds only 5 frames/);
  }, 60_000);

  it('an unknown key in the input is an error naming it (exit 2)', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'fit.toml'), input(dir, 'validation_fractoin = 0.3'));
    const r = cli('ff', 'fit', join(dir, 'fit.toml'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/validation_fractoin: expected one of/);
  });
});
