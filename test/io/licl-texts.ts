/**
 * The two-atom LiCl cell (Li at the origin, Cl at the body centre of a 5 Å cube) as the small
 * text inputs the io tests edit line by line (withLine, headLines in ../helpers.ts).
 */

/** POSCAR, fractional coordinates. */
export const LICL_POSCAR = `LiCl
1.0
5.0 0.0 0.0
0.0 5.0 0.0
0.0 0.0 5.0
Li Cl
1 1
Direct
0.0 0.0 0.0
0.5 0.5 0.5
`;

/** LAMMPS data file, atom style charge (read with typeMap ['Li', 'Cl']). */
export const LICL_DATA = `title

2 atoms
2 atom types

0 5 xlo xhi
0 5 ylo yhi
0 5 zlo zhi

Masses

1 6.94
2 35.45

Atoms # charge

1 1 1.0 0 0 0
2 2 -1.0 2.5 2.5 2.5
`;
