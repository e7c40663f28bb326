/**
 * oligolyte/core: units and constants, elements, lattices, space groups, topology and frames,
 * compositions, statistics, errors. Everything else builds on these.
 */
export { Composition } from './composition.js';
export {
  ATOMIC_WEIGHTS,
  atomicNumber,
  atomicWeight,
  ELEMENT_SYMBOLS,
  elementFromMass,
  isElement,
  normaliseElementLabel,
} from './elements.js';
export {
  InsufficientDataError,
  OligolyteError,
  OptionError,
  ParseError,
  type ParseErrorDetails,
  PhysicsError,
  UnknownFormatError,
} from './errors.js';
export type { Frame, RunInfo, SourceLocation, Structure } from './frame.js';
export { type CellParameters, Lattice } from './lattice.js';
export { fastFftSize, MixedRadixFft, smoothFftSize } from './mixed-radix-fft.js';
export { SeededRandom } from './random.js';
export {
  findSpaceGroup,
  SpaceGroupLookupError,
  type SpaceGroupSetting,
  type SymOp,
  spaceGroupOperations,
} from './spacegroups/index.js';
export * from './statistics.js';
export { cellDensity, compositionOf } from './structure-props.js';
export { type BondedTerms, Topology, type TopologyInit } from './topology.js';
export * from './units.js';
export { VolumetricGrid } from './volumetric-grid.js';
