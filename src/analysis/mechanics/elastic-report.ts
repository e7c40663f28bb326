import { csvNumber, jsonNumbers, tableNumber, writeTo } from '../report-io.js';
import { type ElasticModuli, elasticModuli, type Moduli } from './elastic-moduli.js';

/**
 * The report of `oligolyte mechanics elastic`: the stiffness matrix (GPa, Voigt order xx yy zz yz
 * xz xy) as measured, with its standard errors at a temperature, and the Voigt, Reuss and Hill
 * moduli of its symmetrised form (elastic-moduli.ts).
 */
export interface ElasticReportInput {
  structure: string;
  atoms: number;
  forceField: string;
  method: string;
  strain: number;
  temperatureK?: number;
  /** How the start was prepared ("cell relaxed (aniso) to 0 atm", "as given"). */
  start: string;
  /** Pressure tensor of the start (GPa, Voigt order), 0 K. */
  referencePressureGPa?: number[];
  stiffnessGPa: number[][];
  stiffnessErrorGPa?: number[][];
  warnings: string[];
}

export interface ElasticReport extends ElasticReportInput {
  moduli: ElasticModuli;
}

export const elasticReport = (input: ElasticReportInput): ElasticReport => {
  const moduli = elasticModuli(input.stiffnessGPa, input.stiffnessErrorGPa);
  return { ...input, moduli, warnings: [...input.warnings, ...moduli.warnings] };
};

const VOIGT = ['xx', 'yy', 'zz', 'yz', 'xz', 'xy'];

export const elasticTable = (r: ElasticReport): string => {
  const out: string[] = [];
  out.push(
    `${r.structure}: ${r.atoms} atoms, ${r.forceField}; ${r.method}${r.temperatureK ? ` at ${r.temperatureK} K` : ''}, strain +-${r.strain}; start: ${r.start}`,
  );
  if (r.referencePressureGPa)
    out.push(
      `  start pressure tensor (GPa; xx yy zz yz xz xy): ${r.referencePressureGPa.map((p) => tableNumber(p, 3)).join(' ')}`,
    );
  out.push(
    `  stiffness C_ij (GPa; rows: stress, columns: strain)${r.stiffnessErrorGPa ? ', +- standard error' : ''}:`,
  );
  // Fixed decimals: entries that vanish by symmetry print as 0.000, not as rounding noise.
  const fixed = (v: number) => (Math.abs(v) < 5e-4 ? 0 : v).toFixed(3);
  const width = r.stiffnessErrorGPa ? 20 : 10;
  out.push(`        ${VOIGT.map((v) => v.padStart(width)).join('')}`);
  r.stiffnessGPa.forEach((row, i) => {
    const cells = row.map((v, j) =>
      (r.stiffnessErrorGPa ? `${fixed(v)} +- ${fixed(r.stiffnessErrorGPa[i][j])}` : fixed(v)).padStart(width),
    );
    out.push(`    ${VOIGT[i].padEnd(4)}${cells.join('')}`);
  });
  const m = r.moduli;
  out.push(`  moduli of the symmetrised C (largest asymmetry ${tableNumber(m.asymmetryGPa, 3)} GPa):`);
  out.push(
    `    ${''.padEnd(8)}${['bulk K', 'shear G', "Young's E", "Poisson's nu"].map((h) => h.padStart(14)).join('')}`,
  );
  const line = (name: string, x: Moduli) =>
    `    ${name.padEnd(8)}${[x.bulkGPa, x.shearGPa, x.youngGPa].map((v) => `${tableNumber(v)} GPa`.padStart(14)).join('')}${tableNumber(x.poissonRatio).padStart(14)}`;
  out.push(line('Voigt', m.voigt), line('Reuss', m.reuss), line('Hill', m.hill));
  if (m.hillIntervals) {
    const h = m.hillIntervals;
    const iv = (k: keyof Moduli) =>
      `[${tableNumber(h[k].low, 3)}, ${tableNumber(h[k].high, 3)}]`.padStart(14);
    out.push(
      `    ${'Hill 95%'.padEnd(8)}${iv('bulkGPa')}${iv('shearGPa')}${iv('youngGPa')}${iv('poissonRatio')}`,
    );
  }
  out.push(`  mechanically stable (C positive definite): ${m.positiveDefinite ? 'yes' : 'NO'}`);
  for (const w of r.warnings) out.push(`warning: ${w}`);
  return `${out.join('\n')}\n`;
};

export const writeElasticJson = (target: Parameters<typeof writeTo>[0], r: ElasticReport) =>
  writeTo(target, async (sink) => {
    sink.write(
      `${JSON.stringify({ units: { stiffness: 'GPa', moduli: 'GPa', strain: 'dimensionless' }, ...r }, jsonNumbers, 1)}\n`,
    );
  });

/** Long form: one row per quantity (C_ij, then each modulus by average), value and error or interval. */
export const writeElasticCsv = (target: Parameters<typeof writeTo>[0], r: ElasticReport) =>
  writeTo(target, async (sink) => {
    sink.write('quantity,value,standard_error,low,high\n');
    for (let i = 0; i < 6; i++)
      for (let j = 0; j < 6; j++)
        sink.write(
          `C${i + 1}${j + 1}_GPa,${csvNumber(r.stiffnessGPa[i][j])},${r.stiffnessErrorGPa ? csvNumber(r.stiffnessErrorGPa[i][j]) : ''},,\n`,
        );
    const names: [keyof Moduli, string][] = [
      ['bulkGPa', 'bulk_GPa'],
      ['shearGPa', 'shear_GPa'],
      ['youngGPa', 'young_GPa'],
      ['poissonRatio', 'poisson'],
    ];
    for (const avg of ['voigt', 'reuss', 'hill'] as const)
      for (const [k, name] of names) {
        const iv = avg === 'hill' ? r.moduli.hillIntervals?.[k] : undefined;
        sink.write(
          `${name}_${avg},${csvNumber(r.moduli[avg][k])},,${iv ? csvNumber(iv.low) : ''},${iv ? csvNumber(iv.high) : ''}\n`,
        );
      }
  });
