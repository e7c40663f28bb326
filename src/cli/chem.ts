import type { Command } from 'commander';
import {
  BATCH_RANGE_G,
  batchAmounts,
  DEFAULT_BYPRODUCTS,
  DEFAULT_REACTANTS,
  planSynthesis,
} from '../chemistry/synthesis-planner.js';
import { OptionError } from '../core/errors.js';

/** '1g', '1 g', '250mg', '0.5' (grams) -> grams. */
export const parseMass = (text: string): number => {
  const m = /^\s*(\d+(?:\.\d*)?|\.\d+)(?:e([+-]?\d+))?\s*(g|mg|kg)?\s*$/i.exec(text);
  if (!m) throw new OptionError(`--batch: "${text}" is not a mass such as 1g or 250mg`);
  const v = Number(m[1]) * 10 ** Number(m[2] ?? 0);
  const unit = (m[3] ?? 'g').toLowerCase();
  const grams = unit === 'mg' ? v / 1000 : unit === 'kg' ? v * 1000 : v;
  if (!(grams > 0)) throw new OptionError(`--batch: the mass must be positive, got "${text}"`);
  const [lo, hi] = BATCH_RANGE_G;
  if (!(grams >= lo && grams <= hi))
    throw new OptionError(
      `--batch: "${text}" is not a batch; give between 0.001mg (${lo}g) and 1000 t (${hi}g)`,
    );
  return grams;
};

const list = (s: string | undefined) =>
  s
    ?.split(',')
    .map((x) => x.trim())
    .filter(Boolean);

export const registerChem = (program: Command): void => {
  const chem = program.command('chem').description('chemistry: synthesis planning and isotope patterns');

  chem
    .command('plan')
    .description(
      'balance a synthesis (LAOC names, formulas, or sums of them) and give reactant masses for a batch',
    )
    .argument('<target>', 'target: "LAOC^1.5b", "PLAOC^0.3b", "Li2Al4O2Cl10", "2 LAOC^0b + LiAlCl4", ...')
    .option('--batch <mass>', 'mass of product to make: 1g, 250mg', '1g')
    .option('--reactants <list>', `reactant formulas (default ${DEFAULT_REACTANTS.join(',')})`)
    .option('--byproducts <list>', `by-products that leave (default ${DEFAULT_BYPRODUCTS.join(',')})`)
    .option('--json', 'print the plan as JSON')
    .action(
      (target: string, o: { batch: string; reactants?: string; byproducts?: string; json?: boolean }) => {
        const grams = parseMass(o.batch);
        const plan = planSynthesis(target, { reactants: list(o.reactants), byproducts: list(o.byproducts) });
        const batch = batchAmounts(plan, grams);
        if (o.json) {
          process.stdout.write(
            `${JSON.stringify(
              {
                target: plan.target.label,
                targetFormula: plan.target.formula.toString(),
                targetMolarMassGPerMol: plan.target.formula.molarMass,
                equation: plan.equation,
                reactants: plan.reactants.map((r, i) => ({
                  formula: r.label,
                  coefficient: r.count,
                  ...batch.reactants[i],
                })),
                byproducts: plan.byproducts.map((r, i) => ({
                  formula: r.label,
                  coefficient: r.count,
                  ...batch.byproducts[i],
                })),
                productGrams: grams,
                notes: plan.notes,
              },
              null,
              1,
            )}\n`,
          );
          return;
        }
        const lines = [
          `${plan.target.label} = ${plan.target.formula} (${plan.target.formula.molarMass.toFixed(3)} g/mol)`,
          `  ${plan.equation}`,
          `  for ${grams} g of product:`,
          ...batch.reactants.map(
            (r) =>
              `    ${r.label.padEnd(14)} ${r.grams.toFixed(4).padStart(10)} g  ${r.millimoles.toFixed(4).padStart(10)} mmol`,
          ),
          ...batch.byproducts.map(
            (r) =>
              `    ${`${r.label} (leaves)`.padEnd(14)} ${r.grams.toFixed(4).padStart(10)} g  ${r.millimoles.toFixed(4).padStart(10)} mmol`,
          ),
          ...plan.notes.map((n) => `  note: ${n}`),
          '',
        ];
        process.stdout.write(lines.join('\n'));
      },
    );

  chem
    .command('isotopes')
    .description('isotope pattern of an ion, optionally matched against observed peaks')
    .argument('<ion>', 'formula with charge: "Al3O2Cl6-", "AlCl4-", "Li3Al3O2Cl8"')
    .option('--observed <mz>', 'observed m/z values to match: "322.8,324.8,326.8,328.8"')
    .option('--tolerance <mz>', 'largest m/z difference for a match', '0.2')
    .option('--resolution <mz>', 'peaks closer than this are merged', '0.5')
    .option('--json', 'print as JSON')
    .action(
      async (
        ion: string,
        o: { observed?: string; tolerance: string; resolution: string; json?: boolean },
      ) => {
        const tolerance = Number(o.tolerance);
        if (!(tolerance > 0)) throw new OptionError(`--tolerance: "${o.tolerance}" is not a positive m/z`);
        const resolution = Number(o.resolution);
        if (!(resolution > 0)) throw new OptionError(`--resolution: "${o.resolution}" is not a positive m/z`);
        const observed = list(o.observed)?.map((x) => {
          const v = Number(x);
          if (!Number.isFinite(v)) throw new OptionError(`--observed: "${x}" is not an m/z value`);
          return v;
        });
        // cheminfo's isotope tables take about half a second to load: only for this command.
        const { isotopePattern, matchPeaks } = await import('../chemistry/isotopes.js');
        const pattern = isotopePattern(ion, { resolution });
        const match = observed ? matchPeaks(pattern, observed, tolerance) : undefined;
        if (o.json) {
          process.stdout.write(`${JSON.stringify({ ion, pattern, match }, null, 1)}\n`);
          return;
        }
        const lines = [`${ion}: isotope pattern (m/z, % of the strongest)`];
        for (const p of pattern) {
          const m = match?.matches.find((x) => x.computed === p);
          const seen =
            m === undefined
              ? ''
              : m.observed === undefined
                ? '  not observed'
                : `  observed ${m.observed} (${m.difference! >= 0 ? '+' : ''}${m.difference!.toFixed(3)})`;
          lines.push(`  ${p.mz.toFixed(3).padStart(10)}  ${p.relative.toFixed(1).padStart(5)}${seen}`);
        }
        if (match) {
          lines.push(
            match.allMatched
              ? `  every peak above 10 % is observed within ${tolerance} m/z`
              : `  some peaks above 10 % are not observed within ${tolerance} m/z`,
          );
          if (match.unexplained.length)
            lines.push(`  observed but not in the pattern: ${match.unexplained.join(', ')}`);
        }
        process.stdout.write(`${lines.join('\n')}\n`);
      },
    );
};
