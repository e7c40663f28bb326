import { OligolyteError, OptionError } from '../../core/errors.js';
import type { Frame, SourceLocation } from '../../core/frame.js';
import { Lattice } from '../../core/lattice.js';
import type { Topology } from '../../core/topology.js';
import { PairCounts } from './pair-counts.js';
import { ThreadedPairCounts } from './pair-counts-threads.js';
import { sphereEnvelope } from './pdf-model.js';
import { type Radiation, scatteringFactor } from './pdf-phase.js';
import { applyQmaxCutoff, terminationExtension } from './pdf-termination.js';

/**
 * G(r) of an MD model (a trajectory's frames) in PDFfit2's normalisation (SCATTERING.md section 1,
 * item 5), so that it compares with a crystal's PDFfit2 G(r) and with PDFgetX/N data:
 *
 *   G(r) = 1 / (N r) sum_{i != j} w_i w_j delta(r - r_ij) - 4 pi r rho0,   w_i = f_i / <f>,
 *
 * f = Z (X-ray) or the coherent length b (neutron), PDFfit2's own table (pdf-phase.ts), <f> the
 * model's mean, rho0 = N / <V>. The sum runs over ordered pairs of distinct atoms, every periodic
 * image counting (an atom's own images included), averaged over the frames. Each pair is a delta
 * (U = 0): the thermal spread comes from the frames themselves; `uIsoA2` adds PDFfit2's Gaussian
 * of an isotropic U on both atoms (sigma^2 = 2U) for a model with too few frames.
 *
 * Two routes:
 * - `periodic` (the default): each frame a P1 crystal, every image within rmax (the cell-list
 *   pair histogram of structure/pair-histogram.ts, in worker threads as g(r) is). Exact for the
 *   periodic model at any r, however small the cell; the one to compare with data.
 * - `sphere`: spherical cut-outs of diameter D around fixed centres (a Halton sequence in the
 *   cell, the same in every frame), no periodicity: what the Debye equation of a finite cluster
 *   holds. The cluster's pair density falls with the particle envelope gamma(r) = 1 - 3x/2 + x^3/2
 *   (x = r / D, the spdiameter factor of PDFfit2), so the route divides it out:
 *   G(r) = [R_s(r) / (N_s r) - 4 pi r rho_s gamma(r)] / gamma(r), rho_s = N_s / V_s of each cut-out.
 *   Noisier near D (few pairs) and slower; it checks the periodic route (they agree for a large
 *   cell) and gives the PDF a finite-particle Debye calculation would.
 *
 * Partials: G_ab for a <= b, with both orders for a != b, so that they add up to G:
 *   G_ab(r) = w_a w_b [ n_ab(r) / (N r) - m_ab 4 pi r rho0 c_a c_b ],  m_ab = 1 (a = b) or 2.
 *
 * The counts are made on a fine grid (`histogramBinA`, 0.001 A or finer) and put on the output
 * grid r_j = j dr as the mean over [r_j - dr/2, r_j + dr/2) (U = 0), or as the Gaussian of each
 * fine bin evaluated at r_j (U > 0, within 5 sigma as PDFfit2). Then, on the total and each
 * partial, PDFfit2's envelopes and termination: exp(-(r Qdamp)^2 / 2) and, when Qmax > 0, its FFT
 * cut-off (pdf-termination.ts) over a range extended by six ripples beyond rmax.
 */

export type MdPdfRoute = 'periodic' | 'sphere';

export interface MdPdfOptions {
  /** Largest r of the output, A (default 20). */
  rMaxA?: number;
  /** Output grid step, A (default 0.01). */
  drA?: number;
  /** Counting bin, A (default 0.001): made dr / m, m the smallest even whole number that keeps it at most this. */
  histogramBinA?: number;
  /** 'X' (weights Z, the default) or 'N' (coherent lengths b). */
  radiation?: Radiation;
  /** Isotropic U of every atom, A^2 (default 0: the frames give the spread). */
  uIsoA2?: number;
  /** PDFfit2's Qdamp, 1/A (default 0). */
  qdampInvA?: number;
  /** Qmax termination, 1/A (default 0: none). */
  qmaxInvA?: number;
  route?: MdPdfRoute;
  /** Cut-out diameter for the sphere route, A (default: the cell's narrowest width). */
  sphereDiameterA?: number;
  /** Cut-outs per frame for the sphere route (default 8). */
  sphereCentres?: number;
  /** Worker threads counting pairs (periodic route; default 1). */
  threads?: number;
}

