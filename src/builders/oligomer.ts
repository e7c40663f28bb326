import { OptionError, PhysicsError } from '../core/errors.js';
import { SeededRandom } from '../core/random.js';

/**
 * Geometry of LAOC oligomer anions (../shared/SCIENCE.md section 1): linear chains
 * [AlnO(n-1)Cl(2n+2)]n- of tetrahedral Al joined by bridging O, and the unsaturated variants in
 * which a chain end has lost a terminal Cl (and its cation) and its three-coordinate Al is healed
 * by a Cl bridging it to the neighbouring Al (a planar Al-O-Al-Cl four-ring).
 *
 * Construction: the Al-O backbone from internal coordinates (bond Al-O, angle Al-O-Al, the
 * tetrahedral O-Al-O angle, backbone torsions drawn from the seed); then each Al is completed to a
 * tetrahedron: one fixed neighbour -> three Cl at 109.47 deg from it, 120 deg apart about it (phase
 * from the seed); two -> two Cl in the plane through the bisector, perpendicular to the first two
 * (exactly tetrahedral when those two are); three -> one Cl opposite their mean direction. Bond
 * lengths are exact; angles at Al are tetrahedral except where a four-ring forces them.
 */
export interface OligomerOptions {
  /** Number of Al (2 = dimer, 3 = trimer, 4 = tetramer); default 3. */
  length?: number;
  /** Bridging Cl: 0 (saturated), 1 (one healed end) or 2 (both ends); default 0. */
  bridges?: 0 | 1 | 2;
  /** Al-O bond (A), default 1.72. */
  alO?: number;
  /** Terminal Al-Cl bond (A), default 2.13. */
  alClTerminal?: number;
  /** Bridging Al-Cl bond (A), default 2.25. */
  alClBridging?: number;
  /** Al-O-Al angle (deg), default 135. */
  alOAl?: number;
  /** Al-O-Al angle inside an Al-O-Al-Cl four-ring (deg), default 100 (edge-sharing Al2OCl rings). */
  ringAlOAl?: number;
  /** Seed for the torsions and the phases of the terminal Cl; default 1. */
  seed?: number;
}

/** A built unit: atoms, bonds and roles (no cell). */
export interface Molecule {
  symbols: string[];
  /** Cartesian positions (A), interleaved. */
  positions: Float64Array;
  /** Bonds as index pairs. */
  bonds: [number, number][];
  /** Role of each atom: Al_end, Al_middle, O_bridging, Cl_terminal, Cl_bridging, Li, ... */
  roles: string[];
  /** Net charge (e). */
  charge: number;
}

type V = [number, number, number];
const sub = (a: V, b: V): V => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const add = (a: V, b: V): V => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
const scale = (a: V, k: number): V => [a[0] * k, a[1] * k, a[2] * k];
const dot = (a: V, b: V) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: V, b: V): V => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
const norm = (a: V) => Math.sqrt(dot(a, a));
const unit = (a: V): V => scale(a, 1 / norm(a));
const DEG = Math.PI / 180;
/** The tetrahedral angle, acos(-1/3). */
export const TETRAHEDRAL_DEG = Math.acos(-1 / 3) / DEG;

