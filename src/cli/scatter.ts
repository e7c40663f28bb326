import type { Command } from 'commander';
import { registerScatterDebye } from './scatter-debye.js';
import { registerScatterFit } from './scatter-fit.js';
import { registerScatterPdf } from './scatter-pdf.js';
import { registerScatterPdfMd } from './scatter-pdf-md.js';
import { registerScatterSq } from './scatter-sq.js';
import { registerScatterXrd } from './scatter-xrd.js';
// Each scatter subcommand lives in its own file and is registered below, one line each.

/** `oligolyte scatter ...`: X-ray and neutron scattering of crystals and models. */
export const registerScatter = (program: Command): void => {
  const scatter = program
    .command('scatter')
    .description(
      'scattering: pair distribution functions, PDF fits, powder X-ray diffraction, total scattering S(Q) of models',
    );
  registerScatterPdf(scatter);
  registerScatterFit(scatter);
  registerScatterXrd(scatter);
  registerScatterPdfMd(scatter);
  registerScatterSq(scatter);
  registerScatterDebye(scatter);
};
