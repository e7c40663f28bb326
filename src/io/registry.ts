import { basename } from 'node:path';
import { OptionError, UnknownFormatError } from '../core/errors.js';
import type { Structure } from '../core/frame.js';
import { inspectInput, readHead } from './byte-source.js';
import {
  type Format,
  frameSelection,
  type ReadOptions,
  selectedFrameCount,
  type WriteOptions,
} from './format.js';
import { aseTraj } from './formats/ase-traj.js';
import { cif } from './formats/cif.js';
import { dcd } from './formats/dcd.js';
import { extxyz } from './formats/extxyz.js';
import { gro } from './formats/gro.js';
import { lammpsData } from './formats/lammps-data.js';
import { lammpsDump } from './formats/lammps-dump.js';
import { mmcif } from './formats/mmcif.js';
import { npy } from './formats/npy.js';
import { pdb } from './formats/pdb.js';
import { poscar } from './formats/poscar.js';
import { pymatgenJson } from './formats/pymatgen-json.js';
import { vasprun } from './formats/vasprun.js';
import { xdatcar } from './formats/xdatcar.js';
import { xtc } from './formats/xtc.js';
import { TextSink } from './text-sink.js';
import { checkReadFrame, checkWriteFrame } from './value-limits.js';

/** Every format, in the order content sniffing tries them (most specific first). */
export const FORMATS: readonly Format[] = [
  dcd,
  xtc,
  aseTraj,
  npy,
  pymatgenJson,
  vasprun,
  lammpsDump,
  xdatcar,
  lammpsData,
  // mmCIF before cif: both claim *.cif, and an _atom_site.Cartn_x loop (no fract_x) means mmCIF.
  mmcif,
  cif,
  pdb,
  gro,
  extxyz,
  poscar,
];

export const formatByName = (name: string): Format => {
  const f = FORMATS.find((x) => x.name === name.toLowerCase());
  if (!f) throw new OptionError(`unknown format "${name}"; known: ${FORMATS.map((x) => x.name).join(', ')}`);
  return f;
};

const baseName = (path: string) => basename(path).toLowerCase().replace(/\.gz$/, '');

/** The format of a file for writing, from its name. */
export const formatForOutput = (path: string, name?: string): Format => {
  const f = name ? formatByName(name) : FORMATS.find((x) => x.matchesName(baseName(path)));
  if (!f)
    throw new UnknownFormatError(
      `${path}: cannot tell the format from the name; give \`format\` (${FORMATS.filter((x) => x.write)
        .map((x) => x.name)
        .join(', ')})`,
      { option: 'writeFrames.format' },
    );
  if (!f.write) throw new OptionError(`format ${f.name} can be read but not written`);
  return f;
};

/** The format of a file: by name first, confirmed (or found) by content. */
export const detectFormat = async (path: string, name?: string): Promise<Format> => {
  if (name) return formatByName(name);
  const input = await inspectInput(path);
  const head = await readHead(input, 8192);
  const text = Buffer.from(head).toString('latin1');
  const byName = FORMATS.filter((f) => f.matchesName(baseName(path)));
  const confirmed = byName.find((f) => f.sniff(head, text));
  if (confirmed) return confirmed;
  const byContent = FORMATS.find((f) => f.sniff(head, text));
  if (byContent) return byContent;
  if (byName.length > 0) return byName[0];
  throw new UnknownFormatError(
    `${path}: unknown format (neither the name nor the content matches ${FORMATS.map((f) => f.name).join(', ')}); give \`format\``,
    { option: 'readFrames.format' },
  );
};

/** A slice of frames, like Python's a:b:c (negative start/stop count from the end is not supported while streaming). */
export interface FrameSlice {
  start?: number;
  stop?: number;
  step?: number;
}

export interface OpenOptions extends ReadOptions {
  /** Format name; detected when absent. */
  format?: string;
  frames?: FrameSlice;
  /** Called with (bytes of the file consumed, file size) as the read goes on. */
  onProgress?: (done: number, total: number) => void;
}

/** Stream the frames of any supported file. */
export async function* readFrames(path: string, options: OpenOptions = {}): AsyncGenerator<Structure> {
  const format = await detectFormat(path, options.format);
  if (!format.read) throw new OptionError(`format ${format.name} cannot be read`);
  const input = await inspectInput(path);
  const progress = options.onProgress;
  if (progress) input.onRawBytes = (b) => progress(b, input.size);
  const { start, stop, step } = frameSelection(options.frames);
  let k = 0;
  const told = options.onFrameCount;
  const reader = format.read(input, {
    ...options,
    onFrameCount: told && ((n) => told(selectedFrameCount(n, options.frames))),
  });
  for await (const s of reader) {
    if (k >= stop) break;
    if (k >= start && (k - start) % step === 0) {
      checkReadFrame(s, path, k + 1);
      yield s;
    }
    k++;
  }
}

/** Read a single structure (the first frame, or the one picked by options.frames). */
export const readStructure = async (path: string, options: OpenOptions = {}): Promise<Structure> => {
  for await (const s of readFrames(path, options)) return s;
  throw new OptionError(`${path}: no frames`);
};

/** Write frames to a file (format from the name or options.format), atomically. Returns the frame count. */
export const writeFrames = async (
  path: string,
  frames: AsyncIterable<Structure> | Iterable<Structure>,
  options: WriteOptions & { format?: string } = {},
): Promise<number> => {
  const format = formatForOutput(path, options.format);
  const sink = new TextSink(path);
  const asAsync = async function* () {
    let k = 0;
    for await (const s of frames as AsyncIterable<Structure>) {
      checkWriteFrame(s, path, ++k);
      yield s;
    }
  };
  try {
    const n = await format.write!(sink, asAsync(), options);
    await sink.commit();
    return n;
  } catch (e) {
    await sink.abort();
    throw e;
  }
};

/** Write one structure (one frame) to `path`, atomically, in the format its name says. */
export const writeStructure = async (
  path: string,
  structure: Structure,
  options: WriteOptions & { format?: string } = {},
): Promise<void> => {
  await writeFrames(path, [structure], options);
};