/** Any unit vector perpendicular to u. */
const perpendicular = (u: V): V => unit(cross(u, Math.abs(u[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0]));

/** Place d from c with angle b-c-d and torsion a-b-c-d (natural extension reference frame). */
const place = (a: V, b: V, c: V, bond: number, angleDeg: number, torsionDeg: number): V => {
  const bc = unit(sub(c, b));
  const n = unit(cross(sub(b, a), bc));
  const m = cross(n, bc);
  const th = angleDeg * DEG;
  const ph = torsionDeg * DEG;
  const d2: V = [
    -bond * Math.cos(th),
    bond * Math.sin(th) * Math.cos(ph),
    bond * Math.sin(th) * Math.sin(ph),
  ];
  return add(c, add(add(scale(bc, d2[0]), scale(m, d2[1])), scale(n, d2[2])));
};

/** Directions completing a tetrahedron about a centre whose existing bonds point along `fixed` (unit vectors). */
const completeTetrahedron = (fixed: V[], phase: number): V[] => {
  if (fixed.length === 1) {
    const u = fixed[0];
    const p = perpendicular(u);
    const q = cross(u, p);
    const c = Math.cos(TETRAHEDRAL_DEG * DEG);
    const s = Math.sin(TETRAHEDRAL_DEG * DEG);
    return [0, 1, 2].map((k) => {
      const phi = phase + (2 * Math.PI * k) / 3;
      return add(scale(u, c), add(scale(p, s * Math.cos(phi)), scale(q, s * Math.sin(phi))));
    });
  }
  if (fixed.length === 2) {
    const b = unit(scale(add(fixed[0], fixed[1]), -1));
    const n = unit(cross(fixed[0], fixed[1]));
    const half = (TETRAHEDRAL_DEG / 2) * DEG;
    return [
      add(scale(b, Math.cos(half)), scale(n, Math.sin(half))),
      add(scale(b, Math.cos(half)), scale(n, -Math.sin(half))),
    ];
  }
  if (fixed.length === 3) return [unit(scale(add(add(fixed[0], fixed[1]), fixed[2]), -1))];
  return [];
};

/** Build one LAOC oligomer anion. */
export const buildOligomer = (options: OligomerOptions = {}): Molecule => {
  const n = options.length ?? 3;
  const bridges = options.bridges ?? 0;
  const dAlO = options.alO ?? 1.72;
  const dT = options.alClTerminal ?? 2.13;
  const dB = options.alClBridging ?? 2.25;
  const theta = options.alOAl ?? 135;
  const ringTheta = options.ringAlOAl ?? 100;
  if (!Number.isInteger(n) || n < 1 || n > 12)
    throw new OptionError(`oligomer length ${n} is not a whole number in 1..12`);
  if (![0, 1, 2].includes(bridges)) throw new OptionError(`bridges must be 0, 1 or 2, got ${bridges}`);
  if (bridges > 0 && n < 2) throw new OptionError('a bridging Cl needs at least two Al');
  if (bridges === 2 && n < 3)
    throw new OptionError('two bridging Cl need at least three Al (one per chain end)');
  for (const [name, v] of [
    ['Al-O', dAlO],
    ['Al-Cl terminal', dT],
    ['Al-Cl bridging', dB],
  ] as const)
    if (!(v > 1 && v < 4)) throw new OptionError(`${name} bond ${v} A is not between 1 and 4 A`);
  if (!(theta > 90 && theta <= 180)) throw new OptionError(`Al-O-Al angle ${theta} deg is not in (90, 180]`);
  if (!(ringTheta >= 80 && ringTheta < 150))
    throw new OptionError(`ring Al-O-Al angle ${ringTheta} deg is not in [80, 150)`);
  // The bridging Cl must reach both Al of the four-ring.
  const alAl = 2 * dAlO * Math.sin((ringTheta * DEG) / 2);
  if (bridges > 0 && dB <= alAl / 2)
    throw new OptionError(`a bridging Al-Cl of ${dB} A cannot span Al...Al = ${alAl.toFixed(3)} A`);

  const rng = new SeededRandom(options.seed ?? 1);
  for (let attempt = 0; attempt < 200; attempt++) {
    const m = tryBuild(n, bridges, dAlO, dT, dB, theta, ringTheta, rng);
    const [lo, hi] = angleRangeAtAl(m);
    if (closestNonBonded(m) >= 2.6 && lo >= 60 && hi <= 150) return m;
  }
  throw new PhysicsError(`no clash-free ${n}-mer found in 200 seeded attempts; try another seed or angle`);
};

const tryBuild = (
  n: number,
  bridges: number,
  dAlO: number,
  dT: number,
  dB: number,
  theta: number,
  ringTheta: number,
  rng: SeededRandom,
): Molecule => {
  const symbols: string[] = [];
  const roles: string[] = [];
  const pos: V[] = [];
  const bonds: [number, number][] = [];
  const addAtom = (el: string, role: string, p: V) => {
    symbols.push(el);
    roles.push(role);
    pos.push(p);
    return pos.length - 1;
  };
  // Backbone Al0 O0 Al1 O1 ... Al(n-1), from internal coordinates.
  const chain: V[] = [];
  for (let j = 0; j < 2 * n - 1; j++) {
    if (j === 0) chain.push([0, 0, 0]);
    else if (j === 1) chain.push([dAlO, 0, 0]);
    else {
      const c = chain[j - 1];
      const b = chain[j - 2];
      const a = j >= 3 ? chain[j - 3] : add(b, [0, 1, 0]);
      // The angle at chain[j - 1]: at O (j even) Al-O-Al, smaller inside a bridged end's four-ring.
      const ringO = (bridges >= 1 && j === 2) || (bridges === 2 && j === 2 * n - 2);
      const angle = j % 2 === 0 ? (ringO ? ringTheta : theta) : TETRAHEDRAL_DEG;
      // Torsions near anti (180 +- 60 deg) keep the chain extended, as in Si3O2Cl8-like chains.
      const torsion = 180 + 120 * (rng.uniform() - 0.5);
      chain.push(place(a, b, c, dAlO, angle, torsion));
    }
  }
  const al: number[] = [];
  const ox: number[] = [];
  for (let j = 0; j < chain.length; j++) {
    if (j % 2 === 0)
      al.push(
        addAtom(
          'Al',
          n === 1 ? 'Al_end' : j === 0 || j === chain.length - 1 ? 'Al_end' : 'Al_middle',
          chain[j],
        ),
      );
    else ox.push(addAtom('O', 'O_bridging', chain[j]));
  }
  for (let k = 0; k < ox.length; k++) bonds.push([al[k], ox[k]], [ox[k], al[k + 1]]);
  // Bridging Cl in the plane of the end's Al-O-Al, beyond the Al...Al midpoint (planar four-ring).
  const neighbours: number[][] = al.map(() => []);
  for (const [a, b] of bonds) {
    if (symbols[a] === 'Al') neighbours[al.indexOf(a)].push(b);
    if (symbols[b] === 'Al') neighbours[al.indexOf(b)].push(a);
  }
  const bridgeEnd = (k0: number, k1: number, o: number) => {
    const mid = scale(add(pos[al[k0]], pos[al[k1]]), 0.5);
    const half = norm(sub(pos[al[k0]], pos[al[k1]])) / 2;
    const h = Math.sqrt(dB * dB - half * half);
    const cl = addAtom('Cl', 'Cl_bridging', add(mid, scale(unit(sub(mid, pos[o])), h)));
    bonds.push([al[k0], cl], [al[k1], cl]);
    neighbours[k0].push(cl);
    neighbours[k1].push(cl);
  };
  if (bridges >= 1) bridgeEnd(0, 1, ox[0]);
  if (bridges === 2) bridgeEnd(n - 1, n - 2, ox[n - 2]);
  // Complete every Al to a tetrahedron with terminal Cl.
  for (let k = 0; k < n; k++) {
    const c = pos[al[k]];
    const fixed = neighbours[k].map((i) => unit(sub(pos[i], c)));
    const dirs =
      fixed.length === 0
        ? completeTetrahedron([[0, 0, 1]], 0).concat([[0, 0, 1]])
        : completeTetrahedron(fixed, 2 * Math.PI * rng.uniform());
    for (const d of dirs) {
      const cl = addAtom('Cl', 'Cl_terminal', add(c, scale(d, dT)));
      bonds.push([al[k], cl]);
    }
  }
  const positions = new Float64Array(3 * pos.length);
  for (const [i, p] of pos.entries()) positions.set(p, 3 * i);
  // Charge: Al3+ x n, O2- x (n-1), Cl- for the rest.
  const nCl = symbols.filter((s) => s === 'Cl').length;
  return { symbols, positions, bonds, roles, charge: 3 * n - 2 * (n - 1) - nCl };
};

/** Shortest distance between two atoms that are not bonded and do not share a bonded neighbour. */
export const closestNonBonded = (m: Molecule): number => {
  const nat = m.symbols.length;
  const near = Array.from({ length: nat }, () => new Set<number>());
  for (const [a, b] of m.bonds) {
    near[a].add(b);
    near[b].add(a);
  }
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < nat; i++)
    for (let j = i + 1; j < nat; j++) {
      if (near[i].has(j) || [...near[i]].some((k) => near[k].has(j))) continue;
      const d = Math.hypot(
        m.positions[3 * i] - m.positions[3 * j],
        m.positions[3 * i + 1] - m.positions[3 * j + 1],
        m.positions[3 * i + 2] - m.positions[3 * j + 2],
      );
      best = Math.min(best, d);
    }
  return best;
};

