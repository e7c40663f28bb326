import { OligolyteError, ParseError } from '../../core/errors.js';
import type { Frame, SourceLocation } from '../../core/frame.js';
import type { Topology } from '../../core/topology.js';
import { detectFormat, type OpenOptions, readFrames } from '../../io/registry.js';

/** How structure analyses read their trajectory files (as `oligolyte structure` does). */
export interface StructureFilesOptions {
  /** How the files are read (format, LAMMPS types, frames a:b:c, topology, ...). */
  read?: OpenOptions;
  /** A read's progress, per file (bytes read, total bytes). */
  onFileProgress?: (file: string, done: number, total: number) => void;
}

/** Anything fed frame by frame (push may return a promise to hold the reader back). */
export interface FrameSink {
  push(frame: Frame, source?: SourceLocation): void | Promise<void>;
}

/**
 * Stream one run (a trajectory file) into a frame sink made from its first frame's topology.
 * Every frame must have the first frame's atoms (count and elements, in order): a frame that does
 * not is a ParseError at its place in the file. When `read.topology` is given (a structure file
 * with the same atoms: a LAMMPS data file beside a dump), the analysis gets that topology, so its
 * molecule ids and bonds are known even when the trajectory's own frames do not carry them.
 */
export const streamRun = async <S extends FrameSink>(
  file: string,
  options: StructureFilesOptions,
  create: (topology: Topology) => S,
): Promise<{ format: string; sink: S; frames: number }> => {
  const { read = {}, onFileProgress } = options;
  const format = (await detectFormat(file, read.format)).name;
  const onProgress = onFileProgress && ((done: number, total: number) => onFileProgress(file, done, total));
  let sink: S | undefined;
  let first: Topology | undefined;
  let last: Topology | undefined;
  let frames = 0;
  for await (const s of readFrames(file, { ...read, onProgress })) {
    frames++;
    if (!first) {
      first = s.topology;
      let topology = s.topology;
      const given = read.topology;
      if (given && given !== s.topology) {
        if (!given.sameAtoms(s.topology))
          throw new OligolyteError(
            `${file}: the topology given has ${given.natoms} atoms (${given.elements.join(', ')}), the trajectory ${s.topology.natoms} (${s.topology.elements.join(', ')}): they must be the same atoms in the same order`,
            { option: 'topology' },
          );
        topology = given;
      }
      sink = create(topology);
    } else if (s.topology !== last && !s.topology.sameAtoms(first)) {
      const where = s.source ?? { file };
      throw new ParseError({
        file: where.file,
        line: where.line,
        byteOffset: where.byteOffset,
        expected: `frame ${frames} with the atoms of the first frame (${first.natoms}: ${first.elements.join(', ')}), as one run keeps its atoms`,
        found: `${s.topology.natoms} atoms (${s.topology.elements.join(', ')})`,
      });
    }
    last = s.topology;
    const wait = sink!.push(s.frame, s.source ?? { file });
    if (wait) await wait;
  }
  if (!sink)
    throw new OligolyteError(`${file}: no frames to analyse${read.frames ? ' in the frames asked for' : ''}`);
  return { format, sink, frames };
};
