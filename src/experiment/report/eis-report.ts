import { tableNumber as g } from '../../analysis/report-io.js';
import { BOLTZMANN_EV_PER_K } from '../../core/units.js';
import type { ConductivityArrheniusResult, ConductivityRun, EisFitRun, KKRun } from '../eis-files.js';
import { type CsvTable, pad } from './report-output.js';

/** The width of a file column: the longest name plus two. */
const fileWidth = (runs: { file: string }[]) => Math.max(6, ...runs.map((r) => r.file.length)) + 2;

const pct = (std: number, v: number) =>
  Number.isFinite(std) && v !== 0 ? `${g((100 * std) / Math.abs(v), 3)}%` : '-';

/** `eis fit`: each file's parameters with standard errors, chi^2 and the strongest correlation. */
export const eisFitTable = (runs: EisFitRun[]): string => {
  const lines: string[] = [];
  for (const { file, format, fit } of runs) {
    lines.push(`${file}  (${format})  ${fit.circuit}, ${fit.points} frequencies, weighting ${fit.weighting}`);
    lines.push(`  ${'parameter'.padEnd(10)}${pad('value', 12)} ${pad('std err', 11)} ${pad('rel', 9)}  unit`);
    fit.parameterNames.forEach((n, k) => {
      lines.push(
        `  ${n.padEnd(10)}${pad(g(fit.parameters[k], 5), 12)} ${pad(fit.atBound?.[k] ? 'at bound' : g(fit.stdErrors[k], 3), 11)} ${pad(pct(fit.stdErrors[k], fit.parameters[k]), 9)}  ${fit.parameterUnits[k]}`,
      );
    });
    let worst: [string, number] | undefined;
    for (let a = 0; a < fit.correlation.length; a++)
      for (let b = a + 1; b < fit.correlation.length; b++) {
        const r = fit.correlation[a][b];
        if (Number.isFinite(r) && (!worst || Math.abs(r) > Math.abs(worst[1])))
          worst = [`${fit.parameterNames[a]}-${fit.parameterNames[b]}`, r];
      }
    lines.push(
      `  chi^2 (sum of squares) ${g(fit.sumOfSquares, 6)}, reduced ${g(fit.reducedChiSquare, 4)} (${fit.dof} dof); best of ${fit.starts.length} starts (#${fit.bestStart + 1})${worst ? `; largest correlation ${worst[0]} ${g(worst[1], 3)}` : ''}`,
    );
    lines.push('');
  }
  lines.push(
    "chi^2: sum over frequencies of the weighted Re and Im residuals squared (impedance.py's definition); std err from s^2 (J^T J)^-1",
  );
  return `${lines.join('\n')}\n`;
};

export const eisFitJson = (runs: EisFitRun[]) => ({
  units: { frequency: 'Hz', impedance: 'ohm', parameters: 'per parameterUnits' },
  runs,
});

/** One row per file and parameter. */
export const eisFitCsv = (runs: EisFitRun[]): CsvTable => ({
  head: [
    'file',
    'circuit',
    'parameter',
    'value',
    'std_error',
    'unit',
    'sum_of_squares',
    'reduced_chi2',
    'weighting',
  ],
  rows: runs.flatMap(({ file, fit }) =>
    fit.parameterNames.map((n, k) => [
      file,
      fit.circuit,
      n,
      fit.parameters[k],
      fit.stdErrors[k],
      fit.parameterUnits[k],
      fit.sumOfSquares,
      fit.reducedChiSquare,
      fit.weighting,
    ]),
  ),
});

/** The residuals of every fit per frequency (data minus fit, ohm). */
export const eisFitResidualsCsv = (runs: EisFitRun[]): CsvTable => ({
  head: ['file', 'frequency_Hz', 'fit_re_ohm', 'fit_im_ohm', 'residual_re_ohm', 'residual_im_ohm'],
  rows: runs.flatMap(({ file, fit }) =>
    fit.frequencyHz.map((f, i) => [
      file,
      f,
      fit.fitReOhm[i],
      fit.fitImOhm[i],
      fit.residualReOhm[i],
      fit.residualImOhm[i],
    ]),
  ),
});

export const kkTable = (runs: KKRun[]): string => {
  const w = fileWidth(runs);
  const lines = [
    `${'file'.padEnd(w)}${pad('points', 7)}${pad('M', 4)}${pad('mu', 8)}${pad('max|res| %', 12)}${pad('rms res %', 11)}`,
  ];
  for (const { file, result: r } of runs) {
    const all = [...r.residualRe, ...r.residualIm];
    const rms = Math.sqrt(all.reduce((s, v) => s + v * v, 0) / all.length);
    lines.push(
      `${file.padEnd(w)}${pad(String(r.frequencyHz.length), 7)}${pad(String(r.m), 4)}${pad(g(r.mu, 3), 8)}${pad(g(100 * r.maxAbsResidual, 3), 12)}${pad(g(100 * rms, 3), 11)}`,
    );
  }
  const c = runs[0]?.result.c;
  lines.push(
    '',
    `Lin-KK (Schoenleber et al. 2014): M RC elements chosen as the first with mu <= ${c ?? '(fixed M)'}; residuals (Z - Z_KK)/|Z|; well below 1 % means valid (linear, stable, causal) data`,
  );
  return `${lines.join('\n')}\n`;
};

export const kkCsv = (runs: KKRun[]): CsvTable => ({
  head: ['file', 'frequency_Hz', 'residual_re', 'residual_im', 'kk_re_ohm', 'kk_im_ohm', 'M', 'mu'],
  rows: runs.flatMap(({ file, result: r }) =>
    r.frequencyHz.map((f, i) => [
      file,
      f,
      r.residualRe[i],
      r.residualIm[i],
      r.fitReOhm[i],
      r.fitImOhm[i],
      r.m,
      r.mu,
    ]),
  ),
});

