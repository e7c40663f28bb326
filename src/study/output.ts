import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ConformationResult, ConformationSeries } from '../analysis/dynamics/conformations.js';
import { writeConformationsCsv } from '../analysis/dynamics/conformations-report.js';
import { jsonNumbers, writeTo } from '../analysis/report-io.js';
import type { TransportRun } from '../analysis/transport/analyse-run.js';
import type { Estimate } from '../analysis/transport/diffusivity.js';
import { writeMsdCsv } from '../analysis/transport/report.js';
import { vtfComparisonLines } from '../analysis/transport/vtf.js';
import { formatSignificant } from '../core/format-number.js';
import { writeCube } from '../io/volumetric.js';
import type { StudyResult } from './analysis.js';
import { measuredCsv, measuredTable } from './measured.js';
import type { ReplicaSummary } from './replicas.js';
import { scatteringLines } from './scattering-output.js';
import { structureCsv, structureTable } from './structure-output.js';

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
  if (a.vtf) lines.push(...vtfComparisonLines(a.vtf, 'D'));
  if (r.structure?.length) lines.push(structureTable(r.structure, r.jumpRateArrhenius).trimEnd());
  if (r.measured) lines.push(measuredTable(r.measured).trimEnd());
  if (r.scattering) lines.push(scatteringLines(r.scattering).trimEnd());
  lines.push(
    'note: these intervals are those of this one model; independent small models (other seeds) scatter more (docs/FORCEFIELD-NOTES.md): average several seeds (replicas under [model]) for a calibration-grade number',
  );
  return `${lines.join('\n')}\n`;
};

/** A text file written atomically (a temporary file renamed when complete). */
const writeText = (path: string, text: string) =>
  writeTo(path, async (sink) => {
    sink.write(text);
  });

/** study.json, arrhenius.csv, structure.csv and summary.txt of one model, each written atomically. */
export const writeStudyOutputs = async (dir: string, r: StudyResult): Promise<void> => {
  await writeText(join(dir, 'study.json'), `${JSON.stringify(r, jsonNumbers, 1)}\n`);
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
  await writeText(join(dir, 'arrhenius.csv'), `${csv.join('\n')}\n`);
  if (r.structure?.length) await writeText(join(dir, 'structure.csv'), structureCsv(r.structure));
  if (r.measured) await writeText(join(dir, 'measured.csv'), measuredCsv(r.measured));
  await writeText(join(dir, 'summary.txt'), studyTable(r));
};

/**
 * Spacing of the study's probability-density grid of the transported species (A): pymatgen-
 * analysis-diffusion's default interval, fine enough for an isosurface of the Li paths in a
 * 14 A cell (29^3 points, about 0.3 MB per cube file).
 */
export const STUDY_DENSITY_GRID_A = 0.5;

/** Where a study keeps each temperature's MSD curves and density grid, relative to its folder. */
export const studyCurveFiles = (
  temperatureK: number,
): { msdCsv: string; densityCube: string; dihedralsCsv: string } => ({
  msdCsv: join('transport', `T${temperatureK}K-msd.csv`),
  densityCube: join('transport', `T${temperatureK}K-density.cube`),
  dihedralsCsv: join('structure', `T${temperatureK}K-dihedrals.csv`),
});

/**
 * One temperature's Al-O-Al links frame by frame (angle and dihedral, raw and filtered, as
 * `structure conformations --csv`), written atomically.
 */
export const writeStudyDihedrals = async (
  dir: string,
  temperatureK: number,
  series: ConformationSeries,
  result: ConformationResult,
): Promise<void> => {
  mkdirSync(join(dir, 'structure'), { recursive: true });
  await writeConformationsCsv(join(dir, studyCurveFiles(temperatureK).dihedralsCsv), {
    runs: [
      { file: `T${temperatureK}K`, format: 'study', temperatureK, temperatureFrom: 'option', result, series },
    ],
  });
};

/**
 * One temperature's MSD at every lag (the transport command's --msd-csv columns) and, when the run
 * has one, the species' probability density as a Gaussian cube file (values in 1/bohr^3 integrating
 * to 1 over the cell, atoms of the first production frame); each written atomically.
 */
export const writeStudyCurves = async (
  dir: string,
  temperatureK: number,
  run: TransportRun,
): Promise<void> => {
  const files = studyCurveFiles(temperatureK);
  mkdirSync(join(dir, 'transport'), { recursive: true });
  await writeMsdCsv(join(dir, files.msdCsv), { runs: [{ file: `T${temperatureK}K`, format: 'study', run }] });
  if (run.density) await writeCube(join(dir, files.densityCube), run.first, run.density);
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

/** replicas.json (every number; non-finite as null) and replicas.txt (the printed table). */
export const writeReplicaOutputs = async (dir: string, name: string, r: ReplicaSummary): Promise<void> => {
  await writeText(join(dir, 'replicas.json'), `${JSON.stringify(r, jsonNumbers, 1)}\n`);
  await writeText(join(dir, 'replicas.txt'), replicaTable(name, r));
};
