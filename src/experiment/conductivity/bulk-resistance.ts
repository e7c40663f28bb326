import { InsufficientDataError, OptionError } from '../../core/errors.js';
import type { CircuitFit } from '../fitting/fit-circuit.js';
import type { Spectrum } from '../readers/spectrum.js';

/** A bulk resistance with its standard error and where it came from. */
export interface BulkResistance {
  ohm: number;
  /** Standard error (ohm); 0 when not known. */
  stdOhm: number;
  method: 'fit' | 'intercept';
  /** For 'fit': the summed parameters; for 'intercept': how the point was found. */
  detail: string;
}

/**
 * R_bulk from a circuit fit: the named resistance parameters summed (["R1"], or ["R0", "R1"]
 * when the first arc is not resolved), with var = sum_ab s_a s_b rho_ab. With no names, the circuit
 * must hold exactly one resistor: which R is the bulk is the user's physics, not guessed.
 */
export const bulkFromFit = (fit: CircuitFit, names?: readonly string[]): BulkResistance => {
  let use = names ? [...names] : undefined;
  if (!use) {
    const rs = fit.parameterNames.filter((n) => /^R[0-9_]*$/.test(n));
    if (rs.length !== 1)
      throw new OptionError(
        `${fit.circuit} has ${rs.length} resistors (${rs.join(', ') || 'none'}): name the bulk resistance (for example ${rs[rs.length > 1 ? 1 : 0] ?? 'R1'})`,
        { option: 'bulk' },
      );
    use = rs;
  }
  const idx = use.map((n) => {
    const k = fit.parameterNames.indexOf(n);
    if (k < 0)
      throw new OptionError(`${n} is not a parameter of ${fit.circuit} (${fit.parameterNames.join(', ')})`, {
        option: 'bulk',
      });
    if (fit.parameterUnits[k] !== 'ohm')
      throw new OptionError(`${n} is not a resistance (unit ${fit.parameterUnits[k] || 'none'})`, {
        option: 'bulk',
      });
    return k;
  });
  let r = 0;
  let v = 0;
  // A resistance that ended on its bound (0 ohm) is held there, as in a fit with it fixed: no
  // variance of its own; the others' standard errors are those of the remaining parameters.
  const held = (k: number) => fit.atBound?.[k] === true;
  for (const a of idx) {
    r += fit.parameters[a];
    if (held(a)) continue;
    for (const b of idx)
      if (!held(b)) v += fit.stdErrors[a] * fit.stdErrors[b] * (a === b ? 1 : fit.correlation[a][b]);
  }
  return { ohm: r, stdOhm: Math.sqrt(v), method: 'fit', detail: use.join(' + ') };
};

/**
 * R_bulk as the high-frequency intercept of the Nyquist plot with the real axis: going from the
 * highest frequency down, the first point where Im Z changes sign from >= 0 to < 0, linearly
 * interpolated (std: the Re Z gap of the two points / sqrt(12), a uniform spread). Without a
 * crossing (the whole spectrum below the axis), the point where -Im Z has its first local minimum
 * going down in frequency (the foot between the bulk arc and the electrode spike; std again from
 * its neighbours).
 */
export const bulkFromIntercept = (s: Spectrum): BulkResistance => {
  const n = s.frequencyHz.length;
  if (n < 3) throw new InsufficientDataError(`${s.file}: an intercept needs at least 3 points, got ${n}`);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => s.frequencyHz[b] - s.frequencyHz[a]);
  const re = order.map((i) => s.reOhm[i]);
  const im = order.map((i) => s.imOhm[i]);
  for (let k = 1; k < n; k++)
    if (im[k - 1] >= 0 && im[k] < 0) {
      const t = im[k - 1] / (im[k - 1] - im[k]);
      return {
        ohm: re[k - 1] + t * (re[k] - re[k - 1]),
        stdOhm: Math.abs(re[k] - re[k - 1]) / Math.sqrt(12),
        method: 'intercept',
        detail: `Im Z crosses 0 between ${s.frequencyHz[order[k - 1]]} and ${s.frequencyHz[order[k]]} Hz`,
      };
    }
  for (let k = 1; k < n - 1; k++)
    if (-im[k] <= -im[k - 1] && -im[k] < -im[k + 1])
      return {
        ohm: re[k],
        stdOhm: Math.max(Math.abs(re[k + 1] - re[k]), Math.abs(re[k] - re[k - 1])) / Math.sqrt(12),
        method: 'intercept',
        detail: `minimum of -Im Z at ${s.frequencyHz[order[k]]} Hz`,
      };
  throw new InsufficientDataError(
    `${s.file}: Im Z neither crosses zero nor has a minimum of -Im Z: no high-frequency intercept; fit a circuit instead`,
  );
};
