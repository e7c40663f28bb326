import { atomicWeight } from '../core/elements.js';
import { OptionError, PhysicsError } from '../core/errors.js';
import type { Structure } from '../core/frame.js';
import { Lattice } from '../core/lattice.js';
import { SeededRandom } from '../core/random.js';
import { Topology } from '../core/topology.js';
import { AMU_G, CUBIC_ANGSTROM_CM3 } from '../core/units.js';
import { bondTypeOf, type Molecule } from './oligomer.js';

/**
 * Packing of molecular units and counter-cations into a periodic cell at a target density: the
 * glass models of the study (8 LAOC^0b trimers + 24 Li in a 14.29 A cube at 1.9 g/cm3).
 *
 * The cell volume is fixed by the density, V = total mass / rho, so the density is exact. At such
 * densities random sequential placement jams, so the packing minimises overlap instead (as
 * Packmol does): every unit (a cation is a one-atom unit) starts at a random position and
 * orientation (seeded); then, unit by unit, random rigid moves (translation and rotation) are kept
 * when they do not raise the unit's overlap penalty, sum over atoms of other units of
 * max(0, d_min - r)^2 (periodic minimum image), with step sizes that adapt to the acceptance rate,
 * until no pair is closer than its minimum. The same seed gives the same structure. Bonds carry
 * types 1 Al-O, 2 Al-Cl terminal, 3 Al-Cl bridging (BOND_KINDS).
 */
export interface PackUnit {
  molecule: Molecule;
  count: number;
}

export interface PackOptions {
  units: PackUnit[];
  /** Counter-cations: element and count (default: enough Li+ to make the cell neutral). */
  cations?: { element: string; count: number }[];
  /** Target mass density, g/cm3 (default 1.9). */
  density?: number;
  /** Cell shape: edge ratios a:b:c and angles (deg) (default cubic). */
  shape?: { ratios?: [number, number, number]; angles?: [number, number, number] };
  /** Minimum distance (A) between atoms of different units, by element pair "Cl-Cl" or "*" (defaults: * 2.0, Cl-Cl 2.6, Al-Cl/O/Al 3.0). */
  minDistance?: Record<string, number>;
  /** Minimum distance (A) from a cation to any atom (default 1.9). */
  cationDistance?: number;
  seed?: number;
  /** Moves per start (summed over units) before a fresh start; 8 starts before giving up (default 20000). */
  attempts?: number;
  /** Refuse to pack more atoms than this at once (default MAX_PACK_ATOMS; see there). */
  maxAtoms?: number;
  /** Called after every sweep over the units (cheap): where the packing is. */
  onProgress?: (p: PackProgress) => void;
}

/** Where a packing is: start `start` of `starts`, sweep `sweep` of `sweeps` in it (1-based). */
export interface PackProgress {
  start: number;
  starts: number;
  sweep: number;
  sweeps: number;
  /** Units that still overlap another (at the start of the sweep), of `units`. */
  overlapping: number;
  units: number;
}

/**
 * The most atoms packed at once (default). Each sweep of the packer costs time as the square of
 * the atoms, and at 1.9 g/cm3 it jams beyond a few hundred atoms: 16 LAOC^0b trimers (256 atoms)
 * pack in 5 s, 27 (432 atoms) fail after 100 s (8 starts), 64 fail after 3 min; 1000 trimers
 * (16,000 atoms) ran for many minutes with no output. Large cells are built as the study built
 * them, by repeating a packed cell (builders/supercell.ts); replicationFactor says how.
 */
export const MAX_PACK_ATOMS = 2000;

/**
 * The largest k >= 2 such that k^3 divides every count and the counts / k^3 still hold at least
 * `minUnits` units: a cell of those counts, repeated k x k x k, has the asked composition.
 */
export const replicationFactor = (counts: number[], minUnits = 8): number | undefined => {
  const total = counts.reduce((a, b) => a + b, 0);
  let best: number | undefined;
  for (let k = 2; k * k * k <= total; k++)
    if (counts.every((c) => c % (k * k * k) === 0) && total / (k * k * k) >= minUnits) best = k;
  return best;
};

