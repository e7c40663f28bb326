import FFT from 'fft.js';
import { InsufficientDataError, OligolyteError, OptionError } from '../../core/errors.js';
import type { Frame } from '../../core/frame.js';
import type { Topology } from '../../core/topology.js';
import { AMU_KG, BOLTZMANN_J_PER_K, fsToPs } from '../../core/units.js';
import { FrameClock } from './frame-clock.js';
import { nextPowerOfTwo } from './spectral.js';

/**
 * Velocity autocorrelation per element and the vibrational density of states (VDOS).
 *
 * Velocities: the frames' own (`frame.velocities`, A/fs) when they have them; otherwise central
 * differences of the positions, v(t) = (x(t + dt) - x(t - dt)) / (2 dt), which needs positions
 * that are continuous in time: unwrapped ones (the frames say so, or `unwrapped: true`), or
 * wrapped ones differenced by the minimum image (`unwrapped: false`: right while no atom moves
 * half a cell in two frames). The first and last frames then have no velocity. A central
 * difference scales a vibration at frequency nu by sin(2 pi nu dt) / (2 pi nu dt): peak positions
 * are kept, high frequencies are damped in the VACF (the result says which source was used).
 *
 * VACF of element e: C_e(t) = < v_i(0) . v_i(t) > averaged over its atoms and every time origin,
 * up to `maxLagFs` (default 2000 fs). Streaming with memory flat in frames: the velocity series
 * are cut into blocks of B >= max lag frames; the origins of each block are correlated with that
 * block and the next by one FFT of size 2B per atom and axis (the spectra summed per element, one
 * inverse transform at the end), which gives exactly the direct sum over all origins. Memory:
 * 2B x 3 x atoms doubles (2 ps at 1 fs, 128 atoms: 6 MB).
 *
 * VDOS: g(nu) = the cosine transform of the mass-weighted VACF, sum_i m_i <v_i(0) . v_i(t)>,
 * over +-max lag with a Hann window (w = cos^2(pi t / (2 t_max)), so that the truncation does not
 * ring), one-sided in nu >= 0, in THz; for a classical harmonic solid this is the density of
 * normal-mode frequencies. Normalised so that the total integrates to 3N over 0..Nyquist (N the
 * atoms of the elements analysed), the same factor for every element, so the partials add up to
 * the total and each integrates to 3 N_e times its kinetic temperature over the mean (3 N_e at
 * equipartition). `massWeighted: false` transforms the plain VACF instead (then each element's
 * weight is its mean square velocity). The frequency resolution is about 1 / (max lag) with the
 * window; the grid is finer (zero padding).
 */
export interface VacfOptions {
  /** Elements analysed (default: every element of the run). */
  elements?: readonly string[];
  /** Time between frames (fs); default: from the frame times. */
  frameIntervalFs?: number;
  /** Longest lag of the VACF (fs), default 2000. */
  maxLagFs?: number;
  /** 'auto' (default): stored velocities when the frames have them, else positions. */
  source?: 'auto' | 'velocities' | 'positions';
  /** For positions: 'auto' (default) as the frames say; true: continuous; false: difference by minimum image. */
  unwrapped?: 'auto' | boolean;
  /** Mass-weighted VDOS (default true). */
  massWeighted?: boolean;
  /** Window on the VACF before the transform: 'hann' (default) or 'none'. */
  window?: 'hann' | 'none';
}

export interface ElementVacf {
  element: string;
  atoms: number;
  /** <v(0) . v(t)> per atom (A^2/fs^2) at lagsPs. */
  vacf: Float64Array;
  /** vacf / vacf(0). */
  normalised: Float64Array;
  /** This element's part of the VDOS (states per THz), on frequenciesTHz. */
  dosPerTHz: Float64Array;
  /** Integral of dosPerTHz over 0..Nyquist (about 3 x atoms). */
  dosIntegral: number;
  /** m <v^2> / (3 k_B) (K): the kinetic temperature of the element's velocities. */
  kineticTemperatureK: number;
}

