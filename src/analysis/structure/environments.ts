import { OligolyteError, OptionError } from '../../core/errors.js';
import type { Frame, SourceLocation } from '../../core/frame.js';
import { blockAverage } from '../../core/statistics.js';
import type { Topology } from '../../core/topology.js';
import { fsToPs, psToFs } from '../../core/units.js';
import {
  coordinationClassName,
  environmentLabel,
  NMR_CLASS_KEYS,
  nmrClassName,
  nmrClassOf,
} from './coordination-labels.js';
import { forEachNeighbour } from './neighbours.js';
import {
  type CsmCentring,
  continuousSymmetryMeasure,
  type PolyhedronShape,
  shapesForCoordination,
} from './polyhedra.js';
import {
  fitLifetime,
  type LifetimeFit,
  mapStates,
  residenceCorrelations,
  transitionCounts,
} from './residence.js';

/**
 * Coordination environments frame by frame: which neighbour atoms sit around each centre (Li),
 * the environment's label (Li[O2Cl3]), its coordination number and NMR class (see
 * coordination-labels.ts), how the populations average over the run (block-averaged errors), how
 * long a centre keeps a label (residence-time correlation functions, see residence.ts), which
 * label follows which (transition matrices per frame step) and the polyhedra's shapes (continuous
 * symmetry measures, see polyhedra.ts).
 *
 * Neighbours: atom j of a neighbour element e is counted around centre i when |r_ij| <= r_c(e)
 * (every periodic image of j within range counts once: in a cell narrower than twice the cut-off
 * an atom can be a neighbour twice). With a hysteresis width w the cut-off splits in two (a
 * stable-states picture, as in the hydrogen-bond definitions with two distances): a neighbour that
 * was not counted enters only inside r_in = r_c - w/2, and one that was counted leaves only beyond
 * r_out = r_c + w/2, so that an atom vibrating across r_c does not make the label flicker. The
 * first frame uses r_c itself. (Per atom j the number of counted images n is kept between frames:
 * n_in <= n <= n_out, with n_in and n_out the images inside r_in and r_out.)
 *
 * Memory: 2 bytes per centre per frame (the label of every centre in every frame, needed by the
 * correlation functions), plus the labels' table; the positions are not kept.
 */

/** Neighbour elements tried when none are given, in label order (the anions of the usual glasses). */
export const DEFAULT_NEIGHBOUR_CANDIDATES: readonly string[] = ['N', 'O', 'F', 'S', 'Cl', 'Se', 'Br', 'I'];

export interface EnvironmentOptions {
  /** Element of the centres (default 'Li'). */
  centre?: string;
  /**
   * Neighbour elements, in the order the labels name them (default: those of N, O, F, S, Cl, Se, Br,
   * I in the run, in that order). Elements absent from the run are dropped with a note.
   */
  neighbours?: readonly string[];
  /** Cut-off of every neighbour element around the centre (A); see coordinationCutoffs. */
  cutoffsA: Readonly<Record<string, number>>;
  /** Hysteresis width (A): enter inside r_c - w/2, leave beyond r_c + w/2 (default 0: one cut-off). */
  hysteresisA?: number;
  /** Time between the frames pushed (fs); default: from the frames' times. */
  frameIntervalFs?: number;
  /** Measure polyhedron shapes every this many frames (default 1; 0: never). */
  shapeEvery?: number;
  /** Centring of the shape measure (default 'vertices'; see polyhedra.ts). */
  centring?: CsmCentring;
  /** Longest lag of the correlation functions (ps; default: half the run). */
  maxLagPs?: number;
}

export interface PopulationEstimate {
  /** Mean over the frames of the fraction of centres (or of the coordination number). */
  mean: number;
  /** Block-averaged standard error over the frames (core/statistics blockAverage); null for one frame. */
  standardError: number | null;
  /** Frames per block at the level that gave the error. */
  blockLength: number | null;
}

