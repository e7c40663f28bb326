import { normaliseElementLabel } from '../../core/elements.js';
import { ParseError } from '../../core/errors.js';
import type { Frame, RunInfo, Structure } from '../../core/frame.js';
import { Lattice } from '../../core/lattice.js';
import { Topology } from '../../core/topology.js';
import { kbarToEvPerA3 } from '../../core/units.js';
import { openByteStream } from '../byte-source.js';
import type { Format } from '../format.js';

/**
 * VASP vasprun.xml, streamed with a SAX parser (never loaded whole): one frame per
 * <calculation> (ionic step) with its structure, forces (eV/A), stress (kBar -> eV/A^3, sign
 * flipped to positive = tensile) and energy (e_fr_energy, the force-consistent free energy).
 * POTIM, TEBEG and TEEND from <incar>/<parameters> give the time step and temperatures. Works for
 * machine-learned MD (ML_MODE = run) output, whose steps have the same layout.
 */
export const vasprun: Format = {
  name: 'vasprun',
  description: 'VASP vasprun.xml: structures, forces, stress, energies, POTIM/TEBEG/TEEND (read)',
  multiFrame: true,
  matchesName: (b) => /^vasprun.*\.xml$/.test(b) || b.endsWith('.vasprun.xml'),
  sniff: (_h, text) => /<modeling>/.test(text) && /<generator>|<incar>/.test(text),
  async *read(input) {
    const file = input.path;
    // Loaded here, not with the module: every command that reads files loads the format registry,
    // and the XML parser is wanted only for vasprun.xml.
    const { SaxesParser } = await import('saxes');
    const parser = new SaxesParser({ position: true });
    const queue: Structure[] = [];
    const stack: { name: string; attr: Record<string, string> }[] = [];
    let text = '';
    let collecting = false;
    const params = new Map<string, string>();
    /** Line of each parameter in `params`, for errors about its value. */
    const paramLines = new Map<string, number>();
    let run: RunInfo | undefined;
    const symbols: string[] = [];
    let atomRow: string[] | null = null;
    let topology: Topology | undefined;
    let basis: number[] = [];
    let positions: number[] = [];
    let forces: number[] = [];
    let stress: number[] = [];
    let vectorTarget: number[] | null = null;
    let lattice: Lattice | undefined;
    let pendingPositions: number[] | undefined;
    let energies = new Map<string, number>();
    let calcCount = 0;
    let calcLine = 0;
    let error: Error | undefined;
    const fail = (expected: string, found?: string) =>
      new ParseError({ file, line: parser.line, column: parser.column, expected, found });
    const parent = (k = 1) => stack[stack.length - 1 - k]?.name;
    const inCalc = () => stack.some((s) => s.name === 'calculation');

    parser.on('opentag', (tag) => {
      const attr = tag.attributes as Record<string, string>;
      stack.push({ name: tag.name, attr });
      if (tag.name === 'v' || tag.name === 'i' || tag.name === 'c') {
        collecting = true;
        text = '';
      } else if (tag.name === 'varray') {
        const name = attr.name;
        vectorTarget = null;
        if (name === 'basis') vectorTarget = basis = [];
        else if (name === 'positions') vectorTarget = positions = [];
        else if (name === 'forces' && inCalc()) vectorTarget = forces = [];
        else if (name === 'stress' && inCalc()) vectorTarget = stress = [];
      } else if (tag.name === 'rc' && parent() === 'set') atomRow = [];
      else if (tag.name === 'calculation') {
        calcLine = parser.line;
        forces = [];
        stress = [];
        energies = new Map();
        pendingPositions = undefined;
      }
    });
    parser.on('text', (t) => {
      if (collecting) text += t;
    });
    parser.on('closetag', (tag) => {
      const top = stack.pop()!;
      const name = tag.name;
      if (name === 'v' || name === 'i' || name === 'c') collecting = false;
      if (name === 'v' && vectorTarget) {
        const parts = text.trim().split(/\s+/);
        if (parts.length !== 3) throw fail('three numbers in <v>', text.trim());
        for (const p of parts) {
          const x = Number(p);
          if (!Number.isFinite(x) || p === '') throw fail('a number in <v>', p);
          vectorTarget.push(x);
        }
      } else if (name === 'i') {
        const key = top.attr.name;
        const inIncar = stack.some((s) => s.name === 'incar' || s.name === 'parameters');
        if (inIncar && key && !params.has(key)) {
          params.set(key, text.trim());
          paramLines.set(key, parser.line);
        }
        if (parent(0) === 'energy' && !stack.some((s) => s.name === 'scstep') && key) {
          const x = Number(text.trim());
          if (!Number.isFinite(x)) throw fail(`a number for energy ${key}`, text.trim());
          energies.set(key, x);
        }
      } else if (name === 'c' && atomRow) atomRow.push(text.trim());
      else if (name === 'rc' && atomRow) {
        const inAtoms = stack.some((s) => s.name === 'array' && s.attr.name === 'atoms');
        if (inAtoms) {
          const el = normaliseElementLabel(atomRow[0] ?? '');
          if (!el) throw fail('an element symbol in the atoms array', atomRow[0]);
          symbols.push(el);
        }
        atomRow = null;
      } else if (name === 'varray') vectorTarget = null;
      else if (name === 'crystal' && basis.length > 0) {
        if (basis.length !== 9) throw fail('three basis vectors', `${basis.length / 3}`);
        try {
          lattice = new Lattice(basis);
        } catch (e) {
          throw fail('a valid cell', (e as Error).message);
        }
        // VASP stops on a left-handed cell (RD_POSCAR_HEAD, poscar.F); with fractional positions
        // a negated vector would be another crystal.
        if (lattice.signedVolume < 0)
          throw fail('a right-handed basis (VASP refuses a negative triple product)', basis.join(' '));
        basis = [];
      } else if (name === 'structure' && inCalc()) pendingPositions = positions;
      else if (name === 'calculation') {
        calcCount++;
        if (!topology) {
          if (symbols.length === 0) throw fail('an <atominfo> block before the first <calculation>');
          topology = new Topology({ symbols });
        }
        const n = topology.natoms;
        const pos = pendingPositions;
        if (!pos || pos.length !== 3 * n)
          throw fail(
            `${n} positions in the structure of ionic step ${calcCount}`,
            String((pos?.length ?? 0) / 3),
          );
        if (!lattice) throw fail('a <crystal> basis');
        const frame: Frame = { positions: lattice.toCartesian(pos), lattice, step: calcCount };
        if (forces.length) {
          if (forces.length !== 3 * n)
            throw fail(`${n} forces in ionic step ${calcCount}`, String(forces.length / 3));
          frame.forces = Float64Array.from(forces);
        }
        if (stress.length === 9) frame.stress = Float64Array.from(stress, kbarToEvPerA3);
        const e = energies.get('e_fr_energy') ?? energies.get('e_0_energy') ?? energies.get('total');
        if (e !== undefined) frame.energy = e;
        run ??= runInfo(params, paramLines, file);
        if (run.timeStepFs !== undefined && params.get('IBRION')?.trim() === '0')
          frame.timeFs = (calcCount - 1) * run.timeStepFs;
        queue.push({ topology, frame, run, source: { file, line: calcLine } });
      }
    });
    parser.on('error', (e) => {
      const m = e.message.replace(/^\d+:\d+: /, '');
      error ??= /unclosed tag/.test(m)
        ? fail('the rest of the file (truncated?)', m)
        : fail('well-formed XML', m);
    });

    const stream = openByteStream(input);
    const decoder = new TextDecoder('utf-8');
    try {
      for await (const chunk of stream) {
        parser.write(decoder.decode(chunk, { stream: true }));
        if (error) throw error;
        while (queue.length) yield queue.shift()!;
      }
      parser.close();
      if (error) throw error;
      while (queue.length) yield queue.shift()!;
      if (stack.length > 0)
        throw fail(`the closing </${stack[stack.length - 1].name}> (truncated file?)`, 'end of file');
    } catch (e) {
      if (e instanceof ParseError) throw e;
      throw fail('well-formed XML', (e as Error).message);
    }
  },
};

