import { type Command, Option } from 'commander';
import { OptionError } from '../core/errors.js';
import type { FrameSlice, OpenOptions } from '../io/registry.js';
import { readStructure } from '../io/registry.js';

/** Options shared by every command that reads structure or trajectory files. */
export const addReadOptions = (cmd: Command): Command =>
  cmd
    .option('--from <format>', 'input format (default: from the file name and content)')
    .option('--type-map <map>', 'elements of LAMMPS types: "Li,Al,O,Cl" or "1=Li,2=Al"')
    .option('--elements <list>', 'element names for VASP 4 files without a species line: "Li,Al,O,Cl"')
    .option(
      '--topology <file>',
      'structure file giving the atoms (and cell) of an XTC, DCD or NPY trajectory',
    )
    .addOption(
      new Option(
        '--npy-coordinates <kind>',
        'NPY arrays hold fractional (default) or Cartesian coordinates',
      ).choices(['fractional', 'cartesian']),
    )
    .addOption(
      new Option('--lammps-units <units>', 'LAMMPS units of the file (default: metal)').choices([
        'metal',
        'real',
      ]),
    )
    .addOption(
      new Option('--atom-style <style>', 'LAMMPS data atom style if the file does not say').choices([
        'atomic',
        'charge',
        'full',
      ]),
    );

export interface RawReadOptions {
  from?: string;
  typeMap?: string;
  elements?: string;
  topology?: string;
  lammpsUnits?: 'metal' | 'real';
  atomStyle?: 'atomic' | 'charge' | 'full';
  npyCoordinates?: 'fractional' | 'cartesian';
}

/** Parse "Li,Al" or "1=Li,2=Al" into the reader's type map. */
export const parseTypeMap = (s: string): string[] | Record<number, string> => {
  const parts = s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  if (parts.length === 0) throw new OptionError(`--type-map: empty map "${s}"`);
  if (parts.every((p) => p.includes('='))) {
    const map: Record<number, string> = {};
    for (const p of parts) {
      const [k, v] = p.split('=');
      const t = Number(k);
      if (!Number.isInteger(t) || t < 1)
        throw new OptionError(`--type-map: "${k}" is not a type number (1, 2, ...)`);
      map[t] = v.trim();
    }
    return map;
  }
  if (parts.some((p) => p.includes('=')))
    throw new OptionError('--type-map: use either "Li,Al" or "1=Li,2=Al", not both');
  return parts;
};

/** Parse a Python-like frame slice "a:b:c" (any part may be empty; a single number picks one frame). */
export const parseFrameSlice = (s: string): FrameSlice => {
  const parts = s.split(':');
  if (parts.length > 3) throw new OptionError(`--frames: "${s}" is not start:stop:step`);
  const num = (x: string | undefined, what: string) => {
    if (x === undefined || x.trim() === '') return undefined;
    const v = Number(x);
    if (!Number.isInteger(v) || v < 0)
      throw new OptionError(`--frames: ${what} "${x}" must be a whole number >= 0`);
    return v;
  };
  if (parts.length === 1) {
    const k = num(parts[0], 'frame');
    if (k === undefined) throw new OptionError('--frames: empty');
    return { start: k, stop: k + 1 };
  }
  const slice: FrameSlice = {
    start: num(parts[0], 'start'),
    stop: num(parts[1], 'stop'),
    step: num(parts[2], 'step'),
  };
  if (slice.step === 0) throw new OptionError('--frames: step must be at least 1');
  return slice;
};

export const toOpenOptions = async (o: RawReadOptions): Promise<OpenOptions> => {
  // A trajectory torn by a stopped writer: read its complete frames and say so on stderr.
  const out: OpenOptions = { onWarning: (m) => process.stderr.write(`warning: ${m}\n`) };
  if (o.from) out.format = o.from;
  if (o.typeMap) out.typeMap = parseTypeMap(o.typeMap);
  if (o.elements) out.species = o.elements.split(',').map((x) => x.trim());
  if (o.lammpsUnits) out.lammpsUnits = o.lammpsUnits;
  if (o.atomStyle) out.atomStyle = o.atomStyle;
  if (o.npyCoordinates) out.npyCoordinates = o.npyCoordinates;
  if (o.topology) {
    const s = await readStructure(o.topology, { typeMap: out.typeMap });
    out.topology = s.topology;
    if (s.frame.lattice) out.cell = s.frame.lattice;
  }
  return out;
};
