import type { SectionBuilder } from '../section.js';
import { CATEGORICAL } from '../theme.js';
import { vl } from './common.js';

const arr = (x: ArrayLike<number> | undefined): number[] => (x ? Array.from(x) : []);

/** `structure rdf --json`: g(r) of every pair of every run, with the running coordination number. */
export const rdfJsonSection: SectionBuilder = (input) => {
  const runs = input.rdf;
  if (!runs?.length) return undefined;
  const data: Record<string, unknown>[] = [];
  for (const run of runs) {
    const r = arr(run.rA);
    for (const c of [...run.partials, ...(run.total ? [run.total] : [])]) {
      const g = arr(c.g);
      const n = arr(c.coordination);
      for (let i = 0; i < r.length; i++)
        data.push({
          run: run.file,
          pair: c.name,
          curve: runs.length > 1 ? `${c.name} (${run.file})` : c.name,
          r: r[i],
          g: g[i],
          n: n[i],
        });
    }
  }
  const tooltip = [
    { field: 'curve', type: 'nominal', title: 'pair' },
    { field: 'r', type: 'quantitative', title: 'r (Å)', format: '.2f' },
    { field: 'g', type: 'quantitative', title: 'g(r)', format: '.3f' },
    { field: 'n', type: 'quantitative', title: 'coordination', format: '.3f' },
  ];
  const colour = { field: 'curve', type: 'nominal', title: 'pair', scale: { range: CATEGORICAL } };
  return {
    id: 'rdf',
    title: 'Pair distribution functions',
    blocks: [
      {
        kind: 'plot',
        id: 'rdf',
        title: 'g(r) and running coordination number',
        panels: 2,
        caption:
          'g(r) at the bin centres (MDAnalysis InterRDF normalisation) and the running coordination number n(r) (b atoms around an a atom within r).',
        spec: (size) =>
          vl({
            data: { values: data },
            hconcat: [
              {
                width: size.width,
                height: size.height,
                mark: { type: 'line', point: { opacity: 0, size: 16 } },
                encoding: {
                  x: { field: 'r', type: 'quantitative', title: 'r (Å)' },
                  y: { field: 'g', type: 'quantitative', title: 'g(r)' },
                  color: colour,
                  tooltip,
                },
              },
              {
                width: size.width,
                height: size.height,
                mark: { type: 'line', point: { opacity: 0, size: 16 } },
                encoding: {
                  x: { field: 'r', type: 'quantitative', title: 'r (Å)' },
                  y: { field: 'n', type: 'quantitative', title: 'coordination number n(r)' },
                  color: colour,
                  tooltip,
                },
              },
            ],
          }),
      },
    ],
  };
};

/** `structure vdos --json`: the vibrational density of states, total and per element. */
export const vdosJsonSection: SectionBuilder = (input) => {
  const runs = input.vdos;
  if (!runs?.length) return undefined;
  const data: Record<string, unknown>[] = [];
  for (const run of runs) {
    const f = arr(run.frequenciesTHz);
    const curves: { name: string; dos: number[] }[] = [
      { name: 'total', dos: arr(run.totalDosPerTHz) },
      ...run.elements.map((e: { element: string; dosPerTHz: number[] }) => ({
        name: e.element,
        dos: arr(e.dosPerTHz),
      })),
    ];
    for (const c of curves)
      for (let i = 0; i < f.length; i++)
        data.push({ curve: runs.length > 1 ? `${c.name} (${run.file})` : c.name, f: f[i], g: c.dos[i] });
  }
  return {
    id: 'vdos',
    title: 'Vibrational density of states',
    blocks: [
      {
        kind: 'plot',
        id: 'vdos',
        title: 'VDOS, total and per element',
        caption:
          'Fourier transform of the velocity autocorrelation (states per THz; the total integrates to 3N).',
        spec: (size) =>
          vl({
            width: size.width * 1.6,
            height: size.height,
            data: { values: data },
            mark: { type: 'line', point: { opacity: 0, size: 16 } },
            encoding: {
              x: { field: 'f', type: 'quantitative', title: 'frequency (THz)' },
              y: { field: 'g', type: 'quantitative', title: 'VDOS (states/THz)' },
              color: { field: 'curve', type: 'nominal', title: 'element', scale: { range: CATEGORICAL } },
              tooltip: [
                { field: 'curve', type: 'nominal', title: 'curve' },
                { field: 'f', type: 'quantitative', title: 'frequency (THz)', format: '.2f' },
                { field: 'g', type: 'quantitative', title: 'states/THz', format: '.3~g' },
              ],
            },
          }),
      },
    ],
  };
};
