/** DC polarisation, glass transition and cycling on synthetic data with known answers. */
import { describe, expect, it } from 'vitest';
import { OptionError, ParseError } from '../../src/core/errors.js';
import { circuit, circuitImpedance } from '../../src/experiment/circuits/circuit.js';
import { analyseCycling } from '../../src/experiment/cycling/cycling.js';
import { currentTrace, polarisationCurrents } from '../../src/experiment/dc/current-time.js';
import { electronicConductivity, transferenceNumber } from '../../src/experiment/dc/transference.js';
import { transferenceFromFiles } from '../../src/experiment/lab-files.js';
import { parseNamedTable } from '../../src/experiment/readers/table.js';
import { glassTransition } from '../../src/experiment/thermal/glass-transition.js';
import { tempFile } from '../helpers.js';

/** I(t) = I_ss + (I_0 - I_ss) exp(-t / tau), in mA, as a CSV. */
const decay = (i0mA: number, issmA: number, tauS: number, endS = 3600, stepS = 10) => {
  const lines = ['time/s,<I>/mA'];
  for (let t = 0; t <= endS; t += stepS) lines.push(`${t},${issmA + (i0mA - issmA) * Math.exp(-t / tauS)}`);
  return `${lines.join('\n')}\n`;
};

describe('DC polarisation', () => {
  it('reads I_0 and I_ss (units from the column name) and measures the drift', () => {
    const trace = currentTrace(parseNamedTable(decay(0.5, 0.4, 60), 'pol.csv'));
    const c = polarisationCurrents(trace);
    expect(c.initialA).toBeCloseTo(0.5e-3, 15);
    expect(c.steadyA).toBeCloseTo(0.4e-3, 12);
    expect(Math.abs(c.steadyDrift)).toBeLessThan(1e-6);
  });
  it('Bruce-Vincent and the Watanabe form: a single-ion conductor gives 1', () => {
    // R_b = 100, R_int = 50 unchanged; I_0 = I_ss = dV / (R_b + R_int): t = 1 both ways.
    const i = 0.1 / 150;
    const r = transferenceNumber({
      deltaV: 0.1,
      initialA: i,
      steadyA: i,
      bulkOhm: 100,
      interfaceInitialOhm: 50,
      interfaceSteadyOhm: 50,
    });
    expect(r.bruceVincent).toBeCloseTo(1, 12);
    expect(r.watanabe).toBeCloseTo(1, 12);
    expect(r.ohmicInitialA).toBeCloseTo(i, 15);
  });
  it('the formulas with a partial transference number', () => {
    const r = transferenceNumber({
      deltaV: 0.01,
      initialA: 5e-5,
      steadyA: 2e-5,
      bulkOhm: 120,
      interfaceInitialOhm: 60,
      interfaceSteadyOhm: 80,
    });
    expect(r.bruceVincent).toBeCloseTo((2e-5 * (0.01 - 5e-5 * 60)) / (5e-5 * (0.01 - 2e-5 * 80)), 12);
    expect(r.watanabe).toBeCloseTo((2e-5 * 120) / (0.01 - 2e-5 * 80), 12);
  });
  it('the study numbers: dV 100 mV, I_ss R_b / (dV - I_ss R_int) = 0.98', () => {
    // Choose R_b = 50, R_int = 10, then I_ss from t = 0.98: I_ss = 0.98 dV / (R_b + 0.98 R_int).
    const iss = (0.98 * 0.1) / (50 + 0.98 * 10);
    const r = transferenceNumber({
      deltaV: 0.1,
      initialA: 2e-3,
      steadyA: iss,
      bulkOhm: 50,
      interfaceInitialOhm: 10,
      interfaceSteadyOhm: 10,
    });
    expect(r.watanabe).toBeCloseTo(0.98, 12);
  });
  it('electronic conductivity between blocking electrodes: I_ss L / (dV A)', () => {
    // 1 nA at 1 V over 1 mm / 0.785 cm^2: 1e-9 * 0.1 / 0.7854 = 1.27e-10 S/cm.
    expect(electronicConductivity(1e-9, 1, { thicknessMm: 1, diameterMm: 10 })).toBeCloseTo(
      1e-10 / (Math.PI * 0.25),
      20,
    );
  });
  it('refusals: an interfacial drop larger than dV, times that go back, text in a number', () => {
    expect(() =>
      transferenceNumber({
        deltaV: 0.01,
        initialA: 1e-3,
        steadyA: 1e-3,
        bulkOhm: 1,
        interfaceInitialOhm: 1,
        interfaceSteadyOhm: 100,
      }),
    ).toThrow(/interfacial drop exceeds the applied dV/);
    expect(() => currentTrace(parseNamedTable('time/s,I/mA\n0,1\n2,1\n1,1\n', 'back.csv'))).toThrow(
      /back\.csv:4: expected a time after 2 s/,
    );
    expect(() => currentTrace(parseNamedTable('time/s,I/mA\n0,1\n1,x\n2,1\n', 'x.csv'))).toThrow(ParseError);
    expect(() => currentTrace(parseNamedTable('time/s,volts\n0,1\n1,1\n2,1\n', 'v.csv'))).toThrow(
      /expected a current column/,
    );
  });
});

