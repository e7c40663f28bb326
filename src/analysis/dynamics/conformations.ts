import { InsufficientDataError, OligolyteError, OptionError } from '../../core/errors.js';
import type { Frame } from '../../core/frame.js';
import { poissonInterval } from '../../core/statistics.js';
import type { Topology } from '../../core/topology.js';
import { fsToPs } from '../../core/units.js';
import { type BondRuleOptions, bondsByDistance } from '../structure/topology.js';
import {
  type CorrelationFitOptions,
  type CorrelationTimes,
  fitCorrelationTimes,
} from './correlation-time.js';
import { FrameClock } from './frame-clock.js';
import { AutocorrelationSum, LowPassFilter } from './spectral.js';

/**
 * Conformational dynamics of the oligomers (SCIENCE.md section 4): for every Al-O-Al link, the
 * Al-O-Al angle and the Cl^F-Al...Al-Cl^B dihedral as time series, a low-pass filter that shows
 * the slow rotation under the vibrations, jumps between the eclipsed and staggered basins with
 * their rates, and the rotational correlation of the Al-Cl bonds.
 *
 * Links: every pair of Al bonded to one O in the first frame (bonds by distance: Al-O 2.1 A,
 * Al-Cl 2.6 A, as the bonded topology); the front Al is the one with the lower index. Terminal
 * Cl: Cl bonded to exactly one Al (in the first frame). The links and their Cl are fixed for the
 * run; the bonded topology analysis (structure/topology.ts) says whether the bonds last.
 *
 * The dihedral, exactly: look along the Al_F...Al_B axis; for a terminal Cl f on Al_F and g on
 * Al_B the torsion phi(f, g) is the dihedral angle f-Al_F-Al_B-g (IUPAC sign). Each AlCl group is
 * three-fold about its Al, so phi is folded by 120 deg: r = phi mod 120 taken into (-60, 60], and
 * the dihedral is min over all front/back pairs of |r|, in [0, 60]: 0 eclipsed, 60 staggered. For
 * end groups with three terminal Cl on both sides this is exactly "the minimum torsion over all
 * front/back Cl pairs" of the study; folding each pair before the minimum makes it the same
 * measure for the middle Al (two terminal Cl) and for groups bent off the axis, where the raw
 * minimum could exceed 60 deg. The signed r of the minimising pair is kept too.
 *
 * Filter (the choice, and why): the folded dihedral is a rectified signal. A libration of
 * amplitude a about the eclipsed position gives |r(t)| with mean ~2a/pi, not 0, and the folding
 * doubles its frequency; filtering the folded series would move both basins inward by about
 * that much and make fast librations look like slow drift. So by default (`filterOn:
 * 'unfolded'`) the signed r is first made continuous in time (unwrapped by multiples of 120 deg:
 * each frame-to-frame step taken into (-60, 60]), that continuous torsion is low-pass filtered,
 * and the result is folded back into [0, 60]. A steady rotation then stays a steady ramp under
 * the filter, a libration averages to its centre. `filterOn: 'folded'` filters the folded series
 * directly (for comparison). The filter is an ideal FFT low-pass (default cut-off 1 THz) with
 * mirror padding at the ends (spectral.ts): within about one cut-off period (1 ps) of either end
 * the filtered series is less certain. Unwrapping needs frames close enough that a group turns
 * less than 60 deg between two frames (at 1 THz libration a frame every <= 100 fs is ample).
 *
 * Jumps: on the filtered, folded dihedral with hysteresis: the link is eclipsed after it goes
 * below `eclipsedBelowDeg` (default 20), staggered after it goes above `staggeredAboveDeg`
 * (default 40), and keeps its state in between; a jump is a change of state (the first
 * assignment is not one). A steady rotation by 120 deg makes two jumps. Rates are jumps per link
 * per ns of run ((frames - 1) x interval), with exact Poisson (Garwood) 95 % intervals; pooled
 * over links as total jumps over total link time.
 *
 * Rotational correlation: for every terminal Al-Cl bond of the first frame (unit vector u,
 * nearest image), C1(t) = <P1(u(0).u(t))> and C2(t) = <P2(u(0).u(t))>, P2(x) = (3x^2 - 1)/2,
 * averaged over bonds and all time origins (FFT; P2 via the autocorrelations of the six products
 * u_a u_b), reported to half the run, with correlation times from correlation-time.ts. For
 * isotropic rotational diffusion C_l = exp(-l(l+1) D t), so tau_1 = 3 tau_2.
 *
 * Memory: the series are needed whole for the filter and the FFT correlations: 16 bytes per link
 * per frame (angle and signed dihedral) plus 12 bytes per Al-Cl bond per frame (Float32 unit
 * vectors; `rotation: false` skips them). The study's cell (16 links, 64 terminal Al-Cl bonds)
 * over 50,000 frames: 13 MB + 38 MB.
 */