/**
 * POTIM, TEBEG and TEEND as the run's time step and temperatures, with their lines. An MD run
 * (IBRION = 0) with POTIM <= 0 and a negative temperature are refused here, at their lines (no
 * such run exists); a temperature of 0 K is a valid start (NVE from given velocities) and is left
 * to the consumer that needs a positive one, which names the line from `sources`.
 */
const runInfo = (params: Map<string, string>, lines: Map<string, number>, file: string): RunInfo => {
  const num = (k: string) => {
    const v = params.get(k);
    if (v === undefined) return undefined;
    const x = Number(v);
    if (!Number.isFinite(x) || v === '')
      throw new ParseError({ file, line: lines.get(k), expected: `a number for ${k}`, found: v });
    return x;
  };
  const at = (key: string) => ({ file, line: lines.get(key), key });
  const bad = (key: string, expected: string) =>
    new ParseError({ file, line: lines.get(key), expected, found: `${key} = ${params.get(key)}` });
  const info: RunInfo = {};
  const sources: NonNullable<RunInfo['sources']> = {};
  const potim = num('POTIM');
  if (potim !== undefined) {
    if (!(potim > 0) && params.get('IBRION')?.trim() === '0')
      throw bad('POTIM', 'a positive POTIM (the MD time step, fs)');
    info.timeStepFs = potim;
    sources.timeStepFs = at('POTIM');
  }
  const tb = num('TEBEG');
  if (tb !== undefined) {
    if (tb < 0) throw bad('TEBEG', 'a temperature TEBEG >= 0 K');
    info.temperatureK = tb;
    sources.temperatureK = at('TEBEG');
  }
  const te = num('TEEND');
  if (te !== undefined) {
    if (te < 0) throw bad('TEEND', 'a temperature TEEND >= 0 K');
    info.temperatureEndK = te;
    sources.temperatureEndK = at('TEEND');
  }
  if (Object.keys(sources).length > 0) info.sources = sources;
  return info;
};
