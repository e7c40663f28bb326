import { OligolyteError, OptionError, ParseError } from '../../core/errors.js';
import type { Frame, SourceLocation, Structure } from '../../core/frame.js';
import type { Topology } from '../../core/topology.js';
import { forEachNeighbour } from './neighbours.js';
import { parseElementPair } from './rdf.js';

/**
 * Bond-angle distributions A-B-C (B the vertex): for every B atom, the angle between the vectors
 * to each pair of its A and C neighbours (A == C: each unordered pair once), over every frame.
 * Neighbours are atoms within a cut-off per element pair (default Al-O 2.1 A, Al-Cl 2.6 A: the
 * bond lengths of the LAOC oligomers with room for vibration; any other pair must be given), or
 * the bonds of the topology. Periodic images count as distinct neighbours (a vertex in a narrow
 * cell can see two images of one atom); a non-periodic frame uses plain distances.
 *
 * The histogram over [0, 180] deg is normalised as a probability density per degree
 * (sum p_k x width = 1); mean and standard deviation are over the individual angles, the mode is
 * the centre of the fullest bin.
 */

/** Default neighbour cut-offs, A, for an unordered element pair 'Al-O'. */
export const DEFAULT_ANGLE_CUTOFFS_A: Readonly<Record<string, number>> = { 'Al-O': 2.1, 'Al-Cl': 2.6 };

/** The named defaults: the O-Al-O and Cl-Al-Cl tetrahedra and the Al-O-Al backbone. */
export const DEFAULT_TRIPLES: readonly string[] = ['O-Al-O', 'Cl-Al-Cl', 'Al-O-Al'];

export interface AngleOptions {
  /** Triples 'A-B-C' with B the vertex (default DEFAULT_TRIPLES). */
  triples?: readonly string[];
  /**
   * Neighbour cut-offs per unordered element pair, A ({ 'Al-O': 2.1 }); they add to (and override)
   * DEFAULT_ANGLE_CUTOFFS_A. Every vertex-end pair of a triple needs one (not with neighbours 'bonds').
   */
  cutoffsA?: Readonly<Record<string, number>>;
  /** 'distance' (default): atoms within the cut-offs; 'bonds': the topology's bonds. */
  neighbours?: 'distance' | 'bonds';
  /** Histogram bins over [0, 180] deg (default 180). */
  bins?: number;
}

export interface AngleDistribution {
  /** 'O-Al-O'. */
  name: string;
  a: string;
  vertex: string;
  c: string;
  /** Cut-offs used (A), vertex-a and vertex-c; absent with bonds. */
  cutoffsA?: { vertexA: number; vertexC: number };
  /** Angles counted over all frames. */
  count: number;
  /** Mean number of angles per vertex atom per frame. */
  anglesPerVertex: number;
  meanDeg: number;
  sdDeg: number;
  modeDeg: number;
  counts: Float64Array;
  /** Probability density per degree at the bin centres. */
  densityPerDeg: Float64Array;
}

export interface AnglesResult {
  bins: number;
  binWidthDeg: number;
  /** Bin centres, degrees. */
  anglesDeg: Float64Array;
  frames: number;
  neighbours: 'distance' | 'bonds';
  distributions: AngleDistribution[];
}

const pairKey = (x: string, y: string) => (x < y ? `${x}-${y}` : `${y}-${x}`);

/** Parse 'O-Al-O' (vertex in the middle). */
export const parseTriple = (s: string, option = 'triples'): [string, string, string] => {
  const p = s.split('-').map((x) => x.trim());
  if (p.length !== 3 || !p.every((x) => /^[A-Z][a-z]?$/.test(x)))
    throw new OptionError(`\`${option}\`: "${s}" is not a triple of elements like O-Al-O`, { option });
  return [p[0], p[1], p[2]];
};

interface Triple {
  name: string;
  a: number;
  b: number;
  c: number;
  cutA: number;
  cutC: number;
  counts: Float64Array;
  /** Welford's running mean and sum of squared deviations (stable for a narrow distribution). */
  mean: number;
  m2: number;
  n: number;
}

/** Accumulates bond-angle histograms frame by frame (memory independent of the frames). */
export class AngleAccumulator {
  readonly bins: number;
  private readonly triples: Triple[];
  private readonly mode: 'distance' | 'bonds';
  private readonly vertexAtoms = new Map<number, Int32Array>();
  /** Per vertex element: the end atoms, squared cut-offs by end element (A^2) and the largest cut-off (A). */
  private readonly ends = new Map<number, { atoms: Int32Array; cut2: Float64Array; cutoff: number }>();
  private readonly bondAdj?: { start: Int32Array; list: Int32Array };
  private frameCount = 0;

