/**
 * Stress-strain analysis on synthetic curves whose modulus, 0.2 % offset yield, maximum and
 * toughness are known exactly, with time-correlated noise (AR(1), as the stress of an MD run):
 * the modulus intervals cover the truth at about the nominal rate over seeds, where the naive
 * (independent-noise) interval does not.
 */
import { describe, expect, it } from 'vitest';
import { correlatedSlope } from '../../../src/analysis/mechanics/correlated-fit.js';
import { analyseStressStrain, smoothByStrain } from '../../../src/analysis/mechanics/stress-strain.js';
import { SeededRandom } from '../../../src/core/random.js';

// Linear to strain P, then the tangent falls linearly to 0 over W (the maximum), then softens.
const E = 3;
const P = 0.03;
const W = 0.04;
const truth = (e: number) => (e <= P ? E * e : E * e - (E / (2 * W)) * (e - P) ** 2);
const yieldStrain = P + Math.sqrt(2 * 0.002 * W);
const yieldStress = E * (yieldStrain - 0.002);
const maxStress = E * P + (E * W) / 2;

/** Strain 0 .. 0.12 every 1e-4 (MD at 1e-3 /ps with a row every 0.1 ps); AR(1) noise, phi, sd. */
const curve = (seed: number, sd = 0.01, phi = 0.9, n = 1201) => {
  const rng = new SeededRandom(seed);
  const strain = new Float64Array(n);
  const stressGPa = new Float64Array(n);
  let e = sd * rng.gaussian();
  for (let i = 0; i < n; i++) {
    strain[i] = i * 1e-4;
    stressGPa[i] = truth(strain[i]) + e;
    e = phi * e + sd * Math.sqrt(1 - phi * phi) * rng.gaussian();
  }
  return { strain, stressGPa };
};

describe('stress-strain analysis', () => {
  it('a noise-free curve: modulus, offset yield, maximum and toughness exactly', () => {
    const c = curve(1, 0);
    const r = analyseStressStrain(c, { smoothingStrain: 0, linearWindow: [0, P] });
    expect(r.modulusGPa.value).toBeCloseTo(E, 8);
    const auto = analyseStressStrain(c, { smoothingStrain: 0 });
    expect(Math.abs(auto.modulusGPa.value / E - 1)).toBeLessThan(0.01);
    expect(auto.linearWindow.toStrain).toBeGreaterThan(0.025);
    expect(auto.linearWindow.toStrain).toBeLessThanOrEqual(0.035);
    expect(r.yield!.strain).toBeCloseTo(yieldStrain, 6);
    expect(r.yield!.stressGPa).toBeCloseTo(yieldStress, 6);
    expect(r.maximum.stressGPa).toBeCloseTo(maxStress, 6);
    expect(r.maximum.strain).toBeCloseTo(P + W, 6);
    // Toughness: the integral of the curve to 0.12 (trapezoids of width 1e-4 on a quadratic).
    const end = 0.12;
    const exact = (E * end * end) / 2 - (E / (6 * W)) * (end - P) ** 3;
    expect(r.toughnessMJPerM3 / 1000).toBeCloseTo(exact, 6);
  });

  it('the modulus interval covers the truth at about 95 % over seeds with correlated noise; the naive one does not', () => {
    let covered = 0;
    let naiveCovered = 0;
    const seeds = 300;
    for (let s = 1; s <= seeds; s++) {
      // phi = 0.8: a statistical inefficiency of 9 rows, 33 of them in the 301-row window.
      const c = curve(s, 0.01, 0.8);
      const f = correlatedSlope(c.strain, c.stressGPa, 0, 301);
      if (f.low <= E && E <= f.high) covered++;
      const h = 1.96 * f.naiveStandardError;
      if (Math.abs(f.slope - E) <= h) naiveCovered++;
    }
    const rate = covered / seeds;
    expect(rate, `coverage ${rate}`).toBeGreaterThan(0.88);
    expect(rate, `coverage ${rate}`).toBeLessThan(0.995);
    expect(naiveCovered / seeds).toBeLessThan(0.7);
  });

  it('independent noise: the interval is the ordinary one and covers at about 95 %', () => {
    let covered = 0;
    const seeds = 300;
    for (let s = 1; s <= seeds; s++) {
      const c = curve(1000 + s, 0.01, 0);
      const f = correlatedSlope(c.strain, c.stressGPa, 0, 301);
      if (f.low <= E && E <= f.high) covered++;
      expect(f.standardError / f.naiveStandardError).toBeLessThan(2);
    }
    expect(covered / seeds).toBeGreaterThan(0.9);
    expect(covered / seeds).toBeLessThan(0.99);
  });

  it('noisy curves: automatic window, yield and maximum near the truth, Poisson from lateral stretch', () => {
    let covered = 0;
    let poissonCovered = 0;
    for (let s = 1; s <= 40; s++) {
      const c = curve(5000 + s, 0.005, 0.8);
      // A lateral contraction with nu = 0.3: ln L_lat = -0.3 ln(1 + strain), plus noise.
      const rng = new SeededRandom(s);
      const lateral = Float64Array.from(c.strain, (e) => -0.3 * Math.log1p(e) + 2e-4 * rng.gaussian());
      const r = analyseStressStrain({ ...c, lateralLogStretch: lateral, lateralFrom: 'lengths' });
      if (r.modulusGPa.low <= E && E <= r.modulusGPa.high) covered++;
      expect(r.linearWindow.toStrain).toBeGreaterThan(0.015);
      expect(r.linearWindow.toStrain).toBeLessThan(0.04);
      // The yield's error follows the modulus's (the offset line's slope): about 15 % here.
      expect(Math.abs(r.yield!.stressGPa - yieldStress)).toBeLessThan(0.025);
      expect(Math.abs(r.maximum.stressGPa - maxStress)).toBeLessThan(0.012);
      if (r.poissonRatio!.low <= 0.3 && 0.3 <= r.poissonRatio!.high) poissonCovered++;
      expect(r.poissonRatio!.value).toBeCloseTo(0.3, 2);
    }
    expect(covered).toBeGreaterThanOrEqual(34);
    expect(poissonCovered).toBeGreaterThanOrEqual(34);
  });

  it('a curve that never yields says so; bad curves are refused', () => {
    const strain = Float64Array.from({ length: 50 }, (_, i) => i * 1e-3);
    const r = analyseStressStrain({ strain, stressGPa: strain.map((e) => 2 * e) });
    expect(r.yield).toBeNull();
    expect(r.warnings.join()).toMatch(/no yield/);
    expect(() => analyseStressStrain({ strain: strain.map((e) => -e), stressGPa: strain })).toThrow(
      /increase/,
    );
    expect(() => analyseStressStrain({ strain, stressGPa: strain }, { linearWindow: [0.5, 0.6] })).toThrow(
      /holds 0 points/,
    );
  });

  it('the moving average keeps a straight line and averages over the strain width', () => {
    const x = Float64Array.from({ length: 11 }, (_, i) => i / 10);
    expect(Array.from(smoothByStrain(x, x, 0.2)).slice(1, 10)).toEqual(
      Array.from(x)
        .slice(1, 10)
        .map((v) => expect.closeTo(v, 12)),
    );
    expect(smoothByStrain(x, x, 0.2)[0]).toBeCloseTo(0.05, 12);
  });
});
