import type { FitResult } from './fit.js';
import type { SetMetrics } from './metrics.js';

/**
 * The fit's result as text (parameters with uncertainties, correlations, per-element force RMSE of
 * the baseline, start and fitted force fields on the training and validation sets, crystal
 * targets, what each parameter does) and as CSV rows (one per force field, set and element).
 */
const f = (x: number | undefined, digits = 4): string =>
  x === undefined
    ? 'n/a'
    : Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0)
      ? x.toExponential(3)
      : x.toFixed(digits);

const pad = (s: string, n: number) => s.padStart(n);

/**
 * Error table lines: a header, the reference force RMS per element, and one row per force field
 * (force RMSE per element eV/A, relative energies meV/atom, stresses GPa), indented by two.
 */
export const metricsTable = (
  elements: string[],
  referenceForceRmsEvA: Record<string, number>,
  rows: [string, SetMetrics][],
): string[] => {
  const w = Math.max(10, ...rows.map(([label]) => label.length + 2));
  return [
    `  ${'force field'.padEnd(w)}${elements.map((e) => pad(`${e} (eV/A)`, 12)).join('')}${pad('E rel (meV/at)', 16)}${pad('stress (GPa)', 14)}`,
    `  ${'|F| DFT'.padEnd(w)}${elements.map((e) => pad(f(referenceForceRmsEvA[e], 3), 12)).join('')}`,
    ...rows.map(
      ([label, m]) =>
        `  ${label.padEnd(w)}${elements.map((e) => pad(f(m.forceRmseEvA[e], 3), 12)).join('')}${pad(f(m.relativeEnergyRmseMeVPerAtom, 2), 16)}${pad(f(m.stressRmseGPa, 3), 14)}`,
    ),
  ];
};

export const formatFitReport = (r: FitResult): string => {
  const out: string[] = [];
  out.push(
    `${r.forceField.name}: ${r.parameters.length} parameters, ${r.residualCount} residuals, chi2 ${f(r.chi2Start)} -> ${f(r.chi2)} in ${r.iterations} iterations${r.converged ? '' : ' (not converged: the iteration limit)'}`,
  );
  out.push(
    `configurations: ${r.trainingIds.length} training, ${r.validationIds.length} validation (held out before the fit), ${r.excluded.length} excluded`,
  );
  for (const e of r.excluded.slice(0, 10)) out.push(`  excluded ${e.id}: ${e.reason}`);
  if (r.excluded.length > 10) out.push(`  ... and ${r.excluded.length - 10} more (all in --json)`);
  out.push('', 'parameter                      start         fitted    uncertainty  bounds');
  for (const p of r.parameters)
    out.push(
      `${p.path.padEnd(26)} ${pad(f(p.initial), 10)} ${pad(f(p.value), 14)} ${pad(Number.isFinite(p.sigma) ? f(p.sigma) : 'undetermined', 14)}  [${f(p.lower)}, ${f(p.upper)}]${p.atBound ? ' AT BOUND' : ''}`,
    );
  out.push(
    '',
    r.parameters.every((p) => Number.isFinite(p.sigma))
      ? 'correlations'
      : 'correlations: n/a (J^T J is singular: some parameters are not determined by the data)',
  );
  r.correlation.forEach((row, a) => {
    if (row.some((c) => !Number.isFinite(c))) return;
    out.push(
      `  ${String(a + 1).padStart(2)} ${row.map((c) => pad(c.toFixed(2), 6)).join('')}  ${r.parameters[a].path}`,
    );
  });
  const elements = [
    ...new Set([
      ...Object.keys(r.metrics.fitted.training.forceRmseEvA),
      ...Object.keys(r.metrics.fitted.validation.forceRmseEvA),
    ]),
  ].sort();
  const table = (
    title: string,
    pick: (m: { training: SetMetrics; validation: SetMetrics }) => SetMetrics,
  ) => {
    out.push('', title);
    out.push(
      ...metricsTable(
        elements,
        pick(r.metrics.fitted).referenceForceRmsEvA,
        (['baseline', 'start', 'fitted'] as const).map((k) => [k, pick(r.metrics[k])]),
      ),
    );
    const skipped = pick(r.metrics.baseline).skipped;
    const base = pick(r.metrics.baseline).forceRmseEvA;
    // Where the baseline cannot type some configurations, the ratio compares the two on the rest.
    const fit = pick(r.fittedOnBaselineSet ?? r.metrics.fitted).forceRmseEvA;
    out.push(
      `  ${'fit/base'.padEnd(10)}${elements.map((e) => pad(fit[e] !== undefined && base[e] ? (fit[e] / base[e]).toFixed(2) : 'n/a', 12)).join('')}`,
    );
    if (skipped > 0)
      out.push(
        `  (the baseline cannot type ${skipped} of these configurations, e.g. a bond pulled apart: its row and fit/base are over the other ${pick(r.metrics.baseline).configurations})`,
      );
  };
  table(`validation set (${r.validationIds.length} configurations): RMSE`, (m) => m.validation);
  table(`training set (${r.trainingIds.length} configurations): RMSE`, (m) => m.training);
  if (r.crystals.fitted.length) {
    out.push('', 'crystal targets at the experimental structure: RMS force (eV/A), static pressure (GPa)');
    for (const [k, c] of r.crystals.fitted.entries())
      out.push(
        `  ${c.name.padEnd(12)} baseline ${f(r.crystals.baseline[k].forceRmsEvA, 3)} / ${f(r.crystals.baseline[k].pressureGPa, 2)}   start ${f(r.crystals.start[k].forceRmsEvA, 3)} / ${f(r.crystals.start[k].pressureGPa, 2)}   fitted ${f(c.forceRmsEvA, 3)} / ${f(c.pressureGPa, 2)}`,
      );
  }
  out.push('', 'what each parameter does: validation force RMSE (eV/A) with it back at its start value');
  for (const a of r.ablation)
    out.push(
      `  ${a.path.padEnd(26)}${elements.map((e) => pad(`${e} ${f(a.forceRmseEvA[e], 3)}`, 12)).join('')}`,
    );
  return `${out.join('\n')}\n`;
};

/** CSV: force_field, set, element, force_rmse_ev_a, reference_force_rms_ev_a. */
export const fitReportCsv = (r: FitResult): string => {
  const rows = ['force_field,set,element,force_rmse_ev_a,reference_force_rms_ev_a'];
  for (const k of ['baseline', 'start', 'fitted'] as const)
    for (const set of ['training', 'validation'] as const) {
      const m = r.metrics[k][set];
      for (const e of Object.keys(m.forceRmseEvA))
        rows.push(`${k},${set},${e},${m.forceRmseEvA[e]},${m.referenceForceRmsEvA[e]}`);
    }
  return `${rows.join('\n')}\n`;
};