export interface MdPdfPartial {
  /** 'Li-Cl' (a <= b in the model's element order). */
  name: string;
  a: string;
  b: string;
  /** Weighted partial G_ab(r), 1/A^2: the partials add up to the total. */
  g: Float64Array;
}

export interface MdPdfResult {
  route: MdPdfRoute;
  radiation: Radiation;
  /** Output grid r_j = j dr, A. */
  rA: Float64Array;
  /** G(r), 1/A^2 (PDFfit2's normalisation). */
  g: Float64Array;
  partials: MdPdfPartial[];
  frames: number;
  atoms: number;
  /** Atoms per element. */
  composition: Record<string, number>;
  /** Scattering factor per element (Z, or b in fm) and the mean <f>. */
  scatteringFactors: Record<string, number>;
  meanScatteringFactor: number;
  /** rho0 = N / <V>, atoms/A^3, and <V> (A^3). */
  numberDensityPerA3: number;
  meanVolumeA3: number;
  histogramBinA: number;
  drA: number;
  uIsoA2: number;
  qdampInvA: number;
  qmaxInvA: number;
  /** Sphere route: cut-out diameter (A) and the number of cut-outs averaged. */
  sphereDiameterA?: number;
  samples?: number;
}

/**
 * The atoms (every periodic image) within D/2 of a point of the cell given in fractional
 * coordinates: positions relative to that point (A) and each one's species index.
 */
export const sphericalCutOut = (
  positions: Float64Array,
  lattice: Lattice,
  speciesIndex: ArrayLike<number>,
  centre: readonly [number, number, number],
  diameterA: number,
): { positions: Float64Array; species: Int32Array } => {
  const R = diameterA / 2;
  const R2 = R * R;
  const n = positions.length / 3;
  const frac = lattice.toFractional(positions);
  const reach = lattice.perpendicularWidths.map((w) => Math.ceil(R / w) + 1);
  const M = lattice.matrix;
  const xs: number[] = [];
  const cls: number[] = [];
  for (let i = 0; i < n; i++) {
    // The image of atom i nearest the centre along each axis, then its neighbours in reach.
    const f0 = frac[3 * i] - centre[0];
    const f1 = frac[3 * i + 1] - centre[1];
    const f2 = frac[3 * i + 2] - centre[2];
    const b0 = Math.round(f0);
    const b1 = Math.round(f1);
    const b2 = Math.round(f2);
    for (let a = -reach[0]; a <= reach[0]; a++)
      for (let b = -reach[1]; b <= reach[1]; b++)
        for (let c = -reach[2]; c <= reach[2]; c++) {
          const u0 = f0 - b0 + a;
          const u1 = f1 - b1 + b;
          const u2 = f2 - b2 + c;
          const dx = u0 * M[0] + u1 * M[3] + u2 * M[6];
          const dy = u0 * M[1] + u1 * M[4] + u2 * M[7];
          const dz = u0 * M[2] + u1 * M[5] + u2 * M[8];
          if (dx * dx + dy * dy + dz * dz >= R2) continue;
          xs.push(dx, dy, dz);
          cls.push(speciesIndex[i]);
        }
  }
  return { positions: Float64Array.from(xs), species: Int32Array.from(cls) };
};

/** The i-th point of the Halton sequence in bases 2, 3, 5 (fractional coordinates in [0, 1)). */
export const halton = (i: number): [number, number, number] => {
  const radical = (n: number, b: number) => {
    let f = 1;
    let r = 0;
    let k = n;
    while (k > 0) {
      f /= b;
      r += f * (k % b);
      k = Math.floor(k / b);
    }
    return r;
  };
  return [radical(i + 1, 2), radical(i + 1, 3), radical(i + 1, 5)];
};

