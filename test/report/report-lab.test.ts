/**
 * The scattering, mechanics and experiment sections, Node only: each command's JSON (fixtures from
 * the real commands, test/fixtures/report/lab, see PROVENANCE.md there) is accepted by
 * `oligolyte report FILE.json`, gives its section and plots, every spec compiles with titled axes,
 * the numbers carry intervals, and the print figures carry their titles and marks; a study folder
 * with scattering/ and mechanics/ outputs shows them.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  compilePlot,
  type PlotBlock,
  readReportInput,
  reportSections,
  type Section,
  type TableBlock,
  writeReport,
} from '../../src/report/index.js';
import { fixture, tempDir } from '../helpers.js';

const LAB = (name: string) => fixture(`report/lab/${name}.json`);

const plots = (sections: Section[]): PlotBlock[] =>
  sections.flatMap((s) => s.blocks.filter((b): b is PlotBlock => b.kind === 'plot'));
const tables = (sections: Section[]): TableBlock[] =>
  sections.flatMap((s) => s.blocks.filter((b): b is TableBlock => b.kind === 'table'));

/** Every x/y encoding with a field in a spec (any depth). */
const positionEncodings = (node: unknown): Record<string, unknown>[] => {
  if (Array.isArray(node)) return node.flatMap(positionEncodings);
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([k, v]) => {
    if (k === 'data') return [];
    if (k === 'encoding' && v && typeof v === 'object')
      return (['x', 'y'] as const)
        .map((ch) => (v as Record<string, Record<string, unknown>>)[ch])
        .filter((e) => e?.field);
    return positionEncodings(v);
  });
};

const CASES: { file: string; kind: string; section: string; plots: string[] }[] = [
  { file: 'scatter-fit', kind: 'scatter', section: 'scattering', plots: ['pdf-fit-1-1'] },
  { file: 'scatter-pdf', kind: 'scatter', section: 'scattering', plots: ['pdf-calc-1'] },
  { file: 'scatter-pdf-md', kind: 'scatter', section: 'scattering', plots: ['pdf-md-1'] },
  { file: 'scatter-sq', kind: 'scatter', section: 'scattering', plots: ['sq-1', 'sq-pdf-1'] },
  { file: 'scatter-xrd', kind: 'scatter', section: 'scattering', plots: ['xrd-1'] },
  { file: 'mechanics-stress-strain', kind: 'mechanics', section: 'mechanics', plots: ['stress-strain'] },
  { file: 'mechanics-elastic', kind: 'mechanics', section: 'mechanics', plots: [] },
  { file: 'eis-fit', kind: 'experiment', section: 'experiment', plots: ['eis-fit-nyquist', 'eis-fit-bode'] },
  { file: 'eis-kk', kind: 'experiment', section: 'experiment', plots: ['eis-kk'] },
  {
    file: 'eis-arrhenius',
    kind: 'experiment',
    section: 'experiment',
    plots: ['eis-arrhenius-1', 'eis-arrhenius-1-nyquist', 'eis-arrhenius-1-bode'],
  },
];

