import { writeFileSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { analyseTransport, type TransportResult } from '../analysis/transport/analyse-run.js';
import { extrapolate, fitArrheniusWeighted } from '../analysis/transport/arrhenius.js';
import { type ArrheniusSummary, arrheniusSummary } from '../analysis/transport/arrhenius-summary.js';
import { nernstEinsteinFactor } from '../analysis/transport/conductivity.js';
import type { Estimate } from '../analysis/transport/diffusivity.js';
import { packGlass } from '../builders/pack-glass.js';
import { supercell } from '../builders/supercell.js';
import { mixFromComposition, parseMix } from '../builders/mix.js';
import { OptionError, ParseError } from '../core/errors.js';
import { formatSignificant } from '../core/format-number.js';
import type { Structure } from '../core/frame.js';
import { readFrames } from '../io/registry.js';
import { Fields, type Raw } from '../io/settings-fields.js';
import { readSettingsFile } from '../io/settings-file.js';
import { branchFolder, type ProtocolSpec, protocolFromObject } from '../md/protocols/protocol.js';
import type { ProtocolResult } from '../md/protocols/run-protocol.js';
import { trajectoryName } from '../md/protocols/run-stage.js';

/**
 * A study: build a model, run a protocol on it, analyse the Li transport of every series
 * temperature, and fit Arrhenius over a temperature window with an extrapolation (the study's
 * 400-700 K fit, extrapolated to 300 K). The study file (TOML):
 *
 *   name = "LAOC-0b"
 *   [model]        mix = "0b:8" (or composition = "LAOC^0b", trimers = 8), density = 1.9, seed = 1,
 *                  supercell = [2, 2, 2] (optional: the packed cell repeated, as the study's large cells)
 *   [simulation]   a protocol (see md/protocols/protocol.ts) without `structure`
 *   [transport]    species = "Li", arrhenius_min = 400, arrhenius_max = 700, extrapolate = 300
 */
export interface StudySpec {
  file: string;
  name: string;
  model: {
    mix?: string;
    composition?: string;
    trimers: number;
    density: number;
    seed: number;
    /** Independent models (seeds seed, seed + 1, ...), each run and analysed, then averaged. */
    replicas: number;
    cation: string;
    /** The packed cell repeated na x nb x nc times (the study built its 16,384-atom cell from copies
     * of the 8-trimer cell; packing many trimers at once at 1.9 g/cm3 often fails). */
    supercell: [number, number, number];
  };
  protocol: ProtocolSpec;
  transport: {
    species: string;
    arrheniusMinK: number;
    arrheniusMaxK: number;
    extrapolateK: number;
    fitStartPs?: number;
    fitEndPs?: number;
  };
}

/** Three whole repeat counts (default [1, 1, 1]). */
const repeatsOf = (m: Fields, key: string): [number, number, number] => {
  const v = m.use(key);
  if (v === undefined) return [1, 1, 1];
  if (!Array.isArray(v) || v.length !== 3 || !v.every((k) => Number.isInteger(k) && k >= 1 && k <= 20))
    throw m.error(key, 'three whole repeat counts 1-20, e.g. [2, 2, 2]', v);
  return v as [number, number, number];
};

/** A sub-table of the study file ({} when absent), read with the path of every error. */
const table = (top: Fields, key: string): Fields => {
  const v = top.use(key) ?? {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw top.error(key, 'a table', v);
  return new Fields(v as Raw, key, top.file);
};

export const studyFromObject = (raw: Record<string, unknown>, file: string): StudySpec => {
  const top = new Fields(raw, '', file);
  const name = top.str('name', basename(file, extname(file)));
  if (name === '') throw top.error('name', 'a non-empty string', name);
  const m = table(top, 'model');
  if (m.has('mix') === m.has('composition'))
    throw m.error('', 'either mix ("0b:8") or composition ("LAOC^0b")', m.raw);
  const mix = m.has('mix') ? m.str('mix', undefined) : undefined;
  const composition = m.has('composition') ? m.str('composition', undefined) : undefined;
  const model: StudySpec['model'] = {
    mix,
    composition,
    trimers: m.whole('trimers', 8, 1),
    density: m.positive('density', 1.9, 'g/cm3'),
    seed: m.num('seed', 1, Number.isInteger, 'a whole number'),
    replicas: m.num('replicas', 1, (v) => Number.isInteger(v) && v >= 1 && v <= 100, 'a whole number 1-100'),
    cation: m.str('cation', 'Li'),
    supercell: repeatsOf(m, 'supercell'),
  };
  m.done();
  const sim = table(top, 'simulation').raw;
  if (sim.structure !== undefined)
    throw top.error('simulation.structure', 'nothing (the study builds the model)', sim.structure);
  const protocol = protocolFromObject(sim, file);
  if (!protocol.series)
    throw top.error('simulation.series', 'the temperatures for the transport analysis', undefined);
  const t = table(top, 'transport');
  const transport: StudySpec['transport'] = {
    species: t.str('species', 'Li'),
    arrheniusMinK: t.positive('arrhenius_min', 400, 'K'),
    arrheniusMaxK: t.positive('arrhenius_max', 700, 'K'),
    extrapolateK: t.positive('extrapolate', 300, 'K'),
    fitStartPs: t.has('fit_start_ps')
      ? t.num('fit_start_ps', undefined, (v) => v >= 0, 'a time >= 0 (ps)')
      : undefined,
    fitEndPs: t.has('fit_end_ps') ? t.positive('fit_end_ps', undefined, 'ps') : undefined,
  };
  t.done();
  top.done();
  const inWindow = protocol.series.temperaturesK.filter(
    (T) => T >= transport.arrheniusMinK && T <= transport.arrheniusMaxK,
  );
  if (inWindow.length < 2)
    throw t.error(
      '',
      `at least two series temperatures within arrhenius_min..arrhenius_max (${transport.arrheniusMinK}-${transport.arrheniusMaxK} K)`,
      protocol.series.temperaturesK,
    );
  return { file, name, model, protocol, transport };
};

export const readStudy = (path: string): StudySpec => {
  const raw = readSettingsFile(path, 'study');
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ParseError({ file: path, expected: 'a table of settings', found: JSON.stringify(raw) });
  return studyFromObject(raw as Record<string, unknown>, resolve(path));
};

/**
 * The quick variant (tests, a first look): every shared stage at most 0.5 ps, and per
 * temperature 0.5 ps of equilibration and 5 ps of production. Its numbers are not results.
 */
export const quickProtocol = (p: ProtocolSpec): ProtocolSpec => {
  const cap = (ps: number) => (s: ProtocolSpec['stages'][number]) => ({
    ...s,
    steps: Math.min(s.steps, Math.round((ps * 1000) / s.timeStepFs)),
  });
  return {
    ...p,
    stages: p.stages.map(cap(0.5)),
    series: p.series && {
      ...p.series,
      stages: p.series.stages.map((s) => cap(s.name === 'produce' ? 5 : 0.5)(s)),
    },
  };
};

/** The model of a study (deterministic: the same file gives the same structure). */
export const buildStudyModel = (spec: StudySpec, seed = spec.model.seed): Structure => {
  const model = { ...spec.model, seed };
  if (!['Li', 'Na', 'K'].includes(model.cation))
    throw new OptionError(`${spec.file}: [model] cation "${model.cation}" is not Li, Na or K`);
  let units: ReturnType<typeof parseMix>;
  let cations: { element: string; count: number }[];
  if (model.composition) {
    const m = mixFromComposition(model.composition, model.trimers, { seed: model.seed });
    units = m.units;
    cations = m.cations;
  } else {
    units = parseMix(model.mix!, { seed: model.seed });
    const charge = units.reduce((s, u) => s + u.molecule.charge * u.count, 0);
    cations = charge < 0 ? [{ element: model.cation, count: -charge }] : [];
  }
  const packed = packGlass({
    units: units.map((u) => ({ molecule: u.molecule, count: u.count })),
    cations,
    density: model.density,
    seed: model.seed,
  });
  return model.supercell.every((k) => k === 1) ? packed : supercell(packed, model.supercell);
};

export interface StudyTransportRow {
  temperatureK: number;
  /** Mean temperature of the production run (thermostat check). */
  measuredTemperatureK: number;
  /** Mean density of the production run (g/cm3): the model's own under NVT, the barostat's under NPT. */
  densityGPerCm3: number;
  result: TransportResult;
}

export interface StudyResult {
  name: string;
  quick: boolean;
  rows: StudyTransportRow[];
  arrhenius: ArrheniusSummary;
  /** The Arrhenius window used. */
  windowK: [number, number];
}

/** Transport of every series temperature and the Arrhenius fit over the window. */
export const analyseStudy = async (
  spec: StudySpec,
  run: ProtocolResult,
  runDir: string,
  options: { quick: boolean; onWarning?: (m: string) => void; onTemperature?: (T: number) => void },
): Promise<StudyResult> => {
  const series = spec.protocol.series!;
  const rows: StudyTransportRow[] = [];
  for (const T of series.temperaturesK) {
    options.onTemperature?.(T);
    const produce = series.stages[series.stages.length - 1];
    const dir = join(
      runDir,
      'series',
      branchFolder(T),
      `${String(series.stages.length).padStart(2, '0')}-${produce.name}`,
    );
    const name =
      spec.protocol.engine === 'lammps' ? 'trajectory.lammpstrj' : trajectoryName(spec.protocol.dumpFormat);
    const result = (
      await analyseTransport(readFrames(join(dir, name), { onWarning: options.onWarning }), {
        species: spec.transport.species,
        temperatureK: T,
        // LAMMPS dumps carry steps, not times: the frame interval from the production stage.
        timeStepFs: produce.timeStepFs,
        frameStep: produce.dumpEvery,
        fitStartPs: spec.transport.fitStartPs,
        fitEndPs: spec.transport.fitEndPs,
      })
    ).result;
    const branch = run.series?.find((b) => b.temperatureK === T);
    const summary = branch?.stages[branch.stages.length - 1];
    rows.push({
      temperatureK: T,
      measuredTemperatureK: summary?.temperatureK.mean ?? Number.NaN,
      densityGPerCm3: summary?.densityGPerCm3.mean ?? Number.NaN,
      result,
    });
  }
  const window = rows.filter(
    (r) => r.temperatureK >= spec.transport.arrheniusMinK && r.temperatureK <= spec.transport.arrheniusMaxK,
  );
  const positive = window.filter((r) => r.result.diffusivity.glsCm2PerS.value > 0);
  if (positive.length < 2)
    throw new OptionError(
      `fewer than two temperatures in ${spec.transport.arrheniusMinK}-${spec.transport.arrheniusMaxK} K have a positive ${spec.transport.species} diffusivity; run longer`,
    );
  return {
    name: spec.name,
    quick: options.quick,
    rows,
    arrhenius: arrheniusSummary(
      positive.map((r) => r.result),
      spec.transport.extrapolateK,
    ),
    windowK: [spec.transport.arrheniusMinK, spec.transport.arrheniusMaxK],
  };
};

const g = (v: number, digits = 3) => formatSignificant(v, digits, 1e-2, 1e5);

/** The printed table: per temperature D and sigma with 95 % intervals; the fit; sigma at the extrapolation temperature. */
export const studyTable = (r: StudyResult): string => {
  const lines: string[] = [];
  const sp = r.rows[0]?.result.species ?? 'Li';
  lines.push(`${r.name}${r.quick ? ' (--quick: short runs, not results)' : ''}: ${sp} transport`);
  lines.push(
    `  ${'T/K'.padStart(5)} ${'T run/K'.padStart(8)} ${'rho/g cm-3'.padStart(10)}  ${`D(${sp})/cm2 s-1`.padEnd(30)} ${'sigma NE/mS cm-1'.padEnd(30)} fit/ps`,
  );
  for (const row of r.rows) {
    const d = row.result.diffusivity;
    const D = d.glsCm2PerS;
    const s = row.result.conductivity.nernstEinsteinMsPerCm;
    const ci = (e: { value: number; low95: number; high95: number }) =>
      `${g(e.value)} [${g(e.low95, 2)}, ${g(e.high95, 2)}]`;
    lines.push(
      `  ${String(row.temperatureK).padStart(5)} ${row.measuredTemperatureK.toFixed(1).padStart(8)} ${row.densityGPerCm3.toFixed(3).padStart(10)}  ${ci(D).padEnd(30)} ${ci(s).padEnd(30)} ${g(d.fitStartPs, 2)}-${g(d.fitEndPs, 3)}`,
    );
  }
  const a = r.arrhenius;
  const fit = a.weighted ?? a.ols;
  const ea = fit.activationEv;
  lines.push(
    `Arrhenius ${r.windowK[0]}-${r.windowK[1]} K (${a.temperaturesK.length} temperatures, ${fit.method} fit of ln D vs 1/T): Ea = ${ea.value.toFixed(3)} eV [${ea.low95.toFixed(3)}, ${ea.high95.toFixed(3)}]`,
  );
  const x = a.extrapolation;
  lines.push(
    `extrapolated to ${x.temperatureK} K: D = ${g(x.diffusivityCm2PerS.value)} cm2/s [${g(x.diffusivityCm2PerS.low95, 2)}, ${g(x.diffusivityCm2PerS.high95, 2)}], sigma = ${g(x.conductivityMsPerCm.value)} mS/cm [${g(x.conductivityMsPerCm.low95, 2)}, ${g(x.conductivityMsPerCm.high95, 2)}] (95 %)`,
  );
  lines.push(
    'note: these intervals are those of this one model; independent 128-atom models (other seeds) scatter more (with laoc-v4 and the protocol of examples/laoc-0b.toml, nine runs gave Ea 0.20-0.37 eV; docs/FORCEFIELD-NOTES.md): average several seeds for a calibration-grade number',
  );
  return `${lines.join('\n')}\n`;
};

export const writeStudyOutputs = (dir: string, r: StudyResult): void => {
  const json = JSON.stringify(r, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 1);
  writeFileSync(join(dir, 'study.json'), `${json}\n`);
  const csv = [
    'temperature_K,measured_temperature_K,density_g_cm3,D_cm2_s,D_std,D_low95,D_high95,sigma_mS_cm,sigma_std,sigma_low95,sigma_high95,haven_ratio,fit_start_ps,fit_end_ps',
    ...r.rows.map((row) => {
      const D = row.result.diffusivity.glsCm2PerS;
      const s = row.result.conductivity.nernstEinsteinMsPerCm;
      return [
        row.temperatureK,
        row.measuredTemperatureK,
        row.densityGPerCm3,
        D.value,
        D.std,
        D.low95,
        D.high95,
        s.value,
        s.std,
        s.low95,
        s.high95,
        row.result.conductivity.havenRatio.value,
        row.result.diffusivity.fitStartPs,
        row.result.diffusivity.fitEndPs,
      ].join(',');
    }),
  ];
  writeFileSync(join(dir, 'arrhenius.csv'), `${csv.join('\n')}\n`);
  writeFileSync(join(dir, 'summary.txt'), studyTable(r));
};

/** Two-sided 95 % quantile of Student's t with `df` degrees of freedom (normal beyond 30). */
const T95: Record<number, number> = {
  1: 12.706,
  2: 4.303,
  3: 3.182,
  4: 2.776,
  5: 2.571,
  6: 2.447,
  7: 2.365,
  8: 2.306,
  9: 2.262,
  10: 2.228,
  11: 2.201,
  12: 2.179,
  13: 2.16,
  14: 2.145,
  15: 2.131,
  16: 2.12,
  17: 2.11,
  18: 2.101,
  19: 2.093,
  20: 2.086,
  25: 2.06,
  30: 2.042,
};
export const studentT95 = (df: number): number => {
  if (df <= 0) return Number.NaN;
  if (T95[df]) return T95[df];
  return df > 30 ? 1.96 : T95[df <= 25 ? 25 : 30];
};

/** The replica average: per temperature, D and sigma over the models (mean, standard error, t interval). */
export interface ReplicaSummary {
  seeds: number[];
  rows: {
    temperatureK: number;
    diffusivityCm2PerS: Estimate;
    conductivityMsPerCm: Estimate;
    perSeedD: number[];
  }[];
  /** Weighted Arrhenius fit of the mean D (weights from the standard errors) over the window. */
  activationEv: Estimate;
  perSeedActivationEv: number[];
  extrapolation: { temperatureK: number; diffusivityCm2PerS: Estimate; conductivityMsPerCm: Estimate };
  windowK: [number, number];
}

const meanEstimate = (v: number[]): Estimate => {
  const n = v.length;
  const m = v.reduce((a, b) => a + b, 0) / n;
  const se = n > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1) / n) : Number.NaN;
  const t = studentT95(n - 1);
  return { value: m, std: se, low95: m - t * se, high95: m + t * se };
};