interface Setup {
  rMax: number;
  dr: number;
  /** Fine bins per output step (even). */
  m: number;
  hb: number;
  /** Counting range (A): rmax, the termination extension and the Gaussian's reach. */
  rCount: number;
  fineBins: number;
  /** Output points on [0, rCount - reach]: the termination needs them beyond rmax. */
  outCount: number;
  outKeep: number;
  u: number;
  qdamp: number;
  qmax: number;
}

const positive = (v: number | undefined, name: string, def: number, unit: string): number => {
  const x = v ?? def;
  if (!(Number.isFinite(x) && x > 0))
    throw new OptionError(`\`${name}\`: ${x} ${unit} must be positive`, { option: name });
  return x;
};
const nonNegative = (v: number | undefined, name: string, unit: string): number => {
  const x = v ?? 0;
  if (!(Number.isFinite(x) && x >= 0))
    throw new OptionError(`\`${name}\`: ${x} ${unit} must be >= 0`, { option: name });
  return x;
};

const setup = (o: MdPdfOptions): Setup => {
  const rMax = positive(o.rMaxA, 'rMaxA', 20, 'A');
  const dr = positive(o.drA, 'drA', 0.01, 'A');
  if (dr > rMax / 2)
    throw new OptionError(`\`drA\`: ${dr} A is too coarse for rmax ${rMax} A`, { option: 'drA' });
  const hbMax = positive(o.histogramBinA, 'histogramBinA', 0.001, 'A');
  const m = 2 * Math.max(1, Math.ceil(dr / (2 * hbMax) - 1e-9));
  const hb = dr / m;
  const u = nonNegative(o.uIsoA2, 'uIsoA2', 'A^2');
  const qdamp = nonNegative(o.qdampInvA, 'qdampInvA', '1/A');
  const qmax = nonNegative(o.qmaxInvA, 'qmaxInvA', '1/A');
  const outKeep = Math.round(rMax / dr) + 1;
  const ext = qmax > 0 ? terminationExtension(qmax) : 0;
  const outCount = outKeep + Math.ceil(ext / dr);
  const reach = u > 0 ? 5 * Math.sqrt(2 * u) : 0;
  const fineBins = Math.ceil(((outCount - 1) * dr + dr / 2 + reach) / hb - 1e-9);
  return { rMax, dr, m, hb, rCount: fineBins * hb, fineBins, outCount, outKeep, u, qdamp, qmax };
};

/**
 * Ordered pair counts per element pair (a <= b; both orders for a != b) on the fine grid, summed
 * over the frames or cut-outs, and what each route's normalisation needs.
 */
interface Counts {
  elements: string[];
  /** [pair index][fine bin], pair index of (a, b) a <= b in triangle order. */
  ordered: Float64Array[];
  /** The per-pair ideal-gas term m_ab c_a c_b rho (atoms/A^3), averaged over samples. */
  density: Float64Array;
  /** Sphere route: counts are already per atom of the cut-out; periodic: divide by N F. */
  perAtom: boolean;
  samples: number;
}

const pairIndex = (a: number, b: number, n: number): number => {
  const [i, j] = a <= b ? [a, b] : [b, a];
  return i * n - (i * (i - 1)) / 2 + (j - i);
};

/**
 * Accumulates an MD model's frames and gives its G(r) (see the module comment). push() may return
 * a promise (worker threads): await it before the next push.
 */
export class MdPdfAccumulator {
  private readonly s: Setup;
  private readonly route: MdPdfRoute;
  private readonly radiation: Radiation;
  private readonly factors: number[];
  private readonly elements: string[];
  private readonly periodic?: ThreadedPairCounts;
  // Sphere route state.
  private readonly sphereCentres: number;
  private sphereDiameter?: number;
  private readonly sphereOrdered: Float64Array[] = [];
  private readonly sphereDensity: Float64Array;
  private samples = 0;
  private frameCount = 0;
  private volumeSum = 0;

