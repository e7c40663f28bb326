import type { TextSink } from '../../io/text-sink.js';
import { csvField, tableNumber as g, jsonNumbers, writeTo } from '../report-io.js';
import { type StructureFilesOptions, streamRun } from '../structure/run-files.js';
import { VacfAccumulator, type VacfOptions, type VacfResult } from './vacf.js';

/**
 * Velocity autocorrelation and vibrational density of states of several trajectory files, one
 * run each, as `oligolyte structure vdos` computes them, and the reports: the printed table
 * (per element: atoms, kinetic temperature, main peak, integral), the JSON of every number, the
 * VDOS curves as CSV and the VACF curves as CSV.
 */
export interface VdosFileRun {
  file: string;
  format: string;
  result: VacfResult;
}

export interface VdosFilesResult {
  runs: VdosFileRun[];
}

export const analyseVdosFiles = async (
  files: string[],
  options: VacfOptions & StructureFilesOptions = {},
): Promise<VdosFilesResult> => {
  const { read, onFileProgress, ...vacfOptions } = options;
  const runs: VdosFileRun[] = [];
  for (const file of files) {
    const { format, sink } = await streamRun(
      file,
      { read, onFileProgress },
      (t) => new VacfAccumulator(t, vacfOptions),
    );
    runs.push({ file, format, result: sink.result() });
  }
  return { runs };
};

/** Frequency of the highest point and the mean frequency, int nu g / int g, of a VDOS (THz). */
const moments = (nu: Float64Array, dos: Float64Array) => {
  let best = 0;
  let s0 = 0;
  let s1 = 0;
  for (let k = 0; k < dos.length; k++) {
    if (dos[k] > dos[best]) best = k;
    s0 += dos[k];
    s1 += nu[k] * dos[k];
  }
  return { peakTHz: nu[best], meanTHz: s1 / s0 };
};

/** The printed table: per run and element the atoms, kinetic temperature, peak and mean frequency, integral. */
export const vdosTable = ({ runs }: VdosFilesResult): string => {
  const lines: string[] = [];
  for (const { file, format, result: r } of runs) {
    lines.push(`${file}  (${format})`);
    lines.push(
      `  ${r.frames} frames, ${g(r.frameIntervalFs)} fs apart (${r.frameIntervalFrom}); velocities: ${r.velocitiesFrom} (${r.samples} samples)`,
    );
    lines.push(
      `  VACF to ${g(r.maxLagPs)} ps; VDOS ${r.massWeighted ? 'mass-weighted' : 'not mass-weighted'}, ${r.window === 'hann' ? 'Hann window' : 'no window'}, resolution ~${g(r.resolutionTHz, 3)} THz (grid ${g(r.gridTHz, 3)}), up to ${g(r.nyquistTHz)} THz; total normalised to 3N = ${3 * r.totalAtoms}`,
    );
    lines.push(
      `  ${'element'.padEnd(9)}${'atoms'.padStart(7)}${'T_kin K'.padStart(10)}${'peak THz'.padStart(10)}${'mean THz'.padStart(10)}${'integral'.padStart(10)}${'3N'.padStart(7)}`,
    );
    for (const e of r.elements) {
      const m = moments(r.frequenciesTHz, e.dosPerTHz);
      lines.push(
        `  ${e.element.padEnd(9)}${String(e.atoms).padStart(7)}${g(e.kineticTemperatureK).padStart(10)}${g(m.peakTHz, 3).padStart(10)}${g(m.meanTHz, 3).padStart(10)}${g(e.dosIntegral).padStart(10)}${String(3 * e.atoms).padStart(7)}`,
      );
    }
    const t = moments(r.frequenciesTHz, r.totalDosPerTHz);
    lines.push(
      `  ${'total'.padEnd(9)}${String(r.totalAtoms).padStart(7)}${''.padStart(10)}${g(t.peakTHz, 3).padStart(10)}${g(t.meanTHz, 3).padStart(10)}${g(3 * r.totalAtoms).padStart(10)}${String(3 * r.totalAtoms).padStart(7)}`,
    );
    for (const n of r.notes) lines.push(`  note: ${n}`);
    lines.push('');
  }
  return lines.join('\n');
};

/** Every number with its units, as written by --json. */
export const vdosReport = ({ runs }: VdosFilesResult) => ({
  units: {
    vacf: 'A^2/fs^2 per atom (normalised: / its value at lag 0)',
    lag: 'ps',
    frequency: 'THz',
    dos: 'states per THz; the total integrates to 3N over 0..Nyquist',
    temperature: 'K (m <v^2> / 3 k_B)',
  },
  runs: runs.map(({ file, format, result }) => ({ file, format, ...result })),
});

export const writeVdosJson = (target: string | TextSink, result: VdosFilesResult): Promise<void> =>
  writeTo(target, async (sink) => {
    sink.write(`${JSON.stringify(vdosReport(result), jsonNumbers, 1)}\n`);
  });

/** The VDOS as CSV: run, frequency (THz), total, then each element (states per THz). */
export const writeVdosCsv = (target: string | TextSink, { runs }: VdosFilesResult): Promise<void> =>
  writeTo(target, async (sink) => {
    const names = [...new Set(runs.flatMap((r) => r.result.elements.map((e) => e.element)))];
    sink.write(
      `${['run', 'frequency_THz', 'g_total_per_THz', ...names.map((n) => `g_${n}_per_THz`)].join(',')}\n`,
    );
    for (const { file, result: r } of runs) {
      const name = csvField(file);
      const cols = names.map((n) => r.elements.find((e) => e.element === n)?.dosPerTHz);
      for (let k = 0; k < r.frequenciesTHz.length; k++)
        sink.write(
          `${[name, String(r.frequenciesTHz[k]), String(r.totalDosPerTHz[k]), ...cols.map((c) => (c ? String(c[k]) : ''))].join(',')}\n`,
        );
      await sink.flush();
    }
  });

/** The VACF as CSV: run, lag (ps), then per element the VACF (A^2/fs^2) and its normalised value. */
export const writeVacfCsv = (target: string | TextSink, { runs }: VdosFilesResult): Promise<void> =>
  writeTo(target, async (sink) => {
    const names = [...new Set(runs.flatMap((r) => r.result.elements.map((e) => e.element)))];
    sink.write(
      `${['run', 'lag_ps', ...names.flatMap((n) => [`vacf_${n}_A2_per_fs2`, `vacf_${n}_normalised`])].join(',')}\n`,
    );
    for (const { file, result: r } of runs) {
      const name = csvField(file);
      const cols = names.map((n) => r.elements.find((e) => e.element === n));
      for (let m = 0; m < r.lagsPs.length; m++)
        sink.write(
          `${[name, String(r.lagsPs[m]), ...cols.flatMap((e) => (e ? [String(e.vacf[m]), String(e.normalised[m])] : ['', '']))].join(',')}\n`,
        );
      await sink.flush();
    }
  });
