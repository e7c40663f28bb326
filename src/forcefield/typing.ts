import { OptionError } from '../core/errors.js';
import type { Structure } from '../core/frame.js';
import type { DihedralTerm, ForceField, HarmonicTerm } from './force-field.js';

/**
 * Typing: force-field atom types, charges, bonds, angles and special pairs for a structure.
 * Types come from the atom roles of a built model (oligolyte build), or, for a file without roles,
 * from bonds perceived by distance (Al-O <= 2.1 A, Al-Cl <= 2.6 A, minimum image) and the number
 * of Al each O or Cl is bonded to. Charges follow the LAOC rule (FORCEFIELD.md): fixed charges for
 * Al, bridging O and free ions, the rest of each oligomer's formal charge (Al +3, O -2, Cl -1)
 * spread evenly over its Cl; AlCl4- keeps its own charges; everything times the global scale.
 */
export interface TypedSystem {
  natoms: number;
  typeNames: string[];
  /** Index into typeNames for every atom. */
  type: Int32Array;
  charges: Float64Array;
  bonds: Uint32Array;
  /** Key ("Al-O_br") and parameters of each bond. */
  bondKeys: string[];
  bondParams: HarmonicTerm[];
  /** Angles as (end, apex, end). */
  angles: Uint32Array;
  angleKeys: string[];
  angleParams: HarmonicTerm[];
  /** Dihedrals (i, j, k, l) about the bond j-k that have parameters, with their keys and terms. */
  dihedrals: Uint32Array;
  dihedralKeys: string[];
  dihedralParams: DihedralTerm[];
  /** Special pairs: key i * natoms + j (i < j) -> 1 (1-2), 2 (1-3), 3 (1-4). */
  special: Map<number, number>;
  moleculeIds: Int32Array;
  /**
   * Polarisable ions (ForceField.shells): the system with a shell for each, which the force
   * evaluations relax (forcefield/shells.ts). This system's own charges are each ion's total.
   */
  shells?: ShellSystem;
}

/**
 * Special order of a core and its shell: no pair term at all in the pair sums (the spring and the
 * core-shell Coulomb remainder are summed apart, forcefield/shells.ts, stable at zero separation).
 */
export const CORE_SHELL_ORDER = 4;

/**
 * The atoms with their shells: atoms 0..n-1 are the cores (the atoms, in order), n.. the shells;
 * special pairs core-shell of order CORE_SHELL_ORDER.
 */
export interface ShellSystem {
  extended: TypedSystem;
  /** The atom each shell belongs to. */
  owner: Int32Array;
  /** Each shell's spring constant k (E = k d^2, kcal/mol/A^2). */
  spring: Float64Array;
}

const ROLE_TYPES: Record<string, string> = {
  Li: 'Li',
  Na: 'Na',
  K: 'K',
  Al_end: 'Al',
  Al_middle: 'Al',
  Al_tetrachloro: 'Al_AlCl4',
  O_bridging: 'O_br',
  Cl_bridging: 'Cl_br',
  Cl_free: 'Cl_free',
};

const FORMAL: Record<string, number> = { Li: 1, Na: 1, K: 1, Al: 3, O: -2, Cl: -1 };

/** Bonds by distance, for files that carry none: Al-O up to 2.1 A, Al-Cl up to 2.6 A. */
export const perceiveBonds = (s: Structure): Uint32Array => {
  const L = s.frame.lattice;
  const t = s.topology;
  const p = s.frame.positions;
  const out: number[] = [];
  const d = new Float64Array(3);
  const al = t.indicesOf('Al');
  for (const a of al)
    for (let j = 0; j < t.natoms; j++) {
      const e = t.symbol(j);
      const max = e === 'O' ? 2.1 : e === 'Cl' ? 2.6 : 0;
      if (max === 0) continue;
      for (let x = 0; x < 3; x++) d[x] = p[3 * j + x] - p[3 * a + x];
      const r2 = L ? L.minimumImage(d) : d[0] ** 2 + d[1] ** 2 + d[2] ** 2;
      if (r2 <= max * max) out.push(a, j);
    }
  return Uint32Array.from(out);
};

const lookup = (table: Record<string, HarmonicTerm>, parts: string[]): HarmonicTerm | undefined => {
  const key = parts.join('-');
  const rev = [...parts].reverse().join('-');
  if (table[key]) return table[key];
  if (table[rev]) return table[rev];
  if (parts.length === 3) return table[`*-${parts[1]}-*`];
  return undefined;
};

/** The distinct type names in order of first appearance, and each atom's index into them. */
const typeIndex = (names: string[]): { typeNames: string[]; type: Int32Array } => {
  const typeNames = [...new Set(names)];
  return { typeNames, type: Int32Array.from(names, (x) => typeNames.indexOf(x)) };
};

/**
 * Typing for a bond-free force field (charges rule `ions`): each atom its element's type and
 * charge times the scale, its own molecule, no bonds, angles, dihedrals or special pairs. Bonds a
 * file carries are not used: in this model bonds are whatever the pair terms make of them.
 */
