import { OligolyteError, OptionError, ParseError } from '../../core/errors.js';
import type { Frame, SourceLocation, Structure } from '../../core/frame.js';
import type { Lattice } from '../../core/lattice.js';
import type { Topology } from '../../core/topology.js';
import { histogramPairs, PairScratch } from './pair-histogram.js';
import { firstMinimum, firstPeak } from './peaks.js';

/**
 * Radial distribution functions: every partial g_ab(r), the total g(r) and the running
 * coordination numbers, accumulated frame by frame (memory independent of the number of frames).
 *
 * Normalisation exactly as MDAnalysis InterRDF (2.4.2, norm='rdf', MDAnalysis/analysis/rdf.py
 * `_conclude`): with the ordered pair counts c_k in bin k = [r_k, r_k+1) summed over F frames,
 *
 *   g_ab(r_k) = c_k / (F * 4/3 pi (r_k+1^3 - r_k^3) * N_ab / <V>),
 *
 * <V> the mean cell volume over the frames (each frame its own cell: NPT) and N_ab the number of
 * ordered (a, b) pairs: N_a N_b, less the pairs of an atom with itself (atoms in both selections:
 * N_a (N_a - 1) for a = b), less the excluded bonded pairs. That equals InterRDF(a, b) for a != b
 * and InterRDF(a, a, exclusion_block=(1, 1)) for a = b (the plain InterRDF(a, a) also counts every
 * atom with itself at r = 0, in the first bin, and normalises by N_a^2); with exclusion by
 * molecule, InterRDF(..., exclusion_block=(atoms of a per molecule, of b per molecule)) when the
 * molecules are alike and their atoms contiguous. Bins are numpy.histogram's over (0, rMax)
 * (numpy.linspace edges, the last bin closed), so the counts agree pair for pair.
 *
 * Unlike InterRDF, which takes the minimum image only, every periodic image within rMax counts,
 * so g(r) stays right beyond half the cell (where InterRDF undercounts and FastNS refuses).
 */

/** An element symbol ('Li') or 0-based atom indices. */
export type AtomSelection = string | ArrayLike<number>;

export interface RdfPairSpec {
  a: AtomSelection;
  b: AtomSelection;
  /** Name in the result (default 'A-B' for elements, 'selection-N' otherwise). */
  name?: string;
}

/**
 * Pairs left out of g(r) as bonded: 'molecule' = the same molecule id (ids <= 0 mean "in no
 * molecule"); { bonds: n } = joined by a path of at most n bonds of the topology (1: bonded
 * neighbours; 2: also the ends of an angle). A pair is left out at its nearest image only: a
 * molecule's atoms seen in another cell are other molecules.
 */
export type BondedExclusion = 'molecule' | { bonds: number };

export interface RdfOptions {
  /** Largest distance, A (default 8). Any value > 0: periodic images are enumerated. */
  rMaxA?: number;
  /** Number of bins over (0, rMaxA] (default 400). */
  bins?: number;
  /** Or the bin width, A: then bins = ceil(rMaxA / binWidthA) and rMaxA = bins x binWidthA. */
  binWidthA?: number;
  /**
   * 'all' (default): every element pair a <= b in the topology's element order; or a list of
   * 'Li-Cl' strings and selections. 'Li-Cl' is Cl around Li (a = Li, the centre).
   */
  pairs?: 'all' | readonly (string | RdfPairSpec)[];
  /** Also the total g(r) over all atoms (default true). */
  total?: boolean;
  /** Leave out bonded pairs (default: none). */
  exclude?: BondedExclusion;
}

export interface RdfPoint {
  rA: number;
  g: number;
}

export interface RdfCurve {
  /** 'Li-Cl', 'total', or the name given. */
  name: string;
  /** Element of a and b, or 'selection' / 'all'. */
  a: string;
  b: string;
  countA: number;
  countB: number;
  /** N_ab of the normalisation (ordered pairs). */
  pairsNormalised: number;
  /** Ordered (a, b) pairs left out as bonded. */
  pairsExcluded: number;
  /** g_ab(r) at the bin centres. */
  g: Float64Array;
  /** Ordered pair counts per bin summed over the frames. */
  counts: Float64Array;
  /**
   * Running coordination number at each bin's upper edge: the mean number of b atoms (not
   * excluded) within r of an a atom, = rho'_b int_0^r g 4 pi s^2 ds with rho'_b = N_ab / (N_a <V>)
   * (= N_b / <V> for a != b without exclusions).
   */
  coordination: Float64Array;
  /** The same for a atoms around a b atom. */
  coordinationBA: Float64Array;
  /** First peak and first minimum of the smoothed curve (see peaks.ts), when there are. */
  firstPeak?: RdfPoint;
  firstMinimum?: RdfPoint;
  /** Coordination (b around a) at the first minimum, interpolated. */
  coordinationAtFirstMinimum?: number;
}

