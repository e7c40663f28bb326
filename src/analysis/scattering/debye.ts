import { OligolyteError, OptionError } from '../../core/errors.js';
import type { Frame } from '../../core/frame.js';
import type { Topology } from '../../core/topology.js';
import { type FormFactorModel, formFactorOfQ } from './atomic-form-factors.js';
import { halton, sphericalCutOut } from './md-pdf.js';

/**
 * The Debye scattering equation of a finite set of atoms (Debye, Ann. Phys. 351, 809 (1915)):
 *
 *   I(Q) = sum_i sum_j f_i(Q) f_j(Q) sin(Q r_ij) / (Q r_ij)      (i = j terms: f_i^2),
 *
 * in electrons^2 (X-ray) for the whole cluster; no periodicity, so a model's frame is a finite
 * particle (as ASE's XrDebye treats an Atoms object). Instead of the N^2 sum over atoms, the pair
 * distances are histogrammed per element pair (bin 0.001 A or finer), with each bin's first moment
 * m(k) = sum (r - r_k) beside its count n(k), and the sum runs over the bins to first order in the
 * offset of each pair from its bin centre:
 *   I(Q) = sum_a N_a f_a^2 + sum_{a <= b} f_a f_b sum_k [n_ab(k) sinc(Q r_k) + m_ab(k) sinc'(Q r_k)],
 * sinc'(Q r) = d/dr sin(Qr)/(Qr) = (cos(Qr) - sinc(Qr)) / r. The error left is second order,
 * (Q dr)^2 / 8 at most per pair (3e-5 at Q = 25 1/A with dr = 0.001 A).
 *
 * f(Q): pymatgen's f(s), s = Q / (4 pi) (default), or f = Z (atomic-form-factors.ts).
 * The cluster: the frame's atoms where they are (the cell ignored), or spherical cut-outs of
 * diameter D around fixed points of the cell (every periodic image inside; Halton points, the same
 * in every frame), averaged.
 */

export interface DebyeOptions {
  /** Q grid, 1/A (> 0). */
  qInvA: ArrayLike<number>;
  formFactor?: FormFactorModel;
  /** Pair-distance bin, A (default 0.001, at most that). */
  histogramBinA?: number;
  /** Cut spheres of this diameter (A) out of each periodic frame instead of using the atoms as they are. */
  sphereDiameterA?: number;
  /** Cut-outs per frame (default 1). */
  sphereCentres?: number;
}

export interface DebyeResult {
  qInvA: Float64Array;
  /** I(Q) of one cluster (mean over frames and cut-outs), electrons^2. */
  intensity: Float64Array;
  /** I(Q) / N, electrons^2 per atom (N: the cluster's mean atom count). */
  intensityPerAtom: Float64Array;
  /**
   * Faber-Ziman S(Q) = [I/N - (<f^2> - <f>^2)] / <f>^2 of the cluster (its small-angle
   * scattering included: a finite particle).
   */
  structureFactor: Float64Array;
  formFactor: FormFactorModel;
  binWidthA: number;
  samples: number;
  meanAtoms: number;
  /** Mean atoms per element in a cluster. */
  composition: Record<string, number>;
}

/** Pair-distance histograms of one cluster: per element pair a <= b, ordered pairs (both orders). */
export interface ClusterHistogram {
  elements: string[];
  /** Atoms per element. */
  counts: number[];
  binWidthA: number;
  /** [pair index (a <= b, triangle order)][bin], bin k at r = (k + 0.5) bin. */
  pairs: Float64Array[];
  /** The same, sum of (r - r_k) over the pairs of each bin (A). */
  moments: Float64Array[];
}

const triangle = (a: number, b: number, n: number): number => {
  const [i, j] = a <= b ? [a, b] : [b, a];
  return i * n - (i * (i - 1)) / 2 + (j - i);
};