export interface ConformationOptions extends BondRuleOptions, CorrelationFitOptions {
  /** Time between frames (fs); default: from the frame times. */
  frameIntervalFs?: number;
  /** Low-pass cut-off (THz), default 1. */
  cutoffTHz?: number;
  /** Filter the continuous (unfolded) torsion (default) or the folded dihedral. */
  filterOn?: 'unfolded' | 'folded';
  /** Basin thresholds (deg): eclipsed below (default 20), staggered above (default 40). */
  eclipsedBelowDeg?: number;
  staggeredAboveDeg?: number;
  /** Compute the Al-Cl rotational correlation (default true). */
  rotation?: boolean;
  /** Histogram bin width (deg), default 1. */
  binDeg?: number;
  /** Centre element (default 'Al'), bridging element (default 'O'), terminal element (default 'Cl'). */
  centre?: string;
  bridge?: string;
  terminal?: string;
}

export interface Estimate95 {
  value: number;
  low95: number;
  high95: number;
}

export interface LinkResult {
  /** Atoms (0-based): front Al, bridging O, back Al, and the terminal Cl of each Al. */
  alFront: number;
  oxygen: number;
  alBack: number;
  clFront: number[];
  clBack: number[];
  angleMeanDeg: number;
  angleSdDeg: number;
  /** Folded dihedral, raw and filtered: mean (deg). */
  dihedralMeanDeg: number;
  dihedralSdDeg: number;
  filteredDihedralMeanDeg: number;
  /** Fraction of the frames in each basin (hysteresis state of the filtered dihedral). */
  eclipsedFraction: number;
  staggeredFraction: number;
  jumps: number;
  /** Jumps per ns with the exact Poisson 95 % interval. */
  ratePerNs: Estimate95;
}

export interface Histogram {
  /** Bin centres (deg). */
  centresDeg: Float64Array;
  /** Probability density per degree (sum x bin width = 1). */
  densityPerDeg: Float64Array;
}

export interface RotationResult {
  /** Terminal Al-Cl bonds followed. */
  bonds: number;
  lagsPs: Float64Array;
  c1: Float64Array;
  c2: Float64Array;
  p1: CorrelationTimes;
  p2: CorrelationTimes;
}

export interface ConformationResult {
  frames: number;
  frameIntervalFs: number;
  frameIntervalFrom: 'option' | 'file times';
  durationPs: number;
  cutoffTHz: number;
  filterOn: 'unfolded' | 'folded';
  /** Frequency resolution of the filter (THz). */
  filterResolutionTHz: number;
  eclipsedBelowDeg: number;
  staggeredAboveDeg: number;
  links: LinkResult[];
  /** Over all links: jumps / (links x duration). */
  pooled: { links: number; jumps: number; linkTimeNs: number; ratePerNs: Estimate95 };
  /** Over all links and frames. */
  angleMeanDeg: number;
  angleSdDeg: number;
  angleHistogram: Histogram;
  dihedralHistogram: Histogram;
  filteredDihedralHistogram: Histogram;
  /** Fractions of link-frames eclipsed / staggered (filtered, with hysteresis). */
  eclipsedFraction: number;
  staggeredFraction: number;
  rotation?: RotationResult;
  notes: string[];
}

/** The per-frame series of a result (deg), one array per link: kept apart so results stay small to print. */
export interface ConformationSeries {
  timePs: Float64Array;
  angleDeg: Float64Array[];
  /** Folded dihedral, raw. */
  dihedralDeg: Float64Array[];
  /** Continuous (unwrapped) signed torsion, raw. */
  torsionDeg: Float64Array[];
  /** Folded dihedral after the filter. */
  filteredDihedralDeg: Float64Array[];
  filteredAngleDeg: Float64Array[];
}