export interface ShapeStatistics {
  shape: PolyhedronShape;
  /** Mean continuous symmetry measure over the polyhedra measured (0 = ideal). */
  meanCsm: number;
  /** Standard deviation over the polyhedra. */
  sdCsm: number;
  /** Fraction of the polyhedra closer to this shape than to the other of the same vertex count. */
  nearestFraction: number;
}

export interface EnvironmentState {
  /** 'Li[O2Cl3]', 'Li[OnCl5-n]', 'CN 5'. */
  name: string;
  /** For a label: the count of each neighbour element. */
  counts?: Record<string, number>;
  /** For a label or a CN class: the coordination number. */
  cn?: number;
  /** For a label: its NMR class. */
  nmrClass?: string;
  population: PopulationEstimate;
  /**
   * Lifetimes from C_c (continuous) and from the normalised intermittent function
   * (C_i - <h>) / (1 - <h>), which decays from 1 to 0; null without frame times or when never seen.
   */
  lifetimes: { continuous: LifetimeFit; intermittent: LifetimeFit } | null;
  /** For a label of 4, 5 or 6 neighbours: the polyhedra's shapes (when measured). */
  shapes?: ShapeStatistics[];
  /** Polyhedra measured (label: CN 4-6 only). */
  polyhedra?: number;
}

export interface TransitionMatrix {
  /** Row and column names (the grouping's states, in its order). */
  states: string[];
  /** counts[a][b]: a centre in state a at one frame and in b at the next, summed over centres and frames. */
  counts: number[][];
  /** counts[a][b] / sum_b counts[a][b] (rows of states never left from: zeros). */
  probabilities: number[][];
  /** Frame steps that change the state (off the diagonal). */
  changes: number;
  /** changes / (centres x frame steps). */
  changesPerCentrePerStep: number;
  /** changes / (centres x run time), 1/ps; null without frame times. */
  changesPerCentrePerPs: number | null;
}

export interface StateGrouping {
  kind: 'label' | 'nmr' | 'coordination';
  states: EnvironmentState[];
  transitions: TransitionMatrix;
  /** C_c(t) and C_i(t) of every state (same order), at lags 0 .. maxLagFrames frames. */
  correlations: { continuous: Float64Array[]; intermittent: Float64Array[] };
}

export interface EnvironmentResult {
  centre: string;
  centres: number;
  /** The neighbour elements counted, in label order. */
  neighbours: string[];
  cutoffsA: Record<string, number>;
  hysteresisA: number;
  /** Per neighbour element: enter inside enterA, leave beyond leaveA (equal without hysteresis). */
  windowsA: Record<string, { enterA: number; leaveA: number }>;
  frames: number;
  frameIntervalFs: number | null;
  frameIntervalFrom: 'option' | 'file times' | 'none';
  durationPs: number | null;
  maxLagFrames: number;
  /** Lags of the correlation functions (ps); null without frame times. */
  lagsPs: Float64Array | null;
  meanCoordination: PopulationEstimate;
  labels: StateGrouping;
  nmrClasses: StateGrouping;
  coordinationNumbers: StateGrouping;
  shapes: {
    centring: CsmCentring;
    every: number;
    byCoordination: { cn: number; polyhedra: number; shapes: ShapeStatistics[] }[];
  };
  notes: string[];
}

interface LabelInfo {
  name: string;
  counts: Int32Array;
  cn: number;
  nmr: number;
  /** Per shape of this CN: count, running mean and sum of squared deviations (Welford), nearest count; and the polyhedra measured. */
  csmCount: Float64Array;
  csmMean: Float64Array;
  csmM2: Float64Array;
  nearest: Float64Array;
  measured: number;
}

