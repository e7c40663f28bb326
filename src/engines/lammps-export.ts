import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OptionError } from '../core/errors.js';
import type { Lattice } from '../core/lattice.js';
import { computeEnergy } from '../forcefield/energy.js';
import { bornPair, explicitPair, type ForceField, ljPair } from '../forcefield/force-field.js';
import { extendedPositions } from '../forcefield/shells.js';
import type { TypedSystem } from '../forcefield/typing.js';
import { toLammpsOrientation } from '../io/formats/lammps-common.js';
import { cannotWrite, makeOutputFolder } from '../io/output-errors.js';
import { PME_MIN_ATOMS } from '../md/reciprocal-choice.js';

/**
 * The LAMMPS data file and input script for a typed system with exactly oligolyte's force field:
 * atom_style full, units real, bond/angle harmonic, pair lj/cut/coul/dsf, pair_modify mix geometric
 * shift yes, special_bonds lj/coul as the force field says. The input runs 0 steps and prints the
 * energy by term; `dump` writes per-atom forces (forces.dump), which the tests compare.
 */
export interface LammpsExport {
  data: string;
  input: string;
  /** The bond, angle and dihedral type keys in the data file's type order. */
  bondTypes: string[];
  angleTypes: string[];
  dihedralTypes: string[];
}

const fmt = (x: number) => (Number.isInteger(x) ? x.toFixed(1) : String(x));

export const lammpsFiles = (
  positions: Float64Array,
  lattice: Lattice,
  sys: TypedSystem,
  ff: ForceField,
  options: { kspace?: 'ewald' | 'pppm'; velocities?: Float64Array } = {},
): LammpsExport => {
  if (sys.shells) {
    if (options.velocities)
      throw new OptionError(
        `${ff.name}: polarisable ions (shells) run on the embedded engine (relaxed shells); LAMMPS takes them as single points only`,
      );
    const cs = coreShellSystem(positions, lattice, sys, ff);
    return lammpsFiles(cs.positions, lattice, cs.sys, cs.ff, options);
  }
  const { lattice: oriented, positions: pos } = toLammpsOrientation(lattice, positions);
  const matrix = oriented.matrix;
  if (matrix[1] !== 0 || matrix[2] !== 0 || matrix[5] !== 0)
    throw new OptionError('internal: the cell is not in LAMMPS orientation');
  const [ax, , , bx, by, , cx, cy, cz] = matrix;
  const bondTypes = [...new Set(sys.bondKeys)];
  const angleTypes = [...new Set(sys.angleKeys)];
  const dihedralTypes = [...new Set(sys.dihedralKeys)];
  const n = sys.natoms;
  const lines: string[] = [];
  lines.push(`LAMMPS data file written by oligolyte (${ff.name})`, '');
  lines.push(`${n} atoms`, `${sys.typeNames.length} atom types`);
  lines.push(`${sys.bonds.length / 2} bonds`, `${Math.max(1, bondTypes.length)} bond types`);
  lines.push(`${sys.angles.length / 3} angles`, `${Math.max(1, angleTypes.length)} angle types`);
  if (dihedralTypes.length)
    lines.push(`${sys.dihedrals.length / 4} dihedrals`, `${dihedralTypes.length} dihedral types`);
  lines.push('');
  lines.push(`0.0 ${ax} xlo xhi`, `0.0 ${by} ylo yhi`, `0.0 ${cz} zlo zhi`);
  if (bx !== 0 || cx !== 0 || cy !== 0) lines.push(`${bx} ${cx} ${cy} xy xz yz`);
  lines.push('', 'Masses', '');
  for (const [k, t] of sys.typeNames.entries()) lines.push(`${k + 1} ${ff.atomTypes[t].mass} # ${t}`);
  lines.push('', 'Atoms # full', '');
  for (let i = 0; i < n; i++)
    lines.push(
      `${i + 1} ${sys.moleculeIds[i]} ${sys.type[i] + 1} ${sys.charges[i]} ${pos[3 * i]} ${pos[3 * i + 1]} ${pos[3 * i + 2]}`,
    );
  if (sys.bonds.length) {
    lines.push('', 'Bonds', '');
    for (let b = 0; b < sys.bonds.length / 2; b++)
      lines.push(
        `${b + 1} ${bondTypes.indexOf(sys.bondKeys[b]) + 1} ${sys.bonds[2 * b] + 1} ${sys.bonds[2 * b + 1] + 1}`,
      );
  }
  if (sys.angles.length) {
    lines.push('', 'Angles', '');
    for (let a = 0; a < sys.angles.length / 3; a++)
      lines.push(
        `${a + 1} ${angleTypes.indexOf(sys.angleKeys[a]) + 1} ${sys.angles[3 * a] + 1} ${sys.angles[3 * a + 1] + 1} ${sys.angles[3 * a + 2] + 1}`,
      );
  }
  if (sys.dihedrals.length) {
    lines.push('', 'Dihedrals', '');
    for (let d = 0; d < sys.dihedrals.length / 4; d++)
      lines.push(
        `${d + 1} ${dihedralTypes.indexOf(sys.dihedralKeys[d]) + 1} ${[0, 1, 2, 3].map((c) => sys.dihedrals[4 * d + c] + 1).join(' ')}`,
      );
  }
  if (options.velocities) {
    // Velocities (A/fs, LAMMPS real units) rotated as the positions are (the map is linear).
    const v = toLammpsOrientation(lattice, options.velocities).positions;
    lines.push('', 'Velocities', '');
    for (let i = 0; i < n; i++) lines.push(`${i + 1} ${v[3 * i]} ${v[3 * i + 1]} ${v[3 * i + 2]}`);
  }
  const data = `${lines.join('\n')}\n`;

  const inp: string[] = [
    `# oligolyte: ${ff.name} in LAMMPS, the same terms oligolyte computes`,
    ...forceFieldCommands(sys, ff, bondTypes, angleTypes, dihedralTypes, options),
  ];
  inp.push('thermo_style custom step pe ebond eangle evdwl ecoul elong press pxx pyy pzz pxy pxz pyz edihed');
  inp.push('thermo_modify format float %.12g');
  inp.push(
    'dump forces all custom 1 forces.dump id fx fy fz',
    'dump_modify forces format float %.12g sort id',
  );
  inp.push('run 0');
  return { data, input: `${inp.join('\n')}\n`, bondTypes, angleTypes, dihedralTypes };
};

