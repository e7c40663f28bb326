import { fsToPs } from '../../core/units.js';
import type { TextSink } from '../../io/text-sink.js';
import { csvField, tableNumber as g, jsonNumbers, csvNumber as num, writeTo } from '../report-io.js';
import { type StructureFilesOptions, streamRun } from './run-files.js';
import {
  type BondEvent,
  BondedTopologyAccumulator,
  type BondedTopologyOptions,
  type BondedTopologyResult,
} from './topology.js';

/**
 * The bonded topology of several trajectory files, one run each, as `oligolyte structure
 * topology` computes it, and its reports: the printed table (verdict, census, units, first
 * events), the JSON of every number (census per frame, every event kept) and the census CSV.
 */
export interface TopologyFileRun {
  file: string;
  format: string;
  result: BondedTopologyResult;
}

export interface TopologyFilesResult {
  runs: TopologyFileRun[];
}

export const analyseTopologyFiles = async (
  files: string[],
  options: BondedTopologyOptions & StructureFilesOptions = {},
): Promise<TopologyFilesResult> => {
  const { read, onFileProgress, ...topologyOptions } = options;
  const runs: TopologyFileRun[] = [];
  for (const file of files) {
    const { format, sink } = await streamRun(
      file,
      { read, onFileProgress },
      (t) => new BondedTopologyAccumulator(t, topologyOptions),
    );
    runs.push({ file, format, result: sink.result() });
  }
  return { runs };
};

const stats = (a: ArrayLike<number>) => {
  let s = 0;
  let n = 0;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < a.length; k++) {
    const v = a[k];
    if (!Number.isFinite(v)) continue;
    s += v;
    n++;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return { mean: n > 0 ? s / n : Number.NaN, min: n > 0 ? lo : Number.NaN, max: n > 0 ? hi : Number.NaN };
};

/** One event as a line: "frame 12 (1.2 ps): Al-O 5-17 broken at 2.430 A (within oligomer 2)". */
export const formatEvent = (e: BondEvent): string => {
  const when = Number.isFinite(e.timeFs) ? ` (${g(fsToPs(e.timeFs))} ps)` : '';
  const a = e.oligomerI + 1;
  const b = e.oligomerJ + 1;
  const which =
    a === 0 && b === 0
      ? ''
      : a === b
        ? ` (within oligomer ${a})`
        : a > 0 && b > 0
          ? ` (oligomers ${a} and ${b})`
          : ` (oligomer ${a || b} and an atom of no oligomer)`;
  return `frame ${e.frame}${when}: ${e.pair} ${e.i + 1}-${e.j + 1} ${e.kind} at ${e.distanceA.toFixed(3)} A${which}`;
};

