import { describe, expect, it } from 'vitest';
import type { TransportResult } from '../../src/analysis/transport/analyse-run.js';
import { arrheniusSummary } from '../../src/analysis/transport/arrhenius-summary.js';
import { transportTable } from '../../src/analysis/transport/report.js';
import { vtfComparisonLines } from '../../src/analysis/transport/vtf.js';
import { BOLTZMANN_EV_PER_K } from '../../src/core/units.js';
import type { StudyResult } from '../../src/study/analysis.js';
import { studyTable } from '../../src/study/output.js';

/** The fields arrheniusSummary reads of a run: T, the GLS D with its std, carriers, volume, charge. */
const run = (temperatureK: number, d: number, relStd = 0.05) =>
  ({
    temperatureK,
    diffusivity: { glsCm2PerS: { value: d, std: d * relStd, low95: 0, high95: 0 } },
    carriers: 64,
    volumeA3: 8000,
    charge: 1,
  }) as unknown as TransportResult;

const vtfD = (T: number) => 1e-3 * Math.exp(-0.08 / (BOLTZMANN_EV_PER_K * (T - 200)));
const arrD = (T: number) => 1e-2 * Math.exp(-0.4 / (BOLTZMANN_EV_PER_K * T));
// Deterministic +-2 % scatter so that Arrhenius data are not exactly on the line.
const wiggle = [1.02, 0.98, 1.015, 0.985, 1.01, 0.99];

describe('VTF beside the Arrhenius fit of simulated D(T)', () => {
  it('is absent with two temperatures (the existing summary unchanged)', () => {
    const a = arrheniusSummary([run(400, arrD(400)), run(500, arrD(500))], 300);
    expect(a.vtf).toBeUndefined();
  });

  it('with three temperatures is exactly determined: no interval, no AICc comparison, said so', () => {
    const a = arrheniusSummary([run(400, vtfD(400)), run(500, vtfD(500)), run(600, vtfD(600))], 300);
    const v = a.vtf!;
    expect(v.exactlyDetermined).toBe(true);
    expect(v.fit.t0K).toBeCloseTo(200, 3);
    expect(v.fit.pseudoActivationEv).toBeCloseTo(0.08, 6);
    expect(v.aiccArrhenius).toBeNull();
    expect(v.aiccVtf).toBeNull();
    expect(v.preferred).toBeNull();
    expect(v.fit.pseudoActivationEv95.every(Number.isNaN)).toBe(true);
    const text = transportTable({ runs: [], arrhenius: a });
    expect(text).toMatch(/VTF ln D .* over 3 temperatures: B = 0\.08000 eV, T0 = 200\.0 K\n/);
    expect(text).toContain('exactly determined, so no interval and no AICc comparison');
    expect(text).not.toContain('AICc of ln D');
  });

  it('with five temperatures of a VTF law recovers B and T0 and prefers VTF by AICc', () => {
    const T = [350, 400, 450, 500, 600];
    const a = arrheniusSummary(
      T.map((t) => run(t, vtfD(t))),
      300,
    );
    const v = a.vtf!;
    expect(v.exactlyDetermined).toBe(false);
    expect(v.fit.t0K).toBeCloseTo(200, 3);
    expect(v.fit.pseudoActivationEv).toBeCloseTo(0.08, 6);
    expect(v.preferred).toBe('vtf');
    expect(v.aiccVtf!).toBeLessThan(v.aiccArrhenius! - 2);
    const text = transportTable({ runs: [], arrhenius: a });
    expect(text).toContain('AICc of ln D (unweighted): Arrhenius');
    expect(text).toContain('VTF preferred');
    // The Arrhenius lines stay as they were.
    expect(text).toContain('Arrhenius (5 runs, weighted fit of ln D vs 1/T):');
    // The study's summary carries the same lines under its Arrhenius fit.
    const study = studyTable({
      name: 'm',
      rows: [],
      arrhenius: a,
      windowK: [350, 600],
    } as unknown as StudyResult);
    expect(study).toMatch(
      /Arrhenius 350-600 K \(5 temperatures.*\n.*\nVTF ln D = .* over 5 temperatures: B = 0\.08000 eV \[/,
    );
    expect(study).toContain('VTF preferred');
  });

  it('with six temperatures of a scattered Arrhenius law does not prefer VTF', () => {
    const T = [350, 400, 450, 500, 550, 600];
    const a = arrheniusSummary(
      T.map((t, i) => run(t, arrD(t) * wiggle[i])),
      300,
    );
    const v = a.vtf!;
    expect(v.preferred === 'arrhenius' || v.preferred === 'either').toBe(true);
    const [head] = vtfComparisonLines(v, 'D');
    // Intervals are given with residual degrees of freedom.
    expect(head).toMatch(/B = \S+ eV \[\S+, \S+\]/);
  });
});
