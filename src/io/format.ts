import { OptionError } from '../core/errors.js';
import type { Structure } from '../core/frame.js';
import type { Lattice } from '../core/lattice.js';
import type { Topology } from '../core/topology.js';
import type { InputFile } from './byte-source.js';
import type { TextSink } from './text-sink.js';

/** ReadOptions.interleaveCoordinates. */
export type InterleaveCoordinates = (
  x: Float32Array,
  y: Float32Array,
  z: Float32Array,
  positions: Float64Array,
) => boolean;

/** Options every reader understands (each ignores what does not apply to it). */
export interface ReadOptions {
  /**
   * Element of each LAMMPS atom type: ['Li', 'Al', ...] for types 1, 2, ... or {1: 'Li', ...}.
   * Without it, LAMMPS readers use an element column or the type masses.
   */
  typeMap?: readonly string[] | Readonly<Record<number, string>>;
  /** Element symbols for VASP 4 files that lack the species line, in POSCAR order. */
  species?: readonly string[];
  /** Topology for formats that store none (XTC, DCD, NPY): atom count must match. */
  topology?: Topology;
  /** Cell for formats that store none (NPY arrays of coordinates). */
  cell?: Lattice;
  /** NPY: the array holds fractional (default, as pymatgen-analysis-diffusion's) or Cartesian coordinates. */
  npyCoordinates?: 'fractional' | 'cartesian';
  /** LAMMPS data atom style when the file does not say ('atomic', 'charge', 'full'). */
  atomStyle?: 'atomic' | 'charge' | 'full';
  /** LAMMPS units of the file, for velocities and time ('metal': A/ps, ps; 'real': A/fs, fs). */
  lammpsUnits?: 'metal' | 'real';
  /**
   * A trajectory that ends inside a frame (its writer was stopped): 'warn' (default) reads the
   * complete frames and reports the torn one through onWarning; 'error' fails.
   */
  tornLastFrame?: 'warn' | 'error';
  /** Warnings while reading (default: process.emitWarning). */
  onWarning?: (message: string) => void;
  /**
   * The consumer keeps no frame's positions past the next frame (it copies what it keeps): a
   * reader may then hand every frame the same positions array, overwritten frame by frame, and
   * save allocating (and collecting) one per frame. Readers that honour it: DCD. Default false.
   */
  reusePositions?: boolean;
  /**
   * Where each frame's positions go: called once per frame, before its coordinates are converted,
   * it returns the array (3 x atoms long) they are written into, so that a reader thread can
   * write them straight into a shared buffer (read-ahead.ts) instead of copying them there. The
   * same rule as `reusePositions` holds for the array. Readers that honour it: DCD.
   */
  positionsInto?: () => Float64Array;
  /**
   * How a frame's X, Y and Z coordinate records (float32, one value per atom each) become its
   * positions: written interleaved into `positions`, every value checked; false when one is not
   * finite or beyond MAX_COORDINATE_A (the reader then finds the first for its error). Default:
   * a JavaScript loop; the DCD reading thread gives a SIMD kernel that writes into its shared
   * ring (read-ahead-worker.ts). Readers that honour it: DCD.
   */
  interleaveCoordinates?: InterleaveCoordinates;
  /**
   * The window the file is read into (a pull at a time, as much as fits; a larger one is
   * allocated when a frame does not fit): the DCD reading thread gives one in its SIMD kernel's
   * memory, which then reads the coordinate records where they stand. Readers that honour it: DCD.
   */
  readWindow?: Uint8Array;
  /**
   * Told, before the first frame, how many frames the reading will give, where the format knows
   * it from the file's size (DCD: fixed-size frames; not when compressed). With options.frames,
   * the frames selected (readFrames and readDcdAhead translate it). Readers that honour it: DCD.
   */
  onFrameCount?: (frames: number) => void;
}

/** A frame selection's start, stop and step, checked: whole numbers, 0 <= start <= stop, step >= 1. */
export const frameSelection = (
  frames: { start?: number; stop?: number; step?: number } = {},
): { start: number; stop: number; step: number } => {
  const { start = 0, stop = Number.POSITIVE_INFINITY, step = 1 } = frames;
  if (
    !(Number.isInteger(start) && start >= 0 && Number.isInteger(step) && step >= 1) ||
    !(stop >= start && (Number.isInteger(stop) || stop === Number.POSITIVE_INFINITY))
  )
    throw new OptionError(
      `frames: need whole numbers 0 <= start <= stop and step >= 1, got start ${start}, stop ${stop}, step ${step}`,
    );
  return { start, stop, step };
};

/** How many of `total` frames a selection (OpenOptions.frames, checked by frameSelection) keeps. */
export const selectedFrameCount = (
  total: number,
  {
    start = 0,
    stop = Number.POSITIVE_INFINITY,
    step = 1,
  }: { start?: number; stop?: number; step?: number } = {},
): number => {
  const end = Math.min(total, stop);
  return end > start ? Math.floor((end - start - 1) / step) + 1 : 0;
};

/** A reader's warning: through options.onWarning, else as a process warning. */
export const warn = (options: ReadOptions, message: string): void => {
  if (options.onWarning) options.onWarning(message);
  else process.emitWarning(message, 'OligolyteWarning');
};

export interface WriteOptions {
  /** LAMMPS dump/data: write unwrapped coordinates (xu yu zu) rather than wrapped ones. */
  unwrapped?: boolean;
  /** LAMMPS data atom style (default: full when the topology has molecule ids or bonds, else charge or atomic). */
  atomStyle?: 'atomic' | 'charge' | 'full';
  lammpsUnits?: 'metal' | 'real';
  /** POSCAR: write Cartesian rather than fractional ('Direct') coordinates. */
  cartesian?: boolean;
  /** Free-text comment line where the format has one. */
  comment?: string;
}

/** A file format: how to recognise it, read it and (where possible) write it. */
export interface Format {
  /** Short name used by --from/--to: 'poscar', 'xdatcar', 'extxyz', 'lammps-dump', ... */
  name: string;
  description: string;
  /** True when a file holds a trajectory (many frames); false for single structures. */
  multiFrame: boolean;
  /** Does the file name alone say it is this format? (basename, lower-cased, without .gz) */
  matchesName(basename: string): boolean;
  /** Does the content (first few KB, decompressed) look like this format? */
  sniff(head: Uint8Array, text: string): boolean;
  /** Stream the frames of a file. */
  read?(input: InputFile, options: ReadOptions): AsyncIterable<Structure>;
  /** Write frames; single-structure formats accept exactly one. Returns the frame count. */
  write?(sink: TextSink, frames: AsyncIterable<Structure>, options: WriteOptions): Promise<number>;
}
