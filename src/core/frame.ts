import type { Lattice } from './lattice.js';
import type { Topology } from './topology.js';

/**
 * One instant of a run. Units: positions A (Cartesian, interleaved x0 y0 z0 x1 ...), velocities
 * A/fs, forces eV/A, energy eV, stress eV/A^3 (3x3 row-major, positive = tensile), time fs.
 */
export interface Frame {
  positions: Float64Array;
  velocities?: Float64Array;
  forces?: Float64Array;
  /** Absent for a non-periodic (molecular) frame. */
  lattice?: Lattice;
  /** Potential energy (eV). */
  energy?: number;
  stress?: Float64Array;
  /** Simulation time of the frame (fs), when the file records it. */
  timeFs?: number;
  /** Integrator step of the frame, when the file records it. */
  step?: number;
  /** True when positions are known to be unwrapped (continuous across boundaries). */
  unwrapped?: boolean;
}

/** What a file says about the run as a whole (only what the format records). */
export interface RunInfo {
  /** Integrator time step (fs), e.g. VASP POTIM. */
  timeStepFs?: number;
  /** Thermostat temperature at the start and end (K), e.g. VASP TEBEG and TEEND. */
  temperatureK?: number;
  temperatureEndK?: number;
}

/** Topology + one Frame (+ run-level facts from the file, when it has any). */
export interface Structure {
  topology: Topology;
  frame: Frame;
  run?: RunInfo;
}
