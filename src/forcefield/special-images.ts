import { PhysicsError } from '../core/errors.js';
import { Lattice } from '../core/lattice.js';
import type { TypedSystem } from './typing.js';

const AXES = ['x', 'y', 'z'];

/**
 * Which periodic image of a special (bonded 1-2, 1-3 or 1-4) pair takes the special LJ and
 * Coulomb factors: the nearest one, the image the bond and angle terms use (Lattice.minimumImage,
 * as LAMMPS's closest_image for its bonded lists).
 *
 * LAMMPS (its neighbour lists with Domain::minimum_image_check) scales the image whose Cartesian
 * separation is within half the box along x, y and z of its own orientation (a along x, b in the
 * xy plane): |dx| <= lx/2, |dy| <= ly/2, |dz| <= lz/2. That image is unique, and it is the
 * nearest one whenever the nearest one passes the test. Rounding each fractional separation
 * (|s| <= 1/2 per axis) is another rule: in a small tilted cell it can pick a different image, so it
 * is not used. When the nearest image fails LAMMPS's test (a bonded partner more than half a cell
 * away along a LAMMPS axis), LAMMPS scales an image that is not the bonded one; no choice agrees
 * with both LAMMPS and the bonds, and such cells are refused (a supercell makes them well posed).
 */
export class SpecialImages {
  /** The cell in LAMMPS orientation (rows a, b, c; a along x, b in the xy plane). */
  private readonly oriented: Float64Array;
  private readonly d = new Float64Array(3);
  private readonly f0 = new Float64Array(3);
  private readonly f = new Float64Array(3);

  constructor(private readonly lattice: Lattice) {
    this.oriented = Lattice.fromParameters(lattice.parameters).matrix;
  }

  /**
   * The lattice translation (na, nb, nc), written to out[o..o+2], that makes r_i - r_j + n M the
   * nearest image of the pair; throws PhysicsError if that image is more than half the cell away
   * along a LAMMPS axis. `order` is the special order (1: 1-2, 2: 1-3, 3: 1-4); `label` names an
   * atom in the message (default: its 1-based index, the LAMMPS atom ID).
   */
  image(
    positions: ArrayLike<number>,
    i: number,
    j: number,
    order: number,
    out: Int32Array,
    o: number,
    label: (k: number) => string = (k) => `atom ${k + 1}`,
  ): void {
    const { d, f0, f } = this;
    for (let x = 0; x < 3; x++) d[x] = positions[3 * i + x] - positions[3 * j + x];
    this.lattice.toFractional(d, f0);
    const r2 = this.lattice.minimumImage(d);
    this.lattice.toFractional(d, f);
    for (let x = 0; x < 3; x++) out[o + x] = Math.round(f[x] - f0[x]);
    // The nearest image's separation in LAMMPS's orientation (same fractional coordinates).
    const m = this.oriented;
    for (let x = 0; x < 3; x++) {
      const v = f[0] * m[x] + f[1] * m[3 + x] + f[2] * m[6 + x];
      const half = m[4 * x] / 2;
      if (Math.abs(v) > half)
        throw new PhysicsError(
          `special pair ${label(i)} - ${label(j)} (1-${order + 1}): its bonded (nearest) image, ` +
            `${Math.sqrt(r2).toFixed(3)} A away, is ${Math.abs(v).toFixed(3)} A apart along ${AXES[x]}, ` +
            `more than half the cell (${half.toFixed(3)} A in LAMMPS's orientation), where LAMMPS would ` +
            'scale another image as the special one; use a supercell (oligolyte build supercell) ' +
            'so that every bonded pair is within half a cell',
        );
    }
  }
}

/**
 * Check every special pair of `sys` at `positions` (SpecialImages.image): throws PhysicsError,
 * naming the first pair whose bonded image is beyond half the cell, by type and 1-based index.
 */
export const checkSpecialImages = (
  positions: ArrayLike<number>,
  lattice: Lattice,
  sys: Pick<TypedSystem, 'natoms' | 'special' | 'type' | 'typeNames'>,
): void => {
  const images = new SpecialImages(lattice);
  const out = new Int32Array(3);
  const n = sys.natoms;
  const label = (k: number) => `${sys.typeNames[sys.type[k]]} ${k + 1}`;
  for (const [key, order] of sys.special)
    images.image(positions, Math.floor(key / n), key % n, order, out, 0, label);
};
