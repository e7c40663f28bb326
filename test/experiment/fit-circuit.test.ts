/**
 * Circuit fitting: at least as good as impedance.py's CustomCircuit.fit (the same sum of squares
 * definition, its result in test/fixtures/impedance/impedance-py.json), true parameters recovered
 * from noise-free synthetic spectra from distant starts, and the refusals.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InsufficientDataError } from '../../src/core/errors.js';
import { SeededRandom } from '../../src/core/random.js';
import { circuit, circuitImpedance } from '../../src/experiment/circuits/circuit.js';
import { fitCircuit } from '../../src/experiment/fitting/fit-circuit.js';
import { readSpectrum } from '../../src/experiment/readers/read-spectrum.js';
import { type Spectrum, selectPoints } from '../../src/experiment/readers/spectrum.js';
import { fixture, sharedFixture } from '../helpers.js';

interface PeerFit {
  file: string;
  circuit: string;
  initialGuess: number[];
  weightByModulus: boolean;
  ignoreBelowX: boolean;
  points: number;
  parameters: number[];
  stdErrors: number[];
  sumOfSquares: number;
}
const peer = JSON.parse(readFileSync(fixture('impedance/impedance-py.json'), 'utf8')) as { fits: PeerFit[] };

const synthetic = (text: string, p: number[], n = 40): Spectrum => {
  const f = Float64Array.from({ length: n }, (_, i) => 10 ** (6 - (8 * i) / (n - 1)));
  const z = circuitImpedance(circuit(text), p, f);
  return {
    file: 'synthetic',
    format: 'csv',
    frequencyHz: f,
    reOhm: z.re,
    imOhm: z.im,
    lines: Int32Array.from(f, (_, i) => i + 1),
  };
};

describe('fits at least as good as impedance.py CustomCircuit.fit', () => {
  for (const ref of peer.fits)
    it(`${ref.file} ${ref.circuit}${ref.weightByModulus ? ' (modulus)' : ''}`, async () => {
      let s = await readSpectrum(sharedFixture(`eis/${ref.file}`));
      if (ref.ignoreBelowX) s = selectPoints(s, (i) => s.imOhm[i] < 0);
      expect(s.frequencyHz.length).toBe(ref.points);
      const fit = fitCircuit(s, ref.circuit, {
        initialGuess: ref.initialGuess,
        weighting: ref.weightByModulus ? 'modulus' : 'unit',
      });
      console.log(
        `${ref.file} ${ref.circuit}: S = ${fit.sumOfSquares} (impedance.py ${ref.sumOfSquares}), ratio ${fit.sumOfSquares / ref.sumOfSquares}`,
      );
      expect(fit.sumOfSquares).toBeLessThanOrEqual(ref.sumOfSquares * (1 + 1e-9));
    });
  it('standard errors agree with curve_fit where both reach the same optimum', async () => {
    const ref = peer.fits.find((f) => f.file === 'Circuit1_EIS_1.z')!;
    const s = await readSpectrum(sharedFixture(`eis/${ref.file}`));
    const fit = fitCircuit(s, ref.circuit, { initialGuess: ref.initialGuess });
    if (Math.abs(fit.sumOfSquares / ref.sumOfSquares - 1) < 1e-6)
      fit.stdErrors.forEach((e, k) => {
        expect(e / ref.stdErrors[k]).toBeCloseTo(1, 2);
      });
    else expect(fit.sumOfSquares).toBeLessThan(ref.sumOfSquares);
  });
});

describe('noise-free synthetic spectra give back the true parameters', () => {
  const cases: [string, number[], number[]][] = [
    ['R0-p(R1,C1)', [20, 500, 2e-7], [100, 50, 1e-5]],
    ['R0-p(R1,CPE1)-CPE2', [15, 800, 3e-7, 0.85, 2e-5, 0.7], [50, 100, 1e-5, 0.6, 1e-3, 0.95]],
    ['R0-p(R1,C1)-p(R2-Wo1,C2)', [10, 200, 1e-7, 300, 400, 10, 2e-5], [30, 60, 1e-6, 1000, 100, 1, 1e-4]],
    ['R0-p(R1,CPE1)-W1', [5, 1000, 1e-8, 0.9, 50], [1, 200, 1e-7, 0.7, 500]],
  ];
  for (const [text, truth, start] of cases)
    it(`${text} from ${start.join(', ')}`, () => {
      const fit = fitCircuit(synthetic(text, truth), text, { initialGuess: start });
      fit.parameters.forEach((v, k) => {
        expect(v / truth[k], fit.parameterNames[k]).toBeCloseTo(1, 6);
      });
    });
  it('from the automatic guess', () => {
    const truth = [20, 500, 2e-7, 0.8];
    const fit = fitCircuit(synthetic('R0-p(R1,CPE1)', truth), 'R0-p(R1,CPE1)');
    fit.parameters.forEach((v, k) => {
      expect(v / truth[k]).toBeCloseTo(1, 6);
    });
  });
});

describe('a parameter that ends on its bound', () => {
  it('is marked, and the others keep their standard errors (held fixed at the bound)', async () => {
    // An inductance the Gamry sample does not show: L0 goes to its lower bound, 0 H.
    const s = await readSpectrum(sharedFixture('eis/exampleDataGamry.DTA'));
    const fit = fitCircuit(s, 'L0-R0-p(R1,CPE1)');
    expect(fit.parameters[0]).toBe(0);
    expect(fit.atBound).toEqual([true, false, false, false, false]);
    expect(fit.stdErrors[0]).toBeNaN();
    const rest = fitCircuit(s, 'R0-p(R1,CPE1)', { initialGuess: fit.parameters.slice(1), starts: 1 });
    // The same optimum without L0: the same standard errors but for s^2 = S / dof (L0 still counts).
    expect(fit.sumOfSquares / rest.sumOfSquares).toBeCloseTo(1, 9);
    const dofRatio = Math.sqrt(rest.dof / fit.dof);
    for (let k = 1; k < 5; k++) expect(fit.stdErrors[k] / rest.stdErrors[k - 1]).toBeCloseTo(dofRatio, 4);
  });
});

describe('fit refusals', () => {
  it('more parameters than values', () => {
    const s = synthetic('R0-p(R1,C1)', [1, 2, 1e-3], 2);
    expect(() => fitCircuit(s, 'R0-p(R1,CPE1)-CPE2')).toThrow(InsufficientDataError);
    expect(() => fitCircuit(s, 'R0-p(R1,CPE1)-CPE2')).toThrow(
      /6 parameters but synthetic gives only 4 values/,
    );
  });
  it('a fit that does not converge says so', () => {
    const s = synthetic('R0-p(R1,CPE1)-CPE2', [15, 800, 3e-7, 0.85, 2e-5, 0.7]);
    expect(() => fitCircuit(s, 'R0-p(R1,CPE1)-CPE2', { maxIterations: 2, starts: 2 })).toThrow(
      /did not converge from any of 2 starts within 2 iterations/,
    );
  });
  it('a guess of the wrong length or outside the bounds', () => {
    const s = synthetic('R0-p(R1,C1)', [20, 500, 2e-7]);
    expect(() => fitCircuit(s, 'R0-p(R1,C1)', { initialGuess: [1, 2] })).toThrow(
      /has 3 parameters \(R0, R1, C1\), got 2/,
    );
    expect(() => fitCircuit(s, 'R0-p(R1,C1)', { initialGuess: [1, -2, 1] })).toThrow(/initial R1 = -2/);
  });
});

describe('any sensible start: every parameter off by up to a factor 10 (exponents anywhere in 0.5-1)', () => {
  const cases: [string, number[]][] = [
    ['R0-p(R1,CPE1)-p(R2,CPE2)', [10, 300, 1e-7, 0.85, 2000, 1e-5, 0.7]],
    ['p(R1,CPE1)-CPE2', [250, 1e-10, 0.95, 1e-6, 0.85]],
  ];
  for (const [text, truth] of cases)
    it(`${text}: 10 seeded starts reach a zero sum of squares`, () => {
      const s = synthetic(text, truth, 25);
      const scale = s.reOhm.reduce((a, v, i) => a + v * v + s.imOhm[i] ** 2, 0);
      const upper = circuit(text).defaultUpper;
      const rng = new SeededRandom(7);
      for (let k = 0; k < 10; k++) {
        const start = truth.map((v, j) =>
          upper[j] === 1 ? 0.5 + 0.49 * rng.uniform() : v * 10 ** (2 * rng.uniform() - 1),
        );
        const fit = fitCircuit(s, text, { initialGuess: start });
        // The two arcs of the first circuit may come back swapped: the sum of squares is the test.
        expect(fit.sumOfSquares / scale, `start ${start.join(', ')}`).toBeLessThan(1e-16);
      }
    });
});
