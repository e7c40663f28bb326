/** A study file's [measured] table, and measured sigma(T) set beside the simulated Arrhenius line. */
import { describe, expect, it } from 'vitest';
import type { TransportResult } from '../../src/analysis/transport/analyse-run.js';
import { arrheniusSummary } from '../../src/analysis/transport/arrhenius-summary.js';
import { BOLTZMANN_EV_PER_K } from '../../src/core/units.js';
import { circuit, circuitImpedance } from '../../src/experiment/circuits/circuit.js';
import { compareMeasured, measuredCsv, measuredTable } from '../../src/study/measured.js';
import { studyFromObject } from '../../src/study/spec.js';
import { tempFile } from '../helpers.js';

const base = () => ({ model: { mix: '0b:8' }, simulation: { series: { temperatures: [400, 500, 600] } } });

/** Simulated runs with D = D0 exp(-Ea / kT): what arrheniusSummary reads. */
const runs = (ea: number): TransportResult[] =>
  [400, 500, 600, 700].map(
    (T, i) =>
      ({
        temperatureK: T,
        carriers: 24,
        volumeA3: 2918,
        charge: 1,
        diffusivity: {
          glsCm2PerS: {
            value: 1e-2 * Math.exp(-ea / (BOLTZMANN_EV_PER_K * T)) * (1 + 0.01 * (i % 2 ? 1 : -1)),
            std: 1e-9,
            low95: 0,
            high95: 0,
          },
        },
      }) as unknown as TransportResult,
  );

describe('[measured] in the study file', () => {
  it('is optional, and reads values in C', () => {
    expect(studyFromObject(base(), 's.toml').measured).toBeNull();
    const s = studyFromObject(
      { ...base(), measured: { temperatures_c: [30, 50], sigma_ms_cm: [1.3, 2.6] } },
      's.toml',
    );
    expect(s.measured?.temperaturesK).toEqual([303.15, 323.15]);
    expect(s.measured?.sigmaMsPerCm).toEqual([1.3, 2.6]);
  });
  it('reads spectra relative to the study file, with the pellet', () => {
    const s = studyFromObject(
      {
        ...base(),
        measured: {
          temperatures_k: [300],
          spectra: ['eis/a.csv'],
          thickness_mm: 1,
          diameter_mm: 10,
          circuit: 'p(R1,CPE1)-CPE2',
          bulk: 'R1',
        },
      },
      '/data/study/s.toml',
    );
    expect(s.measured?.spectra).toEqual(['/data/study/eis/a.csv']);
    expect(s.measured?.bulk).toEqual(['R1']);
  });
  it('refuses what does not fit together, naming the key', () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ sigma_ms_cm: [1.3] }, /measured: temperatures_c or temperatures_k/],
      [{ temperatures_c: [30, 50], sigma_ms_cm: [1.3] }, /one temperature per conductivity \(2 for 1\)/],
      [
        { temperatures_c: [30], sigma_ms_cm: [-1] },
        /measured\.sigma_ms_cm: a list of positive conductivities/,
      ],
      [{ temperatures_c: [30], spectra: ['a.csv'] }, /measured\.thickness_mm/],
      [{ temperatures_c: [30], sigma_ms_cm: [1], colour: 'red' }, /measured\.colour: a known setting/],
    ];
    for (const [m, message] of bad)
      expect(() => studyFromObject({ ...base(), measured: m }, 's.toml')).toThrow(message);
  });
});

describe('measured against simulated sigma(T)', () => {
  it('evaluates the simulated Arrhenius line at the measured temperatures', async () => {
    const sim = runs(0.3);
    const c = await compareMeasured(
      { temperaturesK: [273.15, 303.15, 323.15], sigmaMsPerCm: [0.5, 1.3, 2.2] },
      sim,
    );
    const at303 = arrheniusSummary(sim, 303.15).extrapolation.conductivityMsPerCm;
    expect(c.rows[1].simulatedMsPerCm.value).toBeCloseTo(at303.value, 12);
    expect(c.rows[1].ratio).toBeCloseTo(at303.value / 1.3, 12);
    expect(c.simulatedActivationEv.value).toBeCloseTo(0.3, 2);
    expect(c.measuredFit?.arrhenius.points).toBe(3);
    expect(measuredTable(c)).toMatch(/Ea simulated 0\.30\d eV/);
    expect(measuredCsv(c).split('\n')[0]).toMatch(/^temperature_K,measured_sigma_mS_cm/);
  });
  it('computes measured sigma from spectra', async () => {
    const tk = [273.15, 303.15, 333.15];
    const files = tk.map((T, i) => {
      const sigma = 3000 * Math.exp(-0.47 / (BOLTZMANN_EV_PER_K * T));
      const r = 0.1 / (sigma * Math.PI * 0.25);
      const f = Array.from({ length: 40 }, (_, k) => 10 ** (6.5 - (7 * k) / 39));
      const z = circuitImpedance(circuit('p(R1,CPE1)-CPE2'), [r, 1e-10, 0.95, 1e-6, 0.85], f);
      return tempFile(`m${i}.csv`, `f,re,im\n${f.map((x, k) => `${x},${z.re[k]},${z.im[k]}`).join('\n')}\n`);
    });
    const c = await compareMeasured(
      { temperaturesK: tk, spectra: files, thicknessMm: 1, diameterMm: 10, circuit: 'p(R1,CPE1)-CPE2' },
      runs(0.3),
    );
    expect(c.measuredFit?.arrhenius.activationEv.value).toBeCloseTo(0.47, 6);
  });
});
