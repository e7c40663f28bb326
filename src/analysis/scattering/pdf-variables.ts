import { OptionError } from '../../core/errors.js';
import type { PdfDataModel } from './pdf-model.js';
import type { PdfPhase } from './pdf-phase.js';

// The model's variables by PDFfit2's names, so that a PDFgui user's constraints read the same:
// per phase lat(1..6) (a b c alpha beta gamma), x(i) y(i) z(i) occ(i) u11(i) .. u23(i) (atom i,
// 1-based), delta1, delta2, sratio, rcut, spdiameter, stepcut, pscale; per data set dscale, qdamp,
// qbroad.

export const PHASE_VARIABLES = [
  'delta1',
  'delta2',
  'sratio',
  'rcut',
  'spdiameter',
  'stepcut',
  'pscale',
] as const;
export const DATA_VARIABLES = ['dscale', 'qdamp', 'qbroad'] as const;
const ATOM_FIELDS = ['x', 'y', 'z', 'occ', 'u11', 'u22', 'u33', 'u12', 'u13', 'u23'] as const;
const LAT = ['a', 'b', 'c', 'alpha', 'beta', 'gamma'] as const;

/** A parsed variable name: which field of the phase or the data set it is. */
export type VariableRef =
  | { scope: 'data'; field: (typeof DATA_VARIABLES)[number] }
  | { scope: 'phase'; field: (typeof PHASE_VARIABLES)[number] }
  | { scope: 'lattice'; index: number }
  | { scope: 'atom'; field: (typeof ATOM_FIELDS)[number]; atom: number };

/** Parse a PDFfit2 variable name ("lat(1)", "u11(3)", "delta2", "dscale"), checked against the phase. */
export const parseVariable = (name: string, phase: PdfPhase | undefined): VariableRef => {
  const n = name.trim().toLowerCase();
  if ((DATA_VARIABLES as readonly string[]).includes(n))
    return { scope: 'data', field: n as (typeof DATA_VARIABLES)[number] };
  if (!phase)
    throw new OptionError(`unknown data-set variable "${name}" (known: ${DATA_VARIABLES.join(', ')})`);
  if ((PHASE_VARIABLES as readonly string[]).includes(n)) {
    if (phase.kind === 'profile' && n !== 'pscale' && n !== 'spdiameter')
      throw new OptionError(
        `phase ${phase.name} is a given G(r): only pscale and spdiameter can vary, not ${name}`,
      );
    return { scope: 'phase', field: n as (typeof PHASE_VARIABLES)[number] };
  }
  const m = /^([a-z]+[0-9]*)\((\d+)\)$/.exec(n.replace(/\s+/g, ''));
  if (m && phase.kind === 'crystal') {
    const k = Number(m[2]);
    if (m[1] === 'lat') {
      if (k < 1 || k > 6)
        throw new OptionError(`"${name}": lat(k) takes k = 1..6 (a, b, c, alpha, beta, gamma)`);
      return { scope: 'lattice', index: k - 1 };
    }
    if ((ATOM_FIELDS as readonly string[]).includes(m[1])) {
      if (k < 1 || k > phase.atoms.length)
        throw new OptionError(`"${name}": phase ${phase.name} has atoms 1..${phase.atoms.length}`);
      return { scope: 'atom', field: m[1] as (typeof ATOM_FIELDS)[number], atom: k - 1 };
    }
  }
  throw new OptionError(
    `unknown variable "${name}" for phase ${phase.name} (known: lat(1..6), x(i) y(i) z(i) occ(i) u11(i)..u23(i), ${PHASE_VARIABLES.join(', ')}; data: ${DATA_VARIABLES.join(', ')})`,
  );
};

const uIndex = { u11: 0, u22: 1, u33: 2, u12: 3, u13: 4, u23: 5 } as const;

/** Value of a variable. */
export const getVariable = (ref: VariableRef, phase: PdfPhase | undefined, data: PdfDataModel): number => {
  if (ref.scope === 'data') return data[ref.field];
  if (!phase) throw new OptionError('no phase');
  if (ref.scope === 'phase') {
    if (phase.kind === 'profile') return ref.field === 'pscale' ? phase.pscale : phase.spdiameter;
    return phase[ref.field];
  }
  if (phase.kind !== 'crystal') throw new OptionError(`phase ${phase.name} has no atoms or cell to vary`);
  if (ref.scope === 'lattice') return phase.cell[LAT[ref.index]];
  const a = phase.atoms[ref.atom];
  if (ref.field === 'x' || ref.field === 'y' || ref.field === 'z')
    return a.xyz[{ x: 0, y: 1, z: 2 }[ref.field]];
  if (ref.field === 'occ') return a.occupancy;
  return a.u[uIndex[ref.field]];
};

/** Set a variable (in place). */
export const setVariable = (
  ref: VariableRef,
  phase: PdfPhase | undefined,
  data: PdfDataModel,
  value: number,
): void => {
  if (ref.scope === 'data') {
    data[ref.field] = value;
    return;
  }
  if (!phase) throw new OptionError('no phase');
  if (ref.scope === 'phase') {
    if (phase.kind === 'profile') {
      if (ref.field === 'pscale') phase.pscale = value;
      else phase.spdiameter = value;
    } else phase[ref.field] = value;
    return;
  }
  if (phase.kind !== 'crystal') throw new OptionError(`phase ${phase.name} has no atoms or cell to vary`);
  if (ref.scope === 'lattice') {
    phase.cell[LAT[ref.index]] = value;
    return;
  }
  const a = phase.atoms[ref.atom];
  if (ref.field === 'x' || ref.field === 'y' || ref.field === 'z')
    a.xyz[{ x: 0, y: 1, z: 2 }[ref.field]] = value;
  else if (ref.field === 'occ') a.occupancy = value;
  else a.u[uIndex[ref.field]] = value;
};
