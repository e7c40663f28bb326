/**
 * Circuit strings (impedance.py's grammar), element impedances against impedance.py's definitions
 * typed from its formulas, and the analytic derivatives against central finite differences.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  circuit,
  circuitImpedance,
  circuitImpedanceAndJacobian,
} from '../../src/experiment/circuits/circuit.js';
import { CircuitSyntaxError } from '../../src/experiment/circuits/parse-circuit.js';
import { fixture } from '../helpers.js';

describe('circuit strings', () => {
  it('names parameters in order of appearance as impedance.py does', () => {
    const c = circuit('R0-p(R1,CPE1)-CPE2');
    expect(c.parameterNames).toEqual(['R0', 'R1', 'CPE1_0', 'CPE1_1', 'CPE2_0', 'CPE2_1']);
    expect(c.defaultUpper).toEqual([Infinity, Infinity, Infinity, 1, Infinity, 1]);
  });
  it('ignores spaces and nests', () => {
    expect(circuit('R0 - p(R1 - Wo1, C1) - p(R2, p(C2, L2))').parameterNames).toEqual([
      'R0',
      'R1',
      'Wo1_0',
      'Wo1_1',
      'C1',
      'R2',
      'C2',
      'L2',
    ]);
  });
  const bad: [string, RegExp][] = [
    ['R0-p(R1,,C1)', /at column 9: expected an element .* found ","/],
    ['R0-p(R1,C1', /at column 11: expected "," or "\)", found the end/],
    ['R0-X1', /at column 4: expected an element .* found "X"/],
    ['R0-p(R1)', /at column 8: expected "," and a second branch/],
    ['R0-R0', /at column 4: expected a new element name \(R0 is already at column 1\)/],
    ['R0)', /at column 3: expected "-" \(series\) or the end/],
    ['', /at column 1: expected a circuit/],
  ];
  for (const [text, message] of bad)
    it(`refuses "${text}" saying where`, () => {
      expect(() => circuit(text)).toThrow(CircuitSyntaxError);
      expect(() => circuit(text)).toThrow(message);
    });
});

describe('element impedances', () => {
  const f = [0.01, 1, 123.4, 1e5];
  it('R-C in parallel is R / (1 + j omega R C)', () => {
    const z = circuitImpedance(circuit('R0-p(R1,C1)'), [10, 100, 1e-6], f);
    f.forEach((x, i) => {
      const w = 2 * Math.PI * x;
      const d = 1 + (w * 100 * 1e-6) ** 2;
      expect(z.re[i]).toBeCloseTo(10 + 100 / d, 10);
      expect(z.im[i]).toBeCloseTo((-100 * w * 100 * 1e-6) / d, 10);
    });
  });
  it('CPE with alpha = 1 is a capacitor; W is (1 - j) A / sqrt(omega)', () => {
    const a = circuitImpedance(circuit('CPE1'), [2e-6, 1], f);
    const b = circuitImpedance(circuit('C1'), [2e-6], f);
    const w = circuitImpedance(circuit('W1'), [5], f);
    f.forEach((x, i) => {
      expect(a.re[i]).toBeCloseTo(0, 6);
      expect(a.im[i] / b.im[i]).toBeCloseTo(1, 12);
      expect(w.re[i]).toBeCloseTo(5 / Math.sqrt(2 * Math.PI * x), 12);
      expect(w.im[i]).toBeCloseTo(-5 / Math.sqrt(2 * Math.PI * x), 12);
    });
  });
  it('Wo and Ws tend to Z0 / 3 + ... and Z0 at low frequency, and stay finite at high', () => {
    const ws = circuitImpedance(circuit('Ws1'), [7, 2], [1e-9, 1e9]);
    expect(ws.re[0]).toBeCloseTo(7, 6);
    expect(Number.isFinite(ws.re[1]) && Number.isFinite(ws.im[1])).toBe(true);
    const wo = circuitImpedance(circuit('Wo1'), [7, 2], [1e-9, 1e9]);
    expect(wo.re[0]).toBeCloseTo(7 / 3, 5);
    expect(Number.isFinite(wo.re[1])).toBe(true);
  });
});

describe('analytic derivatives equal central differences', () => {
  const f = Array.from({ length: 25 }, (_, i) => 10 ** (-2 + i * 0.3));
  const cases: [string, number[]][] = [
    ['R0-p(R1,C1)-L1', [5, 200, 3e-6, 1e-7]],
    ['R0-p(R1,CPE1)-CPE2', [5, 200, 3e-6, 0.85, 1e-3, 0.7]],
    ['R0-p(R1-Wo1,C1)-W1', [1, 50, 20, 3, 1e-5, 4]],
    ['p(R1-Ws1,CPE1)', [50, 20, 0.5, 1e-5, 0.9]],
    ['La1', [1e-6, 0.8]],
    ['G1-Gs1', [30, 0.01, 40, 0.2, 1.7]],
    ['R0-K1-Zarc1', [3, 100, 0.01, 80, 1e-3, 0.8]],
  ];
  for (const [text, p] of cases)
    it(text, () => {
      const c = circuit(text);
      const { re, im, jacRe, jacIm } = circuitImpedanceAndJacobian(c, p, f);
      p.forEach((v, k) => {
        // Five-point central difference, truncation error O(h^4).
        const h = v * 1e-3;
        const at = (d: number) =>
          circuitImpedance(
            c,
            p.map((x, j) => (j === k ? x + d : x)),
            f,
          );
        const [a, b, d, e] = [at(-2 * h), at(-h), at(h), at(2 * h)];
        for (let i = 0; i < f.length; i++) {
          const nre = (a.re[i] - 8 * b.re[i] + 8 * d.re[i] - e.re[i]) / (12 * h);
          const nim = (a.im[i] - 8 * b.im[i] + 8 * d.im[i] - e.im[i]) / (12 * h);
          // Round-off of the differences is about 1e-16 |Z| / h: a floor on the scale.
          const scale = Math.max(Math.abs(nre), Math.abs(nim), (1e-7 * Math.hypot(re[i], im[i])) / v);
          expect(Math.abs(jacRe[k][i] - nre) / scale, `${c.parameterNames[k]} Re at ${f[i]} Hz`).toBeLessThan(
            1e-6,
          );
          expect(Math.abs(jacIm[k][i] - nim) / scale, `${c.parameterNames[k]} Im at ${f[i]} Hz`).toBeLessThan(
            1e-6,
          );
        }
      });
    });
});

describe('circuit impedances equal impedance.py', () => {
  const peer = JSON.parse(readFileSync(fixture('impedance/impedance-py.json'), 'utf8')) as {
    circuits: {
      circuit: string;
      parameters: number[];
      frequencyHz: number[];
      reOhm: number[];
      imOhm: number[];
    }[];
  };
  for (const ref of peer.circuits)
    it(ref.circuit, () => {
      const z = circuitImpedance(circuit(ref.circuit), ref.parameters, ref.frequencyHz);
      ref.frequencyHz.forEach((f, i) => {
        const mod = Math.hypot(ref.reOhm[i], ref.imOhm[i]);
        expect(Math.abs(z.re[i] - ref.reOhm[i]) / mod, `Re at ${f} Hz`).toBeLessThan(1e-12);
        expect(Math.abs(z.im[i] - ref.imOhm[i]) / mod, `Im at ${f} Hz`).toBeLessThan(1e-12);
      });
    });
});