const typeIons = (s: Structure, ff: ForceField): TypedSystem => {
  const t = s.topology;
  const n = t.natoms;
  const names: string[] = [];
  const q = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const e = t.symbol(i);
    if (!(e in ff.atomTypes)) throw new OptionError(`atom ${i + 1} (${e}): ${ff.name} has no type for ${e}`);
    const charge = ff.charges.fixed[e];
    if (charge === undefined) throw new OptionError(`atom ${i + 1} (${e}): no charge for ${e} in ${ff.name}`);
    names.push(e);
    q[i] = charge * ff.charges.scale;
  }
  const sys = bondFree(n, names, q);
  return ff.shells ? { ...sys, shells: withShells(sys, names, ff) } : sys;
};

/** A system of free particles (their own molecules, no bonded terms or special pairs). */
const bondFree = (n: number, names: string[], q: Float64Array): TypedSystem => ({
  natoms: n,
  ...typeIndex(names),
  charges: q,
  bonds: new Uint32Array(0),
  bondKeys: [],
  bondParams: [],
  angles: new Uint32Array(0),
  angleKeys: [],
  angleParams: [],
  dihedrals: new Uint32Array(0),
  dihedralKeys: [],
  dihedralParams: [],
  special: new Map(),
  moleculeIds: Int32Array.from({ length: n }, (_, i) => i + 1),
});

/** The ions of `names` (element types, charges q) each with its shell, if its type has one. */
const withShells = (ions: TypedSystem, names: string[], ff: ForceField): ShellSystem => {
  const shells = ff.shells!;
  const owner = names.flatMap((e, i) => (shells[e] ? [i] : []));
  const m = owner.length;
  const n = names.length;
  const q = new Float64Array(n + m);
  q.set(ions.charges);
  const extendedNames = [...names];
  const spring = new Float64Array(m);
  owner.forEach((i, s) => {
    const shell = shells[names[i]];
    q[n + s] = shell.charge * ff.charges.scale;
    q[i] -= q[n + s];
    spring[s] = shell.k;
    extendedNames.push(shell.type);
  });
  const extended = bondFree(n + m, extendedNames, q);
  owner.forEach((i, s) => {
    extended.special.set(i * (n + m) + n + s, CORE_SHELL_ORDER);
    extended.moleculeIds[n + s] = i + 1;
  });
  return { extended, owner: Int32Array.from(owner), spring };
};