/** Growable parallel arrays of one frame's candidate neighbours. */
class Candidates {
  size = 0;
  slot = new Int32Array(256);
  atom = new Int32Array(256);
  r2 = new Float64Array(256);
  d = new Float64Array(768);
  push(slot: number, j: number, r2: number, dx: number, dy: number, dz: number) {
    if (this.size === this.slot.length) {
      const grow = <T extends Int32Array | Float64Array>(a: T, n: number): T => {
        const b = new (a.constructor as new (n: number) => T)(n);
        b.set(a);
        return b;
      };
      this.slot = grow(this.slot, 2 * this.size);
      this.atom = grow(this.atom, 2 * this.size);
      this.r2 = grow(this.r2, 2 * this.size);
      this.d = grow(this.d, 6 * this.size);
    }
    const k = this.size++;
    this.slot[k] = slot;
    this.atom[k] = j;
    this.r2[k] = r2;
    this.d[3 * k] = dx;
    this.d[3 * k + 1] = dy;
    this.d[3 * k + 2] = dz;
  }
}

/** The elements of the run, for error messages. */
const elementsOf = (t: Topology) => t.elements.join(', ');

/** Resolve the centre and neighbour elements of a run; the errors name the cause. */
export const resolveEnvironmentElements = (
  topology: Topology,
  centre = 'Li',
  neighbours?: readonly string[],
): { centre: string; neighbours: string[]; absent: string[] } => {
  if (!topology.elements.includes(centre))
    throw new OligolyteError(
      `\`centre\`: no ${centre} atoms in the run (its elements: ${elementsOf(topology)})`,
      {
        option: 'centre',
      },
    );
  const asked = neighbours ?? DEFAULT_NEIGHBOUR_CANDIDATES.filter((e) => e !== centre);
  if (neighbours) {
    if (neighbours.length === 0)
      throw new OptionError('`neighbours`: an empty list', { option: 'neighbours' });
    if (new Set(neighbours).size !== neighbours.length)
      throw new OptionError(`\`neighbours\`: ${neighbours.join(',')} names an element twice`, {
        option: 'neighbours',
      });
  }
  const present = asked.filter((e) => topology.elements.includes(e));
  if (present.length === 0)
    throw new OligolyteError(
      `\`neighbours\`: no ${asked.join(', ')} atoms in the run to coordinate ${centre} (its elements: ${elementsOf(topology)})`,
      { option: 'neighbours' },
    );
  return { centre, neighbours: present, absent: neighbours ? asked.filter((e) => !present.includes(e)) : [] };
};

/**
 * Accumulates coordination environments over the frames of one run: construct with its topology,
 * push every frame, then result().
 */
export class EnvironmentAccumulator {
  readonly centre: string;
  readonly neighbours: string[];
  readonly centres: Int32Array;
  private readonly others: Int32Array;
  private readonly natoms: number;
  private readonly slotOf: Int32Array;
  private readonly elementOf: Int8Array;
  private readonly cutoffs: number[];
  private readonly rIn2: Float64Array;
  private readonly rMid2: Float64Array;
  private readonly rOut2: Float64Array;
  private readonly searchCutoff: number;
  private readonly hysteresis: number;
  private readonly shapeEvery: number;
  private readonly centring: CsmCentring;
  private readonly options: EnvironmentOptions;
  private readonly notes: string[] = [];
  private previous: Map<number, number>[];
  private series: Uint16Array[];
  private frameCount = 0;
  private times: number[] = [];
  private readonly labelIds = new Map<string, number>();
  private readonly labels: LabelInfo[] = [];
  private readonly candidates = new Candidates();
  private readonly counts: Int32Array;
  private vertices = new Float64Array(3 * 16);

