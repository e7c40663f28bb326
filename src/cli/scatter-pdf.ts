import { basename } from 'node:path';
import type { Command } from 'commander';
import { mdProfilePhase } from '../analysis/scattering/md-scattering-report.js';
import { crystalPhase, type PdfPhase, phaseFromFrame } from '../analysis/scattering/pdf-phase.js';
import {
  pdfReport,
  pdfTable,
  writePdfCsv,
  writePdfFgr,
  writePdfJson,
} from '../analysis/scattering/pdf-report.js';
import { terminationExtension } from '../analysis/scattering/pdf-termination.js';
import { OptionError } from '../core/errors.js';
import { readCifCrystal } from '../io/formats/cif-sites.js';
import { readStructure } from '../io/registry.js';
import { readStru } from '../io/stru.js';
import { isPositive, parseNumber } from './number-option.js';
import { parseFrameSlice } from './read-options.js';
import { analyseAndReport } from './structure-common.js';
import { threadsOption } from './threads-option.js';

interface PdfCliOptions {
  qmax: string;
  qdamp: string;
  qbroad: string;
  neutron?: boolean;
  rmin: string;
  rmax: string;
  rstep: string;
  delta1: string;
  delta2: string;
  sratio: string;
  rcut: string;
  spdiameter: string;
  dscale: string;
  uiso?: string;
  md?: boolean;
  frames?: string;
  json?: string;
  csv?: string;
  fgr?: string;
}

const nonNegative = (v: number): boolean => v >= 0;

/** A structure file as a PDF phase: .stru, CIF (with U/B), or any periodic structure with --uiso. */
const readPhase = async (
  file: string,
  uiso: number | undefined,
  md?: Parameters<typeof mdProfilePhase>[1],
): Promise<PdfPhase> => {
  const lower = file.toLowerCase();
  if (lower.endsWith('.stru')) return crystalPhase(readStru(file), basename(file));
  if (lower.endsWith('.cif'))
    return crystalPhase(readCifCrystal(file, { defaultUiso: uiso }), basename(file));
  if (/\.f?gr$/.test(lower))
    throw new OptionError(
      `${file}: this is PDF data, not a structure: \`scatter pdf\` calculates G(r) of structures; refine one against these data with \`scatter fit\``,
    );
  // --md: a trajectory's frame-averaged G(r) (scatter pdf-md's periodic route) as a phase.
  if (md) return mdProfilePhase(file, { ...md, uIsoA2: uiso ?? 0, name: basename(file) });
  if (uiso === undefined)
    throw new OptionError(
      `${file}: this format records no displacements: give an isotropic U with \`uiso\` (A^2)`,
      {
        option: 'uiso',
      },
    );
  return phaseFromFrame(await readStructure(file), uiso, basename(file));
};

/** `oligolyte scatter pdf`: G(r) of structures with PDFfit2's model. */
export const registerScatterPdf = (scatter: Command): void => {
  scatter
    .command('pdf')
    .description(
      "pair distribution function G(r) (1/A^2) of crystals with PDFfit2's model (PDFgui): X-ray (Z) or neutron (b) weights, U tensors, delta1/delta2, Qbroad, Qdamp, particle diameter, Qmax termination; several structures are summed as phases",
    )
    .argument(
      '<structures...>',
      'PDFfit .stru, CIF (U or B values), or any periodic structure file with --uiso',
    )
    .option('--qmax <1/A>', 'Q cut-off for termination ripples (0: none)', '0')
    .option('--qdamp <1/A>', 'Q-resolution damping exp(-(r Qdamp)^2 / 2)', '0')
    .option('--qbroad <1/A>', 'Q-resolution peak broadening', '0')
    .option('--neutron', 'neutron weights (coherent lengths b, Sears 1992) instead of X-ray (Z)')
    .option('--rmin <A>', 'first r, A', '0.01')
    .option('--rmax <A>', 'last r, A', '20')
    .option('--rstep <A>', 'r step, A', '0.01')
    .option('--delta1 <A>', 'linear correlated-motion sharpening, A (overrides the file)')
    .option('--delta2 <A^2>', 'quadratic correlated-motion sharpening, A^2 (overrides the file)')
    .option('--sratio <x>', 'peak-width ratio below --rcut (overrides the file)')
    .option('--rcut <A>', 'distance below which --sratio applies, A')
    .option('--spdiameter <A>', 'spherical particle diameter, A (0: bulk)')
    .option('--dscale <x>', 'overall scale', '1')
    .option(
      '--uiso <A^2>',
      'isotropic U for sites without one (CIF) or for formats without U (required there)',
    )
    .option(
      '--md',
      "read files other than .stru and CIF as MD trajectories: their frames' averaged G(r) (`scatter pdf-md`, periodic route; U from --uiso, default 0) is a phase",
    )
    .option('--frames <slice>', 'with --md: the frames averaged, start:stop:step (0-based, stop exclusive)')
    .option('--json <file>', 'G(r), the phases and the settings, with units, as JSON')
    .option('--csv <file>', 'r_A, G_per_A2 (and each phase when there are several) as CSV')
    .option('--fgr <file>', 'r, G as a PDFgui .fgr file')
    .action(async (files: string[], o: PdfCliOptions) => {
      const num = (v: string | undefined, flag: string, what = 'a number >= 0') =>
        v === undefined ? undefined : parseNumber(v, flag, nonNegative, what);
      const uiso =
        o.uiso === undefined ? undefined : parseNumber(o.uiso, '--uiso', isPositive, 'a positive U in A^2');
      const data = {
        radiation: o.neutron ? ('N' as const) : ('X' as const),
        qmax: num(o.qmax, '--qmax')!,
        qdamp: num(o.qdamp, '--qdamp')!,
        qbroad: num(o.qbroad, '--qbroad')!,
        dscale: parseNumber(o.dscale, '--dscale', Number.isFinite, 'a number'),
      };
      const rmin = num(o.rmin, '--rmin')!;
      const rmax = parseNumber(o.rmax, '--rmax', isPositive, 'a positive distance in A');
      const rstep = parseNumber(o.rstep, '--rstep', isPositive, 'a positive step in A');
      const overrides = {
        delta1: num(o.delta1, '--delta1'),
        delta2: num(o.delta2, '--delta2'),
        sratio: num(o.sratio, '--sratio'),
        rcut: num(o.rcut, '--rcut'),
        spdiameter: num(o.spdiameter, '--spdiameter'),
      };
      await analyseAndReport(
        async () => {
          const md = o.md
            ? {
                radiation: data.radiation,
                rMaxA: rmax + terminationExtension(data.qmax) + 2 * rstep,
                drA: rstep,
                read: o.frames ? { frames: parseFrameSlice(o.frames) } : {},
                threads: threadsOption(undefined),
              }
            : undefined;
          if (!md && o.frames !== undefined) throw new OptionError('--frames needs --md');
          const phases = await Promise.all(files.map((f) => readPhase(f, uiso, md)));
          for (const p of phases)
            if (p.kind === 'crystal')
              for (const [k, v] of Object.entries(overrides))
                if (v !== undefined) p[k as keyof typeof overrides] = v;
          return pdfReport(phases, data, rmin, rmax, rstep);
        },
        pdfTable,
        [
          [o.json, writePdfJson],
          [o.csv, writePdfCsv],
          [o.fgr, writePdfFgr],
        ],
      );
    });
};
