import { OptionError } from '../../core/errors.js';
import { readStructure } from '../../io/registry.js';
import type { TextSink } from '../../io/text-sink.js';
import { csvField, tableNumber as g, jsonNumbers, csvNumber as num, writeTo } from '../report-io.js';
import { type StructureFilesOptions, streamRun } from '../structure/run-files.js';
import {
  ConformationAccumulator,
  type ConformationOptions,
  type ConformationResult,
  type ConformationSeries,
  type Estimate95,
} from './conformations.js';
import type { CorrelationTimes } from './correlation-time.js';
import { type JumpRateArrhenius, jumpRateArrhenius } from './jump-arrhenius.js';

/**
 * Conformational dynamics of several trajectory files, one run (temperature) each, as `oligolyte
 * structure conformations` computes them, and the reports: the printed table (per link and pooled
 * jump rates with intervals, angles, rotational correlation times, the Arrhenius fit of the rate
 * over temperatures), the JSON of every number but the per-frame series, the series as CSV and
 * the rotational correlation curves as CSV.
 */
export interface ConformationFileRun {
  file: string;
  format: string;
  /** Run temperature (K): the option, else the file's; NaN when neither says. */
  temperatureK: number;
  temperatureFrom: 'option' | 'file' | 'unknown';
  result: ConformationResult;
  series: ConformationSeries;
}

export interface ConformationFilesResult {
  runs: ConformationFileRun[];
  /** With runs at two or more temperatures. */
  arrhenius?: JumpRateArrhenius;
}

export interface ConformationFilesOptions extends ConformationOptions, StructureFilesOptions {
  /** One temperature for every run, or one per run (K); default: from each file when it says. */
  temperaturesK?: number[];
}

export const analyseConformationFiles = async (
  files: string[],
  options: ConformationFilesOptions = {},
): Promise<ConformationFilesResult> => {
  const { read, onFileProgress, temperaturesK = [], ...conformationOptions } = options;
  if (temperaturesK.length > 1 && temperaturesK.length !== files.length)
    throw new OptionError(`\`temperaturesK\`: ${temperaturesK.length} values for ${files.length} runs`, {
      option: 'temperaturesK',
    });
  for (const t of temperaturesK)
    if (!(t > 0))
      throw new OptionError(`\`temperaturesK\`: ${t} K is not a positive temperature`, {
        option: 'temperaturesK',
      });
  const runs: ConformationFileRun[] = [];
  for (const [k, file] of files.entries()) {
    const { format, sink } = await streamRun(
      file,
      { read, onFileProgress },
      (t) => new ConformationAccumulator(t, conformationOptions),
    );
    const { result, series } = sink.resultWithSeries();
    let temperatureK =
      temperaturesK.length === 0 ? Number.NaN : temperaturesK[temperaturesK.length === 1 ? 0 : k];
    let temperatureFrom: ConformationFileRun['temperatureFrom'] = Number.isNaN(temperatureK)
      ? 'unknown'
      : 'option';
    if (temperatureFrom === 'unknown') {
      const first = await readStructure(file, { ...read, onProgress: undefined });
      const t = first.run?.temperatureK;
      if (t !== undefined && t > 0) {
        temperatureK = t;
        temperatureFrom = 'file';
      }
    }
    runs.push({ file, format, temperatureK, temperatureFrom, result, series });
  }
  const temps = new Set(runs.map((r) => r.temperatureK).filter((t) => t > 0));
  let arrhenius: JumpRateArrhenius | undefined;
  if (runs.length >= 2 && temps.size >= 2) {
    const known = runs.filter((r) => r.temperatureK > 0);
    arrhenius = jumpRateArrhenius(
      known.map((r) => ({
        temperatureK: r.temperatureK,
        jumps: r.result.pooled.jumps,
        linkTimeNs: r.result.pooled.linkTimeNs,
      })),
    );
    if (known.length < runs.length)
      arrhenius.notes.push(
        `${runs.length - known.length} run(s) without a temperature left out (give temperaturesK)`,
      );
  }
  return { runs, arrhenius };
};