describe('scattering, mechanics and experiment JSON reports', () => {
  for (const c of CASES)
    it(`${c.file}.json: the ${c.section} section with ${c.plots.join(', ') || 'tables only'}; specs compile, axes titled with units`, async () => {
      const input = await readReportInput(LAB(c.file));
      expect(input.kind).toBe(c.kind);
      const sections = reportSections(input);
      expect(sections.map((s) => s.id)).toEqual([c.section]);
      expect(plots(sections).map((p) => p.id)).toEqual(c.plots);
      for (const p of plots(sections)) {
        for (const medium of ['screen', 'print'] as const) expect(() => compilePlot(p, medium)).not.toThrow();
        const enc = positionEncodings(p.spec({ width: 300, height: 200 }));
        expect(enc.length, p.id).toBeGreaterThan(0);
        for (const e of enc.filter((x) => typeof x.title === 'string'))
          expect(e.title as string, p.id).toMatch(/\(.+\)|^S\(Q\)$/);
      }
    });

  it('the PDF fit: Rw in the title, the difference offset below the curves, values with intervals', async () => {
    const fit = JSON.parse(readFileSync(LAB('scatter-fit'), 'utf8'));
    const sections = reportSections(await readReportInput(LAB('scatter-fit')));
    const p = plots(sections)[0];
    expect(p.title).toContain(`Rw = ${fit.rw.toPrecision(3)}`);
    // biome-ignore lint/suspicious/noExplicitAny: the spec as data
    const spec = p.spec({ width: 300, height: 200 }) as any;
    const rows = spec.data.values as { curve: string; g: number; diff: number }[];
    const lowest = Math.min(...rows.filter((r) => r.curve !== 'difference').map((r) => r.g));
    const diffs = rows.filter((r) => r.curve === 'difference');
    expect(diffs.length).toBeGreaterThan(100);
    // Drawn below everything else, yet the tooltip keeps the difference itself.
    expect(Math.max(...diffs.map((r) => r.g))).toBeLessThan(lowest);
    expect(diffs[0].diff).toBe(fit.datasets[0].Gdiff[0]);
    const table = tables(sections)[0];
    const lat = table.rows.find((r) => r[1] === 'lat(1)')!;
    expect(lat[2]).toMatch(/^3\.53\d* ± .+ \[3\.53\d*, 3\.53\d*\]$/);
  });

  it('XRD: one stick per peak with its hkl families on hover, and the profile line', async () => {
    const x = JSON.parse(readFileSync(LAB('scatter-xrd'), 'utf8'));
    const p = plots(reportSections(await readReportInput(LAB('scatter-xrd'))))[0];
    // biome-ignore lint/suspicious/noExplicitAny: the spec as data
    const layers = (p.spec({ width: 300, height: 200 }) as any).layer;
    const sticks = layers.find((l: { mark: { type: string } }) => l.mark.type === 'rule');
    expect(sticks.data.values).toHaveLength(x.peaks.length);
    expect(sticks.data.values[0].hkl).toBe('(1 1 1) ×8');
    expect(layers.some((l: { mark: { type: string } }) => l.mark.type === 'line')).toBe(true);
  });

  it('stress-strain: the curve read back from its record, the modulus line over its window, the offset line to the yield point', async () => {
    const ss = JSON.parse(readFileSync(LAB('mechanics-stress-strain'), 'utf8')).runs[0].result;
    const input = await readReportInput(LAB('mechanics-stress-strain'));
    const view = input.lab!.stressStrain![0];
    expect(view.missing).toBeUndefined();
    expect(view.curve!.strain).toHaveLength(ss.points);
    const p = plots(reportSections(input))[0];
    // biome-ignore lint/suspicious/noExplicitAny: the spec as data
    const [, lines, marks] = (p.spec({ width: 300, height: 200 }) as any).layer;
    const modulus = lines.data.values.filter((v: { kind: string }) => v.kind === 'modulus');
    expect(modulus.map((v: { strain: number }) => v.strain)).toEqual([
      ss.linearWindow.fromStrain,
      ss.linearWindow.toStrain,
    ]);
    const offset = lines.data.values.filter((v: { kind: string }) => v.kind === 'offset');
    // The offset line ends on the yield point.
    expect(offset[1].strain).toBe(ss.yield.strain);
    expect(offset[1].stress).toBeCloseTo(ss.yield.stressGPa, 3);
    expect(offset[0].stress).toBeCloseTo(0, 12);
    expect(marks.data.values.find((m: { what: string }) => m.what === 'yield').stress).toBe(
      ss.yield.stressGPa,
    );
    const row = tables(reportSections(input))[0].rows[0];
    expect(row[2]).toBe('23.0 [5.7, 40]');
  });

  it('elastic: the 6x6 stiffness and the Voigt, Reuss and Hill moduli', async () => {
    const e = JSON.parse(readFileSync(LAB('mechanics-elastic'), 'utf8'));
    const [cij, moduli] = tables(reportSections(await readReportInput(LAB('mechanics-elastic'))));
    expect(cij.rows).toHaveLength(6);
    expect(cij.rows[0][1]).toBe(e.moduli.stiffnessGPa[0][0].toPrecision(4));
    expect(moduli.rows.map((r) => r[0])).toEqual(['Voigt', 'Reuss', 'Hill']);
    expect(moduli.rows[2][2]).toBe(e.moduli.hill.shearGPa.toPrecision(3));
  });

  it('impedance: data are fit plus residual, the Nyquist axes equal, the Arrhenius line through the fit', async () => {
    const j = JSON.parse(readFileSync(LAB('eis-fit'), 'utf8')).runs[0].fit;
    const [nyquist] = plots(reportSections(await readReportInput(LAB('eis-fit'))));
    // biome-ignore lint/suspicious/noExplicitAny: the spec as data
    const spec = nyquist.spec({ width: 300, height: 200 }) as any;
    expect(spec.width).toBe(spec.height);
    const [x, y] = [spec.layer[0].encoding.x.scale.domain, spec.layer[0].encoding.y.scale.domain];
    expect(x[1] - x[0]).toBeCloseTo(y[1] - y[0], 12);
    const data = spec.data.values.filter((r: { what: string }) => r.what === 'data');
    expect(data[0].re).toBeCloseTo(j.fitReOhm[0] + j.residualReOhm[0], 15);
    expect(data[0].mim).toBeCloseTo(-(j.fitImOhm[0] + j.residualImOhm[0]), 15);

    const a = JSON.parse(readFileSync(LAB('eis-arrhenius'), 'utf8'));
    const sections = reportSections(await readReportInput(LAB('eis-arrhenius')));
    const arr = plots(sections)[0];
    const ea = a.fit.arrheniusSigmaT.activationEv;
    expect(arr.title).toContain(`Ea = ${ea.value.toPrecision(3)} eV`);
    // biome-ignore lint/suspicious/noExplicitAny: the spec as data
    const [line, , points] = (arr.spec({ width: 300, height: 200 }) as any).layer;
    const T0 = a.runs[0].temperatureK;
    expect(points.data.values[0].st).toBeCloseTo(a.runs[0].sigma.sCm * T0, 15);
    // The line at the coldest temperature is the fit's exp(intercept + slope / T).
    const { slope, intercept } = a.fit.arrheniusSigmaT.line;
    expect(line.data.values.at(-1).st).toBeCloseTo(Math.exp(intercept + slope / T0), 12);
    expect(tables(sections)[0].rows[0][1]).toMatch(/^0\.495\d \[0\.494\d, 0\.496\d\]$/);
  });

  it('writes SVG and PNG figures with their titles and marks, a journal width at most', async () => {
    const dir = tempDir();
    for (const c of CASES.filter((x) => x.plots.length)) {
      const out = join(dir, c.file);
      const files = await writeReport(await readReportInput(LAB(c.file), { outDir: out }));
      const html = readFileSync(files.html, 'utf8');
      expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
      for (const p of plots(files.sections)) {
        expect(html).toContain(`id="plot-${p.id}"`);
        const svg = readFileSync(join(out, 'figures', `${p.id}.svg`), 'utf8');
        expect(svg).toContain(`>${p.title.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</text>`);
        expect(svg).toMatch(/role-mark[^>]*>\s*(<g[^>]*>\s*)?<(path|line)[^>]*(d="M|x2=)/);
        const svgWidth = Number(/width="(\d+(\.\d+)?)"/.exec(svg)![1]);
        expect(svgWidth, p.id).toBeLessThan(510);
      }
    }
  }, 60_000);
});

describe('a study folder with scattering and mechanics outputs', () => {
  it('shows the model against the PDF (both fits, the LiCl fractions with intervals) and the stress-strain of each run', async () => {
    const copy = join(tempDir(), 'study');
    cpSync(fixture('report/laoc-0b-quick'), copy, { recursive: true });
    const study = JSON.parse(readFileSync(join(copy, 'study.json'), 'utf8'));
    // The study's scattering record and curve files, in the shapes study/scattering.ts writes
    // (values: those of the Ni fit fixture's curves, standing in for a study's own).
    const fit = JSON.parse(readFileSync(LAB('scatter-fit'), 'utf8')).datasets[0];
    mkdirSync(join(copy, 'scattering'));
    const csv = (cols: number[][]) => cols[0].map((_, i) => cols.map((c) => c[i]).join(',')).join('\n');
    writeFileSync(
      join(copy, 'scattering', 'pdf.csv'),
      `r_A,Gobs_A-2,Gcalc_A-2,Gdiff_A-2\n${csv([fit.r, fit.Gobs, fit.Gcalc, fit.Gdiff])}\n`,
    );
    const half = fit.Gcalc.map((g: number) => g / 2);
    writeFileSync(
      join(copy, 'scattering', 'pdf-licl.csv'),
      `r_A,Gobs_A-2,Gcalc_A-2,Gdiff_A-2,Gmodel_part_A-2,GLiCl_part_A-2\n${csv([fit.r, fit.Gobs, fit.Gcalc, fit.Gdiff, half, half])}\n`,
    );
    const est = (value: number, w: number) => ({
      value,
      sigma: w / 2,
      std: w,
      low95: value - 2 * w,
      high95: value + 2 * w,
    });
    const summary = {
      rw: fit.rw,
      chi2: 1,
      reducedChi2: 1,
      points: fit.r.length,
      iterations: 3,
      converged: true,
      errorScale: 1,
    };
    study.scattering = {
      data: 'Ni-xray.gr',
      radiation: 'xray',
      temperatureK: 700,
      frames: 5,
      qmaxInvA: 40,
      qdampInvA: 0.07,
      fitRangeA: [1.5, 20],
      model: { ...summary, scale: est(0.76, 0.01) },
      licl: {
        longRangeA: [10, 20],
        shortRangeA: [1.5, 20],
        latticeA: est(5.14, 0.001),
        long: summary,
        short: summary,
        fraction: { atom: est(0.2, 0.01), molar: est(0.25, 0.01), mass: est(0.3, 0.01) },
      },
      curves: ['scattering/pdf.csv', 'scattering/pdf-licl.csv'],
      notes: ['a note'],
    };
    writeFileSync(join(copy, 'study.json'), JSON.stringify(study));
    // mechanics/mechanics.json as the study writes it, naming the LAMMPS tensile record.
    const ss = JSON.parse(readFileSync(LAB('mechanics-stress-strain'), 'utf8')).runs[0];
    mkdirSync(join(copy, 'mechanics'));
    const log = join(import.meta.dirname, '..', 'reference', 'mechanics', 'lammps-tensile.log');
    writeFileSync(
      join(copy, 'mechanics', 'mechanics.json'),
      JSON.stringify({
        runs: [{ seed: 1, direction: 'tensile-x', file: log, result: ss.result }],
        directions: [
          {
            direction: 'tensile-x',
            mode: 'tensile',
            replicas: 1,
            modulusGPa: { mean: 23, runs: 1 },
            maximumStressGPa: { mean: 0.79, runs: 1 },
          },
        ],
      }),
    );
    const input = await readReportInput(copy);
    const sections = reportSections(input);
    const ids = sections.map((s) => s.id);
    expect(ids).toContain('scattering');
    expect(ids).toContain('mechanics');
    expect(ids.indexOf('scattering')).toBeLessThan(ids.indexOf('mechanics'));
    const ps = plots(sections).map((p) => p.id);
    expect(ps).toContain('pdf-study-model');
    expect(ps).toContain('pdf-study-licl');
    expect(ps).toContain('stress-strain');
    expect(input.lab!.stressStrain![0].curve!.strain).toHaveLength(ss.result.points);
    const licl = plots(sections).find((p) => p.id === 'pdf-study-licl')!;
    const licSpec = licl.spec({ width: 300, height: 200 }) as unknown as {
      data: { values: { curve: string }[] };
    };
    const curves = new Set(licSpec.data.values.map((r) => r.curve));
    expect([...curves]).toEqual(['observed', 'calculated', 'difference', 'model part', 'LiCl part']);
    const t = tables(sections).find((x) => x.title === 'Model against the measured PDF')!;
    expect(t.rows.find((r) => r[0] === 'LiCl fraction of formula units')![1]).toBe('25.0 [23, 27] %');
    for (const p of plots(sections)) expect(() => compilePlot(p, 'print')).not.toThrow();
  });
});
