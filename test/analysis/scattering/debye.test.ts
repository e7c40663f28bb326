import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formFactorOfQ } from '../../../src/analysis/scattering/atomic-form-factors.js';
import {
  clusterHistogram,
  DebyeAccumulator,
  debyeIntensity,
  debyeIntensityExact,
} from '../../../src/analysis/scattering/debye.js';
import { OptionError } from '../../../src/core/errors.js';
import { Lattice } from '../../../src/core/lattice.js';
import { Topology } from '../../../src/core/topology.js';
import { fixture, readAll } from '../../helpers.js';

// References made by test/reference/scattering/ase/make-debye-references.py (ASE 3.22.1 XrDebye
// with f = Z; a numpy double sum with pymatgen 2022.11.7's f(s)); see PROVENANCE.md there.
const ref = JSON.parse(readFileSync(fixture('scattering/ase/debye-references.json'), 'utf8')) as {
  qInvA: number[];
  aseXrDebyeZ: number[];
  directPymatgenF: number[];
};

const relMax = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k] - b[k]) / Math.abs(b[k]));
  return m;
};

describe('Debye equation of a cluster equals ASE XrDebye and a direct double sum', async () => {
  const [s] = await readAll(fixture('scattering/ase/laoc-cluster.xyz'));
  it('f = Z: ASE XrDebye (256-atom LAOC glass, Q 0.5-25 1/A)', () => {
    const acc = new DebyeAccumulator(s.topology, { qInvA: ref.qInvA, formFactor: 'z' });
    acc.push(s.frame);
    const r = acc.result();
    expect(relMax(r.intensity, ref.aseXrDebyeZ)).toBeLessThan(2e-6);
  });
  it("f(Q) = pymatgen's f(s): a numpy double sum", () => {
    const acc = new DebyeAccumulator(s.topology, { qInvA: ref.qInvA });
    acc.push(s.frame);
    expect(relMax(acc.result().intensity, ref.directPymatgenF)).toBeLessThan(2e-6);
  });
  it('the histogram route equals the exact N^2 sum (a 40-atom piece; finer bins come closer)', () => {
    const n = 40;
    const pos = s.frame.positions.slice(0, 3 * n);
    const symbols = Array.from({ length: n }, (_, i) => s.topology.symbol(i));
    const q = [0.7, 3.1, 9.9, 24.5];
    const exact = debyeIntensityExact(pos, symbols, q, 'pymatgen');
    const elements = [...new Set(symbols)];
    const species = symbols.map((e) => elements.indexOf(e));
    const forms = elements.map((e) => formFactorOfQ(e, 'pymatgen'));
    const coarse = debyeIntensity(clusterHistogram(pos, species, elements, 0.001), q, forms);
    const fine = debyeIntensity(clusterHistogram(pos, species, elements, 0.0001), q, forms);
    expect(relMax(coarse, exact)).toBeLessThan(1e-4);
    expect(relMax(fine, exact)).toBeLessThan(relMax(coarse, exact));
    expect(relMax(fine, exact)).toBeLessThan(2e-6);
  });
});

describe('Debye options', () => {
  it('spherical cut-outs of a periodic frame; S(Q) tends to 1 at high Q', async () => {
    const [f] = await readAll(fixture('rdf/laoc-npt.lammpstrj'));
    const acc = new DebyeAccumulator(f.topology, {
      qInvA: [1, 2, 30, 40],
      sphereDiameterA: 16,
      sphereCentres: 3,
    });
    acc.push(f.frame);
    const r = acc.result();
    expect(r.samples).toBe(3);
    expect(r.meanAtoms).toBeGreaterThan(50);
    expect(Math.abs(r.structureFactor[3] - 1)).toBeLessThan(0.1);
  });

  it('refuses Q <= 0, coarse bins, a cut-out without a cell', () => {
    const t = new Topology({ symbols: ['Li', 'Cl'] });
    expect(() => new DebyeAccumulator(t, { qInvA: [0, 1] })).toThrow(OptionError);
    const frame = { positions: Float64Array.from([0, 0, 0, 2, 0, 0]) };
    const coarse = new DebyeAccumulator(t, { qInvA: [1], histogramBinA: 0.01 });
    expect(() => coarse.push(frame)).toThrow(OptionError);
    const cut = new DebyeAccumulator(t, { qInvA: [1], sphereDiameterA: 5 });
    expect(() => cut.push(frame)).toThrow(/periodic cell/);
    const ok = new DebyeAccumulator(t, { qInvA: [1] });
    ok.push({ ...frame, lattice: Lattice.cubic(10) });
    // One Li-Cl pair 2 A apart at Q = 1: f_Li^2 + f_Cl^2 + 2 f_Li f_Cl sin(2) / 2.
    const fl = formFactorOfQ('Li', 'pymatgen')(1);
    const fc = formFactorOfQ('Cl', 'pymatgen')(1);
    expect(ok.result().intensity[0]).toBeCloseTo(fl * fl + fc * fc + fl * fc * Math.sin(2), 4);
  });
});
