/**
 * Bulk resistance (fit, intercept), sigma = L / (R A) with its propagated interval, Arrhenius and
 * VTF of sigma(T) (VTF against scipy curve_fit, test/fixtures/impedance/vtf-scipy.json).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { aicc, fitVtf } from '../../src/analysis/transport/vtf.js';
import { OptionError } from '../../src/core/errors.js';
import { BOLTZMANN_EV_PER_K } from '../../src/core/units.js';
import { circuit, circuitImpedance } from '../../src/experiment/circuits/circuit.js';
import { fitConductivityTemperature } from '../../src/experiment/conductivity/arrhenius-vtf.js';
import { bulkFromFit, bulkFromIntercept } from '../../src/experiment/conductivity/bulk-resistance.js';
import { conductivity } from '../../src/experiment/conductivity/pellet.js';
import { fitCircuit } from '../../src/experiment/fitting/fit-circuit.js';
import { readSpectrum } from '../../src/experiment/readers/read-spectrum.js';
import type { Spectrum } from '../../src/experiment/readers/spectrum.js';
import { fixture, sharedFixture } from '../helpers.js';

const synthetic = (text: string, p: number[], n = 50): Spectrum => {
  const f = Float64Array.from({ length: n }, (_, i) => 10 ** (6.5 - (7.5 * i) / (n - 1)));
  const z = circuitImpedance(circuit(text), p, f);
  return {
    file: 'synthetic',
    format: 'csv',
    frequencyHz: f,
    reOhm: z.re,
    imOhm: z.im,
    lines: new Int32Array(n),
  };
};

describe('bulk resistance and conductivity', () => {
  it('a blocking-electrode pellet p(R1,CPE1)-CPE2: R1 from the fit and from the intercept', () => {
    const s = synthetic('p(R1,CPE1)-CPE2', [250, 1e-10, 0.95, 1e-6, 0.85]);
    const fit = fitCircuit(s, 'p(R1,CPE1)-CPE2', { initialGuess: [100, 1e-9, 0.9, 1e-5, 0.8] });
    const r = bulkFromFit(fit);
    expect(r.ohm).toBeCloseTo(250, 5);
    const i = bulkFromIntercept(s);
    expect(i.method).toBe('intercept');
    expect(Math.abs(i.ohm - 250) / 250).toBeLessThan(0.05);
  });
  it('names the bulk when the circuit has several resistors', () => {
    const s = synthetic('R0-p(R1,C1)', [20, 500, 2e-9]);
    const fit = fitCircuit(s, 'R0-p(R1,C1)', { initialGuess: [10, 100, 1e-9] });
    expect(() => bulkFromFit(fit)).toThrow(/has 2 resistors \(R0, R1\): name the bulk/);
    expect(bulkFromFit(fit, ['R0', 'R1']).ohm).toBeCloseTo(520, 6);
    expect(() => bulkFromFit(fit, ['C1'])).toThrow(/C1 is not a resistance/);
  });
  it('the high-frequency intercept of a shipped R-RC dummy cell is its R0', async () => {
    const s = await readSpectrum(sharedFixture('eis/Circuit1_EIS_1.z'));
    const fit = fitCircuit(s, 'R0-p(R1,C1)', { initialGuess: [10, 50, 1e-6] });
    const i = bulkFromIntercept(s);
    expect(Math.abs(i.ohm - fit.parameters[0]) / fit.parameters[0]).toBeLessThan(0.05);
  });
  it('sigma = L / (R A): 1 mm over a 10 mm disc at 100 ohm is 1.273 mS/cm, with the propagated interval', () => {
    const c = conductivity(100, 2, {
      thicknessMm: 1,
      thicknessStdMm: 0.01,
      diameterMm: 10,
      diameterStdMm: 0.05,
    });
    expect(c.sCm).toBeCloseTo(0.1 / (Math.PI * 0.25 * 100), 12);
    const rel = Math.hypot(0.02, 0.01, 0.01);
    expect(c.stdSCm / c.sCm).toBeCloseTo(rel, 12);
    expect(c.high95SCm - c.sCm).toBeCloseTo(1.959963984540054 * c.stdSCm, 12);
    const byArea = conductivity(100, 0, { thicknessMm: 1, areaCm2: Math.PI * 0.25 });
    expect(byArea.sCm).toBeCloseTo(c.sCm, 12);
  });
  it('refuses a negative thickness and a missing area', () => {
    expect(() => conductivity(100, 0, { thicknessMm: -1, diameterMm: 10 })).toThrow(OptionError);
    expect(() => conductivity(100, 0, { thicknessMm: -1, diameterMm: 10 })).toThrow(
      /thickness \(mm\) must be positive, got -1/,
    );
    expect(() => conductivity(100, 0, { thicknessMm: 1 })).toThrow(/diameter or the area/);
  });
});

describe('sigma(T): Arrhenius and VTF', () => {
  const ref = JSON.parse(readFileSync(fixture('impedance/vtf-scipy.json'), 'utf8'));
  it('VTF equals scipy curve_fit (parameters, standard errors, SSR)', () => {
    expect(BOLTZMANN_EV_PER_K / ref.boltzmannEvPerK).toBeCloseTo(1, 14);
    const v = fitVtf(ref.temperaturesK, ref.sigmaSCm);
    expect(v.lnPrefactor).toBeCloseTo(ref.lnPrefactor, 6);
    expect(v.pseudoActivationEv).toBeCloseTo(ref.pseudoActivationEv, 8);
    expect(v.t0K).toBeCloseTo(ref.t0K, 4);
    expect(v.residualSumOfSquares).toBeLessThanOrEqual(ref.residualSumOfSquares * (1 + 1e-10));
    expect(v.lnPrefactorStd / ref.std[0]).toBeCloseTo(1, 4);
    expect(v.pseudoActivationEvStd / ref.std[1]).toBeCloseTo(1, 4);
    expect(v.t0KStd / ref.std[2]).toBeCloseTo(1, 4);
  });
  it('the bent series prefers VTF by AICc; a straight Arrhenius series gives back Ea', () => {
    const bent = fitConductivityTemperature(ref.temperaturesK, ref.sigmaSCm);
    expect(bent.preferred).toBe('vtf');
    const t = [253, 273, 293, 303, 323, 343];
    const sigma = t.map((x) => 50 * Math.exp(-0.47 / (BOLTZMANN_EV_PER_K * x)));
    const straight = fitConductivityTemperature(t, sigma);
    expect(straight.arrhenius.activationEv.value).toBeCloseTo(0.47, 10);
    const st = fitConductivityTemperature(
      t,
      t.map((x) => (50 / x) * Math.exp(-0.47 / (BOLTZMANN_EV_PER_K * x))),
    );
    expect(st.arrheniusSigmaT.activationEv.value).toBeCloseTo(0.47, 10);
  });
  it('AICc', () => {
    expect(aicc(2, 10, 2)).toBeCloseTo(10 * Math.log(0.2) + 4 + 12 / 7, 12);
    expect(aicc(2, 3, 2)).toBe(Number.POSITIVE_INFINITY);
  });
});
