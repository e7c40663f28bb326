import type { Lattice } from '../../core/lattice.js';
import { histogramPairs, PairScratch } from '../structure/pair-histogram.js';
import { histogramEdges } from '../structure/rdf.js';

/**
 * Pair-distance histograms of periodic frames per element pair, every image within rMax (the
 * cell-list pair loop of structure/pair-histogram.ts), summed over the frames: the counting behind
 * the periodic route of md-pdf.ts. Only the counts (g(r)'s peak search and coordination numbers,
 * which RdfAccumulator adds, cost more than the counting on 0.001 A bins).
 */
export class PairCounts {
  /** Unordered pair counts per (class of p, class of q) and bin (see histogramPairs). */
  readonly counts: Float64Array;
  private readonly edges: Float64Array;
  private readonly scratch = new PairScratch();
  private readonly classOf: Int32Array;

  constructor(
    speciesIndex: ArrayLike<number>,
    readonly elementCount: number,
    readonly rMax: number,
    readonly bins: number,
  ) {
    this.classOf = Int32Array.from(speciesIndex);
    this.edges = histogramEdges(rMax, bins);
    this.counts = new Float64Array(elementCount * elementCount * bins);
  }

  /** Add one frame's pairs. */
  count(positions: Float64Array, lattice: Lattice): void {
    histogramPairs({
      positions,
      lattice,
      atoms: undefined,
      classOf: this.classOf,
      classCount: this.elementCount,
      rMax: this.rMax,
      edges: this.edges,
      pairCounts: this.counts,
      scratch: this.scratch,
    });
  }

  /** Add counts made by another PairCounts of the same shape. */
  add(counts: Float64Array): void {
    if (counts.length !== this.counts.length)
      throw new RangeError(`pair counts of ${counts.length} values for ${this.counts.length}`);
    for (let k = 0; k < counts.length; k++) this.counts[k] += counts[k];
  }

  /** Ordered pairs (a, b) and (b, a) per bin, both orders (a = b: each unordered pair twice). */
  ordered(a: number, b: number): Float64Array {
    const n = this.elementCount;
    const bins = this.bins;
    const out = new Float64Array(bins);
    const ab = (a * n + b) * bins;
    const ba = (b * n + a) * bins;
    if (a === b) for (let k = 0; k < bins; k++) out[k] = 2 * this.counts[ab + k];
    else for (let k = 0; k < bins; k++) out[k] = 2 * (this.counts[ab + k] + this.counts[ba + k]);
    return out;
  }
}
