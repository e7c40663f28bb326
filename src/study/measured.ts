import { dirname, resolve } from 'node:path';
import type { TransportResult } from '../analysis/transport/analyse-run.js';
import { arrheniusSummary } from '../analysis/transport/arrhenius-summary.js';
import type { Estimate } from '../analysis/transport/diffusivity.js';
import { formatSignificant } from '../core/format-number.js';
import {
  type ConductivityTemperatureFit,
  fitConductivityTemperature,
} from '../experiment/conductivity/arrhenius-vtf.js';
import { conductivityArrheniusFiles } from '../experiment/eis-files.js';
import type { Fields } from '../io/settings-fields.js';

/**
 * Measured conductivities to set beside the simulated ones (`[measured]` in the study file):
 *
 *   [measured]
 *   temperatures_c = [-20, 0, 30, 50]          (or temperatures_k)
 *   sigma_ms_cm = [0.11, 0.35, 1.3, 2.6]       (values, or spectra:)
 *   spectra = ["eis/m20C.mpt", ...]             (paths relative to the study file)
 *   thickness_mm = 1.0, diameter_mm = 10 (or area_cm2), circuit = "p(R1,CPE1)-CPE2", bulk = "R1"
 *
 * With spectra, sigma comes from oligolyte eis arrhenius (R_bulk from the circuit or the intercept).
 */
export interface MeasuredSpec {
  temperaturesK: number[];
  sigmaMsPerCm?: number[];
  spectra?: string[];
  thicknessMm?: number;
  diameterMm?: number;
  areaCm2?: number;
  circuit?: string;
  bulk?: string[];
}

const numberList = (
  f: Fields,
  key: string,
  test: (v: number) => boolean,
  what: string,
): number[] | undefined => {
  const v = f.use(key);
  if (v === undefined) return undefined;
  if (
    !Array.isArray(v) ||
    v.length === 0 ||
    !v.every((x) => typeof x === 'number' && Number.isFinite(x) && test(x))
  )
    throw f.error(key, `a list of ${what}`, v);
  return v as number[];
};

/** The `[measured]` table (null when absent). Paths are resolved against the study file's folder. */
export const measuredFromFields = (f: Fields, file: string): MeasuredSpec | null => {
  if (Object.keys(f.raw).length === 0) return null;
  const tc = numberList(f, 'temperatures_c', (v) => v > -273.15, 'temperatures above -273.15 (C)');
  const tk = numberList(f, 'temperatures_k', (v) => v > 0, 'positive temperatures (K)');
  if ((tc === undefined) === (tk === undefined))
    throw f.error('', 'temperatures_c or temperatures_k, one of the two', f.raw);
  const temperaturesK = tk ?? (tc as number[]).map((c) => c + 273.15);
  const sigmaMsPerCm = numberList(f, 'sigma_ms_cm', (v) => v > 0, 'positive conductivities (mS/cm)');
  const spectraRaw = f.use('spectra');
  if ((sigmaMsPerCm === undefined) === (spectraRaw === undefined))
    throw f.error('', 'sigma_ms_cm or spectra, one of the two', f.raw);
  let spectra: string[] | undefined;
  if (spectraRaw !== undefined) {
    if (!Array.isArray(spectraRaw) || !spectraRaw.every((s) => typeof s === 'string' && s !== ''))
      throw f.error('spectra', 'a list of impedance files', spectraRaw);
    spectra = (spectraRaw as string[]).map((s) => resolve(dirname(file), s));
  }
  const n = (sigmaMsPerCm ?? spectra ?? []).length;
  if (n !== temperaturesK.length)
    throw f.error(
      '',
      `one temperature per ${sigmaMsPerCm ? 'conductivity' : 'spectrum'} (${temperaturesK.length} for ${n})`,
      f.raw,
    );
  const out: MeasuredSpec = { temperaturesK, sigmaMsPerCm, spectra };
  if (spectra) {
    out.thicknessMm = f.positive('thickness_mm', undefined, 'mm');
    if (f.has('diameter_mm') === f.has('area_cm2'))
      throw f.error('', 'diameter_mm or area_cm2, one of the two', f.raw);
    if (f.has('diameter_mm')) out.diameterMm = f.positive('diameter_mm', undefined, 'mm');
    else out.areaCm2 = f.positive('area_cm2', undefined, 'cm^2');
    if (f.has('circuit')) out.circuit = f.str('circuit', undefined);
    if (f.has('bulk'))
      out.bulk = f
        .str('bulk', undefined)
        .split(/[+,]/)
        .map((s) => s.trim())
        .filter(Boolean);
  }
  f.done();
  return out;
};

