/** Lin-KK against impedance.py's validation.linKK (c = 0.85, fit_type 'real') on every shipped sample. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { circuit, circuitImpedance } from '../../src/experiment/circuits/circuit.js';
import { readSpectrum } from '../../src/experiment/readers/read-spectrum.js';
import { linKK } from '../../src/experiment/validation/lin-kk.js';
import { fixture, sharedFixture } from '../helpers.js';

const peer = JSON.parse(readFileSync(fixture('impedance/impedance-py.json'), 'utf8')) as {
  linKK: Record<
    string,
    {
      M: number;
      mu: number;
      fitReOhm: number[];
      fitImOhm: number[];
      residualRe: number[];
      residualIm: number[];
    }
  >;
};

const maxRelDiff = (a: number[], b: number[], scale: number[]) =>
  Math.max(...a.map((v, i) => Math.abs(v - b[i]) / scale[i]));

describe('Lin-KK equals impedance.py linKK', () => {
  for (const [name, ref] of Object.entries(peer.linKK))
    it(name, async () => {
      const s = await readSpectrum(sharedFixture(`eis/${name}`));
      const r = linKK(s);
      expect(r.m).toBe(ref.M);
      expect(r.mu).toBeCloseTo(ref.mu, 8);
      const mod = Array.from(s.reOhm, (v, i) => Math.hypot(v, s.imOhm[i]));
      const one = mod.map(() => 1);
      // Residuals are fractions of |Z|: agreement to 1e-9 of |Z|.
      expect(maxRelDiff(r.residualRe, ref.residualRe, one)).toBeLessThan(1e-9);
      expect(maxRelDiff(r.residualIm, ref.residualIm, one)).toBeLessThan(1e-9);
      expect(maxRelDiff(r.fitReOhm, ref.fitReOhm, mod)).toBeLessThan(1e-9);
      expect(maxRelDiff(r.fitImOhm, ref.fitImOhm, mod)).toBeLessThan(1e-9);
    });
});

describe('Lin-KK on a KK-compliant circuit', () => {
  it('leaves residuals far below 1e-3 for R0-p(R1,C1)-p(R2,CPE2)', () => {
    const f = Float64Array.from({ length: 50 }, (_, i) => 10 ** (5 - i * 0.12));
    const z = circuitImpedance(circuit('R0-p(R1,C1)-p(R2,CPE2)'), [10, 100, 1e-6, 200, 1e-4, 0.8], f);
    for (const fitType of ['real', 'imag', 'complex'] as const) {
      const r = linKK(
        {
          file: 'synthetic',
          format: 'csv',
          frequencyHz: f,
          reOhm: z.re,
          imOhm: z.im,
          lines: new Int32Array(50),
        },
        { fitType },
      );
      expect(r.maxAbsResidual, fitType).toBeLessThan(1e-3);
      expect(r.mu).toBeLessThanOrEqual(0.85);
    }
  });
});