describe('glass transition (tangent construction)', () => {
  // H(T) = a + b T + D / (1 + exp(-(T - Tg) / w)): inflection and midpoint Tg, onset Tg - 2w, end Tg + 2w.
  const tg = -15;
  const w = 2;
  const T = Array.from({ length: 301 }, (_, i) => -60 + i * 0.3);
  const H = T.map((t) => 0.1 + 0.001 * t - 0.05 / (1 + Math.exp(-(t - tg) / w)));
  it('finds onset, midpoint and end of a logistic step', () => {
    const g = glassTransition(T, H);
    expect(g.inflection).toBeCloseTo(tg, 0);
    expect(g.midpoint).toBeCloseTo(tg, 1);
    // Baselines fitted 3-6 half widths away see a little of the logistic tail.
    expect(Math.abs(g.onset - (tg - 2 * w))).toBeLessThan(0.2);
    expect(Math.abs(g.endset - (tg + 2 * w))).toBeLessThan(0.2);
    expect(g.step).toBeCloseTo(-0.05, 2);
  });
  it('refuses a step at the edge of the data', () => {
    expect(() => glassTransition(T.slice(0, 160), H.slice(0, 160))).toThrow(/too close to the end/);
  });
});

describe('cycling', () => {
  it('per-record capacities (counted up within each cycle) to capacity, CE and retention per cycle', () => {
    const rows = ['Cycle_Index,Charge_Capacity(Ah),Discharge_Capacity(Ah)'];
    const q = [
      [2.2e-3, 2.06e-3],
      [2.1e-3, 2.05e-3],
      [2.08e-3, 2.04e-3],
    ];
    q.forEach(([c, d], k) => {
      for (let s = 1; s <= 4; s++) rows.push(`${k + 1},${(c * s) / 4},0`);
      for (let s = 1; s <= 4; s++) rows.push(`${k + 1},${c},${(d * s) / 4}`);
    });
    const r = analyseCycling(parseNamedTable(rows.join('\n'), 'cyc.csv'), { activeMassMg: 10 });
    expect(r.unit).toBe('mAh/g');
    expect(r.cycles.map((c) => c.cycle)).toEqual([1, 2, 3]);
    expect(r.cycles[0].discharge).toBeCloseTo(206, 10);
    expect(r.cycles[1].coulombicEfficiencyPct).toBeCloseTo((100 * 2.05) / 2.1, 10);
    expect(r.cycles[2].retentionPct).toBeCloseTo((100 * 2.04) / 2.06, 10);
  });
  it('says which columns exist when one is missing, and wants a unit', () => {
    expect(() => analyseCycling(parseNamedTable('cycle,charge (mAh)\n1,2\n', 'c.csv'))).toThrow(
      /discharge capacity column \(columns: cycle, charge \(mAh\)\)/,
    );
    expect(() => analyseCycling(parseNamedTable('cycle,charge,discharge\n1,2,1\n', 'c.csv'))).toThrow(
      OptionError,
    );
  });
});

describe('DC polarisation from files', () => {
  it('fits R_b and R_int from the spectra before and after, and reads an EC-Lab .mpt record', async () => {
    const f = Array.from({ length: 40 }, (_, k) => 10 ** (6 - (7 * k) / 39));
    const spectrum = (rint: number) => {
      const z = circuitImpedance(circuit('R0-p(R1,CPE1)'), [50, rint, 1e-5, 0.9], f);
      return tempFile(
        `s${rint}.csv`,
        `f,re,im\n${f.map((x, k) => `${x},${z.re[k]},${z.im[k]}`).join('\n')}\n`,
      );
    };
    const iss = (0.98 * 0.1) / (50 + 0.98 * 12);
    const rows: string[] = [];
    for (let t = 0; t <= 3600; t += 10)
      rows.push(`${t}\t${1000 * (iss + (2e-3 - iss) * Math.exp(-t / 100))}\t0.1`);
    const header = ['EC-Lab ASCII FILE', 'Nb header lines : 4', '', 'time/s\t<I>/mA\tEwe/V'];
    const mpt = tempFile('pol.mpt', `${[...header, ...rows].join('\n')}\n`);
    const r = await transferenceFromFiles(mpt, 0.1, {
      before: spectrum(10),
      after: spectrum(12),
      circuit: 'R0-p(R1,CPE1)',
      bulk: ['R0'],
      interface: ['R1'],
      fit: { initialGuess: [20, 20, 1e-6, 0.8] },
    });
    expect(r.bulkOhm).toBeCloseTo(50, 6);
    expect(r.interfaceInitialOhm).toBeCloseTo(10, 6);
    expect(r.interfaceSteadyOhm).toBeCloseTo(12, 6);
    expect(r.result.watanabe).toBeCloseTo(0.98, 6);
  });
});
