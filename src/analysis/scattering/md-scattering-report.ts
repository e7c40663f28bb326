import type { TextSink } from '../../io/text-sink.js';
import { csvField, tableNumber as g, jsonNumbers, csvNumber as num, writeTo } from '../report-io.js';
import { type StructureFilesOptions, streamRun } from '../structure/run-files.js';
import { DebyeAccumulator, type DebyeOptions, type DebyeResult } from './debye.js';
import { MdPdfAccumulator, type MdPdfOptions, type MdPdfResult } from './md-pdf.js';
import type { ProfilePhase } from './pdf-phase.js';
import {
  type SqWeighting,
  type TotalScattering,
  type TransformWindow,
  totalScatteringFromPdf,
} from './structure-factor.js';

// File drivers and reports of the MD scattering commands (scatter pdf-md, sq, debye): read a
// trajectory, feed its frames to the accumulator, print a table, write JSON and CSV.

export interface MdPdfFileResult {
  file: string;
  format: string;
  pdf: MdPdfResult;
}

/** G(r) of one trajectory (see md-pdf.ts). */
export const analyseMdPdfFile = async (
  file: string,
  options: MdPdfOptions & StructureFilesOptions,
): Promise<MdPdfFileResult> => {
  const { read, onFileProgress, ...pdfOptions } = options;
  let acc: MdPdfAccumulator | undefined;
  try {
    const run = await streamRun(
      file,
      { read, onFileProgress },
      (t) => (acc = new MdPdfAccumulator(t, pdfOptions)),
    );
    return { file, format: run.format, pdf: await run.sink.result() };
  } finally {
    await acc?.close();
  }
};

const composition = (c: Record<string, number>) =>
  Object.entries(c)
    .map(([e, n]) => `${e}${g(n, 4)}`)
    .join(' ');

const pdfHeader = (file: string, format: string, p: MdPdfResult): string[] => [
  `${file}  (${format})`,
  `  ${p.frames} frames, ${p.atoms} atoms (${composition(p.composition)}), rho0 ${g(p.numberDensityPerA3, 5)} atoms/A^3, mean volume ${g(p.meanVolumeA3, 6)} A^3`,
  `  ${p.radiation === 'N' ? 'neutron, weights b (fm)' : 'X-ray, weights Z'}: ${Object.entries(
    p.scatteringFactors,
  )
    .map(([e, f]) => `${e} ${g(f, 4)}`)
    .join(', ')}; <f> ${g(p.meanScatteringFactor, 5)}`,
  `  route ${p.route}${p.route === 'sphere' ? ` (${p.samples} cut-outs of ${g(p.sphereDiameterA, 5)} A)` : ' (every periodic image)'}; r 0..${g(p.rA[p.rA.length - 1], 5)} A step ${g(p.drA)} A, counted in ${g(p.histogramBinA)} A bins; U ${g(p.uIsoA2)} A^2, Qdamp ${g(p.qdampInvA)} 1/A, Qmax ${p.qmaxInvA > 0 ? `${g(p.qmaxInvA)} 1/A` : 'none'}`,
];

export const mdPdfTable = ({ file, format, pdf: p }: MdPdfFileResult): string => {
  const lines = pdfHeader(file, format, p);
  lines.push(
    `  ${'curve'.padEnd(10)}${'highest G at r A'.padStart(18)}${'G 1/A^2'.padStart(11)}${'G at rmax'.padStart(11)}`,
  );
  const row = (name: string, y: Float64Array) => {
    let k = 0;
    for (let i = 1; i < y.length; i++) if (y[i] > y[k]) k = i;
    lines.push(
      `  ${name.padEnd(10)}${g(p.rA[k], 4).padStart(18)}${g(y[k], 4).padStart(11)}${g(y[y.length - 1], 4).padStart(11)}`,
    );
  };
  row('total', p.g);
  for (const q of p.partials) row(q.name, q.g);
  lines.push(
    '  partials are weighted (w_a w_b, both orders for a != b): they add up to the total; G(r) in --json, --csv, --fgr',
  );
  lines.push('');
  return lines.join('\n');
};

export const mdPdfReport = ({ file, format, pdf }: MdPdfFileResult) => ({
  file,
  format,
  method:
    "G(r) = sum_{i != j} w_i w_j delta(r - r_ij) / (N r) - 4 pi r rho0, PDFfit2's normalisation (w = f / <f>, f = Z or b), averaged over frames",
  ...pdf,
});

export const writeMdPdfJson = (target: string | TextSink, r: MdPdfFileResult): Promise<void> =>
  writeTo(target, async (sink) => {
    sink.write(`${JSON.stringify(mdPdfReport(r), jsonNumbers, 1)}\n`);
  });