  constructor(
    readonly topology: Topology,
    options: MdPdfOptions = {},
  ) {
    this.s = setup(options);
    this.route = options.route ?? 'periodic';
    if (this.route !== 'periodic' && this.route !== 'sphere')
      throw new OptionError(`\`route\`: "${this.route}" is not periodic or sphere`, { option: 'route' });
    this.radiation = options.radiation ?? 'X';
    if (this.radiation !== 'X' && this.radiation !== 'N')
      throw new OptionError(`\`radiation\`: "${this.radiation}" is not X or N`, { option: 'radiation' });
    this.elements = [...topology.elements];
    this.factors = this.elements.map((e) => scatteringFactor(e, this.radiation));
    if (topology.natoms < 2) throw new OptionError('a PDF needs at least two atoms');
    const np = (this.elements.length * (this.elements.length + 1)) / 2;
    this.sphereDensity = new Float64Array(np);
    this.sphereCentres = options.sphereCentres ?? 8;
    if (!(Number.isInteger(this.sphereCentres) && this.sphereCentres >= 1))
      throw new OptionError(`\`sphereCentres\`: ${this.sphereCentres} must be a whole number >= 1`, {
        option: 'sphereCentres',
      });
    if (this.route === 'periodic')
      this.periodic = new ThreadedPairCounts(
        topology.speciesIndex,
        this.elements.length,
        this.s.rCount,
        this.s.fineBins,
        options.threads ?? 1,
      );
    else {
      for (let k = 0; k < np; k++) this.sphereOrdered.push(new Float64Array(this.s.fineBins));
      if (options.sphereDiameterA !== undefined)
        this.sphereDiameter = this.checkDiameter(options.sphereDiameterA);
    }
  }

  get frames(): number {
    return this.frameCount;
  }

  private checkDiameter(d: number): number {
    if (!(Number.isFinite(d) && d > this.s.rCount))
      throw new OptionError(
        `\`sphereDiameterA\`: the cut-out (${d} A) must be wider than the range counted (${this.s.rCount.toFixed(3)} A: rmax, the termination's ripples and the Gaussian's reach); twice rmax or more keeps the envelope correction quiet`,
        { option: 'sphereDiameterA' },
      );
    return d;
  }

  /** Add one frame (it needs a cell); `source` names it in errors. */
  push(frame: Frame, source?: SourceLocation): void | Promise<void> {
    const n = this.topology.natoms;
    if (frame.positions.length !== 3 * n)
      throw new OligolyteError(
        `${source ? `${source.file}: ` : ''}frame ${this.frameCount + 1} has ${frame.positions.length / 3} atoms, the first ${n}`,
      );
    const lattice = frame.lattice;
    if (!lattice)
      throw new OligolyteError(
        `${source ? `${source.file}: ` : ''}frame ${this.frameCount + 1} has no periodic cell: the model's density needs one`,
      );
    for (let i = 0; i < frame.positions.length; i++)
      if (!Number.isFinite(frame.positions[i]))
        throw new OligolyteError(
          `${source ? `${source.file}: ` : ''}frame ${this.frameCount + 1}: atom ${Math.floor(i / 3) + 1} has a position that is not a number`,
        );
    this.frameCount++;
    this.volumeSum += lattice.volume;
    if (this.periodic) return this.periodic.push(frame.positions, lattice);
    if (this.sphereDiameter === undefined)
      this.sphereDiameter = this.checkDiameter(Math.min(...lattice.perpendicularWidths));
    for (let c = 0; c < this.sphereCentres; c++) this.cutOut(frame.positions, lattice, halton(c));
  }

