import { readFileSync } from 'node:fs';
import { ParseError } from '../core/errors.js';
import type { ThermoRow } from './integrator.js';

/** The columns of thermo.csv (LAMMPS real units: kcal/mol, atm, A^3; density g/cm^3). */
export const THERMO_COLUMNS = [
  'step',
  'time_fs',
  'temperature_K',
  'potential_kcal_mol',
  'kinetic_kcal_mol',
  'total_kcal_mol',
  'conserved_kcal_mol',
  'pressure_atm',
  'pxx_atm',
  'pyy_atm',
  'pzz_atm',
  'pxy_atm',
  'pxz_atm',
  'pyz_atm',
  'volume_A3',
  'density_g_cm3',
  'bond_kcal_mol',
  'angle_kcal_mol',
  'dihedral_kcal_mol',
  'lj_kcal_mol',
  'coulomb_kcal_mol',
] as const;

export const thermoHeader = (): string => `${THERMO_COLUMNS.join(',')}\n`;

export const thermoLine = (r: ThermoRow, densityGPerCm3: number): string => {
  const e = r.termsKcalMol;
  return `${[r.step, r.timeFs, r.temperatureK, r.potentialKcalMol, r.kineticKcalMol, r.totalKcalMol, r.conservedKcalMol, r.pressureAtm, ...r.pressureTensorAtm, r.volumeA3, densityGPerCm3, e.bond, e.angle, e.dihedral, e.vdw, e.coulomb].join(',')}\n`;
};

export interface ThermoTable {
  columns: string[];
  /** Column-major values. */
  data: Record<string, Float64Array>;
  rows: number;
}

/**
 * Read a thermo.csv. A last line torn by a killed process (no newline at the end, or too few
 * fields) is left out and reported through `onWarning`; any other bad line is an error naming
 * the line.
 */
export const readThermoCsv = (path: string, onWarning?: (message: string) => void): ThermoTable => {
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  const complete = text.endsWith('\n');
  if (complete) lines.pop();
  if (lines.length === 0 || lines[0] === '')
    throw new ParseError({
      file: path,
      line: 1,
      expected: 'a header line of column names',
      found: 'nothing',
    });
  const columns = lines[0].split(',');
  const values: number[][] = columns.map(() => []);
  for (let k = 1; k < lines.length; k++) {
    const fields = lines[k].split(',');
    const last = k === lines.length - 1;
    if (last && (!complete || fields.length < columns.length)) {
      onWarning?.(
        `${path}:${k + 1}: the last line is incomplete (the run was stopped while writing it); it is left out`,
      );
      break;
    }
    if (fields.length !== columns.length)
      throw new ParseError({
        file: path,
        line: k + 1,
        expected: `${columns.length} comma-separated values`,
        found: `${fields.length}`,
      });
    for (let c = 0; c < columns.length; c++) {
      const v = Number(fields[c]);
      if (fields[c].trim() === '' || Number.isNaN(v))
        throw new ParseError({
          file: path,
          line: k + 1,
          column: c + 1,
          expected: `a number (${columns[c]})`,
          found: fields[c],
        });
      values[c].push(v);
    }
  }
  const data: Record<string, Float64Array> = {};
  columns.forEach((c, i) => {
    data[c] = Float64Array.from(values[i]);
  });
  return { columns, data, rows: values[0].length };
};
