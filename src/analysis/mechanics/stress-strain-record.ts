import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { OptionError, ParseError } from '../../core/errors.js';
import { ATM_IN_GPA } from '../../core/units.js';
import { readLammpsLog } from '../../io/lammps-log.js';
import { readNumericCsv } from './numeric-csv.js';
import type { StressStrainCurve } from './stress-strain.js';

/**
 * A stress-strain curve from any record:
 *
 * - oligolyte's stress-strain.csv (a deform stage: step, time_ps, strain, sxx_GPa ... syz_GPa,
 *   volume_A3): the component from the stage's folder name (`04-tensile-x`, `shear-yz`) or the
 *   `component` option, else the one whose stress changes most;
 * - a LAMMPS log (log.lammps, any thermo_style with Pxx ... and Lx/Ly/Lz or xy/xz/yz): the last
 *   run unless `run` says which; the strain from the box (a length's (L - L0) / L0, or a tilt's
 *   change over the perpendicular length at the start: the engineering strains fix deform erate
 *   applies) or from a `strainColumn`; the stress -P_ab in the log's pressure unit (real: atm,
 *   metal: bar, si: Pa, cgs: dyne/cm^2) or a `stressColumn`;
 * - a CSV with named columns: `strainColumn` (default: the one column named strain...) and
 *   `stressColumn` (default: the one named stress... or sigma...), the stress unit from the name
 *   (a suffix _GPa, _MPa, _kPa, _Pa, _bar, _kbar, _atm, or "(GPa)") or `stressUnit`.
 *
 * A column named like a pressure (p..., press...) is negated (stress = -pressure). Poisson's
 * ratio needs the lateral stretch: from the lateral lengths (LAMMPS Ly Lz for tensile x; CSV
 * columns named lx/ly/lz or lx_A...) or, without them, from the volume (the two lateral axes
 * taken alike: ln L_lat = (ln V - ln L_axial) / 2).
 */
export type StressComponent = 'xx' | 'yy' | 'zz' | 'yz' | 'xz' | 'xy';
export const STRESS_COMPONENTS: readonly StressComponent[] = ['xx', 'yy', 'zz', 'yz', 'xz', 'xy'];

export interface StressStrainRecordOptions {
  /** Which component was deformed (tensile xx/yy/zz, shear yz/xz/xy); default found from the record. */
  component?: StressComponent;
  /** LAMMPS logs: which run (1-based; default the last). */
  run?: number;
  strainColumn?: string;
  stressColumn?: string;
  /** Unit of the stress column: GPa, MPa, kPa, Pa, bar, kbar, atm (default from its name or the log's units). */
  stressUnit?: string;
}

export interface StressStrainRecord extends StressStrainCurve {
  file: string;
  format: 'oligolyte' | 'lammps-log' | 'csv';
  component: StressComponent;
  /** Tensile (Young's modulus) or shear (shear modulus). */
  mode: 'tensile' | 'shear';
  /** How the component was chosen. */
  componentFrom: 'option' | 'folder name' | 'largest response' | 'box' | 'column names';
  strainFrom: string;
  stressFrom: string;
  strain: Float64Array;
  stressGPa: Float64Array;
  timePs?: Float64Array;
  warnings: string[];
}

const UNIT_GPA: Record<string, number> = {
  gpa: 1,
  mpa: 1e-3,
  kpa: 1e-6,
  pa: 1e-9,
  bar: 1e-4,
  kbar: 0.1,
  atm: ATM_IN_GPA,
  'dyne/cm^2': 1e-10,
  'dyne/cm2': 1e-10,
};
const LAMMPS_PRESSURE: Record<string, string> = {
  real: 'atm',
  metal: 'bar',
  si: 'Pa',
  cgs: 'dyne/cm^2',
  electron: 'Pa',
};

const unitFactor = (unit: string, what: string): number => {
  const f = UNIT_GPA[unit.toLowerCase()];
  if (f === undefined)
    throw new OptionError(
      `${what}: unknown stress unit "${unit}" for \`stressUnit\` (GPa, MPa, kPa, Pa, bar, kbar, atm)`,
      {
        option: 'stressUnit',
      },
    );
  return f;
};