const DEG = 180 / Math.PI;

/** Wrap an angle (deg) into (-60, 60] by multiples of 120. */
export const wrap120 = (x: number): number => {
  let r = x - 120 * Math.round(x / 120);
  if (r <= -60) r += 120;
  return r;
};

/**
 * The dihedral angle a-b-c-d (deg, in (-180, 180]; IUPAC sign: positive clockwise looking from b
 * to c) from the bond vectors b1 = b - a, b2 = c - b, b3 = d - c (Blondel and Karplus,
 * J. Comput. Chem. 17, 1132 (1996)): atan2(|b2| b1.(b2 x b3), (b1 x b2).(b2 x b3)).
 */
export const torsionDeg = (
  b1x: number,
  b1y: number,
  b1z: number,
  b2x: number,
  b2y: number,
  b2z: number,
  b3x: number,
  b3y: number,
  b3z: number,
): number => {
  const n1x = b1y * b2z - b1z * b2y;
  const n1y = b1z * b2x - b1x * b2z;
  const n1z = b1x * b2y - b1y * b2x;
  const n2x = b2y * b3z - b2z * b3y;
  const n2y = b2z * b3x - b2x * b3z;
  const n2z = b2x * b3y - b2y * b3x;
  const b2 = Math.sqrt(b2x * b2x + b2y * b2y + b2z * b2z);
  const y = b2 * (b1x * n2x + b1y * n2y + b1z * n2z);
  const x = n1x * n2x + n1y * n2y + n1z * n2z;
  return Math.atan2(y, x) * DEG;
};

