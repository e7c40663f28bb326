/**
 * oligolyte/builders: oligomers, glass packing at a density, the substituted-crystal
 * ("conventional amorphous") model, supercells.
 */
export { chloride, mixFromComposition, parseMix } from './mix.js';
export {
  bondTypeOf,
  buildBridgedPair,
  buildOligomer,
  buildTetrachloroaluminate,
  closestNonBonded,
  type Molecule,
  type OligomerOptions,
} from './oligomer.js';
export {
  MAX_PACK_ATOMS,
  type PackOptions,
  type PackProgress,
  PackTooLargeError,
  type PackUnit,
  packGlass,
  replicationFactor,
} from './pack-glass.js';
export {
  type SubstitutedOptions,
  type SubstitutedResult,
  substitutedCrystal,
} from './substituted-crystal.js';
export { parseRepeats, supercell } from './supercell.js';
