import { InsufficientDataError, OptionError, ParseError } from '../../core/errors.js';
import { findColumn, type NamedTable, numericColumn } from '../readers/table.js';

/** A chronoamperometry record: current (A) against time (s). */
export interface CurrentTrace {
  file: string;
  timeS: Float64Array;
  currentA: Float64Array;
}

const unitScale = (name: string): number | undefined => {
  if (/\(?\bmA\b\)?|\/mA\b/.test(name)) return 1e-3;
  if (/\(?(µA|uA|μA)\b\)?|\/(µA|uA|μA)\b/.test(name)) return 1e-6;
  if (/\(?\bnA\b\)?|\/nA\b/.test(name)) return 1e-9;
  if (/\(?\bA\b\)?|\/A\b/.test(name)) return 1;
  return undefined;
};

/**
 * The current-time record from a named table: a time column ("time/s", "Time (s)", "t") and a
 * current column ("<I>/mA", "I/mA", "Current (A)"); the current's unit from its name (A, mA, uA,
 * nA) or `currentUnit`. Times must increase.
 */
export const currentTrace = (
  t: NamedTable,
  options: { timeColumn?: string; currentColumn?: string; currentUnit?: 'A' | 'mA' | 'uA' | 'nA' } = {},
): CurrentTrace => {
  const kt = findColumn(t, 'time (s)', options.timeColumn, [/^time\b/i, /^t\b/i, /time/i], 'timeColumn');
  const ki = findColumn(
    t,
    'current',
    options.currentColumn,
    [/^<?I>?\s*[/(]/, /^current/i, /current/i, /^<?I>?$/],
    'currentColumn',
  );
  const scale =
    options.currentUnit !== undefined
      ? { A: 1, mA: 1e-3, uA: 1e-6, nA: 1e-9 }[options.currentUnit]
      : unitScale(t.columns[ki]);
  if (scale === undefined)
    throw new OptionError(
      `the unit of the current column "${t.columns[ki]}" is not in its name: give it (A, mA, uA or nA)`,
      {
        option: 'currentUnit',
      },
    );
  const time = numericColumn(t, kt);
  const current = numericColumn(t, ki).map((v) => v * scale);
  for (let i = 1; i < time.length; i++)
    if (!(time[i] > time[i - 1]))
      throw new ParseError({
        file: t.file,
        line: t.lines[i],
        expected: `a time after ${time[i - 1]} s (times must increase)`,
        found: String(time[i]),
      });
  if (time.length < 3)
    throw new InsufficientDataError(`${t.file}: a polarisation record needs at least 3 points`);
  return { file: t.file, timeS: time, currentA: current };
};

/** Initial and steady-state currents of a polarisation. */
export interface PolarisationCurrents {
  /** The first recorded current (A). */
  initialA: number;
  /** Mean current over the last `steadyFraction` of the time span (A), with its standard error. */
  steadyA: number;
  steadyStdA: number;
  /** Relative change of the current across the steady window (a fit's slope times its length / I_ss). */
  steadyDrift: number;
  steadyFromS: number;
}

/**
 * I_0 (the first point) and I_ss (the mean over the last part of the record, default 10 % of the
 * time span, at least 3 points), with the drift of the current across that window (least-squares
 * slope x window / I_ss): a drift above a few percent means the polarisation was not yet steady.
 */
export const polarisationCurrents = (trace: CurrentTrace, steadyFraction = 0.1): PolarisationCurrents => {
  if (!(steadyFraction > 0 && steadyFraction < 1))
    throw new OptionError(`the steady-state fraction must be between 0 and 1, got ${steadyFraction}`, {
      option: 'steadyFraction',
    });
  const t = trace.timeS;
  const i = trace.currentA;
  const n = t.length;
  const from = t[n - 1] - steadyFraction * (t[n - 1] - t[0]);
  let k0 = n - 1;
  while (k0 > 0 && t[k0 - 1] >= from) k0--;
  k0 = Math.min(k0, n - 3);
  const m = n - k0;
  let tm = 0;
  let im = 0;
  for (let k = k0; k < n; k++) {
    tm += t[k] / m;
    im += i[k] / m;
  }
  let stt = 0;
  let sti = 0;
  let sii = 0;
  for (let k = k0; k < n; k++) {
    stt += (t[k] - tm) ** 2;
    sti += (t[k] - tm) * (i[k] - im);
    sii += (i[k] - im) ** 2;
  }
  const slope = sti / stt;
  return {
    initialA: i[0],
    steadyA: im,
    steadyStdA: Math.sqrt(sii / (m - 1) / m),
    steadyDrift: (slope * (t[n - 1] - t[k0])) / im,
    steadyFromS: t[k0],
  };
};