export interface VacfResult {
  frames: number;
  frameIntervalFs: number;
  frameIntervalFrom: 'option' | 'file times';
  /** Where the velocities came from. */
  velocitiesFrom:
    | 'stored velocities'
    | 'central differences of unwrapped positions'
    | 'central differences of positions (minimum image)';
  /** Velocity samples per atom (frames, less 2 for central differences). */
  samples: number;
  lagsPs: Float64Array;
  maxLagPs: number;
  massWeighted: boolean;
  window: 'hann' | 'none';
  frequenciesTHz: Float64Array;
  /** Frequency resolution (THz), about 1 / max lag, and the grid spacing. */
  resolutionTHz: number;
  gridTHz: number;
  nyquistTHz: number;
  elements: ElementVacf[];
  /** Sum over the elements (states per THz); integrates to 3N. */
  totalDosPerTHz: Float64Array;
  totalAtoms: number;
  notes: string[];
}

type Source = VacfResult['velocitiesFrom'];

export class VacfAccumulator {
  private readonly topology: Topology;
  private readonly options: VacfOptions;
  private readonly selected: Int32Array;
  /** Element slot of each selected atom. */
  private readonly slot: Int32Array;
  private readonly elementNames: string[];
  private source?: Source;
  private count = 0;
  private samples = 0;
  private readonly clock = new FrameClock();
  private intervalFs = Number.NaN;
  private intervalFrom: 'option' | 'file times' = 'file times';
  /** Positions of the selected atoms at the two previous frames (central differences). */
  private prev1?: Float64Array;
  private prev2?: Float64Array;
  /** Block length (frames), FFT, buffers. */
  private B = 0;
  private maxLag = 0;
  private fft?: FFT;
  /** Per selected atom and axis, 2B samples: [previous block | current block]. */
  private buffer?: Float64Array;
  private filled = 0;
  private havePrevious = false;
  /** Per element: sum of conj(P) Y (complex, interleaved) over atoms and axes, plain and mass-weighted. */
  private spectra?: Float64Array[];
  private massSpectra?: Float64Array[];
  private packed?: Float64Array;
  private transformed?: Float64Array;
  private readonly pending: Frame[] = [];
  private readonly scratch = new Float64Array(3);

  constructor(topology: Topology, options: VacfOptions = {}) {
    this.topology = topology;
    this.options = options;
    const names = options.elements ? [...options.elements] : [...topology.elements];
    if (names.length === 0)
      throw new OptionError('`elements`: no elements asked for', { option: 'elements' });
    for (const e of names)
      if (!topology.elements.includes(e))
        throw new OligolyteError(`no ${e} atoms in the run (it has ${topology.elements.join(', ')})`, {
          option: 'elements',
        });
    this.elementNames = names;
    const sel: number[] = [];
    const slot: number[] = [];
    for (let i = 0; i < topology.natoms; i++) {
      const k = names.indexOf(topology.symbol(i));
      if (k >= 0) {
        sel.push(i);
        slot.push(k);
      }
    }
    this.selected = Int32Array.from(sel);
    this.slot = Int32Array.from(slot);
    const maxLagFs = options.maxLagFs ?? 2000;
    if (!(maxLagFs > 0))
      throw new OptionError(`\`maxLagFs\` must be positive, got ${maxLagFs}`, { option: 'maxLagFs' });
    if (options.frameIntervalFs !== undefined && !(options.frameIntervalFs > 0))
      throw new OptionError(`\`frameIntervalFs\` must be positive, got ${options.frameIntervalFs}`, {
        option: 'frameIntervalFs',
      });
  }

  get frames(): number {
    return this.count;
  }

  private chooseSource(frame: Frame): Source {
    const o = this.options;
    const mode = o.source ?? 'auto';
    if (mode === 'velocities' || (mode === 'auto' && frame.velocities)) {
      if (!frame.velocities)
        throw new OligolyteError('the frames have no velocities (`source` is velocities)', {
          option: 'source',
        });
      return 'stored velocities';
    }
    const unwrapped = (o.unwrapped ?? 'auto') === 'auto' ? frame.unwrapped === true : o.unwrapped === true;
    if (unwrapped) return 'central differences of unwrapped positions';
    if (o.unwrapped === false) {
      if (!frame.lattice)
        throw new OligolyteError(
          'the frames have no cell, so wrapped positions cannot be differenced by the minimum image',
        );
      return 'central differences of positions (minimum image)';
    }
    throw new OligolyteError(
      'the frames have no velocities and their positions are not unwrapped: give frames with velocities, or say how to read the positions (`unwrapped`: true if they are continuous, false to difference them by the minimum image)',
      { option: 'unwrapped' },
    );
  }