const sigmaRow = (r: ConductivityRun) =>
  `${pad(g(r.bulk.ohm, 5), 11)}${pad(g(r.bulk.stdOhm, 3), 10)}${pad(g(1000 * r.sigma.sCm, 4), 13)}${pad(g(1000 * r.sigma.stdSCm, 3), 10)}${pad(`[${g(1000 * r.sigma.low95SCm, 3)}, ${g(1000 * r.sigma.high95SCm, 3)}]`, 22)}`;

export const conductivityTable = (runs: ConductivityRun[]): string => {
  const w = fileWidth(runs);
  const lines = [
    `${'file'.padEnd(w)}${pad('R_b ohm', 11)}${pad('std', 10)}${pad('sigma mS/cm', 13)}${pad('std', 10)}${pad('95 %', 22)}  R_b from`,
  ];
  for (const r of runs)
    lines.push(
      `${r.file.padEnd(w)}${sigmaRow(r)}  ${r.bulk.method === 'fit' ? `fit: ${r.bulk.detail}` : r.bulk.detail}`,
    );
  const c = runs[0]?.sigma;
  if (c)
    lines.push(
      '',
      `sigma = L / (R_b A); cell constant L/A = ${g(c.cellConstantPerCm, 5)} cm^-1 (rel. std ${g(100 * c.cellConstantRelStd, 2)} %)`,
    );
  return `${lines.join('\n')}\n`;
};

const conductivityCsvRow = (r: ConductivityRun) => [
  r.file,
  r.temperatureK ?? null,
  r.bulk.ohm,
  r.bulk.stdOhm,
  r.bulk.method,
  r.sigma.sCm,
  r.sigma.stdSCm,
  r.sigma.low95SCm,
  r.sigma.high95SCm,
];
const CONDUCTIVITY_HEAD = [
  'file',
  'temperature_K',
  'r_bulk_ohm',
  'r_bulk_std_ohm',
  'r_bulk_from',
  'sigma_S_cm',
  'sigma_std_S_cm',
  'sigma_low95_S_cm',
  'sigma_high95_S_cm',
];

export const conductivityCsv = (runs: ConductivityRun[]): CsvTable => ({
  head: CONDUCTIVITY_HEAD,
  rows: runs.map(conductivityCsvRow),
});

export const conductivityJson = (runs: ConductivityRun[]) => ({
  units: { resistance: 'ohm', sigma: 'S/cm', cellConstant: 'cm^-1' },
  runs,
});

export const arrheniusTable = ({ runs, fit }: ConductivityArrheniusResult): string => {
  const w = fileWidth(runs);
  const lines = [
    `${'file'.padEnd(w)}${pad('T K', 8)}${pad('T C', 8)}${pad('R_b ohm', 11)}${pad('std', 10)}${pad('sigma mS/cm', 13)}${pad('std', 10)}${pad('95 %', 22)}`,
  ];
  for (const r of runs) {
    const t = r.temperatureK as number;
    const row = sigmaRow(r);
    lines.push(`${r.file.padEnd(w)}${pad(g(t, 5), 8)}${pad(g(t - 273.15, 4), 8)}${row}`);
  }
  const iv = (x: [number, number] | null) =>
    x ? `[${g(x[0], 4)}, ${g(x[1], 4)}]` : '(two temperatures: no interval)';
  lines.push(
    '',
    `Arrhenius of sigma:   Ea ${g(fit.arrhenius.activationEv.value, 4)} eV, 95 % ${iv(fit.activationEv95)} eV; sigma_0 ${g(fit.arrhenius.prefactor, 4)} S/cm`,
    `Arrhenius of sigma T: Ea ${g(fit.arrheniusSigmaT.activationEv.value, 4)} eV, 95 % ${iv(fit.activationSigmaTEv95)} eV; A ${g(fit.arrheniusSigmaT.prefactor, 4)} S K/cm`,
  );
  if (fit.vtf) {
    const v = fit.vtf;
    lines.push(
      `VTF sigma = A exp(-B / (k_B (T - T0))): B ${g(v.pseudoActivationEv, 4)} eV [${g(v.pseudoActivationEv95[0], 4)}, ${g(v.pseudoActivationEv95[1], 4)}], T0 ${g(v.t0K, 4)} K [${g(v.t0K95[0], 4)}, ${g(v.t0K95[1], 4)}], A ${g(v.prefactor, 4)} S/cm${v.t0AtZero ? ' (T0 at 0 K: no bend)' : ''}`,
      `AICc of ln sigma: Arrhenius ${g(fit.aiccArrhenius, 4)}, VTF ${g(fit.aiccVtf, 4)}: ${fit.preferred === 'either' ? 'no clear preference (difference < 2)' : fit.preferred ? `${fit.preferred} preferred` : 'not comparable'}`,
    );
  } else lines.push('VTF: needs 4 or more temperatures');
  return `${lines.join('\n')}\n`;
};

export const arrheniusCsv = ({ runs }: ConductivityArrheniusResult): CsvTable => ({
  head: [...CONDUCTIVITY_HEAD, 'inverse_T_per_K', 'ln_sigma', 'ln_sigma_T'],
  rows: runs.map((r) => {
    const t = r.temperatureK as number;
    return [...conductivityCsvRow(r), 1 / t, Math.log(r.sigma.sCm), Math.log(r.sigma.sCm * t)];
  }),
});

export const arrheniusJson = (result: ConductivityArrheniusResult) => ({
  units: { temperature: 'K', sigma: 'S/cm', activationEnergy: 'eV', boltzmannEvPerK: BOLTZMANN_EV_PER_K },
  ...result,
});