/** A packing too large to do at once: `factor` (if any) is a k for a k x k x k supercell of a smaller one. */
export class PackTooLargeError extends PhysicsError {
  override name = 'PackTooLargeError';
  constructor(
    message: string,
    readonly natoms: number,
    readonly factor: number | undefined,
  ) {
    super(message);
  }
}

/**
 * Default minimum distances between atoms of different units (A): 2.0 for any pair, as Packmol's
 * default tolerance; 2.6 between Cl, whose anions are the bulkiest; 3.0 from Al to the O, Cl and
 * Al of other units, so that no contact looks like a bond (bonds are perceived up to 2.6 A). A
 * starting point for MD, which relaxes the contacts.
 */
const DEFAULT_MIN: Record<string, number> = {
  '*': 2.0,
  'Cl-Cl': 2.6,
  'Al-Cl': 3.0,
  'Al-O': 3.0,
  'Al-Al': 3.0,
};

const pairDistance = (table: Record<string, number>, a: string, b: string): number =>
  table[`${a}-${b}`] ?? table[`${b}-${a}`] ?? table['*'];

/**
 * Smallest volume of a cell shape as a fraction of a b c: V / (a b c) = sqrt(1 - cos^2 alpha -
 * cos^2 beta - cos^2 gamma + 2 cos alpha cos beta cos gamma), 1 for right angles, 0 for a flat cell
 * (one angle the sum of the other two, or all three summing to 360 deg: 120, 120, 120). Near 0
 * the cell is a sliver scaled to the density with edges hundreds of A long, and the packing's
 * distances come out meaningless (issue 25 item 15: a "closest pair at 135 A" for 120, 120, 120).
 */
const MIN_SHAPE_VOLUME = 0.01;

const checkShape = (ratios: number[], angles: number[]): void => {
  if (!ratios.every((r) => r > 0 && Number.isFinite(r)))
    throw new OptionError(`\`shape\`: edge ratios must be positive, got ${ratios.join(':')}`, {
      option: 'shape',
    });
  if (!angles.every((x) => x > 0 && x < 180))
    throw new OptionError(`\`shape\`: angles must be between 0 and 180 deg, got ${angles.join(', ')}`, {
      option: 'shape',
    });
  const [ca, cb, cg] = angles.map((x) => Math.cos((x * Math.PI) / 180));
  const v2 = 1 - ca * ca - cb * cb - cg * cg + 2 * ca * cb * cg;
  if (!(v2 >= MIN_SHAPE_VOLUME * MIN_SHAPE_VOLUME))
    throw new OptionError(
      `\`shape\`: angles ${angles.join(', ')} deg make ${v2 > 0 ? `an almost flat cell (volume ${Math.sqrt(v2).toPrecision(2)} abc; at least ${MIN_SHAPE_VOLUME} abc)` : 'no cell'}: each angle must be less than the sum of the other two, and the three less than 360 deg together`,
      { option: 'shape' },
    );
};

