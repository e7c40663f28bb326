import { Option } from 'commander';
import { OptionError } from '../core/errors.js';
import { isPositive, parseNumber } from './number-option.js';

/** The Q grid options of `scatter sq` and `scatter debye` (1/A). */
export interface QGridCliOptions {
  qmin: string;
  qmax: string;
  dq: string;
}

export const qGridOptions = [
  new Option('--qmin <1/A>', 'first Q, 1/A').default('0.5'),
  new Option('--qmax <1/A>', 'last Q, 1/A').default('25'),
  new Option('--dq <1/A>', 'Q step, 1/A').default('0.02'),
];

/** Q = qmin, qmin + dq, ... <= qmax (at most a million points). */
export const parseQGrid = (o: QGridCliOptions): Float64Array => {
  const qmin = parseNumber(o.qmin, '--qmin', isPositive, 'a positive Q in 1/A');
  const qmax = parseNumber(o.qmax, '--qmax', isPositive, 'a positive Q in 1/A');
  const dq = parseNumber(o.dq, '--dq', isPositive, 'a positive step in 1/A');
  if (!(qmax > qmin)) throw new OptionError(`--qmax ${qmax} must exceed --qmin ${qmin}`);
  const n = Math.floor((qmax - qmin) / dq + 1e-9) + 1;
  if (n > 1_000_000) throw new OptionError(`--dq ${dq}: ${n} Q points (at most a million)`);
  return Float64Array.from({ length: n }, (_, k) => qmin + k * dq);
};

export const formFactorOption = new Option(
  '--form-factor <model>',
  "X-ray form factors: pymatgen (f(s) with pymatgen's coefficients) or z (f = Z)",
)
  .choices(['pymatgen', 'z'])
  .default('pymatgen');
