import type { JumpRateArrhenius } from '../analysis/dynamics/jump-arrhenius.js';
import type { PopulationEstimate } from '../analysis/structure/environments.js';
import type { StudyStructureRow } from './structure.js';

/**
 * The structure part of a study's summary: per temperature the Li coordination (mean CN and the
 * NMR classes with block-averaged errors), whether the oligomers stayed whole, the Al-O-Al
 * backbone angle and the Cl-Al...Al-Cl dihedral jump rate.
 */

const pop = (p: PopulationEstimate | undefined) =>
  p === undefined
    ? '-'
    : `${p.mean.toFixed(2)}${p.standardError === null ? '' : ` +- ${p.standardError.toFixed(2)}`}`;

const nmr = (row: StudyStructureRow, key: string) =>
  row.environments.result.nmrClasses.states.find((s) => s.name === key)?.population;

const backbone = (row: StudyStructureRow) => row.angles.find((a) => a.name === 'Al-O-Al');

/** The pooled dihedral jump rate of all Al-O-Al links (per link per ns) with its Poisson interval. */
const jumps = (row: StudyStructureRow) => {
  const r = row.conformations.pooled.ratePerNs;
  const f = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
  return `${f(r.value)} [${f(r.low95)}, ${f(r.high95)}]`;
};

/** The NMR class names of a centre element, in the summary's column order. */
const nmrNames = (centre: string) => [`${centre}[Cl6]`, `${centre}[OnCl5-n]`, `${centre}[OmCl4-m]`];

export const structureTable = (rows: StudyStructureRow[], jumpArrhenius?: JumpRateArrhenius): string => {
  if (rows.length === 0) return '';
  const env = rows[0].environments;
  const centre = env.result.centre;
  const cut = Object.entries(env.cutoffs.cutoffsA)
    .map(([el, r]) => `${el} ${r.toFixed(2)} A`)
    .join(', ');
  const names = nmrNames(centre);
  const lines = [
    `structure of the production runs: ${centre} neighbours within ${cut} (${env.result.hysteresisA > 0 ? `hysteresis ${env.result.hysteresisA} A; ` : ''}cut-offs from the first minimum of g(r) unless given), fractions with block-averaged errors`,
    `  ${'T/K'.padStart(5)} ${`CN(${centre})`.padStart(12)} ${names.map((n) => n.padStart(14)).join(' ')} ${'other'.padStart(14)}  ${'Al-O-Al/deg'.padStart(13)}  ${'jumps/link/ns [95 %]'.padStart(22)}  oligomers`,
  ];
  for (const row of rows) {
    const a = backbone(row);
    lines.push(
      `  ${String(row.temperatureK).padStart(5)} ${pop(row.environments.result.meanCoordination).padStart(12)} ${names
        .map((n) => pop(nmr(row, n)).padStart(14))
        .join(
          ' ',
        )} ${pop(nmr(row, 'other')).padStart(14)}  ${(a && a.count > 0 ? `${a.meanDeg.toFixed(1)} +- ${a.sdDeg.toFixed(1)}` : '-').padStart(13)}  ${jumps(row).padStart(22)}  ${row.topology.verdict.intact ? 'intact' : 'NOT intact'}: ${row.topology.verdict.text}`,
    );
  }
  const fit = jumpArrhenius?.fit;
  if (fit)
    lines.push(
      `dihedral jump rate vs T (${jumpArrhenius.fittedK.length} temperatures, Arrhenius weighted by the Poisson counts): Ea = ${fit.activationEv.value.toFixed(3)} eV [${fit.activationEv.low95.toFixed(3)}, ${fit.activationEv.high95.toFixed(3)}]${jumpArrhenius.notes.length ? `; ${jumpArrhenius.notes.join('; ')}` : ''}`,
    );
  return `${lines.join('\n')}\n`;
};

export const structureCsv = (rows: StudyStructureRow[]): string => {
  const centre = rows[0]?.environments.result.centre ?? 'Li';
  const names = [...nmrNames(centre), 'other'];
  const head = [
    'temperature_K',
    'mean_cn',
    'mean_cn_se',
    ...names.flatMap((n) => [`${n}_fraction`, `${n}_se`]),
    'oligomers_intact',
    'bond_events',
    'al_o_al_mean_deg',
    'al_o_al_sd_deg',
    'dihedral_jumps_per_link_per_ns',
    'dihedral_jumps_low95',
    'dihedral_jumps_high95',
  ];
  const value = (p: PopulationEstimate | undefined) => [p?.mean ?? '', p?.standardError ?? ''];
  const lines = rows.map((row) => {
    const a = backbone(row);
    return [
      row.temperatureK,
      ...value(row.environments.result.meanCoordination),
      ...names.flatMap((n) => value(nmr(row, n))),
      row.topology.verdict.intact,
      row.topology.eventCount,
      a?.meanDeg ?? '',
      a?.sdDeg ?? '',
      row.conformations.pooled.ratePerNs.value,
      row.conformations.pooled.ratePerNs.low95,
      row.conformations.pooled.ratePerNs.high95,
    ].join(',');
  });
  return `${[head.join(','), ...lines].join('\n')}\n`;
};
