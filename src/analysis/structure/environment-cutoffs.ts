import { OligolyteError, OptionError } from '../../core/errors.js';
import type { Frame } from '../../core/frame.js';
import type { Topology } from '../../core/topology.js';
import { RdfAccumulator } from './rdf.js';

/**
 * Coordination cut-offs from the first minimum of the partial g(r) of the centre with each
 * neighbour element (rdf.ts, peaks.ts: smoothed curve, the first minimum after the first peak that
 * is followed by a rise), over the frames given. A cut-off given by the caller is kept and its g(r)
 * is not computed.
 */
export interface CutoffSearchOptions {
  /** Largest distance of g(r) searched (A, default 6: the first shells of Li, Na around O, Cl end below 4). */
  rMaxA?: number;
  /** Bin width of g(r) (A, default 0.02). */
  binWidthA?: number;
}

export interface CutoffPair {
  /** The neighbour element. */
  element: string;
  /** 'Li-O'. */
  pair: string;
  cutoffA: number;
  from: 'given' | 'g(r) first minimum';
  /** Where g(r) was computed: its first peak and minimum (A), and the neighbours within the minimum. */
  firstPeakA?: number;
  firstMinimumA?: number;
  coordinationAtMinimum?: number;
  /** g(r) at the bin centres rA (when computed). */
  g?: Float64Array;
}

export interface CoordinationCutoffs {
  cutoffsA: Record<string, number>;
  pairs: CutoffPair[];
  /** Frames g(r) was computed over (0 when every cut-off was given). */
  frames: number;
  /** Bin centres of the g(r) curves (A), when any was computed. */
  rA?: Float64Array;
}

/** Cut-offs given must be positive distances; the errors name `cutoffsA`. */
export const checkGivenCutoffs = (centre: string, given: Readonly<Record<string, number>>): void => {
  for (const [e, r] of Object.entries(given))
    if (!(r > 0) || !Number.isFinite(r))
      throw new OptionError(`\`cutoffsA\`: ${centre}-${e} cut-off ${r} A must be a positive distance`, {
        option: 'cutoffsA',
      });
};

/**
 * Accumulates the g(r) of the centre with every neighbour element whose cut-off is not given;
 * result() finds the first minima (an error naming the pair when one has none).
 */
export class CutoffFinder {
  private readonly rdf?: RdfAccumulator;
  private readonly missing: string[];
  private readonly rMaxA: number;

  constructor(
    topology: Topology,
    private readonly centre: string,
    private readonly neighbours: readonly string[],
    private readonly given: Readonly<Record<string, number>> = {},
    options: CutoffSearchOptions = {},
  ) {
    checkGivenCutoffs(centre, given);
    this.missing = neighbours.filter((e) => given[e] === undefined);
    this.rMaxA = options.rMaxA ?? 6;
    if (this.missing.length > 0)
      this.rdf = new RdfAccumulator(topology, {
        rMaxA: this.rMaxA,
        binWidthA: options.binWidthA ?? 0.02,
        pairs: this.missing.map((e) => `${centre}-${e}`),
        total: false,
      });
  }

  /** True when g(r) is needed (some cut-off is not given). */
  get searching(): boolean {
    return this.rdf !== undefined;
  }

  get frames(): number {
    return this.rdf?.frames ?? 0;
  }

  push(frame: Frame): void {
    if (!this.rdf) return;
    if (!frame.lattice)
      throw new OligolyteError(
        `frame ${this.rdf.frames + 1} has no periodic cell: cut-offs from g(r) need one, give every cut-off (\`cutoffsA\`)`,
        { option: 'cutoffsA' },
      );
    this.rdf.push(frame);
  }

  result(): CoordinationCutoffs {
    const cutoffsA: Record<string, number> = {};
    const pairs: CutoffPair[] = [];
    const r = this.rdf?.result();
    for (const e of this.neighbours) {
      const pair = `${this.centre}-${e}`;
      const given = this.given[e];
      if (given !== undefined) {
        cutoffsA[e] = given;
        pairs.push({ element: e, pair, cutoffA: given, from: 'given' });
        continue;
      }
      const curve = r!.partials.find((c) => c.name === pair)!;
      const min = curve.firstMinimum;
      if (!min)
        throw new OligolyteError(
          `no first minimum of g(${pair}) within ${this.rMaxA} A over ${r!.frames} frame${r!.frames === 1 ? '' : 's'}${
            curve.firstPeak
              ? ` (first peak at ${curve.firstPeak.rA.toFixed(2)} A)`
              : ' (not even a first peak)'
          }: give its cut-off (\`cutoffsA\`, ${e}=...)`,
          { option: 'cutoffsA' },
        );
      cutoffsA[e] = min.rA;
      pairs.push({
        element: e,
        pair,
        cutoffA: min.rA,
        from: 'g(r) first minimum',
        firstPeakA: curve.firstPeak?.rA,
        firstMinimumA: min.rA,
        coordinationAtMinimum: curve.coordinationAtFirstMinimum,
        g: curve.g,
      });
    }
    return { cutoffsA, pairs, frames: r?.frames ?? 0, rA: r?.rA };
  }
}