export interface RdfResult {
  rMaxA: number;
  bins: number;
  binWidthA: number;
  /** bins + 1 edges (numpy.linspace(0, rMaxA, bins + 1)). */
  edgesA: Float64Array;
  /** Bin centres. */
  rA: Float64Array;
  frames: number;
  atoms: number;
  meanVolumeA3: number;
  /** 'none', 'same molecule' or 'within n bonds'. */
  exclusion: string;
  partials: RdfCurve[];
  total?: RdfCurve;
}

interface Request {
  name: string;
  a: string;
  b: string;
  inA: Uint8Array;
  inB: Uint8Array;
}

const elementAtoms = (topology: Topology, element: string, option: string): Uint8Array => {
  const k = topology.elements.indexOf(element);
  if (k < 0)
    throw new OligolyteError(
      `\`${option}\`: no ${element} atoms in the trajectory (its elements: ${topology.elements.join(', ')})`,
      { option },
    );
  const m = new Uint8Array(topology.natoms);
  for (let i = 0; i < topology.natoms; i++) if (topology.speciesIndex[i] === k) m[i] = 1;
  return m;
};

const selectionAtoms = (topology: Topology, s: AtomSelection, option: string): Uint8Array => {
  if (typeof s === 'string') return elementAtoms(topology, s, option);
  const m = new Uint8Array(topology.natoms);
  for (let k = 0; k < s.length; k++) {
    const i = s[k];
    if (!Number.isInteger(i) || i < 0 || i >= topology.natoms)
      throw new OptionError(`\`${option}\`: atom index ${i} is not in 0..${topology.natoms - 1}`, { option });
    m[i] = 1;
  }
  if (s.length === 0) throw new OptionError(`\`${option}\`: an empty selection`, { option });
  return m;
};

/** Parse 'Li-Cl' into its two elements (`example` shows the form in the error). */
export const parseElementPair = (s: string, option = 'pairs', example = 'Li-Cl'): [string, string] => {
  const parts = s.split('-').map((x) => x.trim());
  if (parts.length !== 2 || !/^[A-Z][a-z]?$/.test(parts[0]) || !/^[A-Z][a-z]?$/.test(parts[1]))
    throw new OptionError(`\`${option}\`: "${s}" is not a pair of elements like ${example}`, { option });
  return [parts[0], parts[1]];
};

const resolveRequests = (topology: Topology, options: RdfOptions): Request[] => {
  const out: Request[] = [];
  const pairs = options.pairs ?? 'all';
  if (pairs === 'all') {
    const el = topology.elements;
    for (let x = 0; x < el.length; x++)
      for (let y = x; y < el.length; y++)
        out.push({
          name: `${el[x]}-${el[y]}`,
          a: el[x],
          b: el[y],
          inA: elementAtoms(topology, el[x], 'pairs'),
          inB: elementAtoms(topology, el[y], 'pairs'),
        });
  } else {
    if (pairs.length === 0) throw new OptionError('`pairs`: no pairs asked for', { option: 'pairs' });
    pairs.forEach((p, k) => {
      const spec: RdfPairSpec =
        typeof p === 'string'
          ? (() => {
              const [a, b] = parseElementPair(p);
              return { a, b };
            })()
          : p;
      const label = (s: AtomSelection) => (typeof s === 'string' ? s : 'selection');
      out.push({
        name:
          spec.name ??
          (typeof spec.a === 'string' && typeof spec.b === 'string'
            ? `${spec.a}-${spec.b}`
            : `selection-${k + 1}`),
        a: label(spec.a),
        b: label(spec.b),
        inA: selectionAtoms(topology, spec.a, 'pairs'),
        inB: selectionAtoms(topology, spec.b, 'pairs'),
      });
    });
  }
  if (options.total !== false) {
    const all = new Uint8Array(topology.natoms).fill(1);
    out.push({ name: 'total', a: 'all', b: 'all', inA: all, inB: all });
  }
  return out;
};

