import type { Command } from 'commander';
import { OptionError } from '../core/errors.js';
import { glassTransitionFromFile } from '../experiment/lab-files.js';
import { dscCsv, dscTable } from '../experiment/report/lab-report.js';
import { addOutputOptions, parseNumberList, report } from './eis-options.js';
import { isWholeAtLeastOne, parseNumber } from './number-option.js';

/** `oligolyte dsc tg`: glass transition from a DSC heat-flow curve. */
export const registerDsc = (program: Command): void => {
  const dsc = program.command('dsc').description('differential scanning calorimetry');
  addOutputOptions(
    dsc
      .command('tg')
      .description(
        "glass transition by the tangent construction (ASTM E1356): onset, midpoint (half step height), inflection and end of the heat-flow step, in the file's temperature unit; a table with named temperature and heat-flow columns (CSV/TSV)",
      )
      .argument('<file>', 'DSC heat-flow table (one heating scan)')
      .option('--temperature-column <name>', 'temperature column (default: the first named Temp...)')
      .option('--heat-flow-column <name>', 'heat-flow column (default: the first named Heat flow...)')
      .option('--range <from,to>', 'search the step only within this temperature range')
      .option('--smooth <n>', 'moving-average window (odd number of points) before differentiating', '1'),
    'one row: onset, midpoint, inflection, end, step',
  ).action(
    async (
      file: string,
      o: {
        temperatureColumn?: string;
        heatFlowColumn?: string;
        range?: string;
        smooth: string;
        json?: string;
        csv?: string;
      },
    ) => {
      const range = parseNumberList(o.range, '--range');
      if (range && (range.length !== 2 || !(range[0] < range[1])))
        throw new OptionError(`--range: "${o.range}" is not from,to with from < to`);
      const smooth = parseNumber(
        o.smooth,
        '--smooth',
        (v) => isWholeAtLeastOne(v) && v % 2 === 1,
        'an odd whole number',
      );
      await report(
        () =>
          glassTransitionFromFile(file, {
            temperatureColumn: o.temperatureColumn,
            heatFlowColumn: o.heatFlowColumn,
            rangeFrom: range?.[0],
            rangeTo: range?.[1],
            smooth,
          }),
        dscTable,
        o,
        (r) => r,
        dscCsv,
      );
    },
  );
};