const rate = (e: Estimate95) => `${g(e.value)} [${g(e.low95, 3)}, ${g(e.high95, 3)}]`;
const times = (c: CorrelationTimes) =>
  `integral ${g(c.integralPs, 3)}, exp ${g(c.exponential.tauPs, 3)}, KWW ${g(c.stretched.tauPs, 3)} (beta ${g(c.stretched.beta, 2)}, mean ${g(c.stretched.meanTauPs, 3)})${c.decayed ? '' : '  not decayed below 1/e: lower bounds'}`;

/** The printed table: per run the links, the pooled jump rate, angles and rotation; then the Arrhenius fit. */
export const conformationsTable = ({ runs, arrhenius: a }: ConformationFilesResult): string => {
  const lines: string[] = [];
  for (const { file, format, temperatureK, temperatureFrom, result: r } of runs) {
    lines.push(`${file}  (${format})`);
    lines.push(
      `  ${r.frames} frames, ${g(r.frameIntervalFs)} fs apart (${r.frameIntervalFrom}), ${g(r.durationPs)} ps; T ${temperatureFrom === 'unknown' ? 'not given' : `${g(temperatureK)} K (${temperatureFrom})`}`,
    );
    lines.push(
      `  low-pass ${g(r.cutoffTHz)} THz on the ${r.filterOn} torsion (mirror-padded FFT); basins: eclipsed < ${g(r.eclipsedBelowDeg)} deg, staggered > ${g(r.staggeredAboveDeg)} deg`,
    );
    lines.push(
      `  ${'link (Al-O-Al)'.padEnd(18)}${'Al-O-Al deg'.padStart(14)}${'dihedral'.padStart(10)}${'filtered'.padStart(10)}${'ecl %'.padStart(7)}${'stag %'.padStart(8)}${'jumps'.padStart(7)}  rate /ns [95 %]`,
    );
    for (const l of r.links) {
      const name = `${l.alFront + 1}-${l.oxygen + 1}-${l.alBack + 1}`;
      lines.push(
        `  ${name.padEnd(18)}${`${g(l.angleMeanDeg)} +- ${g(l.angleSdDeg, 2)}`.padStart(14)}${g(l.dihedralMeanDeg, 3).padStart(10)}${g(l.filteredDihedralMeanDeg, 3).padStart(10)}${g(100 * l.eclipsedFraction, 3).padStart(7)}${g(100 * l.staggeredFraction, 3).padStart(8)}${String(l.jumps).padStart(7)}  ${rate(l.ratePerNs)}`,
      );
    }
    const p = r.pooled;
    lines.push(
      `  all ${p.links} links: ${p.jumps} jumps in ${g(p.linkTimeNs)} link-ns: ${rate(p.ratePerNs)} per link per ns (exact Poisson 95 %)`,
    );
    lines.push(
      `  Al-O-Al ${g(r.angleMeanDeg)} +- ${g(r.angleSdDeg, 3)} deg; eclipsed ${g(100 * r.eclipsedFraction, 3)} %, staggered ${g(100 * r.staggeredFraction, 3)} % of the link time`,
    );
    if (r.rotation) {
      const rot = r.rotation;
      lines.push(`  rotation of ${rot.bonds} terminal Al-Cl bonds, correlation times (ps):`);
      lines.push(`    C1 = <P1(u(0).u(t))>: ${times(rot.p1)}`);
      lines.push(`    C2 = <P2(u(0).u(t))>: ${times(rot.p2)}`);
    }
    for (const n of r.notes) lines.push(`  note: ${n}`);
    lines.push('');
  }
  if (a) {
    lines.push(
      `Arrhenius of the pooled jump rate (${a.fittedK.length} of ${a.temperaturesK.length} runs, weighted by Poisson counts):`,
    );
    for (const [k, t] of a.temperaturesK.entries()) lines.push(`  ${g(t)} K: ${g(a.ratesPerNs[k])} /ns`);
    if (a.fit) {
      lines.push(
        `  Ea ${g(a.fit.activationEv.value)} +- ${g(a.fit.activationEv.std, 2)} eV [${g(a.fit.activationEv.low95, 3)}, ${g(a.fit.activationEv.high95, 3)}]; ln A ${g(a.fit.lnPrefactor.value)} (A per ns)`,
      );
      if (a.at300K)
        lines.push(
          `  at 300 K: ${g(a.at300K.value)} /ns [${g(a.at300K.low95, 3)}, ${g(a.at300K.high95, 3)}]`,
        );
    }
    for (const n of a.notes) lines.push(`  note: ${n}`);
    lines.push('');
  }
  return lines.join('\n');
};