/** Histogram every pair distance of a cluster (Cartesian positions, species index per atom). */
export const clusterHistogram = (
  positions: ArrayLike<number>,
  species: ArrayLike<number>,
  elements: readonly string[],
  binWidthA = 0.001,
): ClusterHistogram => {
  if (!(binWidthA > 0 && binWidthA <= 0.001 + 1e-15))
    throw new OptionError(`\`histogramBinA\`: ${binWidthA} A must be positive and at most 0.001 A`, {
      option: 'histogramBinA',
    });
  const n = species.length;
  const nel = elements.length;
  let lo = [Infinity, Infinity, Infinity];
  let hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < n; i++)
    for (let x = 0; x < 3; x++) {
      const v = positions[3 * i + x];
      if (!Number.isFinite(v)) throw new RangeError(`atom ${i + 1}: position is not finite`);
      lo[x] = Math.min(lo[x], v);
      hi[x] = Math.max(hi[x], v);
    }
  if (n === 0) lo = hi = [0, 0, 0];
  const extent = Math.hypot(hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]);
  const bins = Math.floor(extent / binWidthA) + 2;
  const pairs = Array.from({ length: (nel * (nel + 1)) / 2 }, () => new Float64Array(bins));
  const moments = Array.from({ length: (nel * (nel + 1)) / 2 }, () => new Float64Array(bins));
  const inv = 1 / binWidthA;
  const rows = Array.from({ length: nel }, (_, a) =>
    Int32Array.from({ length: nel }, (_, b) => triangle(a, b, nel)),
  );
  for (let i = 0; i < n; i++) {
    const xi = positions[3 * i];
    const yi = positions[3 * i + 1];
    const zi = positions[3 * i + 2];
    const row = rows[species[i]];
    for (let j = i + 1; j < n; j++) {
      const dx = positions[3 * j] - xi;
      const dy = positions[3 * j + 1] - yi;
      const dz = positions[3 * j + 2] - zi;
      const x = Math.sqrt(dx * dx + dy * dy + dz * dz) * inv;
      const k = Math.floor(x);
      const p = row[species[j]];
      pairs[p][k] += 2;
      moments[p][k] += 2 * (x - k - 0.5) * binWidthA;
    }
  }
  const counts = elements.map(() => 0);
  for (let i = 0; i < n; i++) counts[species[i]]++;
  return { elements: [...elements], counts, binWidthA, pairs, moments };
};

/**
 * sum_k [h[k] sinc(Q r_k) + m[k] sinc'(Q r_k)] for several histograms at once (r_k = (k + 1/2) w),
 * with the sines by rotation (renormalised from Math.sin every 1024 bins): one pass per Q.
 */
const sincSums = (
  hists: Float64Array[],
  moments: Float64Array[],
  w: number,
  q: number,
  out: Float64Array,
): void => {
  out.fill(0);
  const bins = hists[0]?.length ?? 0;
  const cd = Math.cos(q * w);
  const sd = Math.sin(q * w);
  let s = 0;
  let c = 0;
  const m = hists.length;
  for (let k = 0; k < bins; k++) {
    if ((k & 1023) === 0) {
      s = Math.sin(q * (k + 0.5) * w);
      c = Math.cos(q * (k + 0.5) * w);
    }
    const r = (k + 0.5) * w;
    const sinc = s / (q * r);
    const slope = (c - sinc) / r;
    for (let p = 0; p < m; p++) out[p] += hists[p][k] * sinc + moments[p][k] * slope;
    const s2 = s * cd + c * sd;
    c = c * cd - s * sd;
    s = s2;
  }
};

/** I(Q) of one cluster's histogram with the given form factors (functions of Q). */
export const debyeIntensity = (
  h: ClusterHistogram,
  q: ArrayLike<number>,
  form: readonly ((q: number) => number)[],
): Float64Array => {
  const nel = h.elements.length;
  const out = new Float64Array(q.length);
  const sums = new Float64Array(h.pairs.length);
  const f = new Float64Array(nel);
  for (let k = 0; k < q.length; k++) {
    const qk = q[k];
    if (!(qk > 0)) throw new OptionError(`Q = ${qk} 1/A: the Debye sum needs Q > 0`, { option: 'qInvA' });
    for (let a = 0; a < nel; a++) f[a] = form[a](qk);
    sincSums(h.pairs, h.moments, h.binWidthA, qk, sums);
    let i = 0;
    for (let a = 0; a < nel; a++) i += h.counts[a] * f[a] * f[a];
    for (let a = 0; a < nel; a++) for (let b = a; b < nel; b++) i += f[a] * f[b] * sums[triangle(a, b, nel)];
    out[k] = i;
  }
  return out;
};

/** I(Q) by the plain double sum over atoms (exact distances): the check of the histogram route. */
export const debyeIntensityExact = (
  positions: ArrayLike<number>,
  symbols: readonly string[],
  q: ArrayLike<number>,
  formFactor: FormFactorModel,
): Float64Array => {
  const fns = new Map<string, (q: number) => number>();
  for (const s of symbols) if (!fns.has(s)) fns.set(s, formFactorOfQ(s, formFactor));
  const out = new Float64Array(q.length);
  const n = symbols.length;
  for (let k = 0; k < q.length; k++) {
    const f = symbols.map((s) => fns.get(s)!(q[k]));
    let sum = 0;
    for (let i = 0; i < n; i++) {
      sum += f[i] * f[i];
      for (let j = i + 1; j < n; j++) {
        const r = Math.hypot(
          positions[3 * j] - positions[3 * i],
          positions[3 * j + 1] - positions[3 * i + 1],
          positions[3 * j + 2] - positions[3 * i + 2],
        );
        sum += (2 * f[i] * f[j] * Math.sin(q[k] * r)) / (q[k] * r);
      }
    }
    out[k] = sum;
  }
  return out;
};

