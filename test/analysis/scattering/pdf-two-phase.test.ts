import { describe, expect, it } from 'vitest';
import { calculatePdf } from '../../../src/analysis/scattering/pdf-model.js';
import {
  averageScatteringFactor,
  crystalPhase,
  type PdfPhase,
} from '../../../src/analysis/scattering/pdf-phase.js';
import {
  atomsPerFormula,
  fitCrystalFraction,
  modelProfileFromFrames,
} from '../../../src/analysis/scattering/two-phase-fraction.js';
import { SeededRandom } from '../../../src/core/random.js';
import { readCifCrystal } from '../../../src/io/formats/cif-sites.js';
import type { PdfData } from '../../../src/io/gr.js';
import { readStructure } from '../../../src/io/registry.js';
import { fixture, sharedFixture } from '../../helpers.js';

// The study's two-phase fit on synthetic data: the X-ray G(r) of a LAOC glass model (a 256-atom MD
// cell taken as a P1 crystal) mixed with crystalline LiCl at a known molar fraction, with noise;
// the fit must recover the fractions within 1 %.

describe('two-phase fit: MD model + crystalline LiCl', () => {
  it('recovers known LiCl fractions (atom, molar, mass) within 1 %', async () => {
    const frame = await readStructure(fixture('rdf/laoc-glass.data'));
    const model = modelProfileFromFrames([frame], {
      uiso: 0.02,
      radiation: 'X',
      rminA: 0.01,
      rmaxA: 33,
      rstepA: 0.01,
      name: 'LAOC model',
    });
    expect(atomsPerFormula(model)).toBeGreaterThan(1);
    const licl = crystalPhase(
      readCifCrystal(sharedFixture('structures/LiCl_rocksalt.cif'), { defaultUiso: 0.02 }),
      'LiCl',
    );
    expect(atomsPerFormula(licl)).toBe(2);
    // Known mixture: 12 % of the formula units are LiCl.
    const molar = 0.12;
    const perFormula = [atomsPerFormula(model), atomsPerFormula(licl)];
    const atoms = [(1 - molar) * perFormula[0], molar * perFormula[1]];
    const atomFraction = atoms[1] / (atoms[0] + atoms[1]);
    const f2 = [averageScatteringFactor(model, 'X') ** 2, averageScatteringFactor(licl, 'X') ** 2];
    const norm = atoms[0] * f2[0] + atoms[1] * f2[1];
    const truth: PdfPhase[] = [
      { ...model, pscale: (atoms[0] * f2[0]) / norm },
      { ...licl, pscale: (atoms[1] * f2[1]) / norm },
    ];
    const grid = { rmin: 0.01, rstep: 0.01, nfmin: 0, nfmax: 2999 };
    const exact = calculatePdf(truth, { radiation: 'X', qmax: 25, qdamp: 0.04, qbroad: 0, dscale: 1 }, grid);
    const rng = new SeededRandom(7);
    const noise = 0.002;
    const g = exact.g.map((v) => v + noise * rng.gaussian());
    const data: PdfData = {
      file: 'synthetic.gr',
      r: exact.r,
      g,
      dg: new Float64Array(g.length).fill(noise),
      columns: 4,
      weights: new Float64Array(g.length).fill(1 / noise ** 2),
      rstep: 0.01,
      meta: { qmax: 25, stype: 'X' },
      firstDataLine: 1,
    };
    const fit = fitCrystalFraction({
      data,
      radiation: 'X',
      qmax: 25,
      qdamp: 0.04,
      model,
      crystal: { ...licl, pscale: 0.1, cell: { ...licl.cell, a: 5.1, b: 5.1, c: 5.1 } },
    });
    expect(fit.longRange.converged && fit.shortRange.converged).toBe(true);
    expect(fit.latticeA.value).toBeCloseTo(5.1295, 3);
    expect(Math.abs(fit.molar.value / molar - 1)).toBeLessThan(0.01);
    expect(Math.abs(fit.atom.value / atomFraction - 1)).toBeLessThan(0.01);
    const massTruth = (atoms[1] * 21.197) / (atoms[0] * massOf(model) + atoms[1] * 21.197);
    expect(Math.abs(fit.mass.value / massTruth - 1)).toBeLessThan(0.01);
    expect(fit.molar.sigma).toBeGreaterThan(0);
    expect(Math.abs(fit.molar.value - molar)).toBeLessThan(4 * fit.molar.sigma + 1e-4);
    expect(fit.molar.interval95[0]).toBeCloseTo(fit.molar.value - 1.96 * fit.molar.sigma, 12);
  }, 120_000);
});

const massOf = (p: PdfPhase): number => {
  if (p.kind !== 'profile') throw new Error('profile expected');
  const m: Record<string, number> = { Li: 6.9412, Al: 26.9815382, O: 15.99943, Cl: 35.4532 };
  const n = Object.values(p.composition).reduce((a, b) => a + b, 0);
  return Object.entries(p.composition).reduce((s, [e, c]) => s + c * m[e], 0) / n;
};