/** CSV: r_A, G_per_A2 (total), then G_<pair>_per_A2 for each weighted partial. */
export const writeMdPdfCsv = (target: string | TextSink, { pdf }: MdPdfFileResult): Promise<void> =>
  writeTo(target, async (sink) => {
    sink.write(
      `${['r_A', 'G_per_A2', ...pdf.partials.map((p) => `G_${p.name}_per_A2`)].map(csvField).join(',')}\n`,
    );
    for (let k = 0; k < pdf.rA.length; k++) {
      sink.write(`${[num(pdf.rA[k]), num(pdf.g[k]), ...pdf.partials.map((p) => num(p.g[k]))].join(',')}\n`);
      if (k % 4096 === 0) await sink.flush();
    }
  });

/**
 * The total G(r) as a PDFgui-style .fgr (header comments, then r, G, dr = 0, dG = 0), for a fit
 * that takes the model's PDF as a profile phase.
 */
export const writeMdPdfFgr = (target: string | TextSink, { file, pdf }: MdPdfFileResult): Promise<void> =>
  writeTo(target, async (sink) => {
    sink.write(
      `# G(r) of the MD model ${file}: ${pdf.frames} frames, ${pdf.atoms} atoms, route ${pdf.route}, oligolyte scatter pdf-md\n`,
    );
    sink.write(
      `# stype=${pdf.radiation} qmax=${pdf.qmaxInvA} qdamp=${pdf.qdampInvA} rho0=${pdf.numberDensityPerA3} uiso=${pdf.uIsoA2}\n`,
    );
    sink.write(
      `# composition ${Object.entries(pdf.composition)
        .map(([e, n]) => `${e}=${n}`)
        .join(' ')}\n`,
    );
    sink.write('##### start data\n#L r(A) G(r) d_r d_Gr\n');
    for (let k = 0; k < pdf.rA.length; k++) sink.write(`${num(pdf.rA[k])} ${num(pdf.g[k])} 0 0\n`);
  });

export interface SqFileResult extends MdPdfFileResult {
  sq: TotalScattering;
}

export interface SqFileOptions extends StructureFilesOptions {
  qInvA: ArrayLike<number>;
  weighting: SqWeighting;
  window?: TransformWindow;
  rMaxA?: number;
  drA?: number;
  threads?: number;
}

/**
 * S(Q) of one trajectory: its partial G_ab(r) by the periodic route (U = 0, no termination, the
 * PDF's own weights: neutron b for a neutron S(Q), else Z), each transformed and weighted (see
 * structure-factor.ts).
 */
export const analyseSqFile = async (file: string, o: SqFileOptions): Promise<SqFileResult> => {
  const r = await analyseMdPdfFile(file, {
    read: o.read,
    onFileProgress: o.onFileProgress,
    rMaxA: o.rMaxA ?? 20,
    drA: o.drA ?? 0.01,
    radiation: o.weighting.radiation,
    threads: o.threads,
  });
  return { ...r, sq: totalScatteringFromPdf(r.pdf, o.qInvA, o.weighting, o.window ?? 'lorch') };
};

/** The highest point of a curve at Q >= qFrom (the first point if none is). */
const curveSummary = (q: Float64Array, s: Float64Array, qFrom = 0) => {
  let k = -1;
  for (let i = 0; i < s.length; i++) if (q[i] >= qFrom && (k < 0 || s[i] > s[k])) k = i;
  if (k < 0) k = 0;
  return { qMax: q[k], sMax: s[k] };
};

export const sqTable = ({ file, format, pdf, sq }: SqFileResult): string => {
  const qFrom = (2 * Math.PI) / sq.rMaxA;
  const lines = [
    `${file}  (${format})`,
    `  ${pdf.frames} frames, ${pdf.atoms} atoms (${composition(pdf.composition)}), rho0 ${g(pdf.numberDensityPerA3, 5)} atoms/A^3`,
    `  Faber-Ziman S(Q), ${sq.weighting}; from the partial G(r) to ${g(sq.rMaxA, 4)} A (every periodic image), window ${sq.window}; Q ${g(sq.qInvA[0])}..${g(sq.qInvA[sq.qInvA.length - 1])} 1/A`,
    `  ${'curve'.padEnd(10)}${'highest peak Q 1/A'.padStart(20)}${'S(peak)'.padStart(10)}   (Q >= 2 pi / rmax = ${g(qFrom, 3)} 1/A)`,
  ];
  const row = (name: string, s: Float64Array) => {
    const { qMax, sMax } = curveSummary(sq.qInvA, s, qFrom);
    lines.push(`  ${name.padEnd(10)}${g(qMax, 4).padStart(20)}${g(sMax, 4).padStart(10)}`);
  };
  row('total', sq.s);
  for (const p of sq.partials) row(p.name, p.s);
  lines.push(
    '  S(Q), F(Q) = Q [S(Q) - 1] and the partial S_ab(Q) in --json and --csv; below Q ~ 2 pi / rmax the finite range shows',
  );
  lines.push('');
  return lines.join('\n');
};