  constructor(
    readonly topology: Topology,
    options: EnvironmentOptions,
  ) {
    this.options = options;
    const { centre, neighbours, absent } = resolveEnvironmentElements(
      topology,
      options.centre,
      options.neighbours,
    );
    this.centre = centre;
    this.neighbours = neighbours;
    for (const e of absent) this.notes.push(`no ${e} atoms in the run: ${e} is not counted`);
    this.natoms = topology.natoms;
    this.centres = Int32Array.from(topology.indicesOf(centre));
    this.slotOf = new Int32Array(this.natoms).fill(-1);
    for (const [k, i] of this.centres.entries()) this.slotOf[i] = k;
    this.elementOf = new Int8Array(this.natoms).fill(-1);
    const others: number[] = [];
    for (const [k, e] of neighbours.entries())
      for (const i of topology.indicesOf(e)) {
        this.elementOf[i] = k;
        others.push(i);
      }
    this.others = Int32Array.from(others.sort((a, b) => a - b));
    const w = options.hysteresisA ?? 0;
    if (!(w >= 0) || !Number.isFinite(w))
      throw new OptionError(`\`hysteresisA\`: ${w} A must be a width >= 0`, { option: 'hysteresisA' });
    this.hysteresis = w;
    this.cutoffs = neighbours.map((e) => {
      const r = options.cutoffsA[e];
      if (r === undefined)
        throw new OptionError(`\`cutoffsA\`: no cut-off for ${centre}-${e}`, { option: 'cutoffsA' });
      if (!(r > 0) || !Number.isFinite(r))
        throw new OptionError(`\`cutoffsA\`: ${centre}-${e} cut-off ${r} A must be a positive distance`, {
          option: 'cutoffsA',
        });
      if (!(r - w / 2 > 0))
        throw new OptionError(
          `\`hysteresisA\`: ${w} A leaves no inner cut-off for ${centre}-${e} (cut-off ${r} A): use less than ${2 * r} A`,
          { option: 'hysteresisA' },
        );
      return r;
    });
    this.rIn2 = Float64Array.from(this.cutoffs, (r) => (r - w / 2) ** 2);
    this.rMid2 = Float64Array.from(this.cutoffs, (r) => r * r);
    this.rOut2 = Float64Array.from(this.cutoffs, (r) => (r + w / 2) ** 2);
    this.searchCutoff = Math.max(...this.cutoffs) + w / 2;
    const every = options.shapeEvery ?? 1;
    if (!Number.isInteger(every) || every < 0)
      throw new OptionError(`\`shapeEvery\`: ${every} must be a whole number >= 0`, { option: 'shapeEvery' });
    this.shapeEvery = every;
    this.centring = options.centring ?? 'vertices';
    if (options.frameIntervalFs !== undefined && !(options.frameIntervalFs > 0))
      throw new OptionError(`\`frameIntervalFs\`: ${options.frameIntervalFs} fs must be positive`, {
        option: 'frameIntervalFs',
      });
    if (options.maxLagPs !== undefined && !(options.maxLagPs > 0))
      throw new OptionError(`\`maxLagPs\`: ${options.maxLagPs} ps must be positive`, { option: 'maxLagPs' });
    this.previous = Array.from(this.centres, () => new Map<number, number>());
    this.series = Array.from(this.centres, () => new Uint16Array(64));
    this.counts = new Int32Array(neighbours.length);
  }

  /** Frames pushed so far. */
  get frames(): number {
    return this.frameCount;
  }

  /** The label of every centre (in atom order) at frame t (0-based) of those pushed. */
  frameLabels(t: number): string[] {
    if (!(Number.isInteger(t) && t >= 0 && t < this.frameCount))
      throw new RangeError(`frame ${t} is not among the ${this.frameCount} frames pushed`);
    return this.series.map((s) => this.labels[s[t]].name);
  }

  /** The coordination number of every centre (in atom order) at frame t (0-based). */
  frameCoordination(t: number): number[] {
    if (!(Number.isInteger(t) && t >= 0 && t < this.frameCount))
      throw new RangeError(`frame ${t} is not among the ${this.frameCount} frames pushed`);
    return this.series.map((s) => this.labels[s[t]].cn);
  }