  constructor(
    readonly topology: Topology,
    options: AngleOptions = {},
  ) {
    const bins = options.bins ?? 180;
    if (!Number.isInteger(bins) || bins < 1)
      throw new OptionError(`\`bins\`: ${bins} must be a whole number >= 1`, { option: 'bins' });
    this.bins = bins;
    this.mode = options.neighbours ?? 'distance';
    const cutoffs: Record<string, number> = { ...DEFAULT_ANGLE_CUTOFFS_A };
    for (const [k, v] of Object.entries(options.cutoffsA ?? {})) {
      const parts = parseElementPair(k, 'cutoffsA', 'Al-O');
      if (!(v > 0) || !Number.isFinite(v))
        throw new OptionError(`\`cutoffsA\`: ${k} = ${v} A must be a positive distance`, {
          option: 'cutoffsA',
        });
      cutoffs[pairKey(parts[0], parts[1])] = v;
    }
    const el = topology.elements;
    const index = (e: string, t: string) => {
      const k = el.indexOf(e);
      if (k < 0)
        throw new OligolyteError(
          `\`triples\`: no ${e} atoms in the trajectory for ${t} (its elements: ${el.join(', ')})`,
          { option: 'triples' },
        );
      return k;
    };
    const names = options.triples ?? DEFAULT_TRIPLES;
    if (names.length === 0) throw new OptionError('`triples`: no triples asked for', { option: 'triples' });
    this.triples = names.map((t) => {
      const [a, b, c] = parseTriple(t);
      const cut = (x: string) => {
        if (this.mode === 'bonds') return 0;
        const v = cutoffs[pairKey(b, x)];
        if (v === undefined)
          throw new OptionError(
            `\`cutoffsA\`: no cut-off for ${pairKey(b, x)} (triple ${t}); give one, e.g. ${pairKey(b, x)}=2.5`,
            { option: 'cutoffsA' },
          );
        return v;
      };
      return {
        name: `${a}-${b}-${c}`,
        a: index(a, t),
        b: index(b, t),
        c: index(c, t),
        cutA: cut(a),
        cutC: cut(c),
        counts: new Float64Array(bins),
        mean: 0,
        m2: 0,
        n: 0,
      };
    });
    const atomsOf = (k: number) => {
      const out: number[] = [];
      for (let i = 0; i < topology.natoms; i++) if (topology.speciesIndex[i] === k) out.push(i);
      return Int32Array.from(out);
    };
    for (const t of this.triples) {
      if (!this.vertexAtoms.has(t.b)) this.vertexAtoms.set(t.b, atomsOf(t.b));
    }
    for (const v of this.vertexAtoms.keys()) {
      const ends = new Set<number>();
      for (const t of this.triples) if (t.b === v) ends.add(t.a).add(t.c);
      const out: number[] = [];
      for (let i = 0; i < topology.natoms; i++) if (ends.has(topology.speciesIndex[i])) out.push(i);
      const cut2 = new Float64Array(el.length);
      for (const t of this.triples)
        if (t.b === v) {
          cut2[t.a] = t.cutA * t.cutA;
          cut2[t.c] = t.cutC * t.cutC;
        }
      let cutoff = 0;
      for (const c2 of cut2) cutoff = Math.max(cutoff, Math.sqrt(c2));
      this.ends.set(v, { atoms: Int32Array.from(out), cut2, cutoff });
    }
    if (this.mode === 'bonds') {
      const bonds = topology.bonded.bonds;
      if (!bonds || bonds.length === 0)
        throw new OligolyteError(
          '`neighbours`: angles from bonds need bonds in the topology, and this one has none (use cut-offs, or give a topology with bonds)',
          { option: 'neighbours' },
        );
      const n = topology.natoms;
      const start = new Int32Array(n + 1);
      for (let k = 0; k < bonds.length; k++) start[bonds[k] + 1]++;
      for (let i = 0; i < n; i++) start[i + 1] += start[i];
      const list = new Int32Array(bonds.length);
      const fill = start.slice(0, n);
      for (let k = 0; k < bonds.length; k += 2) {
        list[fill[bonds[k]]++] = bonds[k + 1];
        list[fill[bonds[k + 1]]++] = bonds[k];
      }
      this.bondAdj = { start, list };
    }
  }

  get frames(): number {
    return this.frameCount;
  }

