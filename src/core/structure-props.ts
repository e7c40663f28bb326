import { Composition } from './composition.js';
import type { Lattice } from './lattice.js';
import type { Topology } from './topology.js';
import { densityGPerCm3 } from './units.js';

/** Mass density (g/cm^3) of a topology's atoms in a cell. */
export const cellDensity = (topology: Topology, lattice: Lattice): number =>
  densityGPerCm3(topology.totalMass(), lattice.volume);

/** The composition of a topology (element counts, order of first appearance). */
export const compositionOf = (topology: Topology): Composition => new Composition(topology.counts());
