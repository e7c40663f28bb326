import { Lattice } from '../../core/lattice.js';

/**
 * A cell and positions in the orientation PDB, mmCIF and GROMACS files assume: a along x, b in
 * the xy plane, c with z > 0 (a lower-triangular cell matrix; the PDB's "standard orthogonal
 * frame", GROMACS's box restriction). A cell already in it is returned as it is (no round-off);
 * any other is rebuilt from its lengths and angles and the positions carried over through their
 * fractional coordinates (a rotation for a right-handed cell, as ASE's PDB writer does).
 */
export const inStandardOrientation = (
  lattice: Lattice,
  positions: Float64Array,
): { lattice: Lattice; positions: Float64Array } => {
  const m = lattice.matrix;
  if (m[1] === 0 && m[2] === 0 && m[5] === 0 && m[0] > 0 && m[4] > 0 && m[8] > 0)
    return { lattice, positions };
  const standard = Lattice.fromParameters(lattice.parameters);
  return { lattice: standard, positions: standard.toCartesian(lattice.toFractional(positions)) };
};