/** For every atom, the sorted atoms within `n` bonds (BFS on the bond graph), as CSR. */
const bondNeighbourhoods = (topology: Topology, n: number) => {
  const bonds = topology.bonded.bonds;
  const natoms = topology.natoms;
  if (!bonds || bonds.length === 0)
    throw new OligolyteError(
      '`exclude`: leaving out bonded pairs needs bonds in the topology, and this one has none (read a LAMMPS data file with bonds, or give a topology that has them)',
      { option: 'exclude' },
    );
  const deg = new Int32Array(natoms + 1);
  for (let k = 0; k < bonds.length; k++) deg[bonds[k] + 1]++;
  for (let i = 0; i < natoms; i++) deg[i + 1] += deg[i];
  const adj = new Int32Array(bonds.length);
  const fill = deg.slice(0, natoms);
  for (let k = 0; k < bonds.length; k += 2) {
    adj[fill[bonds[k]]++] = bonds[k + 1];
    adj[fill[bonds[k + 1]]++] = bonds[k];
  }
  const start = new Int32Array(natoms + 1);
  const lists: number[] = [];
  const seen = new Int32Array(natoms).fill(-1);
  for (let i = 0; i < natoms; i++) {
    let frontier = [i];
    seen[i] = i;
    const found: number[] = [];
    for (let depth = 0; depth < n && frontier.length > 0; depth++) {
      const next: number[] = [];
      for (const u of frontier)
        for (let e = deg[u]; e < deg[u + 1]; e++) {
          const v = adj[e];
          if (seen[v] === i) continue;
          seen[v] = i;
          found.push(v);
          next.push(v);
        }
      frontier = next;
    }
    found.sort((x, y) => x - y);
    for (const v of found) lists.push(v);
    start[i + 1] = lists.length;
  }
  return { start, list: Int32Array.from(lists) };
};

/** The bin of r as numpy.histogram puts it (uniform bins over (0, rMax), last bin closed). */
export const histogramBin = (r: number, edges: Float64Array, norm: number, bins: number): number => {
  let k = Math.trunc(r * norm);
  if (k >= bins) k = bins - 1;
  if (r < edges[k]) k--;
  else if (k !== bins - 1 && r >= edges[k + 1]) k++;
  return k;
};

/** numpy.linspace(0, rMax, bins + 1): k * (rMax / bins), the last edge exactly rMax. */
export const histogramEdges = (rMax: number, bins: number): Float64Array => {
  const step = rMax / bins;
  const e = new Float64Array(bins + 1);
  for (let k = 0; k <= bins; k++) e[k] = k * step;
  e[bins] = rMax;
  return e;
};

/**
 * Accumulates g(r) over frames: construct with the run's topology, push every frame (each with
 * its own cell), then result(). Memory: the histograms and one frame's neighbour grid.
 */
export class RdfAccumulator {
  readonly rMaxA: number;
  readonly bins: number;
  private readonly edges: Float64Array;
  private readonly requests: Request[];
  /** Unordered pair counts per pair of atom classes (see histogramPairs). */
  private readonly pairCounts: Float64Array;
  private readonly scratch = new PairScratch();
  private readonly atoms: Int32Array | undefined;
  private readonly classOf: Int32Array;
  private readonly contribStart: Int32Array;
  /** Curve of each contribution. */
  private readonly contribOffset: Int32Array;
  private readonly contribWeight: Float64Array;
  private readonly classCount: number;
  private readonly excluded: number[];
  private readonly exclusion: string;
  private readonly moleculeIds?: Int32Array;
  private readonly bonded?: { start: Int32Array; list: Int32Array };
  private readonly hasTotal: boolean;
  private frameCount = 0;
  private volumeSum = 0;