/**
 * Polarisable ions for LAMMPS (its CORESHELL package): the atoms and their shells at the relaxed
 * places (energy.ts), each core and shell joined by a harmonic bond k (r - 0)^2 as LAMMPS's
 * core-shell howto does, special_bonds 0 for them (ions force fields have all factors 0) and the
 * /cs pair style (pairCommands): the same energy and, summed per ion, the same forces.
 */
const coreShellSystem = (
  positions: Float64Array,
  lattice: Lattice,
  sys: TypedSystem,
  ff: ForceField,
): { positions: Float64Array; sys: TypedSystem; ff: ForceField } => {
  const shells = sys.shells!;
  const relaxed = computeEnergy(positions, lattice, sys, ff).shellDisplacementsA!;
  const ext = extendedPositions(shells, positions, relaxed, new Float64Array(3 * shells.extended.natoms));
  const n = sys.natoms;
  const bonds = new Uint32Array(2 * shells.owner.length);
  const bondKeys: string[] = [];
  const springs: ForceField['bonds'] = {};
  shells.owner.forEach((c, s) => {
    bonds[2 * s] = c;
    bonds[2 * s + 1] = n + s;
    const key = `${sys.typeNames[sys.type[c]]}-${shells.extended.typeNames[shells.extended.type[n + s]]}`;
    bondKeys.push(key);
    springs[key] = { k: shells.spring[s], x0: 0 };
  });
  const extended: TypedSystem = {
    ...shells.extended,
    bonds,
    bondKeys,
    bondParams: bondKeys.map((k) => springs[k]),
  };
  return { positions: ext, sys: extended, ff: { ...ff, bonds: { ...ff.bonds, ...springs } } };
};

/**
 * The commands that set up the system and its force field (units through neighbour settings),
 * shared by the single-point input and the protocol inputs.
 */
export const forceFieldCommands = (
  sys: TypedSystem,
  ff: ForceField,
  bondTypes: string[],
  angleTypes: string[],
  dihedralTypes: string[],
  options: { kspace?: 'ewald' | 'pppm'; dataFile?: string } = {},
): string[] => {
  const inp: string[] = [
    'units real',
    'atom_style full',
    'boundary p p p',
    `read_data ${options.dataFile ?? 'system.data'}`,
    ...pairCommands(sys, ff),
  ];
  inp.push(`pair_modify mix ${ff.mixing} shift ${ff.shift ? 'yes' : 'no'}`);
  if (ff.coulomb.method === 'ewald')
    // The embedded engine's PME is LAMMPS's pppm (both a mesh approximation of the same sum),
    // chosen as the engine chooses it (md/reciprocal-choice.ts).
    inp.push(
      `kspace_style ${options.kspace ?? ((ff.coulomb.kspace ?? (sys.natoms >= PME_MIN_ATOMS ? 'pme' : 'ewald')) === 'pme' ? 'pppm' : 'ewald')} ${ff.coulomb.accuracy}`,
    );
  inp.push('bond_style harmonic');
  if (bondTypes.length === 0) inp.push('bond_coeff 1 0.0 1.0');
  for (const [k, key] of bondTypes.entries())
    inp.push(`bond_coeff ${k + 1} ${fmt(ff.bonds[key].k)} ${fmt(ff.bonds[key].x0)} # ${key}`);
  inp.push('angle_style harmonic');
  if (angleTypes.length === 0) inp.push('angle_coeff 1 0.0 109.47');
  for (const [k, key] of angleTypes.entries())
    inp.push(`angle_coeff ${k + 1} ${fmt(ff.angles[key].k)} ${fmt(ff.angles[key].x0)} # ${key}`);
  if (dihedralTypes.length) {
    inp.push('dihedral_style harmonic');
    for (const [k, key] of dihedralTypes.entries()) {
      const d = ff.dihedrals![key];
      inp.push(`dihedral_coeff ${k + 1} ${d.k} ${d.d} ${d.n} # ${key}`);
    }
  }
  inp.push(`special_bonds lj ${ff.special.lj.join(' ')} coul ${ff.special.coul.join(' ')}`);
  inp.push('neighbor 2.0 bin', 'neigh_modify every 1 delay 0 check yes one 10000 page 200000');
  return inp;
};

