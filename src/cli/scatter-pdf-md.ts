import type { Command } from 'commander';
import type { MdPdfRoute } from '../analysis/scattering/md-pdf.js';
import {
  analyseMdPdfFile,
  mdPdfTable,
  writeMdPdfCsv,
  writeMdPdfFgr,
  writeMdPdfJson,
} from '../analysis/scattering/md-scattering-report.js';
import { OptionError } from '../core/errors.js';
import { isPositive, isWholeAtLeastOne, parseNumber } from './number-option.js';
import {
  addStructureOptions,
  analyseAndReport,
  type StructureCliOptions,
  structureReadOptions,
} from './structure-common.js';
import { threadsOption } from './threads-option.js';

interface PdfMdCliOptions extends StructureCliOptions {
  rmax: string;
  dr: string;
  bin: string;
  neutron?: boolean;
  uiso: string;
  qmax: string;
  qdamp: string;
  route: string;
  diameter?: string;
  centres: string;
  threads?: string;
  fgr?: string;
}

const nonNegative = (v: number) => v >= 0;

/** `oligolyte scatter pdf-md`: G(r) of an MD model averaged over its frames. */
export const registerScatterPdfMd = (scatter: Command): void => {
  addStructureOptions(
    scatter
      .command('pdf-md')
      .description(
        "pair distribution function G(r) (1/A^2) of an MD model, averaged over its frames, in PDFfit2's normalisation (comparable with `scatter pdf` of crystals and with PDFgetX/N data): total and weighted partials, X-ray (Z) or neutron (b) weights; each frame a P1 crystal with every image within rmax (route periodic), or spherical cut-outs with the particle envelope divided out (route sphere)",
      )
      .argument('<trajectory>', 'trajectory or structure file with a periodic cell')
      .option('--rmax <A>', 'largest r, A', '20')
      .option('--dr <A>', 'output r step, A', '0.01')
      .option('--bin <A>', 'pair-counting bin, A (made dr / an even number)', '0.001')
      .option('--neutron', 'neutron weights (coherent lengths b) instead of X-ray (Z)')
      .option(
        '--uiso <A^2>',
        'isotropic U of every atom, A^2 (Gaussian peaks; 0: the frames give the spread)',
        '0',
      )
      .option('--qmax <1/A>', 'Qmax termination as PDFfit2 (0: none)', '0')
      .option('--qdamp <1/A>', 'Q-resolution damping exp(-(r Qdamp)^2 / 2)', '0')
      .option('--route <route>', 'periodic (every image; default) or sphere (cut-outs)', 'periodic')
      .option('--diameter <A>', 'sphere route: cut-out diameter, A (default: the narrowest cell width)')
      .option('--centres <n>', 'sphere route: cut-outs per frame', '8')
      .option('--threads <n>', 'worker threads counting pairs, periodic route (default: every core)')
      .option('--fgr <file>', 'the total G(r) as a PDFgui-style .fgr (r, G) for fits'),
    'r_A, G_per_A2 and each partial G_<pair>_per_A2 as CSV',
  ).action(async (file: string, o: PdfMdCliOptions) => {
    const read = await structureReadOptions(o);
    const route: MdPdfRoute | undefined =
      o.route === 'periodic' || o.route === 'sphere' ? o.route : undefined;
    if (!route) throw new OptionError(`--route: "${o.route}" is not periodic or sphere`);
    const options = {
      rMaxA: parseNumber(o.rmax, '--rmax', isPositive, 'a positive distance in A'),
      drA: parseNumber(o.dr, '--dr', isPositive, 'a positive step in A'),
      histogramBinA: parseNumber(o.bin, '--bin', isPositive, 'a positive width in A'),
      radiation: o.neutron ? ('N' as const) : ('X' as const),
      uIsoA2: parseNumber(o.uiso, '--uiso', nonNegative, 'a U >= 0 in A^2'),
      qmaxInvA: parseNumber(o.qmax, '--qmax', nonNegative, 'a Q >= 0 in 1/A'),
      qdampInvA: parseNumber(o.qdamp, '--qdamp', nonNegative, 'a Qdamp >= 0 in 1/A'),
      route,
      sphereDiameterA: parseNumber(o.diameter, '--diameter', isPositive, 'a positive diameter in A'),
      sphereCentres: parseNumber(o.centres, '--centres', isWholeAtLeastOne, 'a whole number >= 1'),
      threads: threadsOption(o.threads),
    };
    await analyseAndReport(
      (onFileProgress) => analyseMdPdfFile(file, { ...options, read, onFileProgress }),
      mdPdfTable,
      [
        [o.json, writeMdPdfJson],
        [o.csv, writeMdPdfCsv],
        [o.fgr, writeMdPdfFgr],
      ],
    );
  });
};