  private labelOf(counts: Int32Array): number {
    const key = counts.join(',');
    let id = this.labelIds.get(key);
    if (id === undefined) {
      id = this.labels.length;
      if (id > 65535) throw new OligolyteError('more than 65536 distinct coordination labels');
      let cn = 0;
      for (const c of counts) cn += c;
      const shapes = shapesForCoordination(cn).length;
      this.labels.push({
        name: environmentLabel(this.centre, this.neighbours, counts),
        counts: counts.slice(),
        cn,
        nmr: NMR_CLASS_KEYS.indexOf(nmrClassOf(this.neighbours, counts)),
        csmCount: new Float64Array(shapes),
        csmMean: new Float64Array(shapes),
        csmM2: new Float64Array(shapes),
        nearest: new Float64Array(shapes),
        measured: 0,
      });
      this.labelIds.set(key, id);
    }
    return id;
  }

  /** Add one frame (the run's atoms, in the same order); `source` names it in errors. */
  push(frame: Frame, source?: SourceLocation): void {
    const t = this.frameCount;
    if (frame.positions.length !== 3 * this.natoms)
      throw new OligolyteError(
        `${source ? `${source.file}${source.line ? `:${source.line}` : ''}: ` : ''}frame ${t + 1} has ${frame.positions.length / 3} atoms, the run ${this.natoms}: one run must keep its atoms`,
      );
    this.times.push(frame.timeFs ?? Number.NaN);
    const cand = this.candidates;
    cand.size = 0;
    const slotOf = this.slotOf;
    forEachNeighbour(
      {
        positions: frame.positions,
        lattice: frame.lattice,
        cutoff: this.searchCutoff,
        centres: this.centres,
        others: this.others,
      },
      (i, j, r2, dx, dy, dz) => cand.push(slotOf[i], j, r2, dx, dy, dz),
    );
    // Candidates by centre (counting sort), then by atom and distance within a centre.
    const nc = this.centres.length;
    const start = new Int32Array(nc + 1);
    for (let k = 0; k < cand.size; k++) start[cand.slot[k] + 1]++;
    for (let c = 0; c < nc; c++) start[c + 1] += start[c];
    const fill = start.slice(0, nc);
    const order = new Int32Array(cand.size);
    for (let k = 0; k < cand.size; k++) order[fill[cand.slot[k]]++] = k;
    const first = t === 0 || this.hysteresis === 0;
    const every = this.shapeEvery;
    const measure = every > 0 && t % every === 0;
    for (let c = 0; c < nc; c++) {
      // By atom, then distance: insertion sort (a centre has a few tens of candidates).
      const list = order.subarray(start[c], start[c + 1]);
      for (let x = 1; x < list.length; x++) {
        const q = list[x];
        const qa = cand.atom[q];
        const qr = cand.r2[q];
        let y = x - 1;
        while (y >= 0 && (cand.atom[list[y]] > qa || (cand.atom[list[y]] === qa && cand.r2[list[y]] > qr))) {
          list[y + 1] = list[y];
          y--;
        }
        list[y + 1] = q;
      }
      const counts = this.counts;
      counts.fill(0);
      let cn = 0;
      const prev = this.previous[c];
      const next = this.hysteresis > 0 ? new Map<number, number>() : prev;
      for (let g = 0; g < list.length; ) {
        const j = cand.atom[list[g]];
        let h = g;
        while (h < list.length && cand.atom[list[h]] === j) h++;
        const e = this.elementOf[j];
        let nIn = 0;
        let nMid = 0;
        let nOut = 0;
        for (let k = g; k < h; k++) {
          const r2 = cand.r2[list[k]];
          if (r2 <= this.rIn2[e]) nIn++;
          if (r2 <= this.rMid2[e]) nMid++;
          if (r2 <= this.rOut2[e]) nOut++;
        }
        const n = first ? nMid : Math.max(nIn, Math.min(prev.get(j) ?? 0, nOut));
        if (n > 0) {
          counts[e] += n;
          if (3 * (cn + n) > this.vertices.length) {
            const v = new Float64Array(2 * this.vertices.length + 3 * n);
            v.set(this.vertices);
            this.vertices = v;
          }
          for (let k = g; k < g + n; k++) {
            const q = list[k];
            this.vertices[3 * cn] = cand.d[3 * q];
            this.vertices[3 * cn + 1] = cand.d[3 * q + 1];
            this.vertices[3 * cn + 2] = cand.d[3 * q + 2];
            cn++;
          }
          if (this.hysteresis > 0) next.set(j, n);
        }
        g = h;
      }
      if (this.hysteresis > 0) this.previous[c] = next;
      const id = this.labelOf(counts);
      let s = this.series[c];
      if (t >= s.length) {
        const grown = new Uint16Array(2 * s.length);
        grown.set(s);
        this.series[c] = s = grown;
      }
      s[t] = id;
      const info = this.labels[id];
      if (measure && info.csmMean.length > 0) {
        const shapes = shapesForCoordination(cn);
        const v = this.vertices.subarray(0, 3 * cn);
        let best = 0;
        let bestCsm = Number.POSITIVE_INFINITY;
        for (const [k, shape] of shapes.entries()) {
          const csm = continuousSymmetryMeasure(v, shape, this.centring).csm;
          if (!Number.isFinite(csm)) continue;
          const n = ++info.csmCount[k];
          const d = csm - info.csmMean[k];
          info.csmMean[k] += d / n;
          info.csmM2[k] += d * (csm - info.csmMean[k]);
          if (csm < bestCsm) {
            bestCsm = csm;
            best = k;
          }
        }
        if (Number.isFinite(bestCsm)) {
          info.nearest[best]++;
          info.measured++;
        }
      }
    }
    this.frameCount++;
  }

