import { OptionError } from '../../core/errors.js';
import type { BornTerm, ForceField } from '../force-field.js';

/**
 * The parameters a fit may move, named by a path into the force field:
 * - `charges.scale`: the global charge scale (every charge, Li+ included);
 * - `born.<E1>-<E2>.<a|rho|c|d>`: a Born-Mayer-Huggins field of every Born term whose two atom
 *   types are of elements E1 and E2 (Li-Cl moves Li-Cl_t, Li-Cl_br, Li-Cl_AlCl4 and Li-Cl_free
 *   together: one set of parameters per element pair);
 * - `bonds.<key>.<k|x0>`: a harmonic bond of the force field's bond table;
 * - `angles.<key>.<k|x0>`: a harmonic angle of its angle table (x0 in degrees);
 * - `shells.<type>.<charge|k>`: a polarisable ion's shell charge (e, before the scale) or spring.
 * The Born sigma is not a parameter (a exp(sigma/rho) and sigma are one degree of freedom).
 */
export interface FitParameter {
  path: string;
  /** Start value and bounds, in the force field's units (kcal/mol, A, e). */
  initial: number;
  lower: number;
  upper: number;
}

/** A force-field type's element: the type name up to its first "_" (Cl_AlCl4 -> Cl). */
export const typeElement = (type: string): string => type.split('_')[0];

const BORN_FIELDS = ['a', 'rho', 'c', 'd'] as const;

/**
 * Every Born key of the force field whose types are of elements e1 and e2 (either order). A
 * polarisable ion's repulsion is its shell's (Cl_shell is of Cl): its core's own terms (Coulomb
 * only) are not among them.
 */
export const bornKeysOf = (ff: ForceField, e1: string, e2: string): string[] =>
  Object.keys(ff.born ?? {}).filter((k) => {
    const types = k.split('-');
    if (types.some((t) => ff.shells?.[t])) return false;
    const [a, b] = types.map(typeElement);
    return (a === e1 && b === e2) || (a === e2 && b === e1);
  });

/** Check a parameter path against a force field: an OptionError naming it if it moves nothing. */
export const checkParameter = (ff: ForceField, p: FitParameter): void => {
  const parts = p.path.split('.');
  const bad = (what: string): never => {
    throw new OptionError(`fit parameter "${p.path}": ${what}`);
  };
  if (!(p.lower <= p.initial && p.initial <= p.upper))
    bad(`needs lower <= initial <= upper (got ${p.lower}, ${p.initial}, ${p.upper})`);
  if (p.path === 'charges.scale') return;
  if (parts[0] === 'born' && parts.length === 3) {
    if (!(BORN_FIELDS as readonly string[]).includes(parts[2])) bad('a Born field is a, rho, c or d');
    const [e1, e2] = parts[1].split('-');
    if (!e2 || bornKeysOf(ff, e1, e2).length === 0)
      bad(`the force field has no Born term between elements ${parts[1]}`);
    return;
  }
  if ((parts[0] === 'bonds' || parts[0] === 'angles') && parts.length === 3) {
    if (!ff[parts[0]][parts[1]]) bad(`no ${parts[0].slice(0, -1)} "${parts[1]}" in the force field`);
    if (parts[2] !== 'k' && parts[2] !== 'x0') bad(`a ${parts[0].slice(0, -1)} field is k or x0`);
    return;
  }
  if (parts[0] === 'shells' && parts.length === 3) {
    if (!ff.shells?.[parts[1]]) bad(`no shell on "${parts[1]}" in the force field`);
    if (parts[2] !== 'charge' && parts[2] !== 'k') bad('a shell field is charge or k');
    // A shell charge crossing zero would leave the shell without a field to follow.
    if (parts[2] === 'charge' && p.lower * p.upper <= 0)
      bad('a shell charge keeps its sign: bounds of one sign');
    return;
  }
  bad(
    'expected charges.scale, born.<E1>-<E2>.<a|rho|c|d>, bonds.<key>.<k|x0>, angles.<key>.<k|x0> or shells.<type>.<charge|k>',
  );
};

/** The force field with each parameter at its value (a new object; the input is not changed). */
export const applyParameters = (
  ff: ForceField,
  params: FitParameter[],
  values: ArrayLike<number>,
): ForceField => {
  const out: ForceField = {
    ...ff,
    charges: { ...ff.charges },
    bonds: { ...ff.bonds },
    angles: { ...ff.angles },
    born: Object.fromEntries(Object.entries(ff.born ?? {}).map(([k, v]) => [k, { ...v }])),
    ...(ff.shells && {
      shells: Object.fromEntries(Object.entries(ff.shells).map(([k, v]) => [k, { ...v }])),
    }),
  };
  params.forEach((p, k) => {
    const v = values[k];
    const parts = p.path.split('.');
    if (p.path === 'charges.scale') out.charges.scale = v;
    else if (parts[0] === 'born') {
      const [e1, e2] = parts[1].split('-');
      for (const key of bornKeysOf(out, e1, e2)) (out.born![key] as BornTerm)[parts[2] as keyof BornTerm] = v;
    } else if (parts[0] === 'bonds') out.bonds[parts[1]] = { ...out.bonds[parts[1]], [parts[2]]: v };
    else if (parts[0] === 'angles') out.angles[parts[1]] = { ...out.angles[parts[1]], [parts[2]]: v };
    else if (parts[0] === 'shells') out.shells![parts[1]] = { ...out.shells![parts[1]], [parts[2]]: v };
  });
  return out;
};