  /** Count the pairs of one spherical cut-out centred at fractional position `centre`. */
  private cutOut(positions: Float64Array, lattice: Lattice, centre: [number, number, number]): void {
    const D = this.sphereDiameter!;
    const nel = this.elements.length;
    const cut = sphericalCutOut(positions, lattice, this.topology.speciesIndex, centre, D);
    const cls = cut.species;
    const perElement = new Float64Array(nel);
    for (const e of cls) perElement[e]++;
    // Shifted into [1, D + 1): the box below holds no two images within the range.
    const R = D / 2;
    const xs = cut.positions.map((v) => v + R + 1);
    const ns = cls.length;
    if (ns < 2) return;
    const box = Lattice.cubic(D + 2 + this.s.rCount + 1);
    const counts = new PairCounts(cls, nel, this.s.rCount, this.s.fineBins);
    counts.count(xs, box);
    const vs = (Math.PI / 6) * D * D * D;
    for (let a = 0; a < nel; a++)
      for (let b = a; b < nel; b++) {
        const p = pairIndex(a, b, nel);
        const out = this.sphereOrdered[p];
        const ordered = counts.ordered(a, b);
        for (let k = 0; k < ordered.length; k++) out[k] += ordered[k] / ns;
        this.sphereDensity[p] += ((a === b ? 1 : 2) * perElement[a] * perElement[b]) / (ns * vs);
      }
    this.samples++;
  }

  private async counts(): Promise<Counts> {
    const nel = this.elements.length;
    if (this.periodic) {
      const pc = await this.periodic.finish();
      const ordered: Float64Array[] = [];
      const density = new Float64Array((nel * (nel + 1)) / 2);
      const n = this.topology.natoms;
      const rho = n / (this.volumeSum / this.frameCount);
      const counts = this.elements.map((_, k) => this.topology.speciesIndex.filter((x) => x === k).length);
      for (let a = 0; a < nel; a++)
        for (let b = a; b < nel; b++) {
          ordered[pairIndex(a, b, nel)] = pc.ordered(a, b);
          density[pairIndex(a, b, nel)] = ((a === b ? 1 : 2) * counts[a] * counts[b] * rho) / (n * n);
        }
      return { elements: this.elements, ordered, density, perAtom: false, samples: this.frameCount };
    }
    if (this.samples === 0)
      throw new OligolyteError(
        'no cut-out held two atoms: the sphere route needs a larger sphere or more frames',
      );
    const density = this.sphereDensity.map((x) => x / this.samples);
    return {
      elements: this.elements,
      ordered: this.sphereOrdered,
      density,
      perAtom: true,
      samples: this.samples,
    };
  }