export const packGlass = (options: PackOptions): Structure => {
  const rho = options.density ?? 1.9;
  if (!(rho > 0 && rho < 30)) throw new OptionError(`density ${rho} g/cm3 is not plausible`);
  const units = options.units.filter((u) => u.count > 0);
  if (units.length === 0) throw new OptionError('nothing to pack: no units');
  for (const u of units)
    if (!Number.isInteger(u.count) || u.count < 0)
      throw new OptionError(`unit count ${u.count} is not a whole number`);
  const unitCharge = units.reduce((s, u) => s + u.molecule.charge * u.count, 0);
  const cations = options.cations ?? (unitCharge < 0 ? [{ element: 'Li', count: -unitCharge }] : []);
  const cationCharge = cations.reduce((s, c) => s + c.count, 0);
  if (unitCharge + cationCharge !== 0)
    throw new OptionError(
      `the cell would carry a net charge of ${unitCharge + cationCharge} e (units ${unitCharge}, cations +${cationCharge})`,
    );
  const table = { ...DEFAULT_MIN, ...(options.minDistance ?? {}) };
  const cationMin = options.cationDistance ?? 1.9;
  const rng = new SeededRandom(options.seed ?? 1);
  const attempts = options.attempts ?? 20000;

  // Cell from the density: V = m / rho.
  let mass = 0;
  for (const u of units) for (const s of u.molecule.symbols) mass += atomicWeight(s) * u.count;
  for (const c of cations) mass += atomicWeight(c.element) * c.count;
  const volume = (mass * AMU_G) / (rho * CUBIC_ANGSTROM_CM3);
  const [ra, rb, rc] = options.shape?.ratios ?? [1, 1, 1];
  const [alpha, beta, gamma] = options.shape?.angles ?? [90, 90, 90];
  checkShape([ra, rb, rc], [alpha, beta, gamma]);
  const unitCell = Lattice.fromParameters({ a: ra, b: rb, c: rc, alpha, beta, gamma });
  const lattice = unitCell.scaled(Math.cbrt(volume / unitCell.volume));

  // Units to place: molecules (largest first) then cations as one-atom units.
  const all: Molecule[] = units.flatMap((u) => Array.from({ length: u.count }, () => u.molecule));
  all.sort((x, y) => y.symbols.length - x.symbols.length);
  for (const c of cations)
    for (let k = 0; k < c.count; k++)
      all.push({
        symbols: [c.element],
        positions: new Float64Array(3),
        bonds: [],
        roles: [c.element],
        charge: 1,
      });
  const isCation = all.map((m) => m.symbols.length === 1 && m.charge > 0);
  // Reference geometry of each unit about its centroid.
  const refs = all.map((m) => {
    const nat = m.symbols.length;
    const c = [0, 0, 0];
    for (let i = 0; i < nat; i++) for (let x = 0; x < 3; x++) c[x] += m.positions[3 * i + x] / nat;
    return Float64Array.from(m.positions, (v, k) => v - c[k % 3]);
  });
  const offsets: number[] = [];
  let natoms = 0;
  for (const m of all) {
    offsets.push(natoms);
    natoms += m.symbols.length;
  }
  const maxAtoms = options.maxAtoms ?? MAX_PACK_ATOMS;
  if (natoms > maxAtoms) {
    const k = replicationFactor([...units.map((u) => u.count), ...cations.map((c) => c.count)]);
    throw new PackTooLargeError(
      `${natoms} atoms are too many to pack at once (at most ${maxAtoms}: the packer's cost grows as the square of the atoms, and at 1.9 g/cm3 it jams beyond a few hundred); ${
        k
          ? `pack 1/${k ** 3} of the units (${all.length / k ** 3} units) and repeat that cell ${k} x ${k} x ${k} with \`supercell\`, as the study built its large cells`
          : 'pack a smaller cell and repeat it with `supercell`, as the study built its large cells'
      }`,
      natoms,
      k,
    );
  }
  const owner = new Int32Array(natoms);
  const elements: string[] = [];
  all.forEach((m, u) => {
    for (let i = 0; i < m.symbols.length; i++) {
      owner[offsets[u] + i] = u;
      elements.push(m.symbols[i]);
    }
  });
  // Minimum distance between every pair of elements present.
  const kinds = [...new Set(elements)];
  const kindOf = Int32Array.from(elements, (e) => kinds.indexOf(e));
  const minOf = new Float64Array(kinds.length * kinds.length);
  for (const [i, a] of kinds.entries())
    for (const [j, b] of kinds.entries()) {
      const cationPair = cations.some((c) => c.element === a || c.element === b);
      const bothCations = a === b && cations.some((c) => c.element === a);
      minOf[i * kinds.length + j] = bothCations
        ? Math.max(cationMin, pairDistance(table, a, b))
        : cationPair
          ? cationMin
          : pairDistance(table, a, b);
    }

  let centres: number[][] = [];
  let rotations: Float64Array[] = [];
  const pos = new Float64Array(3 * natoms);
  const place = (u: number, centre: number[], R: Float64Array, out: Float64Array, at: number) => {
    const ref = refs[u];
    for (let i = 0; i < ref.length / 3; i++)
      for (let x = 0; x < 3; x++)
        out[at + 3 * i + x] =
          centre[x] + R[3 * x] * ref[3 * i] + R[3 * x + 1] * ref[3 * i + 1] + R[3 * x + 2] * ref[3 * i + 2];
  };

  const d = new Float64Array(3);
  /** Overlap penalty of unit u placed at `trial` (3 x its atoms) against every other unit. */
  const penalty = (u: number, trial: Float64Array) => {
    let sum = 0;
    const nat = all[u].symbols.length;
    for (let i = 0; i < nat; i++) {
      const ki = kindOf[offsets[u] + i] * kinds.length;
      for (let j = 0; j < natoms; j++) {
        if (owner[j] === u) continue;
        d[0] = trial[3 * i] - pos[3 * j];
        d[1] = trial[3 * i + 1] - pos[3 * j + 1];
        d[2] = trial[3 * i + 2] - pos[3 * j + 2];
        // Aim 5 % beyond each minimum, so that the last small overlaps clear (as Packmol's tolerance).
        const m = 1.05 * minOf[ki + kindOf[j]];
        const r2 = lattice.minimumImage(d);
        if (r2 < m * m) sum += (m - Math.sqrt(r2)) ** 2;
      }
      // A unit larger than half the cell can meet its own periodic image.
      for (let j = i + 1; j < nat; j++) {
        d[0] = trial[3 * i] - trial[3 * j];
        d[1] = trial[3 * i + 1] - trial[3 * j + 1];
        d[2] = trial[3 * i + 2] - trial[3 * j + 2];
        const direct = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
        const r2 = lattice.minimumImage(d);
        const m = 1.05 * minOf[ki + kindOf[offsets[u] + j]];
        if (r2 < direct - 1e-9 && r2 < m * m) sum += (m - Math.sqrt(r2)) ** 2;
      }
    }
    return sum;
  };
  let current: Float64Array[] = [];
  /** Smallest r - d_min over all pairs of atoms of different units, and of a unit with its own images (>= 0: every minimum is met). */
  const closestExcess = () => {
    let worst = Number.POSITIVE_INFINITY;
    for (let i = 0; i < natoms; i++)
      for (let j = i + 1; j < natoms; j++) {
        d[0] = pos[3 * i] - pos[3 * j];
        d[1] = pos[3 * i + 1] - pos[3 * j + 1];
        d[2] = pos[3 * i + 2] - pos[3 * j + 2];
        const direct = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
        const r2 = lattice.minimumImage(d);
        // Same unit: only a periodic image closer than the atoms themselves counts.
        if (owner[i] === owner[j] && r2 >= direct - 1e-9) continue;
        worst = Math.min(worst, Math.sqrt(r2) - minOf[kindOf[i] * kinds.length + kindOf[j]]);
      }
    return worst;
  };
  const sweeps = Math.max(1, Math.ceil(attempts / all.length));
  const restarts = 8;
  let done = false;
  // A start that jams is abandoned for a fresh random one (the seed's stream continues, so the
  // result stays reproducible).
  for (let start = 0; start < restarts && !done; start++) {
    centres = all.map(() => Array.from(lattice.toCartesian([rng.uniform(), rng.uniform(), rng.uniform()])));
    rotations = all.map(() => rng.rotation());
    for (let u = 0; u < all.length; u++) place(u, centres[u], rotations[u], pos, 3 * offsets[u]);
    current = all.map((m, u) => pos.slice(3 * offsets[u], 3 * (offsets[u] + m.symbols.length)));
    let step = 1.0;
    let turn = 0.5;
    for (let sweep = 0; sweep < sweeps && !done; sweep++) {
      let accepted = 0;
      let tried = 0;
      for (let u = 0; u < all.length; u++) {
        // Only units that still overlap move; a move is kept when the unit's overlap does not grow
        // (the total penalty changes by the same amount).
        const before = penalty(u, current[u]);
        if (before === 0) continue;
        tried++;
        const centre = centres[u].map((v) => v + step * rng.gaussian());
        let R = rotations[u];
        if (!isCation[u]) R = multiply(smallRotation(rng, turn), R);
        const trial = new Float64Array(current[u].length);
        place(u, centre, R, trial, 0);
        if (penalty(u, trial) <= before) {
          accepted++;
          centres[u] = centre;
          rotations[u] = R;
          current[u] = trial;
          pos.set(trial, 3 * offsets[u]);
        }
      }
      if (tried > 0) {
        // Keep roughly a third of the moves: bigger steps while most pass, smaller when few do.
        const rate = accepted / tried;
        const f = rate > 0.35 ? 1.1 : 0.9;
        step = Math.min(3, Math.max(0.02, step * f));
        turn = Math.min(1, Math.max(0.01, turn * f));
      }
      done = closestExcess() >= 0;
      options.onProgress?.({
        start: start + 1,
        starts: restarts,
        sweep: sweep + 1,
        sweeps,
        overlapping: tried,
        units: all.length,
      });
    }
  }
  if (!done) {
    // Report the worst remaining contact.
    let worst = { i: 0, j: 0, r: Number.POSITIVE_INFINITY, m: 0 };
    for (let i = 0; i < natoms; i++)
      for (let j = i + 1; j < natoms; j++) {
        if (owner[i] === owner[j]) continue;
        d[0] = pos[3 * i] - pos[3 * j];
        d[1] = pos[3 * i + 1] - pos[3 * j + 1];
        d[2] = pos[3 * i + 2] - pos[3 * j + 2];
        const r = Math.sqrt(lattice.minimumImage(d));
        const m = minOf[kindOf[i] * kinds.length + kindOf[j]];
        if (r - m < worst.r - worst.m) worst = { i, j, r, m };
      }
    throw new PhysicsError(
      `cannot pack ${all.length} units at ${rho} g/cm3 (${restarts} starts of ${sweeps} sweeps): the closest pair left is ${elements[worst.i]}${worst.i + 1}...${elements[worst.j]}${worst.j + 1} at ${worst.r.toFixed(3)} A (minimum ${worst.m} A); lower the density or the minimum distances, try another seed, or pack a smaller cell and repeat it with \`supercell\``,
    );
  }
  const symbols = elements;
  const roles = all.flatMap((m) => m.roles);
  const molIds = Array.from(owner, (u) => u + 1);
  const bonds: number[] = [];
  all.forEach((m, u) => {
    for (const [a, b] of m.bonds) bonds.push(offsets[u] + a, offsets[u] + b);
  });
  // Wrap into the cell.
  const positions = Float64Array.from(pos);
  const f = lattice.toFractional(positions);
  for (let i = 0; i < f.length; i++) f[i] -= Math.floor(f[i]);
  lattice.toCartesian(f, positions);
  const bondTypes = Int32Array.from({ length: bonds.length / 2 }, (_, k) =>
    bondTypeOf(roles[bonds[2 * k]], roles[bonds[2 * k + 1]]),
  );
  const topology = new Topology({
    symbols,
    roles,
    moleculeIds: molIds,
    bonds: Uint32Array.from(bonds),
    bondTypes,
  });
  return { topology, frame: { positions, lattice } };
};

/** A x B for row-major 3x3 matrices. */
const multiply = (A: Float64Array, B: Float64Array): Float64Array => {
  const C = new Float64Array(9);
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++)
      C[3 * i + j] = A[3 * i] * B[j] + A[3 * i + 1] * B[3 + j] + A[3 * i + 2] * B[6 + j];
  return C;
};

/** Rotation by a normal(0, sigma) angle (rad) about a random axis (Rodrigues). */
const smallRotation = (rng: SeededRandom, sigma: number): Float64Array => {
  let ax = [rng.gaussian(), rng.gaussian(), rng.gaussian()];
  const n = Math.hypot(ax[0], ax[1], ax[2]);
  ax = ax.map((v) => v / n);
  const t = sigma * rng.gaussian();
  const c = Math.cos(t);
  const s = Math.sin(t);
  const [x, y, z] = ax;
  return Float64Array.of(
    c + x * x * (1 - c),
    x * y * (1 - c) - z * s,
    x * z * (1 - c) + y * s,
    y * x * (1 - c) + z * s,
    c + y * y * (1 - c),
    y * z * (1 - c) - x * s,
    z * x * (1 - c) - y * s,
    z * y * (1 - c) + x * s,
    c + z * z * (1 - c),
  );
};