  push(frame: Frame): void {
    const n = this.topology.natoms;
    if (frame.positions.length !== 3 * n)
      throw new OligolyteError(
        `frame ${this.count} has ${frame.positions.length / 3} atoms; the run started with ${n}`,
      );
    if (this.count === 0) this.source = this.chooseSource(frame);
    this.clock.push(frame);
    this.count++;
    if (!this.fft) {
      // Until the interval is known (second frame), frames wait.
      this.pending.push(frame);
      if (this.options.frameIntervalFs === undefined && this.count < 2) return;
      this.setUp();
      const waiting = this.pending.splice(0);
      for (const f of waiting) this.velocityOf(f);
      return;
    }
    this.velocityOf(frame);
  }

  private setUp(): void {
    const o = this.options;
    const { intervalFs, from } = this.clock.interval(o.frameIntervalFs);
    this.intervalFs = intervalFs;
    this.intervalFrom = from;
    this.maxLag = Math.max(1, Math.round((o.maxLagFs ?? 2000) / this.intervalFs));
    this.B = nextPowerOfTwo(this.maxLag + 1);
    this.fft = new FFT(2 * this.B);
    this.buffer = new Float64Array(3 * this.selected.length * 2 * this.B);
    this.spectra = this.elementNames.map(() => new Float64Array(4 * this.B));
    this.massSpectra = this.elementNames.map(() => new Float64Array(4 * this.B));
    this.packed = new Float64Array(4 * this.B);
    this.transformed = new Float64Array(4 * this.B);
  }

  /** Turn a frame into a velocity sample (or, for central differences, the previous frame's). */
  private velocityOf(frame: Frame): void {
    const sel = this.selected;
    const x = frame.positions;
    if (this.source === 'stored velocities') {
      const v = frame.velocities;
      if (!v) throw new OligolyteError(`frame ${this.samples} has no velocities, unlike the first`);
      this.store((i, c) => v[3 * sel[i] + c]);
      return;
    }
    const cur = new Float64Array(3 * sel.length);
    for (let i = 0; i < sel.length; i++) for (let c = 0; c < 3; c++) cur[3 * i + c] = x[3 * sel[i] + c];
    const minimumImage = this.source === 'central differences of positions (minimum image)';
    if (minimumImage && !frame.lattice)
      throw new OligolyteError(
        'a frame has no cell, so wrapped positions cannot be differenced by the minimum image',
      );
    if (this.prev2 && this.prev1) {
      const a = this.prev2;
      const b = cur;
      const h = 1 / (2 * this.intervalFs);
      const d = this.scratch;
      const L = frame.lattice;
      this.store((i, c) => {
        if (!minimumImage) return (b[3 * i + c] - a[3 * i + c]) * h;
        if (c === 0) {
          d[0] = b[3 * i] - a[3 * i];
          d[1] = b[3 * i + 1] - a[3 * i + 1];
          d[2] = b[3 * i + 2] - a[3 * i + 2];
          L!.minimumImage(d);
        }
        return d[c] * h;
      });
    }
    this.prev2 = this.prev1;
    this.prev1 = cur;
  }

  /** Append one velocity sample of every selected atom. */
  private store(v: (atom: number, axis: number) => number): void {
    const B = this.B;
    const buf = this.buffer!;
    const at = B + this.filled;
    for (let i = 0; i < this.selected.length; i++)
      for (let c = 0; c < 3; c++) buf[(3 * i + c) * 2 * B + at] = v(i, c);
    this.filled++;
    this.samples++;
    if (this.filled === B) {
      if (this.havePrevious) this.correlateBlocks(B);
      // The current block becomes the previous one.
      for (let s = 0; s < 3 * this.selected.length; s++) {
        const o = s * 2 * B;
        buf.copyWithin(o, o + B, o + 2 * B);
        buf.fill(0, o + B, o + 2 * B);
      }
      this.havePrevious = true;
      this.filled = 0;
    }
  }

