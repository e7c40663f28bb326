import { blockAverage } from '../core/statistics.js';
import { type LammpsLog, type LammpsLogOptions, readLammpsLog } from './lammps-log.js';

/**
 * What `oligolyte info` reports for a LAMMPS log (the trajectory summary, file-summary.ts, is for
 * structure files): per run its rows, step range, columns, and the mean of the thermodynamic
 * columns with a block-averaged standard error (core/statistics.ts: Flyvbjerg-Petersen). The means
 * are over all the run's rows, equilibration included: they describe the log, they do not
 * choose a production window.
 */

/** Mean of a column over a run's rows; standardError and blockLength when there are 2 or more rows. */
export interface LammpsLogColumnMean {
  mean: number;
  standardError?: number;
  samples: number;
  blockLength?: number;
}

export interface LammpsLogRunSummary {
  index: number;
  firstLine: number;
  style: 'table' | 'multi';
  rows: number;
  complete: boolean;
  firstStep?: number;
  lastStep?: number;
  loopTimeS?: number;
  atoms?: number;
  columns: string[];
  /** Mean +- block-averaged standard error of those of LAMMPS_LOG_AVERAGED that the run has. */
  means: Record<string, LammpsLogColumnMean>;
}

export interface LammpsLogSummary {
  file: string;
  format: 'lammps-log';
  version?: string;
  units?: string;
  runs: LammpsLogRunSummary[];
  warnings: string[];
}

/** The columns averaged, in LAMMPS's names (E_pair: the potential energy column of thermo_style one). */
export const LAMMPS_LOG_AVERAGED = [
  'Temp',
  'Press',
  'PotEng',
  'E_pair',
  'TotEng',
  'Volume',
  'Density',
] as const;

/** Units of the averaged quantities per LAMMPS units style (LAMMPS manual, `units` command). */
const UNIT_NAMES: Record<string, { energy: string; pressure: string; volume: string; density: string }> = {
  real: { energy: 'kcal/mol', pressure: 'atm', volume: 'A^3', density: 'g/cm^3' },
  metal: { energy: 'eV', pressure: 'bar', volume: 'A^3', density: 'g/cm^3' },
  si: { energy: 'J', pressure: 'Pa', volume: 'm^3', density: 'kg/m^3' },
  cgs: { energy: 'erg', pressure: 'dyne/cm^2', volume: 'cm^3', density: 'g/cm^3' },
  electron: { energy: 'Hartree', pressure: 'Pa', volume: 'Bohr^3', density: 'g/cm^3' },
};

/** The summary of a log already read. */
export const lammpsLogSummary = (log: LammpsLog): LammpsLogSummary => ({
  file: log.file,
  format: 'lammps-log',
  ...(log.version !== undefined ? { version: log.version } : {}),
  ...(log.units !== undefined ? { units: log.units } : {}),
  runs: log.runs.map((run) => {
    const step = run.data.Step;
    const means: Record<string, LammpsLogColumnMean> = {};
    for (const name of LAMMPS_LOG_AVERAGED) {
      const v = run.data[name];
      if (!v || v.length === 0) continue;
      if (v.length === 1) means[name] = { mean: v[0], samples: 1 };
      else {
        const b = blockAverage(v);
        means[name] = {
          mean: b.mean,
          standardError: b.standardError,
          samples: b.samples,
          blockLength: b.blockLength,
        };
      }
    }
    return {
      index: run.index,
      firstLine: run.firstLine,
      style: run.style,
      rows: run.rows,
      complete: run.complete,
      ...(step && step.length > 0 ? { firstStep: step[0], lastStep: step[step.length - 1] } : {}),
      ...(run.loopTimeS !== undefined ? { loopTimeS: run.loopTimeS } : {}),
      ...(run.atoms !== undefined ? { atoms: run.atoms } : {}),
      columns: run.columns,
      means,
    };
  }),
  warnings: log.warnings,
});

/** Read a LAMMPS log and summarise it. */
export const summariseLammpsLog = async (
  path: string,
  options: LammpsLogOptions = {},
): Promise<LammpsLogSummary> => lammpsLogSummary(await readLammpsLog(path, options));

/** mean +- error, the error to 2 significant digits and the mean to the same decimal place. */
const meanPlusMinus = (m: LammpsLogColumnMean): string => {
  const { mean, standardError: se } = m;
  if (se === undefined) return `${mean}`;
  // A constant column (the volume of an NVT run) has only rounding noise around its mean.
  if (!(se > 1e-12 * Math.abs(mean)) || !Number.isFinite(se))
    return `${Number(mean.toPrecision(12))} (constant)`;
  const decimals = Math.min(12, Math.max(0, 1 - Math.floor(Math.log10(se))));
  return `${mean.toFixed(decimals)} +- ${se.toFixed(decimals)}`;
};

const blockNote = (m: LammpsLogColumnMean): string => {
  if (m.blockLength === undefined || m.standardError === undefined || !(m.standardError > 0)) return '';
  // blockAverage blocks only from 16 samples on (8 blocks of 2): below that the error is the naive one.
  if (m.blockLength === 1 && m.samples < 16) return ` (${m.samples} rows: too few to block, naive error)`;
  return ` (${m.samples} rows, blocks of ${m.blockLength})`;
};

const unitOf = (name: string, units?: string): string => {
  if (name === 'Temp') return units && units !== 'lj' ? ' K' : '';
  const u = units ? UNIT_NAMES[units] : undefined;
  if (!u) return '';
  if (name === 'Press') return ` ${u.pressure}`;
  if (name === 'Volume') return ` ${u.volume}`;
  if (name === 'Density') return ` ${u.density}`;
  return ` ${u.energy}`;
};

/** The summary as `oligolyte info` prints it. */
export const formatLammpsLogSummary = (s: LammpsLogSummary): string => {
  const lines = [
    s.file,
    `  format      lammps-log${s.version ? ` (LAMMPS ${s.version})` : ''}`,
    `  units       ${s.units ?? 'not in the log'}`,
    `  runs        ${s.runs.length}`,
  ];
  for (const run of s.runs) {
    const steps = run.firstStep !== undefined ? `, step ${run.firstStep} .. ${run.lastStep}` : '';
    const end = run.complete
      ? `complete${run.loopTimeS !== undefined ? ` (loop time ${run.loopTimeS} s, ${run.atoms} atoms)` : ''}`
      : 'INCOMPLETE (no "Loop time": stopped, failed or still running)';
    lines.push(
      `  ${`run ${run.index}`.padEnd(12)}line ${run.firstLine}: ${run.rows} rows${steps}, ${run.style === 'multi' ? 'thermo_style multi, ' : ''}${end}`,
    );
    lines.push(`    columns   ${run.columns.join(' ')}`);
    for (const [name, m] of Object.entries(run.means))
      lines.push(`    ${name.padEnd(9)} ${meanPlusMinus(m)}${unitOf(name, s.units)}${blockNote(m)}`);
  }
  for (const w of s.warnings) lines.push(`  warning     ${w}`);
  return lines.join('\n');
};