export const combineReplicas = (spec: StudySpec, results: StudyResult[], seeds: number[]): ReplicaSummary => {
  if (results.length < 2) throw new OptionError('a replica average needs two or more models');
  const temps = results[0].rows.map((r) => r.temperatureK);
  const rows = temps.map((T, k) => {
    const ds = results.map((r) => r.rows[k].result.diffusivity.glsCm2PerS.value);
    const ss = results.map((r) => r.rows[k].result.conductivity.nernstEinsteinMsPerCm.value);
    return {
      temperatureK: T,
      diffusivityCm2PerS: meanEstimate(ds),
      conductivityMsPerCm: meanEstimate(ss),
      perSeedD: ds,
    };
  });
  const [lo, hi] = [spec.transport.arrheniusMinK, spec.transport.arrheniusMaxK];
  const window = rows.filter(
    (r) => r.temperatureK >= lo && r.temperatureK <= hi && r.diffusivityCm2PerS.value > 0,
  );
  if (window.length < 2)
    throw new OptionError(`fewer than two temperatures with a positive mean D in ${lo}-${hi} K`);
  const fit = fitArrheniusWeighted(
    window.map((r) => r.temperatureK),
    window.map((r) => r.diffusivityCm2PerS.value),
    window.map((r) => r.diffusivityCm2PerS.std),
  );
  const T0 = spec.transport.extrapolateK;
  const d = extrapolate(fit, T0);
  const first = results[0].rows[0].result;
  let density = 0;
  for (const r of results) for (const row of r.rows) density += row.result.carriers / row.result.volumeA3;
  density /= results.length * temps.length;
  const f = nernstEinsteinFactor(density, 1, T0, first.charge);
  return {
    seeds,
    rows,
    activationEv: fit.activationEv,
    perSeedActivationEv: results.map((r) => (r.arrhenius.weighted ?? r.arrhenius.ols).activationEv.value),
    extrapolation: {
      temperatureK: T0,
      diffusivityCm2PerS: d,
      conductivityMsPerCm: { value: d.value * f, std: d.std * f, low95: d.low95 * f, high95: d.high95 * f },
    },
    windowK: [lo, hi],
  };
};

