import { InsufficientDataError, OptionError } from '../../core/errors.js';
import { findColumn, type NamedTable, numericColumn } from '../readers/table.js';

export interface CyclingOptions {
  cycleColumn?: string;
  chargeColumn?: string;
  dischargeColumn?: string;
  /** Unit of the capacity columns when their names do not say (Ah, mAh or mAh/g). */
  capacityUnit?: 'Ah' | 'mAh' | 'mAh/g';
  /** Active mass (mg), to turn mAh into mAh/g. */
  activeMassMg?: number;
  /** The cycle retention is relative to (default: the first). */
  referenceCycle?: number;
}

export interface CycleRow {
  cycle: number;
  /** Charge and discharge capacity: mAh/g when specific (unit given or a mass), else mAh. */
  charge: number;
  discharge: number;
  /** Discharge / charge of the same cycle (%). */
  coulombicEfficiencyPct: number;
  /** Discharge / discharge of the reference cycle (%). */
  retentionPct: number;
}

export interface CyclingResult {
  file: string;
  unit: 'mAh' | 'mAh/g';
  referenceCycle: number;
  cycles: CycleRow[];
}

const unitOf = (name: string): 'Ah' | 'mAh' | 'mAh/g' | undefined => {
  if (/mAh\s*\/\s*g/i.test(name)) return 'mAh/g';
  if (/mAh/i.test(name)) return 'mAh';
  if (/\bAh\b|\(Ah\)|\/Ah/i.test(name)) return 'Ah';
  return undefined;
};

/**
 * Capacity, coulombic efficiency and retention per cycle from a cycler export with named columns: a
 * cycle-number column and charge and discharge capacity columns. Rows may be one per cycle (a
 * summary) or one per record (capacities counted up within each cycle, as Arbin, Neware and
 * BioLogic write them): each cycle's capacity is the largest value in its rows. CE = Q_dis / Q_ch
 * of the same cycle (a cathode half cell charges first); retention = Q_dis / Q_dis(reference).
 */
export const analyseCycling = (t: NamedTable, options: CyclingOptions = {}): CyclingResult => {
  const kc = findColumn(t, 'cycle number', options.cycleColumn, [/^cycle/i, /cycle/i], 'cycleColumn');
  const kch = findColumn(
    t,
    'charge capacity',
    options.chargeColumn,
    [/^(?!.*dis).*charge.*cap/i, /^q.?ch/i, /^(?!.*dis)charge/i],
    'chargeColumn',
  );
  const kdis = findColumn(
    t,
    'discharge capacity',
    options.dischargeColumn,
    [/discharge.*cap/i, /^q.?dis/i, /discharge/i],
    'dischargeColumn',
  );
  const names = [t.columns[kch], t.columns[kdis]];
  const units = names.map(unitOf);
  const unit = options.capacityUnit ?? units[0] ?? units[1];
  if (unit === undefined)
    throw new OptionError(
      `the capacity unit is not in the column names (${names.join(', ')}): give it (Ah, mAh or mAh/g)`,
      {
        option: 'capacityUnit',
      },
    );
  if (
    options.capacityUnit === undefined &&
    units[0] !== undefined &&
    units[1] !== undefined &&
    units[0] !== units[1]
  )
    throw new OptionError(
      `the charge and discharge columns have different units (${units[0]}, ${units[1]})`,
      { option: 'capacityUnit' },
    );
  const mass = options.activeMassMg;
  if (mass !== undefined && !(mass > 0))
    throw new OptionError(`the active mass must be positive, got ${mass} mg`, { option: 'activeMassMg' });
  if (mass !== undefined && unit === 'mAh/g')
    throw new OptionError('the capacities are already per gram: no active mass needed', {
      option: 'activeMassMg',
    });
  const scale = (unit === 'Ah' ? 1000 : 1) / (mass !== undefined ? mass / 1000 : 1);
  const outUnit: CyclingResult['unit'] = unit === 'mAh/g' || mass !== undefined ? 'mAh/g' : 'mAh';
  const cyc = numericColumn(t, kc);
  const ch = numericColumn(t, kch);
  const dis = numericColumn(t, kdis);
  const byCycle = new Map<number, { charge: number; discharge: number }>();
  for (let i = 0; i < cyc.length; i++) {
    const c = cyc[i];
    const e = byCycle.get(c) ?? { charge: 0, discharge: 0 };
    e.charge = Math.max(e.charge, Math.abs(ch[i]) * scale);
    e.discharge = Math.max(e.discharge, Math.abs(dis[i]) * scale);
    byCycle.set(c, e);
  }
  const ref = options.referenceCycle ?? Math.min(...byCycle.keys());
  const refRow = byCycle.get(ref);
  if (!refRow) throw new OptionError(`cycle ${ref} is not in ${t.file}`, { option: 'referenceCycle' });
  if (!(refRow.discharge > 0))
    throw new InsufficientDataError(`cycle ${ref} has no discharge capacity: no retention relative to it`);
  const cycles = [...byCycle.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([cycle, e]) => ({
      cycle,
      charge: e.charge,
      discharge: e.discharge,
      coulombicEfficiencyPct: e.charge > 0 ? (100 * e.discharge) / e.charge : Number.NaN,
      retentionPct: (100 * e.discharge) / refRow.discharge,
    }));
  return { file: t.file, unit: outUnit, referenceCycle: ref, cycles };
};
