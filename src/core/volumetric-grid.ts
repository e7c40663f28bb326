import type { Lattice } from './lattice.js';

/** Values on a uniform grid spanning a periodic cell (densities, probability maps). */
export interface VolumetricGrid {
  lattice: Lattice;
  /** Grid points along a, b, c; point (ia, ib, ic) sits at fractional (ia/na, ib/nb, ic/nc). */
  shape: [number, number, number];
  /** Values, a fastest then b then c (VASP order): index ia + na (ib + nb ic). */
  values: Float64Array;
}
