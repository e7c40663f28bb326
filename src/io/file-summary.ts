import { OligolyteError } from '../core/errors.js';
import type { RunInfo } from '../core/frame.js';
import type { CellParameters, Lattice } from '../core/lattice.js';
import { cellDensity, compositionOf } from '../core/structure-props.js';
import { detectFormat, type OpenOptions, readFrames } from './registry.js';

/** What `oligolyte info` reports for one file. */
export interface FileSummary {
  file: string;
  format: string;
  atoms: number;
  formula: string;
  composition: Record<string, number>;
  frames: number;
  cell?: CellParameters & { volumeA3: number };
  densityGPerCm3?: number;
  variableCell: boolean;
  /** Time between stored frames (fs), when the file records times. */
  frameIntervalFs?: number;
  firstTimeFs?: number;
  lastTimeFs?: number;
  run?: RunInfo;
  atomCountChanges: boolean;
}

/** Stream a whole file once: its format, atoms, composition, frame count, cell, density and times. */
export const summariseFile = async (
  path: string,
  options: OpenOptions = {},
  onProgress?: (d: number, t: number) => void,
): Promise<FileSummary> => {
  const format = await detectFormat(path, options.format);
  let frames = 0;
  let summary: FileSummary | undefined;
  let secondTime: number | undefined;
  let firstLattice: Lattice | undefined;
  for await (const s of readFrames(path, { ...options, format: format.name, onProgress })) {
    frames++;
    const { topology, frame } = s;
    if (!summary) {
      const comp = compositionOf(topology);
      firstLattice = frame.lattice;
      summary = {
        file: path,
        format: format.name,
        atoms: topology.natoms,
        formula: comp.toString(),
        composition: Object.fromEntries(comp.amounts),
        frames: 0,
        variableCell: false,
        atomCountChanges: false,
      };
      if (frame.lattice) {
        summary.cell = { ...frame.lattice.parameters, volumeA3: frame.lattice.volume };
        summary.densityGPerCm3 = cellDensity(topology, frame.lattice);
      }
      if (frame.timeFs !== undefined) summary.firstTimeFs = frame.timeFs;
      if (s.run && Object.keys(s.run).length) summary.run = s.run;
    } else {
      if (topology.natoms !== summary.atoms) summary.atomCountChanges = true;
      if (frame.lattice && firstLattice && !frame.lattice.equals(firstLattice, 1e-9))
        summary.variableCell = true;
      if (frames === 2 && frame.timeFs !== undefined) secondTime = frame.timeFs;
    }
    if (frame.timeFs !== undefined) summary.lastTimeFs = frame.timeFs;
  }
  if (!summary) throw new OligolyteError(`${path}: the file holds no frames`);
  summary.frames = frames;
  if (secondTime !== undefined && summary.firstTimeFs !== undefined)
    summary.frameIntervalFs = secondTime - summary.firstTimeFs;
  return summary;
};

const fmt = (x: number, d = 4) => (Number.isInteger(x) ? String(x) : x.toFixed(d));

/** The summary as `oligolyte info` prints it. */
export const formatFileSummary = (s: FileSummary): string => {
  const lines = [
    `${s.file}`,
    `  format      ${s.format}`,
    `  atoms       ${s.atoms}  (${s.formula})`,
    `  frames      ${s.frames}`,
  ];
  if (s.cell) {
    const c = s.cell;
    lines.push(
      `  cell        a=${fmt(c.a)} b=${fmt(c.b)} c=${fmt(c.c)} A  alpha=${fmt(c.alpha, 3)} beta=${fmt(c.beta, 3)} gamma=${fmt(c.gamma, 3)} deg${s.variableCell ? '  (first frame; the cell varies)' : ''}`,
    );
    lines.push(`  volume      ${fmt(c.volumeA3, 3)} A^3`);
    lines.push(`  density     ${fmt(s.densityGPerCm3!, 4)} g/cm^3`);
  } else lines.push('  cell        none (not periodic)');
  if (s.run?.timeStepFs !== undefined)
    lines.push(`  time step   ${s.run.timeStepFs} fs (integrator, as the file records it)`);
  if (s.run?.temperatureK !== undefined)
    lines.push(
      `  temperature ${s.run.temperatureK} K${s.run.temperatureEndK !== undefined && s.run.temperatureEndK !== s.run.temperatureK ? ` -> ${s.run.temperatureEndK} K` : ''}`,
    );
  if (s.frameIntervalFs !== undefined)
    lines.push(`  frame every ${fmt(s.frameIntervalFs)} fs (from the file's times)`);
  if (s.firstTimeFs !== undefined)
    lines.push(`  time        ${fmt(s.firstTimeFs)} .. ${fmt(s.lastTimeFs!)} fs`);
  if (s.atomCountChanges) lines.push('  note        the number of atoms changes between frames');
  return lines.join('\n');
};