export const typeSystem = (s: Structure, ff: ForceField): TypedSystem => {
  if (ff.charges.rule === 'ions') return typeIons(s, ff);
  const t = s.topology;
  const n = t.natoms;
  const bonds = t.bonded.bonds && t.bonded.bonds.length > 0 ? t.bonded.bonds : perceiveBonds(s);
  const neighbours: number[][] = Array.from({ length: n }, () => []);
  for (let b = 0; b < bonds.length; b += 2) {
    neighbours[bonds[b]].push(bonds[b + 1]);
    neighbours[bonds[b + 1]].push(bonds[b]);
  }
  // Molecules: connected components of the bond graph.
  const mol = new Int32Array(n).fill(-1);
  let molecules = 0;
  for (let i = 0; i < n; i++) {
    if (mol[i] >= 0) continue;
    const stack = [i];
    mol[i] = molecules;
    while (stack.length) {
      const a = stack.pop()!;
      for (const b of neighbours[a])
        if (mol[b] < 0) {
          mol[b] = molecules;
          stack.push(b);
        }
    }
    molecules++;
  }
  // Types: from roles, else from the bonding pattern.
  const names: string[] = [];
  for (let i = 0; i < n; i++) {
    const e = t.symbol(i);
    const role = t.roles?.[i];
    let type = role ? ROLE_TYPES[role] : undefined;
    const alNeighbours = neighbours[i].filter((j) => t.symbol(j) === 'Al').length;
    if (!type) {
      if (['Li', 'Na', 'K'].includes(e)) type = e;
      else if (e === 'Al') {
        const hasO = neighbours[i].some((j) => t.symbol(j) === 'O');
        type = !hasO && neighbours[i].length === 4 ? 'Al_AlCl4' : 'Al';
      } else if (e === 'O') {
        if (alNeighbours !== 2)
          throw new OptionError(
            `cannot type atom ${i + 1} (O): it is bonded to ${alNeighbours} Al, not 2 (bridging O)`,
          );
        type = 'O_br';
      } else if (e === 'Cl') type = alNeighbours === 2 ? 'Cl_br' : alNeighbours === 1 ? 'Cl_t' : 'Cl_free';
      else throw new OptionError(`cannot type atom ${i + 1} (${e}): ${ff.name} has no type for it`);
    }
    names.push(type);
  }
  // Cl of an AlCl4- unit: Cl_AlCl4.
  for (let i = 0; i < n; i++)
    if (names[i] === 'Cl_t' && neighbours[i].some((j) => names[j] === 'Al_AlCl4')) names[i] = 'Cl_AlCl4';
  for (let i = 0; i < n; i++)
    if (!(names[i] in ff.atomTypes))
      throw new OptionError(`atom ${i + 1}: type ${names[i]} is not in ${ff.name}`);

  // Charges: the LAOC rule per molecule.
  const q = new Float64Array(n);
  const members: number[][] = Array.from({ length: molecules }, () => []);
  for (let i = 0; i < n; i++) members[mol[i]].push(i);
  const fixed = ff.charges.fixed;
  for (const atoms of members) {
    const formal = atoms.reduce((sum, i) => sum + (FORMAL[t.symbol(i)] ?? 0), 0);
    let rest = formal;
    const spread: number[] = [];
    for (const i of atoms) {
      const f = fixed[names[i]];
      if (f !== undefined) {
        q[i] = f;
        rest -= f;
      } else if (t.symbol(i) === 'Cl') spread.push(i);
      else throw new OptionError(`atom ${i + 1} (${names[i]}): no charge in ${ff.name}`);
    }
    if (spread.length) for (const i of spread) q[i] = rest / spread.length;
    else if (Math.abs(rest) > 1e-6)
      throw new OptionError(
        `molecule of atom ${atoms[0] + 1}: fixed charges sum to ${formal - rest}, not its formal ${formal}`,
      );
  }
  for (let i = 0; i < n; i++) q[i] *= ff.charges.scale;

  // Bonds and their parameters.
  const bondKeys: string[] = [];
  const bondParams: HarmonicTerm[] = [];
  for (let b = 0; b < bonds.length; b += 2) {
    const pair = [names[bonds[b]], names[bonds[b + 1]]].sort();
    const p = lookup(ff.bonds, pair);
    if (!p)
      throw new OptionError(
        `no bond parameters for ${pair.join('-')} (atoms ${bonds[b] + 1}, ${bonds[b + 1] + 1})`,
      );
    bondKeys.push(ff.bonds[pair.join('-')] ? pair.join('-') : [...pair].reverse().join('-'));
    bondParams.push(p);
  }
  // Angles: every pair of bonds at an apex.
  const angles: number[] = [];
  const angleKeys: string[] = [];
  const angleParams: HarmonicTerm[] = [];
  for (let c = 0; c < n; c++) {
    const nb = neighbours[c];
    for (let a = 0; a < nb.length; a++)
      for (let b = a + 1; b < nb.length; b++) {
        const ends = [names[nb[a]], names[nb[b]]].sort();
        const parts = [ends[0], names[c], ends[1]];
        const p = lookup(ff.angles, parts);
        if (!p)
          throw new OptionError(
            `no angle parameters for ${parts.join('-')} (atoms ${nb[a] + 1}, ${c + 1}, ${nb[b] + 1})`,
          );
        angles.push(nb[a], c, nb[b]);
        const key = parts.join('-');
        angleKeys.push(ff.angles[key] ? key : `*-${names[c]}-*`);
        angleParams.push(p);
      }
  }
  // Dihedrals: i-j-k-l for every bond j-k, i bonded to j and l bonded to k (i != l), kept when the
  // force field has parameters for them ("*" ends match anything).
  const dihedrals: number[] = [];
  const dihedralKeys: string[] = [];
  const dihedralParams: DihedralTerm[] = [];
  const table = ff.dihedrals ?? {};
  if (Object.keys(table).length > 0)
    for (let b = 0; b < bonds.length; b += 2) {
      const j = bonds[b];
      const k = bonds[b + 1];
      for (const i of neighbours[j]) {
        if (i === k) continue;
        for (const l of neighbours[k]) {
          if (l === j || l === i) continue;
          const t = [names[i], names[j], names[k], names[l]];
          const candidates = [t, [...t].reverse(), ['*', t[1], t[2], '*'], ['*', t[2], t[1], '*']].map((x) =>
            x.join('-'),
          );
          const key = candidates.find((c) => table[c] !== undefined);
          if (!key) continue;
          dihedrals.push(i, j, k, l);
          dihedralKeys.push(key);
          dihedralParams.push(table[key]);
        }
      }
    }
  // Special pairs from the bond graph, lowest order first (as LAMMPS: 1-2 over 1-3 over 1-4).
  const special = new Map<number, number>();
  const key = (i: number, j: number) => (i < j ? i * n + j : j * n + i);
  for (let i = 0; i < n; i++) {
    let frontier = [i];
    const seen = new Set([i]);
    for (let order = 1; order <= 3; order++) {
      const next: number[] = [];
      for (const a of frontier)
        for (const b of neighbours[a])
          if (!seen.has(b)) {
            seen.add(b);
            next.push(b);
            const k = key(i, b);
            if (!special.has(k) || special.get(k)! > order) special.set(k, order);
          }
      frontier = next;
    }
  }
  return {
    natoms: n,
    ...typeIndex(names),
    charges: q,
    bonds,
    bondKeys,
    bondParams,
    angles: Uint32Array.from(angles),
    angleKeys,
    angleParams,
    dihedrals: Uint32Array.from(dihedrals),
    dihedralKeys,
    dihedralParams,
    special,
    moleculeIds: Int32Array.from(mol, (m) => m + 1),
  };
};