/**
 * pair_style and pair_coeff lines. Lennard-Jones only: lj/cut/coul/<dsf|wolf|long>, unlike pairs
 * mixed by LAMMPS unless explicit. Born-Mayer-Huggins on every pair of the system's types:
 * born/coul/<dsf|wolf|long>. Both: hybrid/overlay of the LJ style (Coulomb for every pair, LJ at
 * epsilon 0 where Born replaces it) and born for the Born pairs, the same energy term by term.
 */
const pairCommands = (sys: TypedSystem, ff: ForceField): string[] => {
  const names = sys.typeNames;
  // Core-shell systems: the /cs styles (the same terms, safe at a core-shell distance of zero).
  const coulombStyle =
    (ff.coulomb.method === 'ewald' ? 'long' : ff.coulomb.method) + (ff.shells ? '/cs' : '');
  const coulombArgs = ff.coulomb.method === 'ewald' ? `${ff.cutoff}` : `${ff.coulomb.alpha} ${ff.cutoff}`;
  const pairs: [number, number][] = [];
  for (let a = 0; a < names.length; a++) for (let b = a; b < names.length; b++) pairs.push([a, b]);
  const bornArgs = (a: number, b: number) => {
    const t = bornPair(ff, names[a], names[b]);
    return t && `${t.a} ${t.rho} ${t.sigma} ${t.c} ${t.d} # ${names[a]}-${names[b]}`;
  };
  const withBorn = pairs.filter(([a, b]) => bornArgs(a, b));
  if (withBorn.length > 0 && withBorn.length === pairs.length)
    return [
      `pair_style born/coul/${coulombStyle} ${coulombArgs}`,
      ...pairs.map(([a, b]) => `pair_coeff ${a + 1} ${b + 1} ${bornArgs(a, b)}`),
    ];
  if (ff.shells)
    throw new OptionError(
      `${ff.name}: LAMMPS's core-shell styles need a Born term on every pair of types (${pairs.length - withBorn.length} without)`,
    );
  const hybrid = withBorn.length > 0;
  const lj = `lj/cut/coul/${coulombStyle}`;
  const ljStyle = hybrid ? `${lj} ` : '';
  const out = [
    hybrid
      ? `pair_style hybrid/overlay ${lj} ${coulombArgs} born ${ff.cutoff}`
      : `pair_style ${lj} ${coulombArgs}`,
  ];
  const isBorn = (a: number, b: number) => withBorn.some(([x, y]) => x === a && y === b);
  for (const [k, t] of names.entries()) {
    const own = ff.atomTypes[t];
    out.push(`pair_coeff ${k + 1} ${k + 1} ${ljStyle}${isBorn(k, k) ? 0 : own.epsilon} ${own.sigma} # ${t}`);
  }
  for (const [a, b] of pairs) {
    if (a === b) continue;
    const [ta, tb] = [names[a], names[b]];
    if (hybrid) {
      // Every unlike pair written out (ljPair: explicit, mixed, or epsilon 0 where Born replaces
      // LJ): LAMMPS's mixing would take a like Born pair's epsilon 0 into its type's other pairs.
      const p = ljPair(ff, ta, tb);
      out.push(`pair_coeff ${a + 1} ${b + 1} ${ljStyle}${p.epsilon} ${p.sigma} # ${ta}-${tb}`);
    } else {
      // Explicit pair terms (ff.pairs) override the mixing rule for their type pair; I <= J as LAMMPS wants.
      const p = explicitPair(ff, ta, tb);
      if (p) out.push(`pair_coeff ${a + 1} ${b + 1} ${p.epsilon} ${p.sigma} # ${ta}-${tb}`);
    }
  }
  for (const [a, b] of withBorn) out.push(`pair_coeff ${a + 1} ${b + 1} born ${bornArgs(a, b)}`);
  return out;
};

/** Write system.data and in.oligolyte to a folder. */
export const writeLammpsExport = (dir: string, files: LammpsExport): void => {
  makeOutputFolder(dir);
  for (const [name, text] of [
    ['system.data', files.data],
    ['in.oligolyte', files.input],
  ] as const)
    try {
      writeFileSync(join(dir, name), text);
    } catch (e) {
      throw cannotWrite(join(dir, name), e);
    }
};
