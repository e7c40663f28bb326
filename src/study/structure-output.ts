import type { PopulationEstimate } from '../analysis/structure/environments.js';
import type { StudyStructureRow } from './structure.js';

/**
 * The structure part of a study's summary: per temperature the Li coordination (mean CN and the
 * NMR classes with block-averaged errors), whether the oligomers stayed whole, and the Al-O-Al
 * backbone angle.
 */

const pop = (p: PopulationEstimate | undefined) =>
  p === undefined
    ? '-'
    : `${p.mean.toFixed(2)}${p.standardError === null ? '' : ` +- ${p.standardError.toFixed(2)}`}`;

const nmr = (row: StudyStructureRow, key: string) =>
  row.environments.result.nmrClasses.states.find((s) => s.name === key)?.population;

const backbone = (row: StudyStructureRow) => row.angles.find((a) => a.name === 'Al-O-Al');

/** The NMR class names of a centre element, in the summary's column order. */
const nmrNames = (centre: string) => [`${centre}[Cl6]`, `${centre}[OnCl5-n]`, `${centre}[OmCl4-m]`];

export const structureTable = (rows: StudyStructureRow[]): string => {
  if (rows.length === 0) return '';
  const env = rows[0].environments;
  const centre = env.result.centre;
  const cut = Object.entries(env.cutoffs.cutoffsA)
    .map(([el, r]) => `${el} ${r.toFixed(2)} A`)
    .join(', ');
  const names = nmrNames(centre);
  const lines = [
    `structure of the production runs: ${centre} neighbours within ${cut} (${env.result.hysteresisA > 0 ? `hysteresis ${env.result.hysteresisA} A; ` : ''}cut-offs from the first minimum of g(r) unless given), fractions with block-averaged errors`,
    `  ${'T/K'.padStart(5)} ${`CN(${centre})`.padStart(12)} ${names.map((n) => n.padStart(14)).join(' ')} ${'other'.padStart(14)}  ${'Al-O-Al/deg'.padStart(13)}  oligomers`,
  ];
  for (const row of rows) {
    const a = backbone(row);
    lines.push(
      `  ${String(row.temperatureK).padStart(5)} ${pop(row.environments.result.meanCoordination).padStart(12)} ${names
        .map((n) => pop(nmr(row, n)).padStart(14))
        .join(
          ' ',
        )} ${pop(nmr(row, 'other')).padStart(14)}  ${(a && a.count > 0 ? `${a.meanDeg.toFixed(1)} +- ${a.sdDeg.toFixed(1)}` : '-').padStart(13)}  ${row.topology.verdict.intact ? 'intact' : 'NOT intact'}: ${row.topology.verdict.text}`,
    );
  }
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
    ].join(',');
  });
  return `${[head.join(','), ...lines].join('\n')}\n`;
};