/** The AlCl4- tetrahedron (plasticiser anion). */
export const buildTetrachloroaluminate = (alCl = 2.13): Molecule => {
  const dirs = completeTetrahedron([[0, 0, 1]], 0).concat([[0, 0, 1]]);
  const positions = new Float64Array(15);
  for (const [k, d] of dirs.entries()) positions.set(scale(d, alCl), 3 * (k + 1));
  return {
    symbols: ['Al', 'Cl', 'Cl', 'Cl', 'Cl'],
    positions,
    bonds: [1, 2, 3, 4].map((k) => [0, k] as [number, number]),
    roles: ['Al_tetrachloro', 'Cl_terminal', 'Cl_terminal', 'Cl_terminal', 'Cl_terminal'],
    charge: -1,
  };
};

/** Smallest and largest neighbour-Al-neighbour angle (deg) over all Al. */
export const angleRangeAtAl = (m: Molecule): [number, number] => {
  let lo = 180;
  let hi = 0;
  const p = (i: number): V => [m.positions[3 * i], m.positions[3 * i + 1], m.positions[3 * i + 2]];
  m.symbols.forEach((s, i) => {
    if (s !== 'Al') return;
    const nb = m.bonds.filter((b) => b.includes(i)).map((b) => (b[0] === i ? b[1] : b[0]));
    for (let a = 0; a < nb.length; a++)
      for (let b = a + 1; b < nb.length; b++) {
        const u = sub(p(nb[a]), p(i));
        const v = sub(p(nb[b]), p(i));
        const ang = Math.acos(Math.max(-1, Math.min(1, dot(u, v) / (norm(u) * norm(v))))) / DEG;
        lo = Math.min(lo, ang);
        hi = Math.max(hi, ang);
      }
  });
  return [lo, hi];
};