/** Accumulates frames as clusters (or their spherical cut-outs) and gives the mean Debye I(Q). */
export class DebyeAccumulator {
  private readonly q: Float64Array;
  private readonly model: FormFactorModel;
  private readonly forms: ((q: number) => number)[];
  private readonly elements: string[];
  private readonly sum: Float64Array;
  private readonly elementSum: Float64Array;
  private samples = 0;
  private atomSum = 0;
  private readonly bin: number;
  private readonly centres: number;

  constructor(
    readonly topology: Topology,
    private readonly options: DebyeOptions,
  ) {
    this.q = Float64Array.from(options.qInvA);
    if (this.q.length === 0) throw new OptionError('an empty Q grid', { option: 'qInvA' });
    for (const v of this.q)
      if (!(v > 0 && Number.isFinite(v)))
        throw new OptionError(`Q = ${v} 1/A: the Debye sum needs Q > 0`, { option: 'qInvA' });
    this.model = options.formFactor ?? 'pymatgen';
    this.elements = [...topology.elements];
    this.forms = this.elements.map((e) => formFactorOfQ(e, this.model));
    this.bin = options.histogramBinA ?? 0.001;
    this.centres = options.sphereCentres ?? 1;
    if (!(Number.isInteger(this.centres) && this.centres >= 1))
      throw new OptionError(`\`sphereCentres\`: ${this.centres} must be a whole number >= 1`, {
        option: 'sphereCentres',
      });
    const d = options.sphereDiameterA;
    if (d !== undefined && !(d > 0 && Number.isFinite(d)))
      throw new OptionError(`\`sphereDiameterA\`: ${d} A must be positive`, { option: 'sphereDiameterA' });
    this.sum = new Float64Array(this.q.length);
    this.elementSum = new Float64Array(this.elements.length);
  }

  push(frame: Frame): void {
    const n = this.topology.natoms;
    if (frame.positions.length !== 3 * n)
      throw new OligolyteError(
        `frame ${this.samples + 1} has ${frame.positions.length / 3} atoms, the first ${n}`,
      );
    const d = this.options.sphereDiameterA;
    if (d === undefined) {
      this.add(frame.positions, this.topology.speciesIndex);
      return;
    }
    if (!frame.lattice)
      throw new OligolyteError('spherical cut-outs need a periodic cell, and this frame has none');
    for (let c = 0; c < this.centres; c++) {
      const cut = sphericalCutOut(frame.positions, frame.lattice, this.topology.speciesIndex, halton(c), d);
      this.add(cut.positions, cut.species);
    }
  }

  private add(positions: ArrayLike<number>, species: ArrayLike<number>): void {
    const h = clusterHistogram(positions, species, this.elements, this.bin);
    const i = debyeIntensity(h, this.q, this.forms);
    for (let k = 0; k < i.length; k++) this.sum[k] += i[k];
    h.counts.forEach((c, a) => {
      this.elementSum[a] += c;
    });
    this.atomSum += species.length;
    this.samples++;
  }

  result(): DebyeResult {
    if (this.samples === 0) throw new OligolyteError('no frames: the Debye pattern needs at least one');
    const S = this.samples;
    const meanAtoms = this.atomSum / S;
    if (!(meanAtoms > 0)) throw new OligolyteError('the clusters hold no atoms (a larger sphere?)');
    const intensity = this.sum.map((v) => v / S);
    const intensityPerAtom = intensity.map((v) => v / meanAtoms);
    const c = Array.from(this.elementSum, (v) => v / this.atomSum);
    const structureFactor = new Float64Array(this.q.length);
    for (let k = 0; k < this.q.length; k++) {
      let f1 = 0;
      let f2 = 0;
      this.forms.forEach((fn, a) => {
        const f = fn(this.q[k]);
        f1 += c[a] * f;
        f2 += c[a] * f * f;
      });
      structureFactor[k] = (intensityPerAtom[k] - (f2 - f1 * f1)) / (f1 * f1);
    }
    return {
      qInvA: this.q,
      intensity,
      intensityPerAtom,
      structureFactor,
      formFactor: this.model,
      binWidthA: this.bin,
      samples: S,
      meanAtoms,
      composition: Object.fromEntries(this.elements.map((e, a) => [e, this.elementSum[a] / S])),
    };
  }
}
