/**
 * The replica average's 95 % intervals use Student's t with n - 1 degrees of freedom. The table it
 * once used rounded 21-25 degrees of freedom to 25 (2.060), 26-29 to 30 (2.042) and everything
 * above 30 to the normal 1.96: intervals too narrow for 22-30 and over 31 models.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { StudyResult } from '../../src/study/analysis.js';
import { combineReplicas } from '../../src/study/replicas.js';
import type { StudySpec } from '../../src/study/spec.js';

/** Minimal stand-ins: combineReplicas reads only these fields. */
const spec = {
  transport: { arrheniusMinK: 400, arrheniusMaxK: 700, extrapolateK: 300 },
} as unknown as StudySpec;
const model = (k: number): StudyResult => {
  const row = (temperatureK: number, d: number) => ({
    temperatureK,
    result: {
      diffusivity: { glsCm2PerS: { value: d } },
      conductivity: { nernstEinsteinMsPerCm: { value: 10 * d } },
      carriers: 64,
      volumeA3: 20_000,
      charge: 1,
    },
  });
  // Seeds spread their D evenly about 1e-6 and 1e-7 cm^2/s.
  const u = (k % 7) - 3;
  return {
    rows: [row(600, 1e-6 * (1 + 0.05 * u)), row(450, 1e-7 * (1 + 0.05 * u))],
    arrhenius: { ols: { activationEv: { value: 0.4 } } },
  } as unknown as StudyResult;
};

const halfWidthOverSe = (models: number) => {
  const results = Array.from({ length: models }, (_, k) => model(k));
  const seeds = results.map((_, k) => k + 1);
  const row = combineReplicas(spec, results, seeds).rows[0].diffusivityCm2PerS;
  return (row.high95 - row.value) / row.std;
};

describe('replica average intervals', () => {
  it('use the exact t quantile for 22..30 and more than 31 models (mpmath values)', () => {
    // t_{0.975}(df) from test/reference/t-quantiles.json ('exact', mpmath).
    const cases: [number, number][] = [
      [3, 4.302652729749462],
      [21, 2.0859634472658644],
      [22, 2.07961384472768],
      [26, 2.0595385527532972],
      [27, 2.0555294386428726],
      [30, 2.045229642132704],
      [32, 2.039513446396408],
      [101, 1.9839715185235518],
    ];
    for (const [models, t] of cases)
      expect(halfWidthOverSe(models), `${models} models, df ${models - 1}`).toBeCloseTo(t, 9);
  });

  it('Ea and the extrapolation of the mean D take the same t quantile (not z = 1.96)', () => {
    // t_{0.975}(models - 1), exact (mpmath), from test/reference/t-quantiles.json.
    const table = JSON.parse(
      readFileSync(new URL('../reference/t-quantiles.json', import.meta.url), 'utf8'),
    ) as { quantiles: { p: number; df: number; exact: number }[] };
    const exact = (df: number) => table.quantiles.find((q) => q.p === 0.975 && q.df === df)!.exact;
    for (const models of [2, 4, 31]) {
      const t = exact(models - 1);
      const results = Array.from({ length: models }, (_, k) => model(k));
      const r = combineReplicas(
        spec,
        results,
        results.map((_, k) => k + 1),
      );
      expect(r.quantile95).toBeCloseTo(t, 9);
      const ea = r.activationEv;
      expect((ea.high95 - ea.value) / ea.std).toBeCloseTo(t, 9);
      expect((ea.value - ea.low95) / ea.std).toBeCloseTo(t, 9);
      // ln D(300 K) +- t sd: the interval's log half-widths are t times the propagated sd.
      const d = r.extrapolation.diffusivityCm2PerS;
      const sdLn = d.std / d.value;
      expect(Math.log(d.high95 / d.value) / sdLn).toBeCloseTo(t, 9);
      expect(Math.log(d.value / d.low95) / sdLn).toBeCloseTo(t, 9);
    }
  });
});