  push(frame: Frame, source?: SourceLocation): void {
    const topo = this.topology;
    const n = topo.natoms;
    if (frame.positions.length !== 3 * n) {
      const found = `${frame.positions.length / 3} atoms`;
      if (source)
        throw new ParseError({
          file: source.file,
          line: source.line,
          byteOffset: source.byteOffset,
          expected: `a frame of ${n} atoms, as the first (frame ${this.frameCount + 1})`,
          found,
        });
      throw new OligolyteError(
        `frame ${this.frameCount + 1} has ${found}, the first frame ${n}: one run must keep its atoms`,
      );
    }
    const sp = topo.speciesIndex;
    const pos = frame.positions;
    const lattice = frame.lattice;
    // Neighbour vectors of every vertex atom, grouped by vertex: (atom, dx, dy, dz).
    let nbAtom: number[] = [];
    let nbVec: number[] = [];
    const d = new Float64Array(3);
    for (const [v, centres] of this.vertexAtoms) {
      const first = new Map<number, number>();
      const next: number[] = [];
      nbAtom = [];
      nbVec = [];
      const add = (i: number, j: number, dx: number, dy: number, dz: number) => {
        next.push(first.get(i) ?? -1);
        first.set(i, nbAtom.length);
        nbAtom.push(j);
        nbVec.push(dx, dy, dz);
      };
      if (this.mode === 'bonds') {
        const { start, list } = this.bondAdj!;
        for (const i of centres)
          for (let k = start[i]; k < start[i + 1]; k++) {
            const j = list[k];
            for (let x = 0; x < 3; x++) d[x] = pos[3 * j + x] - pos[3 * i + x];
            if (lattice) lattice.minimumImage(d);
            add(i, j, d[0], d[1], d[2]);
          }
      } else {
        const { atoms: others, cut2, cutoff } = this.ends.get(v)!;
        forEachNeighbour({ positions: pos, lattice, cutoff, centres, others }, (i, j, r2, dx, dy, dz) => {
          if (r2 <= cut2[sp[j]] && r2 > 0) add(i, j, dx, dy, dz);
        });
      }
      const vec = nbVec;
      const atom = nbAtom;
      const list: number[] = [];
      for (const t of this.triples) {
        if (t.b !== v) continue;
        const ca2 = t.cutA * t.cutA;
        const cc2 = t.cutC * t.cutC;
        const width = 180 / this.bins;
        for (const i of centres) {
          list.length = 0;
          for (let k = first.get(i) ?? -1; k >= 0; k = next[k]) list.push(k);
          for (let p = 0; p < list.length; p++) {
            const kp = list[p];
            const ep = sp[atom[kp]];
            for (let q = t.a === t.c ? p + 1 : 0; q < list.length; q++) {
              if (q === p) continue;
              const kq = list[q];
              const eq = sp[atom[kq]];
              if (ep !== t.a || eq !== t.c) continue;
              const ux = vec[3 * kp];
              const uy = vec[3 * kp + 1];
              const uz = vec[3 * kp + 2];
              const wx = vec[3 * kq];
              const wy = vec[3 * kq + 1];
              const wz = vec[3 * kq + 2];
              const u2 = ux * ux + uy * uy + uz * uz;
              const w2 = wx * wx + wy * wy + wz * wz;
              if (this.mode === 'distance' && (u2 > ca2 || w2 > cc2)) continue;
              const cos = (ux * wx + uy * wy + uz * wz) / Math.sqrt(u2 * w2);
              const deg = (Math.acos(Math.max(-1, Math.min(1, cos))) * 180) / Math.PI;
              t.counts[Math.min(this.bins - 1, Math.floor(deg / width))]++;
              t.n++;
              const delta = deg - t.mean;
              t.mean += delta / t.n;
              t.m2 += delta * (deg - t.mean);
            }
          }
        }
      }
    }
    this.frameCount++;
  }

  result(): AnglesResult {
    if (this.frameCount === 0)
      throw new OligolyteError('no frames: angle distributions need at least one frame');
    const bins = this.bins;
    const width = 180 / bins;
    const anglesDeg = Float64Array.from({ length: bins }, (_, k) => (k + 0.5) * width);
    const el = this.topology.elements;
    return {
      bins,
      binWidthDeg: width,
      anglesDeg,
      frames: this.frameCount,
      neighbours: this.mode,
      distributions: this.triples.map((t) => {
        const n = t.n;
        const mean = n > 0 ? t.mean : Number.NaN;
        const variance = n > 1 ? t.m2 / (n - 1) : Number.NaN;
        let best = 0;
        for (let k = 1; k < bins; k++) if (t.counts[k] > t.counts[best]) best = k;
        const vertices = this.vertexAtoms.get(t.b)!.length;
        return {
          name: t.name,
          a: el[t.a],
          vertex: el[t.b],
          c: el[t.c],
          cutoffsA: this.mode === 'distance' ? { vertexA: t.cutA, vertexC: t.cutC } : undefined,
          count: n,
          anglesPerVertex: n / (vertices * this.frameCount),
          meanDeg: mean,
          sdDeg: Math.sqrt(variance),
          modeDeg: n > 0 ? anglesDeg[best] : Number.NaN,
          counts: Float64Array.from(t.counts),
          densityPerDeg: t.counts.map((c) => (n > 0 ? c / (n * width) : Number.NaN)),
        };
      }),
    };
  }
}

/** Bond-angle distributions of a sequence of structures (one run); the pure-function form. */
export const bondAngles = (structures: Iterable<Structure>, options: AngleOptions = {}): AnglesResult => {
  let acc: AngleAccumulator | undefined;
  for (const s of structures) {
    acc ??= new AngleAccumulator(s.topology, options);
    acc.push(s.frame, s.source);
  }
  if (!acc) throw new OligolyteError('no frames: angle distributions need at least one frame');
  return acc.result();
};