  /** The frame interval: the option, else the frames' times when present and evenly spaced. */
  private frameInterval(notes: string[]): {
    fs: number | null;
    from: EnvironmentResult['frameIntervalFrom'];
  } {
    if (this.options.frameIntervalFs !== undefined)
      return { fs: this.options.frameIntervalFs, from: 'option' };
    const ts = this.times;
    if (ts.length < 2) return { fs: null, from: 'none' };
    if (ts.some((x) => !Number.isFinite(x))) {
      notes.push('the frames carry no times: lifetimes need the time between frames (frameIntervalFs)');
      return { fs: null, from: 'none' };
    }
    const dt = (ts[ts.length - 1] - ts[0]) / (ts.length - 1);
    for (let k = 1; k < ts.length; k++)
      if (!(Math.abs(ts[k] - ts[k - 1] - dt) <= 1e-6 * Math.abs(dt) + 1e-9)) {
        notes.push(
          `frames ${k} and ${k + 1} are ${ts[k] - ts[k - 1]} fs apart, not ${dt} fs: frames unevenly spaced in time, so no lifetimes (give frameIntervalFs to override)`,
        );
        return { fs: null, from: 'none' };
      }
    if (!(dt > 0)) {
      notes.push('the frame times do not increase: no lifetimes');
      return { fs: null, from: 'none' };
    }
    return { fs: dt, from: 'file times' };
  }