  constructor(
    readonly topology: Topology,
    options: RdfOptions = {},
  ) {
    let rMax = options.rMaxA ?? 8;
    if (!(rMax > 0) || !Number.isFinite(rMax))
      throw new OptionError(`\`rMaxA\`: ${rMax} A must be a positive distance`, { option: 'rMaxA' });
    let bins: number;
    if (options.binWidthA !== undefined) {
      const w = options.binWidthA;
      if (!(w > 0) || !Number.isFinite(w))
        throw new OptionError(`\`binWidthA\`: ${w} A must be a positive width`, { option: 'binWidthA' });
      if (options.bins !== undefined)
        throw new OptionError('give `bins` or `binWidthA`, not both', { option: 'binWidthA' });
      bins = Math.max(1, Math.ceil(rMax / w - 1e-9));
      rMax = bins * w;
    } else bins = options.bins ?? 400;
    if (!Number.isInteger(bins) || bins < 1)
      throw new OptionError(`\`bins\`: ${bins} must be a whole number >= 1`, { option: 'bins' });
    this.rMaxA = rMax;
    this.bins = bins;
    this.edges = histogramEdges(rMax, bins);
    this.requests = resolveRequests(topology, options);
    this.hasTotal = options.total !== false;

    // Atoms by their membership in the selections: a class per distinct membership pattern; pairs
    // are counted per pair of classes and folded into the curves at the end.
    const n = topology.natoms;
    const R = this.requests.length;
    const signature = new Map<string, number>();
    const classOf = new Int32Array(n).fill(-1);
    const patterns: Uint8Array[] = [];
    const used: number[] = [];
    for (let i = 0; i < n; i++) {
      let key = '';
      let any = false;
      for (const q of this.requests) {
        const a = q.inA[i];
        const b = q.inB[i];
        key += `${a}${b}`;
        if (a || b) any = true;
      }
      if (!any) continue;
      used.push(i);
      let c = signature.get(key);
      if (c === undefined) {
        c = patterns.length;
        signature.set(key, c);
        const p = new Uint8Array(2 * R);
        this.requests.forEach((q, r) => {
          p[2 * r] = q.inA[i];
          p[2 * r + 1] = q.inB[i];
        });
        patterns.push(p);
      }
      classOf[i] = c;
    }
    this.classOf = classOf;
    this.atoms = used.length === n ? undefined : Int32Array.from(used);
    const nc = patterns.length;
    this.classCount = nc;
    // An unordered pair {i, j} adds [i in A][j in B] + [j in A][i in B] ordered pairs to a curve.
    const start = new Int32Array(nc * nc + 1);
    const off: number[] = [];
    const wt: number[] = [];
    for (let ci = 0; ci < nc; ci++)
      for (let cj = 0; cj < nc; cj++) {
        for (let r = 0; r < R; r++) {
          const w =
            patterns[ci][2 * r] * patterns[cj][2 * r + 1] + patterns[cj][2 * r] * patterns[ci][2 * r + 1];
          if (w > 0) {
            off.push(r);
            wt.push(w);
          }
        }
        start[ci * nc + cj + 1] = off.length;
      }
    this.pairCounts = new Float64Array(nc * nc * bins);
    this.contribStart = start;
    this.contribOffset = Int32Array.from(off);
    this.contribWeight = Float64Array.from(wt);

    // Bonded exclusions and the ordered pairs they remove from each curve's normalisation.
    this.excluded = this.requests.map(() => 0);
    const ex = options.exclude;
    if (ex === undefined) this.exclusion = 'none';
    else if (ex === 'molecule') {
      const ids = topology.moleculeIds;
      if (!ids)
        throw new OligolyteError(
          '`exclude`: leaving out pairs in the same molecule needs molecule ids, and this topology has none (read a LAMMPS data file with molecule ids, or give a topology that has them)',
          { option: 'exclude' },
        );
      this.moleculeIds = ids;
      this.exclusion = 'same molecule';
      const byMol = new Map<number, number[]>();
      for (let i = 0; i < n; i++) {
        if (ids[i] <= 0) continue;
        let l = byMol.get(ids[i]);
        if (!l) byMol.set(ids[i], (l = []));
        l.push(i);
      }
      this.requests.forEach((q, r) => {
        let e = 0;
        for (const atoms of byMol.values()) {
          let na = 0;
          let nb = 0;
          let both = 0;
          for (const i of atoms) {
            na += q.inA[i];
            nb += q.inB[i];
            both += q.inA[i] & q.inB[i];
          }
          e += na * nb - both;
        }
        this.excluded[r] = e;
      });
    } else {
      const nb = ex.bonds;
      if (!Number.isInteger(nb) || nb < 1)
        throw new OptionError(`\`exclude.bonds\`: ${nb} must be a whole number >= 1`, { option: 'exclude' });
      this.bonded = bondNeighbourhoods(topology, nb);
      this.exclusion = `within ${nb} bond${nb === 1 ? '' : 's'}`;
      const { start: s, list } = this.bonded;
      this.requests.forEach((q, r) => {
        let e = 0;
        for (let i = 0; i < n; i++) {
          if (!q.inA[i]) continue;
          for (let k = s[i]; k < s[i + 1]; k++) e += q.inB[list[k]];
        }
        this.excluded[r] = e;
      });
    }
  }