  /**
   * Add the products p(t) y(t + m), m = 0..B-1, for origins t in the previous block (p, zero
   * beyond its B samples) and targets in the previous + current block (y, the first `targets`
   * samples of the 2B; zero beyond), by one complex FFT of z = p + i y.
   */
  private correlateBlocks(targets: number, originsFromCurrent = false): void {
    const B = this.B;
    const N = 2 * B;
    const buf = this.buffer!;
    const z = this.packed!;
    const Z = this.transformed!;
    const masses = this.topology.masses;
    for (let i = 0; i < this.selected.length; i++) {
      const m = masses[this.selected[i]];
      const acc = this.spectra![this.slot[i]];
      const macc = this.massSpectra![this.slot[i]];
      for (let c = 0; c < 3; c++) {
        const o = (3 * i + c) * N;
        z.fill(0);
        if (originsFromCurrent) {
          // Origins and targets both in the current block (its first `targets` samples).
          for (let k = 0; k < targets; k++) {
            z[2 * k] = buf[o + B + k];
            z[2 * k + 1] = buf[o + B + k];
          }
        } else {
          for (let k = 0; k < B; k++) z[2 * k] = buf[o + k];
          for (let k = 0; k < B + targets; k++) z[2 * k + 1] = buf[o + k];
        }
        this.fft!.transform(Z, z);
        // P_f = (Z_f + conj Z_{N-f}) / 2, Y_f = (Z_f - conj Z_{N-f}) / (2i); add conj(P_f) Y_f.
        for (let f = 0; f < N; f++) {
          const g = (N - f) % N;
          const zr = Z[2 * f];
          const zi = Z[2 * f + 1];
          const wr = Z[2 * g];
          const wi = -Z[2 * g + 1];
          const pr = 0.5 * (zr + wr);
          const pi = 0.5 * (zi + wi);
          // (zr - wr + i (zi - wi)) / (2i) = ((zi - wi) - i (zr - wr)) / 2
          const yr = 0.5 * (zi - wi);
          const yi = -0.5 * (zr - wr);
          const re = pr * yr + pi * yi;
          const im = pr * yi - pi * yr;
          acc[2 * f] += re;
          acc[2 * f + 1] += im;
          macc[2 * f] += m * re;
          macc[2 * f + 1] += m * im;
        }
      }
    }
  }

