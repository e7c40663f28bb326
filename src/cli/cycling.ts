import type { Command } from 'commander';
import { OptionError } from '../core/errors.js';
import { cyclingFromFile } from '../experiment/lab-files.js';
import { cyclingCsv, cyclingTable } from '../experiment/report/lab-report.js';
import { addOutputOptions, report } from './eis-options.js';
import { isPositive, isWholeAtLeastOne, parseNumber } from './number-option.js';

/** `oligolyte cycling`: capacity, coulombic efficiency and retention per cycle. */
export const registerCycling = (program: Command): void => {
  addOutputOptions(
    program
      .command('cycling')
      .description(
        'capacity, coulombic efficiency (discharge/charge) and retention per cycle from a cycler export with named columns (per cycle or per record; the largest capacity within each cycle counts)',
      )
      .argument('<file>', 'cycler table (CSV/TSV, or EC-Lab .mpt)')
      .option('--cycle-column <name>', 'cycle-number column (default: the first named cycle...)')
      .option('--charge-column <name>', 'charge-capacity column')
      .option('--discharge-column <name>', 'discharge-capacity column')
      .option('--capacity-unit <u>', 'Ah, mAh or mAh/g when the column names do not say')
      .option('--mass <mg>', 'active mass (mg): capacities in mAh/g')
      .option('--reference-cycle <n>', 'retention relative to this cycle (default: the first)'),
    'one row per cycle: charge, discharge, CE %, retention %',
  ).action(
    async (
      file: string,
      o: {
        cycleColumn?: string;
        chargeColumn?: string;
        dischargeColumn?: string;
        capacityUnit?: string;
        mass?: string;
        referenceCycle?: string;
        json?: string;
        csv?: string;
      },
    ) => {
      if (o.capacityUnit !== undefined && !['Ah', 'mAh', 'mAh/g'].includes(o.capacityUnit))
        throw new OptionError(`--capacity-unit: "${o.capacityUnit}" is not Ah, mAh or mAh/g`);
      const options = {
        cycleColumn: o.cycleColumn,
        chargeColumn: o.chargeColumn,
        dischargeColumn: o.dischargeColumn,
        capacityUnit: o.capacityUnit as 'Ah' | 'mAh' | 'mAh/g' | undefined,
        activeMassMg: parseNumber(o.mass, '--mass', isPositive, 'a positive mass in mg'),
        referenceCycle: parseNumber(
          o.referenceCycle,
          '--reference-cycle',
          isWholeAtLeastOne,
          'a whole number >= 1',
        ),
      };
      await report(
        () => cyclingFromFile(file, options),
        cyclingTable,
        o,
        (r) => r,
        cyclingCsv,
      );
    },
  );
};