/** Bond types of built units, numbered from 1 as LAMMPS bond types. */
export const BOND_KINDS = ['Al-O', 'Al-Cl terminal', 'Al-Cl bridging'] as const;

/** The LAMMPS-style bond type (1-based, BOND_KINDS order) of a bond between atoms with these roles. */
export const bondTypeOf = (roleA: string, roleB: string): number =>
  roleA.startsWith('O') || roleB.startsWith('O')
    ? 1
    : roleA === 'Cl_bridging' || roleB === 'Cl_bridging'
      ? 3
      : 2;

/**
 * Two saturated trimers joined by a Cl bridging *between* them (the inter-oligomer
 * alternative to the ring-closed 1b end): trimer A has lost a terminal Cl (and its cation) at one
 * end, and that three-coordinate Al is healed by a terminal Cl of trimer B, which becomes a
 * bridging Cl bonded to both (Al-Cl 2.25 A on both sides, Al-Cl-Al 120 deg). The pair has the
 * composition of LAOC^0b + LAOC^1b (Al6O4Cl15, charge -5). B's orientation about the bridge is drawn
 * from the seed until no non-bonded pair is closer than 2.6 A.
 */
export const buildBridgedPair = (options: OligomerOptions = {}): Molecule => {
  const dB = options.alClBridging ?? 2.25;
  const a = buildOligomer({ ...options, bridges: 0 });
  const b = buildOligomer({ ...options, bridges: 0, seed: (options.seed ?? 1) + 1000 });
  const rng = new SeededRandom((options.seed ?? 1) + 2000);
  const p = (m: Molecule, i: number): V => [
    m.positions[3 * i],
    m.positions[3 * i + 1],
    m.positions[3 * i + 2],
  ];
  // A: its first Al and the terminal Cl it loses (the site the bridge will fill).
  const alA = 0;
  const lostA = a.bonds.filter(([x, y]) => x === alA && a.roles[y] === 'Cl_terminal').map(([, y]) => y)[0];
  const u = unit(sub(p(a, lostA), p(a, alA)));
  const site = add(p(a, alA), scale(u, dB));
  // B: its first Al and one of its terminal Cl (the bridge).
  const alB = 0;
  const clB = b.bonds.filter(([x, y]) => x === alB && b.roles[y] === 'Cl_terminal').map(([, y]) => y)[0];
  const w = unit(sub(p(b, clB), p(b, alB)));
  for (let attempt = 0; attempt < 500; attempt++) {
    // Direction from the bridge to Al_B: 120 deg from the bridge-to-Al_A direction (-u).
    const q = perpendicular(u);
    const r = cross(u, q);
    const phi = 2 * Math.PI * rng.uniform();
    const side = add(scale(q, Math.cos(phi)), scale(r, Math.sin(phi)));
    const cos120 = Math.cos((120 * Math.PI) / 180);
    const sin120 = Math.sin((120 * Math.PI) / 180);
    // t: unit vector from Al_B to the bridge, so that angle(Al_A - site, Al_B - site) = 120 deg.
    const t = unit(scale(add(scale(scale(u, -1), cos120), scale(side, sin120)), -1));
    // Rotation taking w to t, then a random turn about t.
    const R = multiply3(axisAngle(t, 2 * Math.PI * rng.uniform()), rotationBetween(w, t));
    const alBPos = sub(site, scale(t, dB));
    const symbols = [...a.symbols.filter((_, i) => i !== lostA), ...b.symbols];
    const roles = [...a.roles.filter((_, i) => i !== lostA), ...b.roles];
    const mapA = (i: number) => (i < lostA ? i : i - 1);
    const offset = a.symbols.length - 1;
    const positions = new Float64Array(3 * symbols.length);
    for (let i = 0; i < a.symbols.length; i++) if (i !== lostA) positions.set(p(a, i), 3 * mapA(i));
    for (let i = 0; i < b.symbols.length; i++) {
      const rel = sub(p(b, i), p(b, alB));
      const rot: V = [
        R[0] * rel[0] + R[1] * rel[1] + R[2] * rel[2],
        R[3] * rel[0] + R[4] * rel[1] + R[5] * rel[2],
        R[6] * rel[0] + R[7] * rel[1] + R[8] * rel[2],
      ];
      positions.set(i === clB ? site : add(alBPos, rot), 3 * (offset + i));
    }
    roles[offset + clB] = 'Cl_bridging';
    const bonds: [number, number][] = [
      ...a.bonds
        .filter(([x, y]) => x !== lostA && y !== lostA)
        .map(([x, y]) => [mapA(x), mapA(y)] as [number, number]),
      ...b.bonds.map(([x, y]) => [offset + x, offset + y] as [number, number]),
      [mapA(alA), offset + clB],
    ];
    const m: Molecule = { symbols, positions, bonds, roles, charge: a.charge + b.charge + 1 };
    if (closestNonBonded(m) >= 2.6) return m;
  }
  throw new PhysicsError(
    'no clash-free orientation of the bridged pair in 500 seeded attempts; try another seed',
  );
};

/** Row-major 3x3 product. */
const multiply3 = (A: number[], B: number[]): number[] => {
  const C = new Array<number>(9).fill(0);
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) C[3 * i + j] += A[3 * i + k] * B[3 * k + j];
  return C;
};

/** Rotation by `angle` (rad) about the unit axis n (Rodrigues). */
const axisAngle = (n: V, angle: number): number[] => {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const [x, y, z] = n;
  return [
    c + x * x * (1 - c),
    x * y * (1 - c) - z * s,
    x * z * (1 - c) + y * s,
    y * x * (1 - c) + z * s,
    c + y * y * (1 - c),
    y * z * (1 - c) - x * s,
    z * x * (1 - c) - y * s,
    z * y * (1 - c) + x * s,
    c + z * z * (1 - c),
  ];
};

/** The smallest rotation taking unit vector a onto unit vector b. */
const rotationBetween = (a: V, b: V): number[] => {
  const axis = cross(a, b);
  const s = norm(axis);
  const c = dot(a, b);
  if (s < 1e-12) return c > 0 ? [1, 0, 0, 0, 1, 0, 0, 0, 1] : axisAngle(perpendicular(a), Math.PI);
  return axisAngle(scale(axis, 1 / s), Math.atan2(s, c));
};