export const sqReport = ({ file, format, pdf, sq }: SqFileResult) => ({
  file,
  format,
  frames: pdf.frames,
  atoms: pdf.atoms,
  composition: pdf.composition,
  numberDensityPerA3: pdf.numberDensityPerA3,
  ...sq,
  pdf: { rA: pdf.rA, g: pdf.g, radiation: pdf.radiation },
});

export const writeSqJson = (target: string | TextSink, r: SqFileResult): Promise<void> =>
  writeTo(target, async (sink) => {
    sink.write(`${JSON.stringify(sqReport(r), jsonNumbers, 1)}\n`);
  });

/** CSV: Q_per_A, S, F_per_A, then S_<pair> for each partial. */
export const writeSqCsv = (target: string | TextSink, { sq }: SqFileResult): Promise<void> =>
  writeTo(target, async (sink) => {
    sink.write(
      `${['Q_per_A', 'S', 'F_per_A', ...sq.partials.map((p) => `S_${p.name}`)].map(csvField).join(',')}\n`,
    );
    for (let k = 0; k < sq.qInvA.length; k++)
      sink.write(
        `${[num(sq.qInvA[k]), num(sq.s[k]), num(sq.f[k]), ...sq.partials.map((p) => num(p.s[k]))].join(',')}\n`,
      );
  });

export interface DebyeFileResult {
  file: string;
  format: string;
  debye: DebyeResult;
  frames: number;
}

/** The Debye pattern of one trajectory's frames as clusters (see debye.ts). */
export const analyseDebyeFile = async (
  file: string,
  options: DebyeOptions & StructureFilesOptions,
): Promise<DebyeFileResult> => {
  const { read, onFileProgress, ...o } = options;
  const run = await streamRun(file, { read, onFileProgress }, (t) => new DebyeAccumulator(t, o));
  return { file, format: run.format, debye: run.sink.result(), frames: run.frames };
};

export const debyeTable = ({ file, format, debye: d, frames }: DebyeFileResult): string => {
  const { qMax, sMax } = curveSummary(d.qInvA, d.structureFactor);
  const lines = [
    `${file}  (${format})`,
    `  ${frames} frames; ${d.samples} clusters of ${g(d.meanAtoms, 6)} atoms on average (${composition(d.composition)})`,
    `  Debye equation, f(Q) ${d.formFactor === 'z' ? '= Z' : "= pymatgen's f(s)"}, pair distances in ${g(d.binWidthA)} A bins; Q ${g(d.qInvA[0])}..${g(d.qInvA[d.qInvA.length - 1])} 1/A`,
    `  highest S(Q) ${g(sMax, 4)} at Q = ${g(qMax, 4)} 1/A; I(Q)/N at the first Q ${g(d.intensityPerAtom[0], 5)}, at the last ${g(d.intensityPerAtom[d.intensityPerAtom.length - 1], 5)} electrons^2`,
    '  I(Q), I(Q)/N and S(Q) in --json and --csv (a finite cluster: its small-angle scattering included)',
    '',
  ];
  return lines.join('\n');
};

export const writeDebyeJson = (target: string | TextSink, r: DebyeFileResult): Promise<void> =>
  writeTo(target, async (sink) => {
    sink.write(
      `${JSON.stringify({ file: r.file, format: r.format, frames: r.frames, method: 'Debye scattering equation of finite clusters', ...r.debye }, jsonNumbers, 1)}\n`,
    );
  });

/** CSV: Q_per_A, I_e2 (per cluster), I_per_atom_e2, S. */
export const writeDebyeCsv = (target: string | TextSink, { debye: d }: DebyeFileResult): Promise<void> =>
  writeTo(target, async (sink) => {
    sink.write('Q_per_A,I_e2,I_per_atom_e2,S\n');
    for (let k = 0; k < d.qInvA.length; k++)
      sink.write(
        `${num(d.qInvA[k])},${num(d.intensity[k])},${num(d.intensityPerAtom[k])},${num(d.structureFactor[k])}\n`,
      );
  });

/**
 * An MD trajectory as a phase of `scatter pdf` / fits (pdf-phase.ts ProfilePhase): its
 * frame-averaged G(r) by the periodic route on r = 0, dr, ... up to `rMaxA`, with no Qmax or Qdamp
 * (the data model applies them to the phase, as to a crystal), its composition for <f> and the
 * phase fractions.
 */
export const mdProfilePhase = async (
  file: string,
  o: Omit<MdPdfOptions, 'qmaxInvA' | 'qdampInvA' | 'route'> & StructureFilesOptions & { name?: string },
): Promise<ProfilePhase> => {
  const { name, ...rest } = o;
  const { pdf } = await analyseMdPdfFile(file, { ...rest, route: 'periodic' });
  return {
    kind: 'profile',
    name: name ?? file,
    r: pdf.rA,
    g: pdf.g,
    composition: pdf.composition,
    pscale: 1,
    spdiameter: 0,
  };
};
