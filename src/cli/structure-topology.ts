import type { Command } from 'commander';
import { DEFAULT_BOND_CUTOFFS_A, DEFAULT_BOND_HYSTERESIS_A } from '../analysis/structure/topology.js';
import {
  analyseTopologyFiles,
  topologyTable,
  writeTopologyCsv,
  writeTopologyJson,
} from '../analysis/structure/topology-report.js';
import { parseNumber } from './number-option.js';
import {
  addStructureOptions,
  analyseAndReport,
  frameIntervalOption,
  parseBondCutoffs,
  type StructureCliOptions,
  structureReadOptions,
  withFlags,
} from './structure-common.js';

interface TopologyCliOptions extends StructureCliOptions {
  bond?: string;
  hysteresis: string;
  centre: string;
  timeStep?: string;
  frameStep?: string;
  events: string;
}

/** The library options of this command's errors and their flags here. */
const FLAGS: Record<string, string> = {
  bondCutoffsA: '--bond',
  hysteresisA: '--hysteresis',
  centre: '--centre',
  frameIntervalFs: '--time-step',
};

/** `oligolyte structure topology`: bonds, units, census and bond events over a run. */
export const registerStructureTopology = (structure: Command): void => {
  const defaults = Object.entries(DEFAULT_BOND_CUTOFFS_A)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  addStructureOptions(
    structure
      .command('topology')
      .description(
        'bonded topology over time: bonds from distances with hysteresis, units (connected components), a census per frame (intact oligomers, bridging Cl, AlCl4-, free Cl-, polymerised chains), bond events and a verdict: all oligomers intact, or the first event',
      )
      .argument('<runs...>', 'trajectory files, one run each')
      .option('--bond <pairs>', `bond cut-offs per element pair, A (replace the defaults ${defaults})`)
      .option(
        '--hysteresis <A>',
        'a bond breaks only beyond its cut-off plus this, A',
        String(DEFAULT_BOND_HYSTERESIS_A),
      )
      .option('--centre <element>', 'element counted for oligomers (>= 2 in a unit) and chains', 'Al')
      .option('--time-step <fs>', 'integrator time step, fs, for event times (default: the frame times)')
      .option('--frame-step <n>', 'integrator steps between stored frames (with --time-step; default 1)')
      .option('--events <n>', 'bond events printed per run (all go to --json)', '10'),
    'the census per frame as CSV',
  ).action(async (runs: string[], o: TopologyCliOptions) => {
    const read = await structureReadOptions(o);
    const bondCutoffsA = o.bond ? parseBondCutoffs(o.bond) : undefined;
    const hysteresisA = parseNumber(o.hysteresis, '--hysteresis', (v) => v >= 0, 'a distance >= 0 in A')!;
    const frameIntervalFs = frameIntervalOption(o, read.frames?.step);
    const events = parseNumber(
      o.events,
      '--events',
      (v) => Number.isInteger(v) && v >= 0,
      'a whole number >= 0',
    )!;
    await analyseAndReport(
      (onFileProgress) =>
        analyseTopologyFiles(runs, {
          bondCutoffsA,
          hysteresisA,
          centre: o.centre,
          frameIntervalFs,
          read,
          onFileProgress,
        }),
      (result) => topologyTable(result, events),
      [
        [o.json, writeTopologyJson],
        [o.csv, writeTopologyCsv],
      ],
      (e) => withFlags(e, FLAGS),
    );
  });
};