/** Measured sigma(T) beside the simulation's Arrhenius line evaluated at the same temperatures. */
export interface MeasuredComparison {
  rows: {
    temperatureK: number;
    measuredMsPerCm: number;
    /** The simulation's Nernst-Einstein sigma from its Arrhenius fit of D at this T (95 %). */
    simulatedMsPerCm: Estimate;
    /** simulated / measured. */
    ratio: number;
  }[];
  /** Arrhenius (and VTF with 4+ points) of the measured sigma; null with one temperature. */
  measuredFit: ConductivityTemperatureFit | null;
  simulatedActivationEv: Estimate;
}

/** Read or compute the measured sigma(T) and evaluate the simulated Arrhenius line at its temperatures. */
export const compareMeasured = async (
  m: MeasuredSpec,
  runs: TransportResult[],
): Promise<MeasuredComparison> => {
  let sigmaSCm: number[];
  if (m.sigmaMsPerCm) sigmaSCm = m.sigmaMsPerCm.map((v) => v / 1000);
  else {
    const r = await conductivityArrheniusFiles(m.spectra as string[], m.temperaturesK, {
      pellet: { thicknessMm: m.thicknessMm as number, diameterMm: m.diameterMm, areaCm2: m.areaCm2 },
      circuit: m.circuit,
      bulk: m.bulk,
    });
    sigmaSCm = r.runs.map((x) => x.sigma.sCm);
  }
  const rows = m.temperaturesK.map((T, i) => {
    const sim = arrheniusSummary(runs, T);
    const s = sim.extrapolation.conductivityMsPerCm;
    return {
      temperatureK: T,
      measuredMsPerCm: 1000 * sigmaSCm[i],
      simulatedMsPerCm: s,
      ratio: s.value / (1000 * sigmaSCm[i]),
    };
  });
  const sim = arrheniusSummary(runs, m.temperaturesK[0]);
  return {
    rows,
    measuredFit: m.temperaturesK.length >= 2 ? fitConductivityTemperature(m.temperaturesK, sigmaSCm) : null,
    simulatedActivationEv: (sim.weighted ?? sim.ols).activationEv,
  };
};

const g = (v: number, digits = 3) => formatSignificant(v, digits, 1e-2, 1e5);

/** The comparison as printed under the study's table. */
export const measuredTable = (c: MeasuredComparison): string => {
  const lines = [
    "measured sigma against the simulation's Arrhenius line (Nernst-Einstein, 95 %):",
    `  ${'T/K'.padStart(7)} ${'measured/mS cm-1'.padStart(17)}  ${'simulated/mS cm-1'.padEnd(30)} sim/meas`,
  ];
  for (const r of c.rows)
    lines.push(
      `  ${r.temperatureK.toFixed(1).padStart(7)} ${g(r.measuredMsPerCm).padStart(17)}  ${`${g(r.simulatedMsPerCm.value)} [${g(r.simulatedMsPerCm.low95, 2)}, ${g(r.simulatedMsPerCm.high95, 2)}]`.padEnd(30)} ${g(r.ratio)}`,
    );
  const e = c.simulatedActivationEv;
  const mf = c.measuredFit;
  lines.push(
    `  Ea simulated ${e.value.toFixed(3)} eV [${e.low95.toFixed(3)}, ${e.high95.toFixed(3)}]${mf ? `; measured ${mf.arrhenius.activationEv.value.toFixed(3)} eV${mf.activationEv95 ? ` [${mf.activationEv95[0].toFixed(3)}, ${mf.activationEv95[1].toFixed(3)}]` : ''}` : ''}`,
  );
  return `${lines.join('\n')}\n`;
};

/** measured.csv: one row per measured temperature. */
export const measuredCsv = (c: MeasuredComparison): string =>
  `${[
    'temperature_K,measured_sigma_mS_cm,simulated_sigma_mS_cm,simulated_low95,simulated_high95,simulated_over_measured',
    ...c.rows.map((r) =>
      [
        r.temperatureK,
        r.measuredMsPerCm,
        r.simulatedMsPerCm.value,
        r.simulatedMsPerCm.low95,
        r.simulatedMsPerCm.high95,
        r.ratio,
      ].join(','),
    ),
  ].join('\n')}\n`;
