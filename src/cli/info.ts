import { basename } from 'node:path';
import type { Command } from 'commander';
import { OligolyteError } from '../core/errors.js';
import type { RunInfo } from '../core/frame.js';
import type { CellParameters } from '../core/lattice.js';
import { cellDensity, compositionOf } from '../core/structure-props.js';
import { detectFormat, readFrames } from '../io/registry.js';
import { fileProgress } from './progress.js';
import { addReadOptions, type RawReadOptions, toOpenOptions } from './read-options.js';

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

export const summariseFile = async (
  path: string,
  raw: RawReadOptions,
  onProgress?: (d: number, t: number) => void,
): Promise<FileSummary> => {
  const options = await toOpenOptions(raw);
  const format = await detectFormat(path, options.format);
  let frames = 0;
  let summary: FileSummary | undefined;
  let secondTime: number | undefined;
  let firstLattice: import('../core/lattice.js').Lattice | undefined;
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

export const formatSummary = (s: FileSummary): string => {
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

export const registerInfo = (program: Command): void => {
  addReadOptions(
    program
      .command('info')
      .description(
        'describe structure and trajectory files: format, atoms, composition, frames, cell, density, time step',
      )
      .argument('<files...>', 'files to describe (.gz is read transparently)')
      .option('--json', 'print JSON instead of text'),
  ).action(async (files: string[], opts: RawReadOptions & { json?: boolean }) => {
    const out: FileSummary[] = [];
    for (const f of files) {
      const bar = fileProgress(basename(f));
      try {
        out.push(await summariseFile(f, opts, bar.onProgress));
      } finally {
        bar.stop();
      }
      if (!opts.json) process.stdout.write(`${formatSummary(out[out.length - 1])}\n`);
    }
    if (opts.json) process.stdout.write(`${JSON.stringify(files.length === 1 ? out[0] : out, null, 2)}\n`);
  });
};