  /** Frames pushed so far. */
  get frames(): number {
    return this.frameCount;
  }

  /** Add one frame (it must have a cell); `source` names it in errors. */
  push(frame: Frame, source?: SourceLocation): void {
    const lattice = this.checkFrame(frame, source);
    this.countPairs(frame.positions, lattice);
    this.recordFrame(lattice);
  }

  /**
   * The frame's cell, after checking that the frame has this run's atoms and a cell (the next
   * frame's number in the messages). Exposed, with countPairs, recordFrame, pairCountsSnapshot and
   * addPairCounts, for a driver that counts frames in other threads (rdf-threads.ts).
   */
  checkFrame(frame: Frame, source?: SourceLocation): Lattice {
    const n = this.topology.natoms;
    const k = this.frameCount + 1;
    if (frame.positions.length !== 3 * n) {
      const found = `${frame.positions.length / 3} atoms`;
      if (source)
        throw new ParseError({
          file: source.file,
          line: source.line,
          byteOffset: source.byteOffset,
          expected: `a frame of ${n} atoms, as the first (frame ${k})`,
          found,
        });
      throw new OligolyteError(`frame ${k} has ${found}, the first frame ${n}: one run must keep its atoms`);
    }
    const lattice = frame.lattice;
    if (!lattice)
      throw new OligolyteError(
        `${source ? `${source.file}: ` : ''}frame ${k} has no periodic cell: g(r) is normalised by the cell volume`,
      );
    return lattice;
  }

  /** Add one frame's pair counts (no checks, the frame not counted: see checkFrame). */
  countPairs(positions: Float64Array, lattice: Lattice): void {
    histogramPairs({
      positions,
      lattice,
      atoms: this.atoms,
      classOf: this.classOf,
      classCount: this.classCount,
      rMax: this.rMaxA,
      edges: this.edges,
      pairCounts: this.pairCounts,
      excluded: this.exclusionTest(lattice),
      scratch: this.scratch,
    });
  }

  /** Count a frame and its volume (in frame order, so the mean volume is the same however counted). */
  recordFrame(lattice: Lattice): void {
    this.frameCount++;
    this.volumeSum += lattice.volume;
  }

  /** A copy of the pair counts so far (per class pair and bin). */
  pairCountsSnapshot(): Float64Array {
    return Float64Array.from(this.pairCounts);
  }

  /** Add pair counts made by another accumulator of the same topology and options. */
  addPairCounts(counts: Float64Array): void {
    if (counts.length !== this.pairCounts.length)
      throw new RangeError(`pair counts of ${counts.length} values for ${this.pairCounts.length}`);
    for (let k = 0; k < counts.length; k++) this.pairCounts[k] += counts[k];
  }

  /** Is the visited pair (at this image) a bonded pair to leave out? Undefined: no exclusions. */
  private exclusionTest(lattice: Lattice) {
    const ids = this.moleculeIds;
    const bonded = this.bonded;
    if (!ids && !bonded) return undefined;
    // Below half the narrowest width the image is the nearest one; beyond, compare.
    const half = Math.min(...lattice.perpendicularWidths) / 2;
    const half2 = half * half;
    const d = new Float64Array(3);
    const nearest = (r2: number, dx: number, dy: number, dz: number) => {
      if (r2 < half2) return true;
      d[0] = dx;
      d[1] = dy;
      d[2] = dz;
      return r2 <= lattice.minimumImage(d) * (1 + 1e-12);
    };
    if (ids)
      return (i: number, j: number, r2: number, dx: number, dy: number, dz: number) =>
        ids[i] > 0 && ids[i] === ids[j] && i !== j && nearest(r2, dx, dy, dz);
    const { start, list } = bonded!;
    return (i: number, j: number, r2: number, dx: number, dy: number, dz: number) => {
      for (let k = start[i]; k < start[i + 1]; k++)
        if (list[k] === j) return i !== j && nearest(r2, dx, dy, dz);
      return false;
    };
  }