  /** G(r), total and partials (stops the worker threads). */
  async result(): Promise<MdPdfResult> {
    if (this.frameCount === 0) throw new OligolyteError('no frames: a PDF needs at least one frame');
    const c = await this.counts();
    const s = this.s;
    const n = this.topology.natoms;
    const nel = this.elements.length;
    const composition: Record<string, number> = {};
    for (let i = 0; i < n; i++) {
      const e = this.elements[this.topology.speciesIndex[i]];
      composition[e] = (composition[e] ?? 0) + 1;
    }
    const meanF = this.elements.reduce((sum, e, k) => sum + composition[e] * this.factors[k], 0) / n;
    if (!(Math.abs(meanF) > 0))
      throw new OligolyteError(
        `the model's mean scattering factor is 0 (${this.radiation === 'N' ? 'neutron b' : 'Z'})`,
      );
    const w = this.factors.map((f) => f / meanF);
    const norm = c.perAtom ? 1 / c.samples : 1 / (n * c.samples);
    const D = this.sphereDiameter;
    const rOut = Float64Array.from({ length: s.outCount }, (_, j) => j * s.dr);
    const partials: MdPdfPartial[] = [];
    const total = new Float64Array(s.outCount);
    for (let a = 0; a < nel; a++)
      for (let b = a; b < nel; b++) {
        const p = pairIndex(a, b, nel);
        const density = onGrid(c.ordered[p], s); // ordered pairs per A (summed over samples)
        const g = new Float64Array(s.outCount);
        const ww = w[a] * w[b];
        for (let j = 1; j < s.outCount; j++) {
          const r = rOut[j];
          const env = D === undefined ? 1 : sphereEnvelope(r, D);
          g[j] = env > 0 ? ww * ((density[j] * norm) / (r * env) - 4 * Math.PI * r * c.density[p]) : 0;
        }
        partials.push({
          name: `${this.elements[a]}-${this.elements[b]}`,
          a: this.elements[a],
          b: this.elements[b],
          g,
        });
      }
    for (const p of partials) {
      if (s.qdamp > 0)
        for (let j = 0; j < s.outCount; j++) p.g[j] *= Math.exp(-0.5 * (rOut[j] * s.qdamp) ** 2);
      if (s.qmax > 0) applyQmaxCutoff(p.g, 0, s.outCount, s.dr, s.qmax);
      for (let j = 0; j < s.outCount; j++) total[j] += p.g[j];
    }
    const keep = (x: Float64Array) => x.slice(0, s.outKeep);
    const meanVolume = this.volumeSum / this.frameCount;
    return {
      route: this.route,
      radiation: this.radiation,
      rA: keep(rOut),
      g: keep(total),
      partials: partials.map((p) => ({ ...p, g: keep(p.g) })),
      frames: this.frameCount,
      atoms: n,
      composition,
      scatteringFactors: Object.fromEntries(this.elements.map((e, k) => [e, this.factors[k]])),
      meanScatteringFactor: meanF,
      numberDensityPerA3: n / meanVolume,
      meanVolumeA3: meanVolume,
      histogramBinA: s.hb,
      drA: s.dr,
      uIsoA2: s.u,
      qdampInvA: s.qdamp,
      qmaxInvA: s.qmax,
      ...(this.route === 'sphere' ? { sphereDiameterA: D, samples: c.samples } : {}),
    };
  }

  /** Stop the worker threads (after an error; result() stops them itself). */
  async close(): Promise<void> {
    await this.periodic?.close();
  }
}

/**
 * Fine-bin counts onto the output grid, as counts per A: U = 0, the mean over [r_j - dr/2,
 * r_j + dr/2) (m fine bins, m even); U > 0, each fine bin (at its centre) spread by a Gaussian of
 * sigma = sqrt(2U), evaluated at r_j within 5 sigma.
 */
const onGrid = (fine: Float64Array, s: Setup): Float64Array => {
  const out = new Float64Array(s.outCount);
  const half = s.m / 2;
  if (s.u === 0) {
    for (let j = 0; j < s.outCount; j++) {
      let sum = 0;
      const lo = Math.max(0, j * s.m - half);
      const hi = Math.min(fine.length, j * s.m + half);
      for (let k = lo; k < hi; k++) sum += fine[k];
      out[j] = sum / s.dr;
    }
    return out;
  }
  const sigma = Math.sqrt(2 * s.u);
  const reach = 5 * sigma;
  const a = 1 / (Math.sqrt(2 * Math.PI) * sigma);
  const b = 1 / (2 * sigma * sigma);
  for (let k = 0; k < fine.length; k++) {
    const v = fine[k];
    if (v === 0) continue;
    const rk = (k + 0.5) * s.hb;
    const j0 = Math.max(0, Math.ceil((rk - reach) / s.dr));
    const j1 = Math.min(s.outCount - 1, Math.floor((rk + reach) / s.dr));
    for (let j = j0; j <= j1; j++) {
      const d = j * s.dr - rk;
      out[j] += v * a * Math.exp(-b * d * d);
    }
  }
  return out;
};

/** G(r) of a sequence of frames (no threads): for scripts and tests. */
export const mdPdf = async (
  frames: Iterable<{ topology: Topology; frame: Frame }>,
  options: MdPdfOptions = {},
): Promise<MdPdfResult> => {
  let acc: MdPdfAccumulator | undefined;
  try {
    for (const { topology, frame } of frames) {
      acc ??= new MdPdfAccumulator(topology, options);
      await acc.push(frame);
    }
    if (!acc) throw new OligolyteError('no frames: a PDF needs at least one frame');
    return await acc.result();
  } finally {
    await acc?.close();
  }
};
