import { OptionError } from '../../core/errors.js';
import type { Frame } from '../../core/frame.js';
import type { Lattice } from '../../core/lattice.js';
import type { VolumetricGrid } from '../../core/volumetric-grid.js';

/**
 * Probability density of selected atoms on a uniform grid over the cell (as pymatgen-analysis-
 * diffusion's ProbabilityDensityAnalysis): the grid has n_j = ceil(|a_j| / spacing) points along
 * lattice vector j, at fractional positions k / n_j; each atom in each frame (wrapped into the cell
 * in fractional coordinates, so NPT cells are followed) counts at the nearest of the 8 grid points
 * around it, by periodic Cartesian distance in the grid's (first frame's) cell. The density
 * rho = counts / (frames x atoms) / (V / n_grid) (1/A^3) integrates to 1 over the cell:
 * sum(rho) V / n_grid = 1.
 */
export class DensityGridAccumulator {
  readonly shape: [number, number, number];
  private readonly counts: Float64Array;
  private lattice: Lattice | undefined;
  private frames = 0;
  private readonly offsets: Float64Array;

  constructor(
    lattice: Lattice,
    /** Grid spacing, A. */
    spacing: number,
    private readonly selected: Uint32Array,
  ) {
    if (!(spacing > 0)) throw new OptionError(`the density grid spacing must be positive, got ${spacing} A`);
    const { a, b, c } = lattice.parameters;
    this.shape = [a, b, c].map((l) => Math.max(1, Math.ceil(l / spacing))) as [number, number, number];
    const total = this.shape[0] * this.shape[1] * this.shape[2];
    if (total > 2e8)
      throw new OptionError(`a ${this.shape.join(' x ')} grid is too large; use a coarser spacing`);
    this.counts = new Float64Array(total);
    this.lattice = lattice;
    // Cartesian offsets of the 8 corners of a grid cell, for the nearest-point search.
    const m = lattice.matrix;
    const [na, nb, nc] = this.shape;
    this.offsets = new Float64Array(24);
    for (let k = 0; k < 8; k++) {
      const f = [(k & 1) / na, ((k >> 1) & 1) / nb, ((k >> 2) & 1) / nc];
      for (let x = 0; x < 3; x++) this.offsets[3 * k + x] = f[0] * m[x] + f[1] * m[3 + x] + f[2] * m[6 + x];
    }
  }

  push(frame: Frame): void {
    const L = frame.lattice;
    if (!L) throw new OptionError('a density grid needs a periodic cell in every frame');
    const grid = this.lattice!;
    const m = grid.matrix;
    const inv = L.inverse;
    const [na, nb, nc] = this.shape;
    const p = frame.positions;
    for (const i of this.selected) {
      const x = p[3 * i];
      const y = p[3 * i + 1];
      const z = p[3 * i + 2];
      // Fractional in this frame's cell, wrapped to [0, 1).
      let f0 = x * inv[0] + y * inv[3] + z * inv[6];
      let f1 = x * inv[1] + y * inv[4] + z * inv[7];
      let f2 = x * inv[2] + y * inv[5] + z * inv[8];
      f0 -= Math.floor(f0);
      f1 -= Math.floor(f1);
      f2 -= Math.floor(f2);
      const g0 = Math.floor(f0 * na);
      const g1 = Math.floor(f1 * nb);
      const g2 = Math.floor(f2 * nc);
      // Position relative to the lower grid corner, Cartesian in the grid's cell.
      const r0 = f0 - g0 / na;
      const r1 = f1 - g1 / nb;
      const r2 = f2 - g2 / nc;
      const rx = r0 * m[0] + r1 * m[3] + r2 * m[6];
      const ry = r0 * m[1] + r1 * m[4] + r2 * m[7];
      const rz = r0 * m[2] + r1 * m[5] + r2 * m[8];
      let best = 0;
      let bestD = Number.POSITIVE_INFINITY;
      for (let k = 0; k < 8; k++) {
        const dx = rx - this.offsets[3 * k];
        const dy = ry - this.offsets[3 * k + 1];
        const dz = rz - this.offsets[3 * k + 2];
        const d2 = dx * dx + dy * dy + dz * dz;
        if (d2 < bestD) {
          bestD = d2;
          best = k;
        }
      }
      const ia = (g0 + (best & 1)) % na;
      const ib = (g1 + ((best >> 1) & 1)) % nb;
      const ic = (g2 + ((best >> 2) & 1)) % nc;
      this.counts[ia + na * (ib + nb * ic)] += 1;
    }
    this.frames++;
  }

  /** The normalised density (1/A^3) on the grid. */
  result(): VolumetricGrid {
    if (this.frames === 0) throw new OptionError('no frames were added to the density grid');
    const lattice = this.lattice!;
    const n = this.counts.length;
    const norm = n / (this.frames * this.selected.length * lattice.volume);
    return { lattice, shape: this.shape, values: this.counts.map((c) => c * norm) };
  }
}
