/**
 * Add a pair's virial r (x) f to W (xx yy zz xy xz yz, as LAMMPS orders it): r = (dx, dy, dz) the
 * separation i - j and f = (fx, fy, fz) the force on i.
 */
export const addPairVirial = (
  W: Float64Array,
  dx: number,
  dy: number,
  dz: number,
  fx: number,
  fy: number,
  fz: number,
): void => {
  W[0] += dx * fx;
  W[1] += dy * fy;
  W[2] += dz * fz;
  W[3] += dx * fy;
  W[4] += dx * fz;
  W[5] += dy * fz;
};