/** The unit a column's name carries: stress_GPa, sigma (MPa), sxx_atm. */
const unitInName = (name: string): string | undefined => {
  const m = /[_ ([]((?:G|M|k)?Pa|k?bar|atm)\)?\]?$/i.exec(name.trim());
  return m?.[1];
};
const isPressureName = (name: string) => /^p(ress(ure)?)?(_|$|xx|yy|zz|xy|xz|yz)/i.test(name);
const TENSILE: Record<string, StressComponent> = { x: 'xx', y: 'yy', z: 'zz' };
const COMPONENT_AXIS: Record<StressComponent, number> = { xx: 0, yy: 1, zz: 2, yz: 0, xz: 1, xy: 2 };
const modeOf = (c: StressComponent) => (c[0] === c[1] ? 'tensile' : 'shear');

/** The deformed component a folder name says (04-tensile-x, shear-yz), if any. */
const componentFromPath = (file: string): StressComponent | undefined => {
  const m = /(tensile|shear)-(x|y|z|yz|xz|xy)\b/.exec(basename(dirname(file)));
  if (!m) return undefined;
  return m[1] === 'tensile' ? TENSILE[m[2]] : (m[2] as StressComponent);
};

/** The component whose stress changes most between the first and last tenth of the record. */
const largestResponse = (stress: Record<StressComponent, Float64Array>): StressComponent => {
  let best: StressComponent = 'xx';
  let bestChange = -1;
  for (const c of STRESS_COMPONENTS) {
    const s = stress[c];
    const m = Math.max(1, Math.floor(s.length / 10));
    let a = 0;
    let b = 0;
    for (let i = 0; i < m; i++) {
      a += s[i];
      b += s[s.length - 1 - i];
    }
    const change = Math.abs(b - a) / m;
    if (change > bestChange) {
      bestChange = change;
      best = c;
    }
  }
  return best;
};

/** ln of the mean lateral stretch from the volume and the axial strain (lateral axes alike). */
const lateralFromVolume = (strain: Float64Array, volume: Float64Array): Float64Array => {
  const v0 = volume[0];
  return Float64Array.from(strain, (e, i) => (Math.log(volume[i] / v0) - Math.log1p(e)) / 2);
};

const lateralFromLengths = (a: Float64Array, b: Float64Array): Float64Array =>
  Float64Array.from(a, (_, i) => (Math.log(a[i] / a[0]) + Math.log(b[i] / b[0])) / 2);

const column = (data: Record<string, Float64Array>, name: string, file: string): Float64Array => {
  const key =
    Object.keys(data).find((k) => k === name) ??
    Object.keys(data).find((k) => k.toLowerCase() === name.toLowerCase());
  if (!key)
    throw new OptionError(`${file}: no column "${name}" (columns: ${Object.keys(data).join(', ')})`, {
      option: 'strainColumn',
    });
  return data[key];
};