  result(): RdfResult {
    const F = this.frameCount;
    if (F === 0) throw new OligolyteError('no frames: g(r) needs at least one frame');
    const bins = this.bins;
    const edges = this.edges;
    const meanVolume = this.volumeSum / F;
    // MDAnalysis: norm = n_frames * (4/3 * pi * diff(edges^3)) * (N / box_vol), in that order.
    const shell = new Float64Array(bins);
    for (let k = 0; k < bins; k++) shell[k] = (4 / 3) * Math.PI * (edges[k + 1] ** 3 - edges[k] ** 3);
    const rA = new Float64Array(bins);
    for (let k = 0; k < bins; k++) rA[k] = 0.5 * (edges[k] + edges[k + 1]);
    // Ordered pair counts of each curve from the class-pair histograms: an unordered pair of
    // classes (ci, cj) adds [ci in A][cj in B] + [cj in A][ci in B] ordered pairs.
    const nc = this.classCount;
    const all = new Float64Array(this.requests.length * bins);
    for (let cp = 0; cp < nc * nc; cp++)
      for (let u = this.contribStart[cp]; u < this.contribStart[cp + 1]; u++) {
        const base = this.contribOffset[u] * bins;
        const w = this.contribWeight[u];
        for (let k = 0; k < bins; k++) all[base + k] += w * this.pairCounts[cp * bins + k];
      }
    const curves = this.requests.map((q, r): RdfCurve => {
      let na = 0;
      let nb = 0;
      let both = 0;
      for (let i = 0; i < this.topology.natoms; i++) {
        na += q.inA[i];
        nb += q.inB[i];
        both += q.inA[i] & q.inB[i];
      }
      const N = na * nb - both - this.excluded[r];
      const counts = all.subarray(r * bins, (r + 1) * bins);
      const g = new Float64Array(bins);
      const density = N / meanVolume;
      for (let k = 0; k < bins; k++) g[k] = N > 0 ? counts[k] / (F * shell[k] * density) : Number.NaN;
      const coordination = new Float64Array(bins);
      const coordinationBA = new Float64Array(bins);
      let sum = 0;
      for (let k = 0; k < bins; k++) {
        sum += counts[k];
        coordination[k] = sum / (F * na);
        coordinationBA[k] = sum / (F * nb);
      }
      const curve: RdfCurve = {
        name: q.name,
        a: q.a,
        b: q.b,
        countA: na,
        countB: nb,
        pairsNormalised: N,
        pairsExcluded: this.excluded[r],
        g,
        counts: Float64Array.from(counts),
        coordination,
        coordinationBA,
      };
      const peak = firstPeak(rA, g);
      if (peak) curve.firstPeak = { rA: peak.r, g: peak.g };
      const min = firstMinimum(rA, g);
      if (min) {
        curve.firstMinimum = { rA: min.r, g: min.g };
        curve.coordinationAtFirstMinimum = valueAt(edges, coordination, min.r);
      }
      return curve;
    });
    const total = this.hasTotal;
    return {
      rMaxA: this.rMaxA,
      bins,
      binWidthA: this.rMaxA / bins,
      edgesA: Float64Array.from(edges),
      rA,
      frames: F,
      atoms: this.topology.natoms,
      meanVolumeA3: meanVolume,
      exclusion: this.exclusion,
      partials: total ? curves.slice(0, -1) : curves,
      total: total ? curves[curves.length - 1] : undefined,
    };
  }
}

/** A running quantity known at the upper bin edges (0 at r = 0), linearly interpolated at r. */
export const valueAt = (edges: Float64Array, upper: Float64Array, r: number): number => {
  if (r <= 0) return 0;
  for (let k = 0; k < upper.length; k++) {
    if (r <= edges[k + 1]) {
      const lo = k === 0 ? 0 : upper[k - 1];
      const t = (r - edges[k]) / (edges[k + 1] - edges[k]);
      return lo + t * (upper[k] - lo);
    }
  }
  return upper[upper.length - 1];
};

/**
 * g(r) of a sequence of structures (one run: the same atoms throughout). The pure-function form
 * of RdfAccumulator.
 */
export const rdf = (structures: Iterable<Structure>, options: RdfOptions = {}): RdfResult => {
  let acc: RdfAccumulator | undefined;
  for (const s of structures) {
    acc ??= new RdfAccumulator(s.topology, options);
    acc.push(s.frame, s.source);
  }
  if (!acc) throw new OligolyteError('no frames: g(r) needs at least one frame');
  return acc.result();
};

export { firstMinimum, firstPeak };
