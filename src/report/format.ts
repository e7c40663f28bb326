import type { Estimate } from '../analysis/transport/diffusivity.js';
import { formatSignificant } from '../core/format-number.js';

/** Numbers as the report prints them: 3 significant digits, exponent outside 1e-2..1e5. */
export const num = (v: number | undefined | null, digits = 3): string =>
  v === undefined || v === null || !Number.isFinite(v) ? 'n/a' : formatSignificant(v, digits, 1e-2, 1e5);

/** A value with its 95 % interval: "4.75e-6 [2.7e-6, 6.8e-6]". */
export const withInterval = (e: Estimate | undefined, digits = 3): string =>
  e ? `${num(e.value, digits)} [${num(e.low95, 2)}, ${num(e.high95, 2)}]` : 'n/a';

/** mean +- 1.96 standard errors, as a 95 % interval (bounds to one digit fewer, at least 2). */
export const meanInterval = (m: { mean: number; standardError: number | null }, digits = 3): string =>
  m.standardError === null
    ? `${num(m.mean, digits)} (no interval: too few blocks)`
    : `${num(m.mean, digits)} [${num(m.mean - 1.96 * m.standardError, Math.max(2, digits - 1))}, ${num(m.mean + 1.96 * m.standardError, Math.max(2, digits - 1))}]`;

/** HTML text escaping. */
export const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