/** Growable Float64 / Float32 storage. */
class Series<T extends Float64Array | Float32Array> {
  length = 0;
  constructor(public data: T) {}
  push(v: number) {
    if (this.length === this.data.length) {
      const bigger = new (this.data.constructor as new (n: number) => T)(Math.max(256, 2 * this.data.length));
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

interface Link {
  a: number;
  o: number;
  b: number;
  front: number[];
  back: number[];
  angle: Series<Float64Array>;
  signed: Series<Float64Array>;
}

/** Find the Al-O-Al links and terminal Cl of a frame (bonds by distance). */
export const findLinks = (
  topology: Topology,
  frame: Frame,
  options: Pick<ConformationOptions, 'bondCutoffsA' | 'centre' | 'bridge' | 'terminal'> = {},
): { alFront: number; oxygen: number; alBack: number; clFront: number[]; clBack: number[] }[] => {
  const centre = options.centre ?? 'Al';
  const bridge = options.bridge ?? 'O';
  const terminal = options.terminal ?? 'Cl';
  const { bonds } = bondsByDistance(topology, frame, { bondCutoffsA: options.bondCutoffsA, hysteresisA: 0 });
  const n = topology.natoms;
  const centresOf: number[][] = Array.from({ length: n }, () => []);
  for (let k = 0; k < bonds.length; k += 2) {
    const i = bonds[k];
    const j = bonds[k + 1];
    if (topology.symbol(i) === centre && topology.symbol(j) !== centre) centresOf[j].push(i);
    if (topology.symbol(j) === centre && topology.symbol(i) !== centre) centresOf[i].push(j);
  }
  const terminalOf: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++)
    if (topology.symbol(i) === terminal && centresOf[i].length === 1) terminalOf[centresOf[i][0]].push(i);
  const links: ReturnType<typeof findLinks> = [];
  for (let o = 0; o < n; o++) {
    if (topology.symbol(o) !== bridge) continue;
    const al = [...centresOf[o]].sort((x, y) => x - y);
    for (let p = 0; p < al.length; p++)
      for (let q = p + 1; q < al.length; q++)
        links.push({
          alFront: al[p],
          oxygen: o,
          alBack: al[q],
          clFront: terminalOf[al[p]],
          clBack: terminalOf[al[q]],
        });
  }
  links.sort((x, y) => x.alFront - y.alFront || x.alBack - y.alBack || x.oxygen - y.oxygen);
  return links;
};

/** Accumulator: push every frame of a run, then result(). */
export class ConformationAccumulator {
  private readonly topology: Topology;
  private readonly options: ConformationOptions;
  private readonly clock = new FrameClock();
  private links?: Link[];
  /** Terminal Al-Cl bonds (Al, Cl) and their unit vectors, 3 per frame. */
  private rotBonds?: Int32Array;
  private rotVectors?: Series<Float32Array>[];
  private count = 0;
  private readonly d = new Float64Array(3);

  constructor(topology: Topology, options: ConformationOptions = {}) {
    this.topology = topology;
    this.options = options;
    const centre = options.centre ?? 'Al';
    const bridge = options.bridge ?? 'O';
    for (const e of [centre, bridge])
      if (!topology.elements.includes(e))
        throw new OligolyteError(
          `no ${e} atoms in the run (it has ${topology.elements.join(', ')}): no ${centre}-${bridge}-${centre} links to analyse`,
        );
    const lo = options.eclipsedBelowDeg ?? 20;
    const hi = options.staggeredAboveDeg ?? 40;
    if (!(lo > 0 && hi < 60 && lo <= hi))
      throw new OptionError(
        `the basins need 0 < eclipsedBelowDeg <= staggeredAboveDeg < 60, got ${lo} and ${hi}`,
        { option: 'eclipsedBelowDeg' },
      );
    if (options.cutoffTHz !== undefined && !(options.cutoffTHz > 0))
      throw new OptionError(`\`cutoffTHz\` must be positive, got ${options.cutoffTHz}`, {
        option: 'cutoffTHz',
      });
  }

  get frames(): number {
    return this.count;
  }

  /** Vector from atom i to the nearest image of atom j, into d. */
  private vector(frame: Frame, i: number, j: number): Float64Array {
    const x = frame.positions;
    const d = this.d;
    d[0] = x[3 * j] - x[3 * i];
    d[1] = x[3 * j + 1] - x[3 * i + 1];
    d[2] = x[3 * j + 2] - x[3 * i + 2];
    frame.lattice?.minimumImage(d);
    return d;
  }

  private start(frame: Frame): void {
    const found = findLinks(this.topology, frame, this.options);
    const o = this.options;
    if (found.length === 0) {
      const cut = (o.bondCutoffsA ?? { 'Al-O': 2.1 })[`${o.centre ?? 'Al'}-${o.bridge ?? 'O'}`];
      throw new OligolyteError(
        `no ${o.centre ?? 'Al'}-${o.bridge ?? 'O'}-${o.centre ?? 'Al'} links in the first frame (no ${o.bridge ?? 'O'} bonded to two ${o.centre ?? 'Al'} within ${cut ?? 'the'} A)`,
      );
    }
    this.links = found.map((l) => ({
      a: l.alFront,
      o: l.oxygen,
      b: l.alBack,
      front: l.clFront,
      back: l.clBack,
      angle: new Series(new Float64Array(256)),
      signed: new Series(new Float64Array(256)),
    }));
    if (o.rotation !== false) {
      const pairs: number[] = [];
      const seen = new Set<number>();
      for (const l of found)
        for (const [al, cls] of [
          [l.alFront, l.clFront],
          [l.alBack, l.clBack],
        ] as const)
          for (const cl of cls)
            if (!seen.has(cl)) {
              seen.add(cl);
              pairs.push(al, cl);
            }
      this.rotBonds = Int32Array.from(pairs);
      this.rotVectors = Array.from({ length: pairs.length / 2 }, () => new Series(new Float32Array(768)));
    }
  }

  push(frame: Frame): void {
    const n = this.topology.natoms;
    if (frame.positions.length !== 3 * n)
      throw new OligolyteError(
        `frame ${this.count} has ${frame.positions.length / 3} atoms; the run started with ${n}`,
      );
    if (!this.links) this.start(frame);
    this.clock.push(frame);
    for (const l of this.links!) {
      // Positions relative to Al_F through nearest-image bond vectors: O, Al_B, and the Cl.
      let d = this.vector(frame, l.a, l.o);
      const oax = d[0];
      const oay = d[1];
      const oaz = d[2];
      d = this.vector(frame, l.o, l.b);
      const obx = d[0];
      const oby = d[1];
      const obz = d[2];
      // Al-O-Al angle between O->Al_F and O->Al_B.
      const cos =
        (-oax * obx - oay * oby - oaz * obz) /
        (Math.sqrt(oax * oax + oay * oay + oaz * oaz) * Math.sqrt(obx * obx + oby * oby + obz * obz));
      l.angle.push(Math.acos(Math.max(-1, Math.min(1, cos))) * DEG);
      // Axis Al_F -> Al_B.
      const ax = oax + obx;
      const ay = oay + oby;
      const az = oaz + obz;
      let best = Number.NaN;
      for (const f of l.front) {
        d = this.vector(frame, f, l.a); // Cl_F -> Al_F = b1
        const b1x = d[0];
        const b1y = d[1];
        const b1z = d[2];
        for (const g of l.back) {
          d = this.vector(frame, l.b, g); // Al_B -> Cl_B = b3
          const r = wrap120(torsionDeg(b1x, b1y, b1z, ax, ay, az, d[0], d[1], d[2]));
          if (!(Math.abs(r) >= Math.abs(best))) best = r;
        }
      }
      l.signed.push(best);
    }
    if (this.rotBonds) {
      const rb = this.rotBonds;
      for (let k = 0; k < rb.length / 2; k++) {
        const d = this.vector(frame, rb[2 * k], rb[2 * k + 1]);
        const r = Math.hypot(d[0], d[1], d[2]);
        const s = this.rotVectors![k];
        s.push(d[0] / r);
        s.push(d[1] / r);
        s.push(d[2] / r);
      }
    }
    this.count++;
  }

  /** The summary and the per-frame series. */
  resultWithSeries(): { result: ConformationResult; series: ConformationSeries } {
    if (this.count === 0 || !this.links) throw new OptionError('the run has no frames');
    const o = this.options;
    const T = this.count;
    if (T < 3)
      throw new InsufficientDataError(`the run has ${T} frame(s); conformational dynamics need many more`);
    const { intervalFs, from } = this.clock.interval(o.frameIntervalFs);
    const cutoffTHz = o.cutoffTHz ?? 1;
    const filterOn = o.filterOn ?? 'unfolded';
    const lo = o.eclipsedBelowDeg ?? 20;
    const hi = o.staggeredAboveDeg ?? 40;
    const binDeg = o.binDeg ?? 1;
    const notes: string[] = [];
    const filter = new LowPassFilter(T, intervalFs, cutoffTHz);
    const nyquistTHz = 1000 / (2 * intervalFs);
    if (cutoffTHz >= nyquistTHz)
      notes.push(
        `the cut-off ${cutoffTHz} THz is at or above the Nyquist frequency ${nyquistTHz} THz of the frames: the filter removes nothing`,
      );
    const durationPs = fsToPs((T - 1) * intervalFs);
    const durationNs = durationPs / 1000;
    const timePs = Float64Array.from({ length: T }, (_, k) => fsToPs(k * intervalFs));
    const series: ConformationSeries = {
      timePs,
      angleDeg: [],
      dihedralDeg: [],
      torsionDeg: [],
      filteredDihedralDeg: [],
      filteredAngleDeg: [],
    };
    const angleHist = new Float64Array(Math.ceil(180 / binDeg));
    const dihHist = new Float64Array(Math.ceil(60 / binDeg));
    const fdihHist = new Float64Array(Math.ceil(60 / binDeg));
    const bin = (h: Float64Array, v: number) => {
      if (Number.isFinite(v)) h[Math.min(h.length - 1, Math.max(0, Math.floor(v / binDeg)))]++;
    };
    const links: LinkResult[] = [];
    let totalJumps = 0;
    let angleSum = 0;
    let angleCount = 0;
    let eclipsedFrames = 0;
    let staggeredFrames = 0;
    let dihedralFrames = 0;
    let maxStep = 0;
    for (const l of this.links) {
      const angle = Float64Array.from(l.angle.view());
      const signed = l.signed.view();
      const folded = Float64Array.from(signed, Math.abs);
      // Continuous torsion: each step taken into (-60, 60].
      const torsion = new Float64Array(T);
      torsion[0] = signed[0];
      for (let k = 1; k < T; k++) {
        const step = wrap120(signed[k] - signed[k - 1]);
        maxStep = Math.max(maxStep, Math.abs(step));
        torsion[k] = torsion[k - 1] + step;
      }
      const hasDihedral = Number.isFinite(signed[0]);
      // The angle and the dihedral share one transform.
      let filtered: Float64Array;
      let filteredAngle: Float64Array;
      if (!hasDihedral) {
        filtered = new Float64Array(T).fill(Number.NaN);
        filteredAngle = filter.apply(angle);
      } else {
        const [a, d] = filter.applyPair(angle, filterOn === 'unfolded' ? torsion : folded);
        filteredAngle = a;
        filtered = filterOn === 'unfolded' ? d.map((v) => Math.abs(wrap120(v))) : d;
      }
      // Basins with hysteresis and jumps.
      let state = 0; // 0 none yet, 1 eclipsed, 2 staggered
      let jumps = 0;
      let ecl = 0;
      let stag = 0;
      for (let k = 0; k < T; k++) {
        const v = filtered[k];
        const next = v < lo ? 1 : v > hi ? 2 : state;
        if (state !== 0 && next !== state) jumps++;
        state = next;
        if (state === 1) ecl++;
        else if (state === 2) stag++;
      }
      let am = 0;
      for (const v of angle) am += v;
      am /= T;
      let as = 0;
      for (const v of angle) as += (v - am) ** 2;
      for (const v of angle) {
        angleSum += v;
        angleCount++;
        bin(angleHist, v);
      }
      let dm = 0;
      let fm = 0;
      for (let k = 0; k < T; k++) {
        dm += folded[k];
        fm += filtered[k];
        bin(dihHist, folded[k]);
        bin(fdihHist, filtered[k]);
      }
      dm /= T;
      fm /= T;
      let ds = 0;
      for (const v of folded) ds += (v - dm) ** 2;
      if (hasDihedral) {
        totalJumps += jumps;
        eclipsedFrames += ecl;
        staggeredFrames += stag;
        dihedralFrames += T;
      }
      const [pl, ph] = poissonInterval(jumps);
      links.push({
        alFront: l.a,
        oxygen: l.o,
        alBack: l.b,
        clFront: l.front,
        clBack: l.back,
        angleMeanDeg: am,
        angleSdDeg: Math.sqrt(as / Math.max(1, T - 1)),
        dihedralMeanDeg: dm,
        dihedralSdDeg: Math.sqrt(ds / Math.max(1, T - 1)),
        filteredDihedralMeanDeg: fm,
        eclipsedFraction: ecl / T,
        staggeredFraction: stag / T,
        jumps,
        ratePerNs: { value: jumps / durationNs, low95: pl / durationNs, high95: ph / durationNs },
      });
      series.angleDeg.push(angle);
      series.dihedralDeg.push(folded);
      series.torsionDeg.push(torsion);
      series.filteredDihedralDeg.push(filtered);
      series.filteredAngleDeg.push(filteredAngle);
    }
    const withDihedral = links.filter((l) => l.clFront.length > 0 && l.clBack.length > 0).length;
    if (withDihedral < links.length)
      notes.push(
        `${links.length - withDihedral} link(s) have an Al without terminal Cl: no dihedral for them (NaN), left out of the pooled rate`,
      );
    if (maxStep > 40)
      notes.push(
        `a dihedral moved ${maxStep.toFixed(0)} deg between two frames: frames may be too far apart to follow the rotation (unwrapping assumes < 60 deg)`,
      );
    const linkTimeNs = withDihedral * durationNs;
    const [pl, ph] = poissonInterval(totalJumps);
    const density = (h: Float64Array, width: number): Histogram => {
      let s = 0;
      for (const v of h) s += v;
      return {
        centresDeg: Float64Array.from(h, (_, k) => (k + 0.5) * width),
        densityPerDeg: Float64Array.from(h, (v) => (s > 0 ? v / (s * width) : Number.NaN)),
      };
    };
    const angleMean = angleSum / angleCount;
    // Second pass about the overall mean (no cancellation).
    let angleSq = 0;
    for (const a of series.angleDeg) for (const v of a) angleSq += (v - angleMean) ** 2;
    const result: ConformationResult = {
      frames: T,
      frameIntervalFs: intervalFs,
      frameIntervalFrom: from,
      durationPs,
      cutoffTHz,
      filterOn,
      filterResolutionTHz: filter.resolutionTHz,
      eclipsedBelowDeg: lo,
      staggeredAboveDeg: hi,
      links,
      pooled: {
        links: withDihedral,
        jumps: totalJumps,
        linkTimeNs,
        ratePerNs: {
          value: linkTimeNs > 0 ? totalJumps / linkTimeNs : Number.NaN,
          low95: linkTimeNs > 0 ? pl / linkTimeNs : Number.NaN,
          high95: linkTimeNs > 0 ? ph / linkTimeNs : Number.NaN,
        },
      },
      angleMeanDeg: angleMean,
      angleSdDeg: Math.sqrt(angleSq / Math.max(1, angleCount - 1)),
      angleHistogram: density(angleHist, binDeg),
      dihedralHistogram: density(dihHist, binDeg),
      filteredDihedralHistogram: density(fdihHist, binDeg),
      eclipsedFraction: dihedralFrames > 0 ? eclipsedFrames / dihedralFrames : Number.NaN,
      staggeredFraction: dihedralFrames > 0 ? staggeredFrames / dihedralFrames : Number.NaN,
      notes,
    };
    if (this.rotBonds && this.rotVectors && this.rotVectors.length > 0)
      result.rotation = this.rotationalCorrelation(T, intervalFs);
    return { result, series };
  }

  result(): ConformationResult {
    return this.resultWithSeries().result;
  }

  private rotationalCorrelation(T: number, intervalFs: number): RotationResult {
    const vectors = this.rotVectors!;
    const p1 = new AutocorrelationSum(T);
    const p2 = new AutocorrelationSum(T);
    const ux = new Float64Array(T);
    const uy = new Float64Array(T);
    const uz = new Float64Array(T);
    const prod = new Float64Array(T);
    const r2 = Math.SQRT2;
    for (const s of vectors) {
      const v = s.view();
      for (let k = 0; k < T; k++) {
        ux[k] = v[3 * k];
        uy[k] = v[3 * k + 1];
        uz[k] = v[3 * k + 2];
      }
      p1.add(ux);
      p1.add(uy);
      p1.add(uz);
      // (u(0).u(t))^2 = sum_ab u_a u_b (0) u_a u_b (t): the squares once, the cross terms twice
      // (as sqrt(2) u_a u_b, so each is one plain autocorrelation).
      for (let k = 0; k < T; k++) prod[k] = ux[k] * ux[k];
      p2.add(prod);
      for (let k = 0; k < T; k++) prod[k] = uy[k] * uy[k];
      p2.add(prod);
      for (let k = 0; k < T; k++) prod[k] = uz[k] * uz[k];
      p2.add(prod);
      for (let k = 0; k < T; k++) prod[k] = r2 * ux[k] * uy[k];
      p2.add(prod);
      for (let k = 0; k < T; k++) prod[k] = r2 * ux[k] * uz[k];
      p2.add(prod);
      for (let k = 0; k < T; k++) prod[k] = r2 * uy[k] * uz[k];
      p2.add(prod);
    }
    const a1 = p1.result();
    const a2 = p2.result();
    const M = Math.max(2, Math.floor(T / 2) + 1);
    const nb = vectors.length;
    const c1 = new Float64Array(M);
    const c2 = new Float64Array(M);
    const lagsPs = new Float64Array(M);
    for (let m = 0; m < M; m++) {
      const w = nb * (T - m);
      c1[m] = a1[m] / w;
      c2[m] = 1.5 * (a2[m] / w) - 0.5;
      lagsPs[m] = fsToPs(m * intervalFs);
    }
    const fitOptions = { fitStartPs: this.options.fitStartPs, floor: this.options.floor };
    return {
      bonds: nb,
      lagsPs,
      c1,
      c2,
      p1: fitCorrelationTimes(lagsPs, c1, fitOptions),
      p2: fitCorrelationTimes(lagsPs, c2, fitOptions),
    };
  }
}

/** Conformational dynamics of a sequence of frames (same atoms). */
export const conformations = (
  topology: Topology,
  frames: Iterable<Frame>,
  options: ConformationOptions = {},
): { result: ConformationResult; series: ConformationSeries } => {
  const acc = new ConformationAccumulator(topology, options);
  for (const f of frames) acc.push(f);
  return acc.resultWithSeries();
};