/** The printed table: verdict, census over the frames, unit kinds, first events. */
export const topologyTable = ({ runs }: TopologyFilesResult, maxEvents = 10): string => {
  const lines: string[] = [];
  for (const { file, format, result: r } of runs) {
    lines.push(`${file}  (${format})`);
    const rules = r.rules.map((p) => `${p.pair} <= ${g(p.formA, 3)} A (breaks beyond ${g(p.breakA, 3)})`);
    lines.push(`  ${r.frames} frames; bonds ${rules.join(', ')}`);
    const formulas = new Map<string, number>();
    for (const o of r.oligomers) formulas.set(o.formula, (formulas.get(o.formula) ?? 0) + 1);
    lines.push(
      `  starting oligomers (units with >= 2 ${r.centre}): ${r.oligomers.length}${formulas.size ? ` (${[...formulas].map(([f, n]) => `${n} ${f}`).join(', ')})` : ''}; bonds ${r.bondsFirst} at the start, ${r.bondsLast} at the end`,
    );
    lines.push(`  verdict: ${r.verdict.text}`);
    lines.push(`  ${'per frame'.padEnd(34)}${'mean'.padStart(10)}${'min'.padStart(8)}${'max'.padStart(8)}`);
    const c = r.census;
    const row = (name: string, a: ArrayLike<number>) => {
      const s = stats(a);
      lines.push(
        `  ${name.padEnd(34)}${g(s.mean).padStart(10)}${g(s.min).padStart(8)}${g(s.max).padStart(8)}`,
      );
    };
    row('intact starting oligomers', c.intact);
    row('units of a starting composition', c.startingComposition);
    row(`oligomers (>= 2 ${r.centre})`, c.oligomers);
    row('bridging Cl', c.bridgingCl);
    row('bridging Cl per oligomer', c.bridgingClPerOligomer);
    row('AlCl4-', c.tetrachloro);
    row('free Cl-', c.freeCl);
    row(`polymerised (> starting ${r.centre})`, c.polymerised);
    row(`${r.centre} in the largest unit`, c.largestCentre);
    row('units', c.units);
    lines.push(`  units by formula${r.unitKinds.length > 12 ? ' (12 most common)' : ''}:`);
    lines.push(
      `    ${'formula'.padEnd(16)}${'mean'.padStart(10)}${'min'.padStart(7)}${'max'.padStart(7)}${'frames'.padStart(9)}`,
    );
    const kinds = [...r.unitKinds].sort((a, b) => b.meanCount - a.meanCount).slice(0, 12);
    for (const k of kinds)
      lines.push(
        `    ${k.formula.padEnd(16)}${g(k.meanCount).padStart(10)}${String(k.minCount).padStart(7)}${String(k.maxCount).padStart(7)}${String(k.framesPresent).padStart(9)}`,
      );
    if (r.eventCount > 0) {
      lines.push(
        `  bond events: ${r.eventCount}${r.eventCount > maxEvents ? ` (the first ${maxEvents}; all${r.eventsTruncated ? ' kept' : ''} in --json)` : ''}`,
      );
      for (const e of r.events.slice(0, maxEvents)) lines.push(`    ${formatEvent(e)}`);
    } else lines.push('  bond events: none');
    lines.push('');
  }
  return lines.join('\n');
};

/** Every number with its units, as written by --json. */
export const topologyReport = ({ runs }: TopologyFilesResult) => ({
  units: {
    distance: 'A',
    time: 'fs (timesFs, timeFs)',
    atoms: '0-based indices (the table prints them 1-based)',
    census: 'counts per frame (bridgingClPerOligomer: mean per oligomer unit)',
  },
  runs: runs.map(({ file, format, result }) => ({ file, format, ...result })),
});

export const writeTopologyJson = (target: string | TextSink, result: TopologyFilesResult): Promise<void> =>
  writeTo(target, async (sink) => {
    sink.write(`${JSON.stringify(topologyReport(result), jsonNumbers, 1)}\n`);
  });

/** The census per frame as CSV: run, frame, time, then each count. */
export const writeTopologyCsv = (target: string | TextSink, { runs }: TopologyFilesResult): Promise<void> =>
  writeTo(target, async (sink) => {
    sink.write(
      'run,frame,time_ps,units,intact,starting_composition,oligomers,bridging_cl,bridging_cl_per_oligomer,alcl4,free_cl,polymerised,largest_centre,bonds\n',
    );
    for (const { file, result: r } of runs) {
      const name = csvField(file);
      const c = r.census;
      for (let k = 0; k < r.frames; k++) {
        sink.write(
          `${name},${k},${num(fsToPs(r.timesFs[k]))},${c.units[k]},${c.intact[k]},${c.startingComposition[k]},${c.oligomers[k]},${c.bridgingCl[k]},${num(c.bridgingClPerOligomer[k])},${c.tetrachloro[k]},${c.freeCl[k]},${c.polymerised[k]},${c.largestCentre[k]},${c.bonds[k]}\n`,
        );
        if (k % 4096 === 4095) await sink.flush();
      }
      await sink.flush();
    }
  });
