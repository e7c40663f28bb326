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

/**
 * Where a value stands in a file, so that a consumer that finds it unusable (a temperature of
 * 0 K, frames unevenly spaced in time) can name the place: a line (text), a byte offset (binary)
 * or a key path (JSON, XML), whichever the reader knows.
 */
export interface SourceLocation {
  file: string;
  /** 1-based line. */
  line?: number;
  column?: number;
  byteOffset?: number;
  /** Key path or tag, e.g. "time_step" or "POTIM". */
  key?: string;
}

/** What a file says about the run as a whole (only what the format records). */
export interface RunInfo {
  /** Integrator time step (fs), e.g. VASP POTIM. */
  timeStepFs?: number;
  /** Thermostat temperature at the start and end (K), e.g. VASP TEBEG and TEEND. */
  temperatureK?: number;
  temperatureEndK?: number;
  /** Where each value is in the file, when the reader knows it. */
  sources?: Partial<Record<'timeStepFs' | 'temperatureK' | 'temperatureEndK', SourceLocation>>;
}

/** Topology + one Frame (+ run-level facts from the file, when it has any). */
export interface Structure {
  topology: Topology;
  frame: Frame;
  run?: RunInfo;
  /** Where the frame starts in its file (its first line or byte), when the reader knows it. */
  source?: SourceLocation;
}