export const replicaTable = (name: string, r: ReplicaSummary): string => {
  const lines: string[] = [];
  lines.push(
    `${name}: average of ${r.seeds.length} models (seeds ${r.seeds.join(', ')}); intervals from the scatter between models (Student t)`,
  );
  lines.push(`  ${'T/K'.padStart(5)}  ${'D/cm2 s-1'.padEnd(30)} ${'sigma NE/mS cm-1'.padEnd(30)}`);
  const ci = (e: Estimate) => `${g(e.value)} [${g(e.low95, 2)}, ${g(e.high95, 2)}]`;
  for (const row of r.rows)
    lines.push(
      `  ${String(row.temperatureK).padStart(5)}  ${ci(row.diffusivityCm2PerS).padEnd(30)} ${ci(row.conductivityMsPerCm).padEnd(30)}`,
    );
  const ea = r.activationEv;
  lines.push(
    `Arrhenius ${r.windowK[0]}-${r.windowK[1]} K of the mean D: Ea = ${ea.value.toFixed(3)} eV [${ea.low95.toFixed(3)}, ${ea.high95.toFixed(3)}] (per model: ${r.perSeedActivationEv.map((x) => x.toFixed(2)).join(', ')})`,
  );
  const x = r.extrapolation;
  lines.push(
    `extrapolated to ${x.temperatureK} K: D = ${g(x.diffusivityCm2PerS.value)} cm2/s [${g(x.diffusivityCm2PerS.low95, 2)}, ${g(x.diffusivityCm2PerS.high95, 2)}], sigma = ${g(x.conductivityMsPerCm.value)} mS/cm [${g(x.conductivityMsPerCm.low95, 2)}, ${g(x.conductivityMsPerCm.high95, 2)}] (95 %)`,
  );
  return `${lines.join('\n')}\n`;
};
