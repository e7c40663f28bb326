import type { Composition } from '../core/composition.js';
import { OptionError } from '../core/errors.js';
import type { Structure } from '../core/frame.js';
import { SeededRandom } from '../core/random.js';
import { Topology } from '../core/topology.js';
import { volumeForDensityA3 } from '../core/units.js';
import { parseRepeats, supercell } from './supercell.js';

/**
 * The study's "conventional amorphous" starting model (SCIENCE.md section 3): a supercell of
 * crystalline LiAlCl4 (default 2x2x1) in which Cl are replaced by O and surplus atoms removed to
 * reach a LAOC composition, the cell then scaled uniformly to the target density. In contrast to
 * the oligomer model, the O sit where Cl were, bound ionically to Li rather than bridging Al.
 *
 * The largest whole number k of target formula units that the supercell can supply is made: Li
 * and Al kept up to k x their target counts, k x O(target) of the Cl turned into O, Cl kept up to
 * k x Cl(target); which atoms are substituted and removed is drawn from the seed.
 */
export interface SubstitutedOptions {
  /** Target composition per formula unit (e.g. Li3Al3O2Cl8). */
  target: Composition;
  /** Supercell repeats of the crystal, default "2x2x1". */
  repeats?: string;
  /** Target density (g/cm3), default 1.9. */
  density?: number;
  seed?: number;
  /** Element that O replaces (default Cl). */
  replaced?: string;
}

export interface SubstitutedResult {
  structure: Structure;
  /** Number of target formula units made. */
  units: number;
  /** Atoms removed, by element. */
  removed: Map<string, number>;
  substituted: number;
}

export const substitutedCrystal = (crystal: Structure, options: SubstitutedOptions): SubstitutedResult => {
  const replaced = options.replaced ?? 'Cl';
  const big = supercell(crystal, parseRepeats(options.repeats ?? '2x2x1'));
  const t = options.target;
  const have = big.topology.counts();
  const oPer = t.get('O');
  let k = Number.POSITIVE_INFINITY;
  for (const [el, n] of t.amounts) {
    if (n === 0 || el === 'O') continue;
    const need = el === replaced ? n + oPer : n;
    k = Math.min(k, Math.floor((have.get(el) ?? 0) / need));
  }
  if (oPer > 0 && !t.amounts.has(replaced)) k = Math.min(k, Math.floor((have.get(replaced) ?? 0) / oPer));
  for (const [el, n] of t.amounts)
    if (el !== 'O' && n > 0 && !have.has(el))
      throw new OptionError(`the crystal has no ${el}, which ${t} needs`);
  for (const el of have.keys())
    if (!t.amounts.has(el) && !(el === replaced && oPer > 0))
      throw new OptionError(`the crystal's ${el} has no place in ${t}`);
  if (!Number.isFinite(k) || k < 1)
    throw new OptionError(
      `a ${options.repeats ?? '2x2x1'} supercell is too small for one ${t}; use more repeats`,
    );

  const rng = new SeededRandom(options.seed ?? 1);
  /** A seeded random subset of `count` of the indices (Fisher-Yates on a copy). */
  const pick = (indices: number[], count: number) => {
    const a = [...indices];
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(rng.uniform() * (i + 1));
      [a[i], a[j]] = [a[j], a[i]];
    }
    return new Set(a.slice(0, count));
  };
  const n = big.topology.natoms;
  const symbols = big.topology.symbols;
  const keep = new Uint8Array(n).fill(1);
  const removed = new Map<string, number>();
  let substituted = 0;
  for (const el of have.keys()) {
    const idx = symbols.flatMap((s, i) => (s === el ? [i] : []));
    const wantKept = Math.round(k * t.get(el)) + (el === replaced ? Math.round(k * oPer) : 0);
    const kept = pick(idx, wantKept);
    for (const i of idx) if (!kept.has(i)) keep[i] = 0;
    if (idx.length > wantKept) removed.set(el, idx.length - wantKept);
    if (el === replaced && oPer > 0) {
      const toO = pick([...kept], Math.round(k * oPer));
      for (const i of toO) symbols[i] = 'O';
      substituted = toO.size;
    }
  }
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (keep[i]) order.push(i);
  const positions = new Float64Array(3 * order.length);
  order.forEach((i, j) => {
    positions.set(big.frame.positions.subarray(3 * i, 3 * i + 3), 3 * j);
  });
  const topology = new Topology({ symbols: order.map((i) => symbols[i]) });
  // Scale the cell (and the atoms with it) to the target density.
  const L = big.frame.lattice!;
  const rho = options.density ?? 1.9;
  if (!(rho > 0)) throw new OptionError(`density ${rho} g/cm3 must be positive`);
  const f = Math.cbrt(volumeForDensityA3(topology.totalMass(), rho) / L.volume);
  const lattice = L.scaled(f);
  for (let i = 0; i < positions.length; i++) positions[i] *= f;
  return { structure: { topology, frame: { positions, lattice } }, units: k, removed, substituted };
};