/** Read a stress-strain record (see the module comment). */
export const readStressStrainRecord = async (
  file: string,
  options: StressStrainRecordOptions = {},
): Promise<StressStrainRecord> => {
  // An unknown unit is an error whatever the file (not only where the unit is used).
  if (options.stressUnit !== undefined) unitFactor(options.stressUnit, file);
  const head = readFileSync(file, 'utf8').slice(0, 4096);
  if (/^step,time_ps,strain,sxx_GPa/.test(head)) return fromOligolyte(file, options);
  if (/^LAMMPS \(/m.test(head) || /^\s*(units|read_data|Step\s)/m.test(head))
    return fromLammpsLog(file, options);
  return fromCsv(file, options);
};

const fromOligolyte = (file: string, o: StressStrainRecordOptions): StressStrainRecord => {
  const t = readNumericCsv(file);
  const stress = Object.fromEntries(STRESS_COMPONENTS.map((c) => [c, t.data[`s${c}_GPa`]])) as Record<
    StressComponent,
    Float64Array
  >;
  const fromPath = componentFromPath(file);
  const component = o.component ?? fromPath ?? largestResponse(stress);
  const strain = t.data.strain;
  const rec: StressStrainRecord = {
    file,
    format: 'oligolyte',
    component,
    mode: modeOf(component),
    componentFrom: o.component ? 'option' : fromPath ? 'folder name' : 'largest response',
    strainFrom: 'strain',
    stressFrom: `s${component}_GPa`,
    strain,
    stressGPa: stress[component],
    timePs: t.data.time_ps,
    // Its columns are fixed: options for other records are said to be unused, not silently dropped.
    warnings: (
      [
        ['strainColumn', 'strain column'],
        ['stressColumn', 'stress column'],
        ['stressUnit', 'stress unit'],
        ['run', 'run number'],
      ] as const
    )
      .filter(([k]) => o[k] !== undefined)
      .map(
        ([, what]) =>
          `${file}: the ${what} given is not used for oligolyte's stress-strain.csv (strain, s<ab>_GPa)`,
      ),
  };
  if (rec.mode === 'tensile') {
    rec.lateralLogStretch = lateralFromVolume(strain, t.data.volume_A3);
    rec.lateralFrom = 'volume';
  }
  return dropRepeatedStart(rec);
};

const fromLammpsLog = async (file: string, o: StressStrainRecordOptions): Promise<StressStrainRecord> => {
  const log = await readLammpsLog(file);
  if (log.runs.length === 0)
    throw new ParseError({ file, expected: 'a run with thermo output', found: 'none' });
  const index = o.run ?? log.runs.length;
  if (!Number.isInteger(index) || index < 1 || index > log.runs.length)
    throw new OptionError(`${file}: \`run\` ${o.run} does not exist (the log has ${log.runs.length})`, {
      option: 'run',
    });
  const run = log.runs[index - 1];
  const find = (name: string) => {
    const k = run.columns.find((c) => c.toLowerCase() === name);
    return k === undefined ? undefined : run.data[k];
  };
  const warnings = [...log.warnings];
  // The component: the option, else the box dimension (length or tilt) that changes most.
  let component = o.component;
  let componentFrom: StressStrainRecord['componentFrom'] = 'option';
  const box: Record<StressComponent, Float64Array | undefined> = {
    xx: find('lx'),
    yy: find('ly'),
    zz: find('lz'),
    yz: find('yz'),
    xz: find('xz'),
    xy: find('xy'),
  };
  const perpendicular: Record<StressComponent, Float64Array | undefined> = {
    xx: box.xx,
    yy: box.yy,
    zz: box.zz,
    yz: box.zz,
    xz: box.zz,
    xy: box.yy,
  };
  if (!component) {
    componentFrom = 'box';
    let best = 0;
    for (const c of STRESS_COMPONENTS) {
      const v = box[c];
      const ref = perpendicular[c];
      if (!v || !ref) continue;
      const change = Math.abs(v[v.length - 1] - v[0]) / ref[0];
      if (change > best) {
        best = change;
        component = c;
      }
    }
    if (!component)
      throw new OptionError(
        `${file}: run ${index} has no box column that changes (Lx Ly Lz, xy xz yz): give the \`component\``,
        { option: 'component' },
      );
  }
  let strain: Float64Array;
  let strainFrom: string;
  if (o.strainColumn) {
    strain = column(run.data, o.strainColumn, file);
    strainFrom = o.strainColumn;
  } else {
    const v = box[component];
    const ref = perpendicular[component];
    if (!v || !ref)
      throw new OptionError(
        `${file}: run ${index} prints neither the box (${component[0] === component[1] ? `L${component[0]}` : component}) nor a strain column: name it with \`strainColumn\``,
        { option: 'strainColumn' },
      );
    strain = Float64Array.from(v, (x) => (x - v[0]) / ref[0]);
    strainFrom =
      component[0] === component[1]
        ? `(L${component[0]} - L0) / L0`
        : `(${component} - ${component}0) / L${'zzy'[COMPONENT_AXIS[component]]}0`;
  }
  const logUnit = log.units ? LAMMPS_PRESSURE[log.units] : undefined;
  const unit = o.stressUnit ?? logUnit;
  const name = o.stressColumn ?? `P${component}`;
  const raw = run.columns.find((c) => c.toLowerCase() === name.toLowerCase());
  if (raw === undefined)
    throw new OptionError(`${file}: run ${index} has no column ${name} (columns: ${run.columns.join(' ')})`, {
      option: o.stressColumn ? 'stressColumn' : 'component',
    });
  if (!unit)
    throw new OptionError(
      `${file}: the log's units (${log.units ?? 'not found'}) give no pressure unit; give \`stressUnit\``,
      {
        option: 'stressUnit',
      },
    );
  const f = unitFactor(unit, file) * (isPressureName(raw) ? -1 : 1);
  const stress = Float64Array.from(run.data[raw], (p) => p * f);
  const stressFrom = `${isPressureName(raw) ? '-' : ''}${raw} (${unit})`;
  const rec: StressStrainRecord = {
    file,
    format: 'lammps-log',
    component,
    mode: modeOf(component),
    componentFrom,
    strainFrom,
    stressFrom,
    strain,
    stressGPa: stress,
    warnings,
  };
  if (rec.mode === 'tensile') {
    const lateral = (['xx', 'yy', 'zz'] as const).filter((c) => c !== component).map((c) => box[c]);
    const volume = find('volume') ?? find('vol');
    if (lateral[0] && lateral[1]) {
      rec.lateralLogStretch = lateralFromLengths(lateral[0], lateral[1]);
      rec.lateralFrom = 'lengths';
    } else if (volume) {
      rec.lateralLogStretch = lateralFromVolume(strain, volume);
      rec.lateralFrom = 'volume';
    }
  }
  return dropRepeatedStart(rec);
};

const fromCsv = (file: string, o: StressStrainRecordOptions): StressStrainRecord => {
  const t = readNumericCsv(file);
  const pick = (given: string | undefined, pattern: RegExp, what: string, option: string) => {
    if (given)
      return (
        t.columns.find((c) => c === given) ?? t.columns.find((c) => c.toLowerCase() === given.toLowerCase())
      );
    const hits = t.columns.filter((c) => pattern.test(c));
    if (hits.length !== 1)
      throw new OptionError(
        `${file}: ${hits.length === 0 ? 'no' : 'more than one'} ${what} column (columns: ${t.columns.join(', ')}); name it with \`${option}\``,
        { option },
      );
    return hits[0];
  };
  const strainName = pick(o.strainColumn, /^(strain|eps|epsilon|gamma)/i, 'strain', 'strainColumn');
  const stressName = pick(o.stressColumn, /^(stress|sigma|tau)/i, 'stress', 'stressColumn');
  if (!strainName)
    throw new OptionError(`${file}: no column "${o.strainColumn}" (columns: ${t.columns.join(', ')})`, {
      option: 'strainColumn',
    });
  if (!stressName)
    throw new OptionError(`${file}: no column "${o.stressColumn}" (columns: ${t.columns.join(', ')})`, {
      option: 'stressColumn',
    });
  const unit = o.stressUnit ?? unitInName(stressName);
  if (!unit)
    throw new OptionError(
      `${file}: the unit of ${stressName} is not in its name (stress_GPa, stress (MPa)); give \`stressUnit\``,
      {
        option: 'stressUnit',
      },
    );
  const f = unitFactor(unit, file) * (isPressureName(stressName) ? -1 : 1);
  const component =
    o.component ?? (/^(tau|gamma)/i.test(stressName) || /^gamma/i.test(strainName) ? 'yz' : 'xx');
  const strain = t.data[strainName];
  const rec: StressStrainRecord = {
    file,
    format: 'csv',
    component,
    mode: modeOf(component),
    // A CSV holds one stress: shear when its columns are named tau or gamma, else tensile.
    componentFrom: o.component ? 'option' : 'column names',
    strainFrom: strainName,
    stressFrom: `${stressName} (${unit})`,
    strain,
    stressGPa: Float64Array.from(t.data[stressName], (s) => s * f),
    warnings: [],
  };
  if (rec.mode === 'tensile') {
    const lengths = ['x', 'y', 'z'].map((a) =>
      t.columns.find((c) => new RegExp(`^l${a}(_A|\\b)`, 'i').test(c)),
    );
    const axis = COMPONENT_AXIS[component];
    const lat = [0, 1, 2].filter((a) => a !== axis).map((a) => lengths[a]);
    const volume = t.columns.find((c) => /^vol(ume)?(_A3|\b)/i.test(c));
    if (lat[0] && lat[1]) {
      rec.lateralLogStretch = lateralFromLengths(t.data[lat[0]], t.data[lat[1]]);
      rec.lateralFrom = 'lengths';
    } else if (volume) {
      rec.lateralLogStretch = lateralFromVolume(strain, t.data[volume]);
      rec.lateralFrom = 'volume';
    }
  }
  return dropRepeatedStart(rec);
};

/**
 * A record whose strain repeats (LAMMPS prints the last step of one run as the first of the
 * next) keeps the first of each repeated strain, and says so. A strain that goes back is left for
 * the analysis to refuse.
 */
const dropRepeatedStart = (r: StressStrainRecord): StressStrainRecord => {
  const keep: number[] = [];
  for (let i = 0; i < r.strain.length; i++) if (i === 0 || r.strain[i] !== r.strain[i - 1]) keep.push(i);
  if (keep.length === r.strain.length) return r;
  const pick = (a?: Float64Array) => (a ? Float64Array.from(keep, (i) => a[i]) : undefined);
  r.warnings.push(
    `${r.file}: ${r.strain.length - keep.length} rows that repeat the strain of the row before were left out`,
  );
  return {
    ...r,
    strain: pick(r.strain)!,
    stressGPa: pick(r.stressGPa)!,
    timePs: pick(r.timePs),
    lateralLogStretch: pick(r.lateralLogStretch as Float64Array | undefined),
  };
};