  result(): EnvironmentResult {
    const T = this.frameCount;
    if (T === 0) throw new OligolyteError('no frames: coordination environments need at least one frame');
    const notes = [...this.notes];
    const { fs: interval, from } = this.frameInterval(notes);
    const N = this.centres.length;
    const series = this.series.map((s) => s.subarray(0, T));
    const maxLag =
      this.options.maxLagPs !== undefined && interval !== null
        ? Math.min(T - 1, Math.floor(psToFs(this.options.maxLagPs) / interval + 1e-9))
        : Math.floor(T / 2);
    const lagsPs =
      interval === null ? null : Float64Array.from({ length: maxLag + 1 }, (_, m) => fsToPs(m * interval));
    const labels = this.labels;
    const K = labels.length;

    // Label order: most populated first.
    const occupancy = new Float64Array(K);
    for (const s of series) for (let t = 0; t < T; t++) occupancy[s[t]]++;
    const labelOrder = Array.from({ length: K }, (_, k) => k).sort(
      (a, b) =>
        occupancy[b] - occupancy[a] ||
        labels[a].cn - labels[b].cn ||
        (labels[a].name < labels[b].name ? -1 : 1),
    );
    const rank = new Int32Array(K);
    for (const [r, k] of labelOrder.entries()) rank[k] = r;
    const byLabel = mapStates(series, T, rank);
    let minCn = Number.POSITIVE_INFINITY;
    let maxCn = 0;
    for (let k = 0; k < K; k++)
      if (occupancy[k] > 0) {
        minCn = Math.min(minCn, labels[k].cn);
        maxCn = Math.max(maxCn, labels[k].cn);
      }
    const cnNames = Array.from({ length: maxCn - minCn + 1 }, (_, k) => coordinationClassName(minCn + k));
    const byNmr = mapStates(
      series,
      T,
      labels.map((l) => l.nmr),
    );
    const byCn = mapStates(
      series,
      T,
      labels.map((l) => l.cn - minCn),
    );
    const estimate = (values: Float64Array): PopulationEstimate => {
      if (values.length < 2) return { mean: values[0], standardError: null, blockLength: null };
      const b = blockAverage(values);
      return { mean: b.mean, standardError: b.standardError, blockLength: b.blockLength };
    };

    const group = (kind: StateGrouping['kind'], states: Uint16Array[], names: string[]): StateGrouping => {
      const k = names.length;
      const perFrame = new Int32Array(T * k);
      for (const s of states) for (let t = 0; t < T; t++) perFrame[t * k + s[t]]++;
      const corr = residenceCorrelations(states, T, k, maxLag);
      const out: EnvironmentState[] = names.map((name, a) => {
        const x = new Float64Array(T);
        for (let t = 0; t < T; t++) x[t] = perFrame[t * k + a] / N;
        let lifetimes: EnvironmentState['lifetimes'] = null;
        const h = corr.occupancy[a];
        if (lagsPs && h > 0) {
          const cc = corr.continuous[a];
          const ci = corr.intermittent[a];
          const normalised = h < 1 ? ci.map((v) => (v - h) / (1 - h)) : ci.map(() => 1);
          lifetimes = { continuous: fitLifetime(lagsPs, cc), intermittent: fitLifetime(lagsPs, normalised) };
        }
        return { name, population: estimate(x), lifetimes };
      });
      const counts = transitionCounts(states, T, k);
      let changes = 0;
      const matrix: number[][] = [];
      const probabilities: number[][] = [];
      for (let a = 0; a < k; a++) {
        const row = Array.from(counts.subarray(a * k, a * k + k));
        const sum = row.reduce((x, y) => x + y, 0);
        matrix.push(row);
        probabilities.push(row.map((v) => (sum > 0 ? v / sum : 0)));
        for (let b = 0; b < k; b++) if (b !== a) changes += row[b];
      }
      const steps = N * (T - 1);
      return {
        kind,
        states: out,
        transitions: {
          states: names,
          counts: matrix,
          probabilities,
          changes,
          changesPerCentrePerStep: steps > 0 ? changes / steps : 0,
          changesPerCentrePerPs: interval !== null && steps > 0 ? changes / fsToPs(steps * interval) : null,
        },
        correlations: { continuous: corr.continuous, intermittent: corr.intermittent },
      };
    };

    const labelGroup = group(
      'label',
      byLabel,
      labelOrder.map((k) => labels[k].name),
    );
    for (const [r, k] of labelOrder.entries()) {
      const info = labels[k];
      const st = labelGroup.states[r];
      st.counts = Object.fromEntries(this.neighbours.map((e, i) => [e, info.counts[i]]));
      st.cn = info.cn;
      st.nmrClass = nmrClassName(this.centre, NMR_CLASS_KEYS[info.nmr]);
      const shapes = shapesForCoordination(info.cn);
      if (shapes.length > 0 && this.shapeEvery > 0) {
        st.polyhedra = info.measured;
        st.shapes = shapes.map((shape, s) =>
          shapeStats(shape, info.csmCount[s], info.csmMean[s], info.csmM2[s], info.nearest[s], info.measured),
        );
      }
    }
    const nmrGroup = group(
      'nmr',
      byNmr,
      NMR_CLASS_KEYS.map((key) => nmrClassName(this.centre, key)),
    );
    const cnGroup = group('coordination', byCn, cnNames);
    for (const [k, st] of cnGroup.states.entries()) st.cn = minCn + k;

    // Mean coordination number per frame.
    const meanCn = new Float64Array(T);
    for (const s of series) for (let t = 0; t < T; t++) meanCn[t] += labels[s[t]].cn / N;

    // Shapes per coordination number: the labels' statistics pooled (Chan et al.'s formula).
    const byCoordination: EnvironmentResult['shapes']['byCoordination'] = [];
    if (this.shapeEvery > 0)
      for (const cn of [4, 5, 6]) {
        const shapes = shapesForCoordination(cn);
        const count = new Float64Array(shapes.length);
        const mean = new Float64Array(shapes.length);
        const m2 = new Float64Array(shapes.length);
        const nearest = new Float64Array(shapes.length);
        let measured = 0;
        for (const l of labels)
          if (l.cn === cn) {
            measured += l.measured;
            for (let s = 0; s < shapes.length; s++) {
              const n = count[s] + l.csmCount[s];
              if (n > 0) {
                const d = l.csmMean[s] - mean[s];
                m2[s] += l.csmM2[s] + (d * d * count[s] * l.csmCount[s]) / n;
                mean[s] += (d * l.csmCount[s]) / n;
              }
              count[s] = n;
              nearest[s] += l.nearest[s];
            }
          }
        if (measured > 0)
          byCoordination.push({
            cn,
            polyhedra: measured,
            shapes: shapes.map((shape, s) =>
              shapeStats(shape, count[s], mean[s], m2[s], nearest[s], measured),
            ),
          });
      }

    const cutoffsA = Object.fromEntries(this.neighbours.map((e, k) => [e, this.cutoffs[k]]));
    const w = this.hysteresis;
    const windowsA = Object.fromEntries(
      this.neighbours.map((e, k) => [
        e,
        { enterA: this.cutoffs[k] - w / 2, leaveA: this.cutoffs[k] + w / 2 },
      ]),
    );
    return {
      centre: this.centre,
      centres: N,
      neighbours: [...this.neighbours],
      cutoffsA,
      hysteresisA: w,
      windowsA,
      frames: T,
      frameIntervalFs: interval,
      frameIntervalFrom: from,
      durationPs: interval === null ? null : fsToPs((T - 1) * interval),
      maxLagFrames: maxLag,
      lagsPs,
      meanCoordination: estimate(meanCn),
      labels: labelGroup,
      nmrClasses: nmrGroup,
      coordinationNumbers: cnGroup,
      shapes: { centring: this.centring, every: this.shapeEvery, byCoordination },
      notes,
    };
  }
}

const shapeStats = (
  shape: PolyhedronShape,
  count: number,
  mean: number,
  m2: number,
  nearest: number,
  measured: number,
): ShapeStatistics => ({
  shape,
  meanCsm: count > 0 ? mean : Number.NaN,
  sdCsm: count > 1 ? Math.sqrt(m2 / (count - 1)) : Number.NaN,
  nearestFraction: measured > 0 ? nearest / measured : Number.NaN,
});
