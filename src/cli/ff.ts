import type { Command } from 'commander';
import { registerFfErrors } from './ff-errors.js';
import { registerFfFit } from './ff-fit.js';

/** `oligolyte ff ...`: force-field development (fitting to ab initio reference data). */
export const registerFf = (program: Command): void => {
  const ff = program
    .command('ff')
    .description(
      'force-field development: fit parameters to ab initio reference data, and measure any force field against such data',
    );
  registerFfFit(ff);
  registerFfErrors(ff);
};
