import { type CrystalPhase, crystalPhase } from '../analysis/scattering/pdf-phase.js';
import { parseCifCrystal, readCifCrystal } from '../io/formats/cif-sites.js';

/**
 * Crystalline LiCl for the study's two-phase PDF fit: the rock-salt (halite) structure, Fm-3m,
 * Li at 0 0 0 and Cl at 1/2 1/2 1/2, with the commonly tabulated room-temperature a = 5.1295 A
 * (ICDD PDF 04-0664; Swanson & Tatge, NBS Circular 539 vol. 1, 1953). The same facts as the
 * project's shared LiCl_rocksalt.cif (test/fixtures/shared/structures/), carried in the library so
 * that an installed oligolyte needs no data folder; the fit refines a from here.
 */
export const LICL_ROCKSALT_CIF = `data_LiCl
_chemical_formula_sum 'Cl Li'
_cell_length_a 5.1295
_cell_length_b 5.1295
_cell_length_c 5.1295
_cell_angle_alpha 90
_cell_angle_beta 90
_cell_angle_gamma 90
_symmetry_space_group_name_H-M 'F m -3 m'
_symmetry_Int_Tables_number 225
loop_
_atom_site_label
_atom_site_type_symbol
_atom_site_fract_x
_atom_site_fract_y
_atom_site_fract_z
_atom_site_occupancy
Li1 Li 0.0 0.0 0.0 1.0
Cl1 Cl 0.5 0.5 0.5 1.0
`;

/**
 * The LiCl phase of the two-phase fit: the built-in rock salt, or a CIF; sites without U or B get
 * `uisoA2` (A^2).
 */
export const liclPhase = (uisoA2: number, cif: string | null = null): CrystalPhase =>
  crystalPhase(
    cif === null
      ? parseCifCrystal(LICL_ROCKSALT_CIF, 'built-in LiCl (rock salt)', { defaultUiso: uisoA2 })
      : readCifCrystal(cif, { defaultUiso: uisoA2 }),
    'LiCl',
  );