/** Every number with its units (the per-frame series go to the CSV), as written by --json. */
export const conformationsReport = ({ runs, arrhenius }: ConformationFilesResult) => ({
  units: {
    angle: 'degrees',
    time: 'fs, or ps where the name ends in Ps',
    rate: 'jumps per link per ns, with exact Poisson (Garwood) 95 % intervals',
    atoms: '0-based indices (the table prints them 1-based)',
    correlation: 'C1, C2 dimensionless at lagsPs',
    activation: 'eV (ln A with A in jumps per ns)',
  },
  runs: runs.map(({ file, format, temperatureK, temperatureFrom, result }) => ({
    file,
    format,
    temperatureK,
    temperatureFrom,
    ...result,
  })),
  arrhenius,
});

export const writeConformationsJson = (
  target: string | TextSink,
  result: ConformationFilesResult,
): Promise<void> =>
  writeTo(target, async (sink) => {
    sink.write(`${JSON.stringify(conformationsReport(result), jsonNumbers, 1)}\n`);
  });

/**
 * The per-frame series as CSV, one row per run, link and frame: time, Al-O-Al angle (raw and
 * filtered), folded dihedral (raw and filtered) and the continuous torsion (raw), degrees.
 */
export const writeConformationsCsv = (
  target: string | TextSink,
  { runs }: Pick<ConformationFilesResult, 'runs'>,
): Promise<void> =>
  writeTo(target, async (sink) => {
    sink.write(
      'run,temperature_K,link,al_front,oxygen,al_back,time_ps,angle_deg,angle_filtered_deg,dihedral_deg,dihedral_filtered_deg,torsion_deg\n',
    );
    for (const { file, temperatureK, result: r, series: s } of runs) {
      const name = csvField(file);
      for (const [k, l] of r.links.entries()) {
        const head = `${name},${num(temperatureK)},${k + 1},${l.alFront + 1},${l.oxygen + 1},${l.alBack + 1}`;
        for (let f = 0; f < r.frames; f++) {
          sink.write(
            `${head},${s.timePs[f]},${s.angleDeg[k][f]},${s.filteredAngleDeg[k][f]},${num(s.dihedralDeg[k][f])},${num(s.filteredDihedralDeg[k][f])},${num(s.torsionDeg[k][f])}\n`,
          );
          if (f % 4096 === 4095) await sink.flush();
        }
        await sink.flush();
      }
    }
  });

/** The rotational correlation curves as CSV: run, lag (ps), C1, C2. */
export const writeRotationCsv = (
  target: string | TextSink,
  { runs }: Pick<ConformationFilesResult, 'runs'>,
): Promise<void> =>
  writeTo(target, async (sink) => {
    sink.write('run,temperature_K,lag_ps,c1,c2\n');
    for (const { file, temperatureK, result: r } of runs) {
      const rot = r.rotation;
      if (!rot) continue;
      const name = csvField(file);
      const t = Number.isFinite(temperatureK) ? String(temperatureK) : '';
      for (let m = 0; m < rot.lagsPs.length; m++)
        sink.write(`${name},${t},${rot.lagsPs[m]},${rot.c1[m]},${rot.c2[m]}\n`);
      await sink.flush();
    }
  });