  result(): VacfResult {
    if (this.count === 0) throw new OptionError('the run has no frames');
    if (!this.fft) {
      if (this.count < 2)
        throw new OptionError(
          `the run has ${this.count} frame(s); a velocity autocorrelation needs many more`,
        );
      this.setUp();
    }
    // Frame times unevenly spaced (seen after set-up) throw here, unless the interval was given.
    this.clock.interval(this.options.frameIntervalFs);
    const notes: string[] = [];
    const Tv = this.samples;
    if (Tv < 4)
      throw new InsufficientDataError(
        `only ${Tv} velocity sample(s) (${this.count} frames${this.source === 'stored velocities' ? '' : ', less the two ends of the central differences'}): too few for a VACF`,
      );
    const B = this.B;
    // Flush: previous block against previous + partial current, then the partial current alone.
    if (this.havePrevious) this.correlateBlocks(this.filled);
    if (this.filled > 0) this.correlateBlocks(this.filled, true);
    let M = Math.min(this.maxLag, Tv - 1);
    if (M < this.maxLag)
      notes.push(
        `the run gives ${Tv} velocity samples: the VACF goes to lag ${M} frames, short of the ${this.maxLag} asked for (maxLagFs)`,
      );
    M = Math.max(M, 1);
    const N = 2 * B;
    const inverse = new Float64Array(2 * N);
    const corr = (spec: Float64Array): Float64Array => {
      this.fft!.inverseTransform(inverse, spec);
      return Float64Array.from({ length: M + 1 }, (_, m) => inverse[2 * m] / (Tv - m));
    };
    const dt = this.intervalFs;
    const lagsPs = Float64Array.from({ length: M + 1 }, (_, m) => fsToPs(m * dt));
    // Transform grid: zero-padded even extension of the windowed correlation.
    const window = this.options.window ?? 'hann';
    const massWeighted = this.options.massWeighted ?? true;
    const Nf = 4 * nextPowerOfTwo(2 * M);
    const fftF = new FFT(Nf);
    const half = Nf / 2;
    const frequenciesTHz = Float64Array.from({ length: half + 1 }, (_, k) => (1000 * k) / (Nf * dt));
    const spectrumOf = (c: Float64Array): Float64Array => {
      const a = new Float64Array(Nf);
      for (let m = 0; m <= M; m++) {
        const w = window === 'hann' ? Math.cos((Math.PI * m) / (2 * (M + 1))) ** 2 : 1;
        a[m] = w * c[m];
        if (m > 0) a[Nf - m] = w * c[m];
      }
      const out = fftF.createComplexArray() as number[];
      fftF.realTransform(out, a);
      // S(nu_k) = dt Re(sum_m a_m e^{-2 pi i k m / Nf}), dt in ps so that S integrates over THz.
      return Float64Array.from({ length: half + 1 }, (_, k) => fsToPs(dt) * out[2 * k]);
    };
    const trapezoid = (y: Float64Array) => {
      let s = 0;
      const h = frequenciesTHz[1] - frequenciesTHz[0];
      for (let k = 1; k < y.length; k++) s += 0.5 * (y[k - 1] + y[k]) * h;
      return s;
    };
    const per = this.elementNames.map((element, k) => {
      const atoms = this.slot.reduce((s, v) => s + (v === k ? 1 : 0), 0);
      const plain = corr(this.spectra![k]);
      const weighted = corr(this.massSpectra![k]);
      const vacf = Float64Array.from(plain, (v) => v / atoms);
      // m <v^2> / (3 kB): amu A^2 / fs^2 = AMU_KG x 1e10 J.
      const kT = (weighted[0] / atoms / 3) * AMU_KG * 1e10;
      return {
        element,
        atoms,
        vacf,
        normalised: Float64Array.from(vacf, (v) => v / vacf[0]),
        spectrum: spectrumOf(massWeighted ? weighted : plain),
        kineticTemperatureK: kT / BOLTZMANN_J_PER_K,
      };
    });
    const totalAtoms = per.reduce((s, e) => s + e.atoms, 0);
    const total = new Float64Array(half + 1);
    for (const e of per) for (let k = 0; k <= half; k++) total[k] += e.spectrum[k];
    const scale = (3 * totalAtoms) / trapezoid(total);
    for (let k = 0; k <= half; k++) total[k] *= scale;
    const elements: ElementVacf[] = per.map((e) => {
      const dos = Float64Array.from(e.spectrum, (v) => v * scale);
      return {
        element: e.element,
        atoms: e.atoms,
        vacf: e.vacf,
        normalised: e.normalised,
        dosPerTHz: dos,
        dosIntegral: trapezoid(dos),
        kineticTemperatureK: e.kineticTemperatureK,
      };
    });
    if (this.source !== 'stored velocities')
      notes.push(
        `velocities from central differences: a vibration at nu is damped by sinc(2 pi nu dt), ${(
          Math.sin(Math.PI / 5) / (Math.PI / 5)
        ).toFixed(3)} at a tenth of the Nyquist frequency`,
      );
    return {
      frames: this.count,
      frameIntervalFs: dt,
      frameIntervalFrom: this.intervalFrom,
      velocitiesFrom: this.source!,
      samples: Tv,
      lagsPs,
      maxLagPs: lagsPs[M],
      massWeighted,
      window,
      frequenciesTHz,
      resolutionTHz: 1000 / ((M + 1) * dt),
      gridTHz: frequenciesTHz[1],
      nyquistTHz: 1000 / (2 * dt),
      elements,
      totalDosPerTHz: total,
      totalAtoms,
      notes,
    };
  }
}

/** VACF and VDOS of a sequence of frames (same atoms). */
export const vacf = (topology: Topology, frames: Iterable<Frame>, options: VacfOptions = {}): VacfResult => {
  const acc = new VacfAccumulator(topology, options);
  for (const f of frames) acc.push(f);
  return acc.result();
};
