/**
 * The report, Node only: which sections each input gives, every spec compiles with axis titles, the
 * print figures (SVG with their titles and marks, PNG), the self-contained page (no external URL,
 * size bounds), the drawn 3-D structure, and errors that name the file.
 */
import { cpSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OligolyteError, OptionError, ParseError } from '../../src/core/errors.js';
import {
  compilePlot,
  type PlotBlock,
  type ReportInput,
  readReportInput,
  renderHtml,
  reportPage,
  reportSections,
  SECTIONS,
  type Section,
  writeReport,
} from '../../src/report/index.js';
import { groupNotes, logAxis } from '../../src/report/sections/common.js';
import { drawableStructure } from '../../src/report/sections/viewer.js';
import { fixture, tempDir } from '../helpers.js';

const STUDY = fixture('report/laoc-0b-quick');
const RDF = fixture('report/rdf.json');
const VDOS = fixture('report/vdos.json');
const TRANSPORT = fixture('report/transport.json');
/** One JSON of each scattering, mechanics and experiment command (report-lab.test.ts covers them). */
const LAB = [
  'scatter-fit',
  'scatter-xrd',
  'mechanics-stress-strain',
  'mechanics-elastic',
  'eis-fit',
  'eis-kk',
  'eis-arrhenius',
].map((n) => fixture(`report/lab/${n}.json`));
const MEASURED = {
  points: [{ msPerCm: 1.3, temperatureK: 303.15 }],
  activationEv: 0.47,
  label: 'LAOC^1.5b',
};

const plots = (sections: Section[]): PlotBlock[] =>
  sections.flatMap((s) => s.blocks.filter((b): b is PlotBlock => b.kind === 'plot'));

/** Every x/y/x2/y2 encoding in a Vega-Lite spec (any depth), with the path to it. */
const positionEncodings = (node: unknown, path = ''): { path: string; enc: Record<string, unknown> }[] => {
  if (Array.isArray(node)) return node.flatMap((n, i) => positionEncodings(n, `${path}[${i}]`));
  if (node === null || typeof node !== 'object') return [];
  const out: { path: string; enc: Record<string, unknown> }[] = [];
  for (const [k, v] of Object.entries(node)) {
    if (k === 'data') continue;
    if (k === 'encoding' && v && typeof v === 'object')
      for (const ch of ['x', 'y'] as const) {
        const e = (v as Record<string, Record<string, unknown>>)[ch];
        if (e?.field) out.push({ path: `${path}.encoding.${ch}`, enc: e });
      }
    else out.push(...positionEncodings(v, `${path}.${k}`));
  }
  return out;
};

describe('a study folder (the --quick laoc-0b fixture)', async () => {
  const input = await readReportInput(STUDY, { measured: MEASURED });
  const sections = reportSections(input);

  it('has the model, thermo, MSD, Arrhenius, structure, 3-D view and number sections, in order', () => {
    expect(input.kind).toBe('study');
    expect(sections.map((s) => s.id)).toEqual([
      'model',
      'thermo',
      'msd',
      'arrhenius',
      'structure',
      'structure-3d',
      'numbers',
    ]);
    expect(plots(sections).map((p) => p.id)).toEqual([
      'thermo',
      'msd',
      'arrhenius',
      'environment-rdf',
      'environments',
      'dihedrals',
      'dihedral-traces',
      'al-o-al',
      'jump-rates',
    ]);
  });

  it('reads every stage thermo on one time line: shared stages in turn, each branch from their end', () => {
    const shared = input.thermo.filter((s) => s.branchK === undefined);
    expect(shared.map((s) => s.name)).toEqual(['relax', 'melt', 'quench']);
    expect(shared.map((s) => s.offsetPs)).toEqual([0, 0.5, 1]);
    const branch700 = input.thermo.filter((s) => s.branchK === 700);
    expect(branch700.map((s) => [s.name, s.offsetPs])).toEqual([
      ['equilibrate', 1.5],
      ['produce', 2],
    ]);
    expect(branch700[1].columns.temperature_K).toHaveLength(26);
    // Stage averages with 95 % intervals, as run/summary.json gives them.
    const table = sections.find((s) => s.id === 'thermo')!.blocks.find((b) => b.kind === 'table');
    if (table?.kind !== 'table') throw new Error('expected the stage averages');
    expect(table.rows.map((r) => r[0])).toEqual([
      'relax',
      'melt',
      'quench',
      ...[300, 400, 500, 600, 700].flatMap((T) => [`T${T}K/equilibrate`, `T${T}K/produce`]),
    ]);
    const relax = input.stageAverages![0];
    const lo = relax.temperatureK.mean - 1.96 * relax.temperatureK.standardError!;
    const hi = relax.temperatureK.mean + 1.96 * relax.temperatureK.standardError!;
    expect(table.rows[0][2]).toBe(
      `${relax.temperatureK.mean.toPrecision(4)} [${lo.toPrecision(3)}, ${hi.toPrecision(3)}]`,
    );
  });

  it('compiles every plot for the page and for print, each position axis titled', () => {
    for (const p of plots(sections)) {
      for (const medium of ['screen', 'print'] as const) expect(() => compilePlot(p, medium)).not.toThrow();
      const encodings = positionEncodings(p.spec({ width: 300, height: 200 }));
      expect(encodings.length, p.id).toBeGreaterThan(0);
      // An axis is titled unless it is hidden (axis: null, a panel sharing the one below's axis)
      // or it repeats a titled axis of the same layer (error bars, bands).
      const titled = encodings.filter((e) => e.enc.title !== undefined || e.enc.axis === null);
      expect(titled.length, p.id).toBeGreaterThan(0);
      for (const e of encodings.filter((x) => typeof x.enc.title === 'string'))
        expect(e.enc.title as string, `${p.id} ${e.path}`).toMatch(/\(.+\)|^g\(r\)$|^fraction$|^T$/);
    }
  });

  it('draws the MSD fit over its window with the fitted D, and the notes beside the MSD', () => {
    const msd = plots(sections).find((p) => p.id === 'msd')!;
    const spec = JSON.stringify(msd.spec({ width: 300, height: 200 }));
    const row = input.transport!.runs.find((r) => r.temperatureK === 700)!;
    const d = row.result.diffusivity;
    // The fitted line at the window's end: intercept + 6 D t, D in A^2/ps (1 cm^2/s = 1e4 A^2/ps).
    const end = d.interceptA2.value + 6 * d.glsCm2PerS.value * 1e4 * d.fitEndPs;
    const fits = (
      JSON.parse(spec).hconcat[0].layer[2].data.values as { T: string; lag: number; msd: number }[]
    ).filter((f) => f.T === '700 K');
    expect(fits[0].lag).toBeCloseTo(d.fitStartPs, 12);
    expect(fits.at(-1)!.lag).toBeCloseTo(d.fitEndPs, 12);
    expect(fits.at(-1)!.msd).toBeCloseTo(end, 9);
    expect(msd.notes).toContain(
      '700 K: OLS and GLS slopes differ by more than 2 standard deviations of their difference: the MSD is not straight in the fit window; start the fit later',
    );
    expect(msd.notes!.some((n) => n.startsWith('300, 400, 500, 600, 700 K: fit start not given'))).toBe(true);
  });

  it('draws the Arrhenius band from the fit, the extrapolation and the measured values', () => {
    const a = plots(sections).find((p) => p.id === 'arrhenius')!;
    const spec = a.spec({ width: 300, height: 200 }) as unknown as {
      hconcat: { layer: { data: { values: Record<string, number>[] } }[] }[];
    };
    const line = spec.hconcat[0].layer[0].data.values;
    const ex = input.study!.arrhenius.extrapolation;
    const at300 = line.find((p) => Math.abs(p.inv - 1000 / 300) < 1e-9)!;
    // The band's end at the extrapolation temperature is the study's own extrapolated interval.
    expect(at300.D).toBeCloseTo(ex.diffusivityCm2PerS.value, 15);
    expect(at300.Dlo).toBeCloseTo(ex.diffusivityCm2PerS.low95, 15);
    expect(at300.Dhi).toBeCloseTo(ex.diffusivityCm2PerS.high95, 15);
    // sigma T band at 300 K: the study's extrapolated sigma times 300 K.
    expect(at300.sT / (ex.conductivityMsPerCm.value * 300)).toBeCloseTo(1, 10);
    const text = JSON.stringify(spec);
    expect(text).toContain('measured (LAOC^1.5b): 1.30 mS/cm at 303.15 K');
    const numbers = sections.find((s) => s.id === 'numbers')!;
    const rows = numbers.blocks.flatMap((b) => (b.kind === 'table' ? b.rows : []));
    expect(rows).toContainEqual(['measured Ea (LAOC^1.5b)', '0.470 eV']);
  });

  it('prints no NaN in any table; each transport value carries its 95 % interval', () => {
    for (const s of sections)
      for (const b of s.blocks)
        if (b.kind === 'table')
          for (const r of b.rows)
            for (const c of r) expect(c, `${s.id} ${b.title}`).not.toMatch(/NaN|undefined/);
    const perRun = sections.find((s) => s.id === 'numbers')!.blocks[0];
    if (perRun.kind !== 'table') throw new Error('expected a table');
    expect(perRun.rows).toHaveLength(5);
    for (const r of perRun.rows) for (const c of r.slice(3, 8)) expect(c).toMatch(/^\S+ \[\S+, \S+\]$/);
  });

  it('draws the final structure with whole oligomers: every bond of the analysis, none stretched', () => {
    const v = input.viewer!;
    expect(v.temperatureK).toBe(700);
    expect(v.densities.map((d) => d.temperatureK)).toEqual([700]);
    const { positions, bonds, unit } = drawableStructure(v);
    const row = input.structure!.find((r) => r.temperatureK === 700)!;
    // The same bond rules as the topology analysis, on its last frame (the final structure).
    expect(bonds).toHaveLength(row.topology.bondsLast);
    for (const [i, j] of bonds) {
      const d = Math.hypot(
        positions[3 * i] - positions[3 * j],
        positions[3 * i + 1] - positions[3 * j + 1],
        positions[3 * i + 2] - positions[3 * j + 2],
      );
      expect(d).toBeLessThan(2.9 + 1e-9);
    }
    expect(new Set(unit.filter((u) => u >= 0)).size).toBe(8);
    // Atoms in no unit (Li) sit inside the cube cell.
    const L = v.cell[0];
    for (let i = 0; i < unit.length; i++)
      if (unit[i] < 0)
        for (let k = 0; k < 3; k++) {
          expect(positions[3 * i + k]).toBeGreaterThanOrEqual(-1e-9);
          expect(positions[3 * i + k]).toBeLessThan(L + 1e-9);
        }
  });

  it('writes report.html (self-contained, 1-4 MB) and an SVG and PNG per plot', async () => {
    const dir = tempDir();
    const copy = join(dir, 'study');
    cpSync(STUDY, copy, { recursive: true });
    const files = await writeReport(await readReportInput(copy, { measured: MEASURED }));
    const html = readFileSync(files.html, 'utf8');
    expect(statSync(files.html).size).toBeGreaterThan(1e6);
    expect(statSync(files.html).size).toBeLessThan(4e6);
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/<link\b|@import|<iframe/i);
    for (const p of plots(files.sections)) expect(html).toContain(`id="plot-${p.id}"`);
    expect(html).toContain('id="viewer-structure-3d"');
    // The mean density of the 14.29 A cube cell beside the level slider.
    expect(html).toContain(`mean density 1/V = ${(1 / 14.290025692092932 ** 3).toExponential(1)} Å⁻³`);
    expect(files.figures).toHaveLength(2 * plots(files.sections).length);
    for (const p of plots(files.sections)) {
      const svg = readFileSync(join(copy, 'figures', `${p.id}.svg`), 'utf8');
      expect(svg.startsWith('<svg')).toBe(true);
      // The title, as text, and drawn marks (a path or line with geometry).
      expect(svg).toContain(`>${p.title.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</text>`);
      expect(svg).toMatch(/role-mark[^>]*>\s*(<g[^>]*>\s*)?<(path|line)[^>]*(d="M|x2=)/);
      const png = readFileSync(join(copy, 'figures', `${p.id}.png`));
      expect([...png.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
      // 300 dpi: a width in px of 300/72 per SVG point.
      const svgWidth = Number(/width="(\d+(\.\d+)?)"/.exec(svg)![1]);
      expect(png.readUInt32BE(16)).toBe(Math.round((svgWidth * 300) / 72));
      // A journal figure: a column (~85 mm = 241 pt) or two (~178 mm = 505 pt) wide.
      expect(svgWidth, p.id).toBeLessThan(510);
    }
  });
});

describe('a protocol with times per temperature', () => {
  it('tables one row per temperature and stage with that temperature’s steps', async () => {
    const input = await readReportInput(STUDY);
    const series = input.protocol!.series!;
    // The main job's series: 400 K ages and produces longest, 300 K shortest.
    const perT = series.temperaturesK.map((T) =>
      T === 400 ? [50000, 200000] : T === 500 ? [25000, 100000] : [5000, 25000],
    );
    const table = reportSections({
      ...input,
      protocol: { ...input.protocol!, series: { ...series, stepsPerTemperature: perT } },
    })
      .find((s) => s.id === 'model')!
      .blocks.find((b) => b.kind === 'table' && b.title === 'Protocol') as { rows: string[][] };
    const row = (stage: string) => table.rows.find((r) => r[0] === stage)!;
    expect(row(`T400K/${series.stages[1].name}`)[4]).toBe('200000');
    expect(row(`T500K/${series.stages[0].name}`)[4]).toBe('25000');
    expect(row(`T300K/${series.stages[1].name}`)[4]).toBe('25000');
    expect(table.rows.filter((r) => r[0].startsWith('T'))).toHaveLength(series.temperaturesK.length * 2);
  });
});

describe('single-analysis reports and additions', () => {
  it('transport --json: the MSD, Arrhenius and number sections', async () => {
    const input = await readReportInput(TRANSPORT);
    expect(input.kind).toBe('transport');
    expect(input.outDir).toBe(fixture('report'));
    expect(reportSections(input).map((s) => s.id)).toEqual(['msd', 'arrhenius', 'numbers']);
  });

  it('structure rdf and vdos --json: their sections; added to a study, every section is present', async () => {
    expect(reportSections(await readReportInput(RDF)).map((s) => s.id)).toEqual(['rdf']);
    expect(reportSections(await readReportInput(VDOS)).map((s) => s.id)).toEqual(['vdos']);
    const all = await readReportInput(STUDY, { extra: [RDF, VDOS, ...LAB], measured: MEASURED });
    const sections = reportSections(all);
    // Every section but the replica average, which needs a replica study (report-replicas.test.ts).
    expect(sections.map((s) => s.id)).not.toContain('replicas');
    expect(sections).toHaveLength(SECTIONS.length - 1);
    for (const p of plots(sections)) expect(() => compilePlot(p, 'print')).not.toThrow();
    // Plot ids stay unique (they name the figure files).
    const ids = plots(sections).map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("draws the study file's [measured] conductivities, their fitted sigma T line and the comparison table", async () => {
    const copy = join(tempDir(), 'study');
    cpSync(STUDY, copy, { recursive: true });
    const path = join(copy, 'study.json');
    const study = JSON.parse(readFileSync(path, 'utf8'));
    // ln(sigma T / (S K/cm)) = intercept + slope / T through (303.15 K, 1.3 mS/cm) with Ea = 0.47 eV.
    const slope = -0.47 / 8.617333262e-5;
    const intercept = Math.log(1.3e-3 * 303.15) - slope / 303.15;
    const sim = { value: 200, std: 50, low95: 120, high95: 330 };
    study.measured = {
      rows: [
        { temperatureK: 303.15, measuredMsPerCm: 1.3, simulatedMsPerCm: sim, ratio: 200 / 1.3 },
        { temperatureK: 353.15, measuredMsPerCm: 9.5, simulatedMsPerCm: sim, ratio: 200 / 9.5 },
      ],
      measuredFit: { arrheniusSigmaT: { activationEv: { value: 0.47 }, line: { slope, intercept } } },
      simulatedActivationEv: study.arrhenius.weighted.activationEv,
    };
    writeFileSync(path, JSON.stringify(study));
    const input = await readReportInput(copy);
    expect(input.measured?.points).toEqual([
      { msPerCm: 1.3, temperatureK: 303.15 },
      { msPerCm: 9.5, temperatureK: 353.15 },
    ]);
    const sections = reportSections(input);
    const a = plots(sections).find((p) => p.id === 'arrhenius')!;
    const layers = (
      a.spec({ width: 300, height: 200 }) as unknown as {
        hconcat: { layer: { data: { values: Record<string, number>[] } }[] }[];
      }
    ).hconcat[1].layer;
    const line = layers.at(-2)!.data.values;
    // The line passes through the measured point it was built from (sigma T in mS K/cm).
    const at = (T: number) =>
      line[0].sT *
      Math.exp(Math.log(line[1].sT / line[0].sT) * ((1000 / T - line[0].inv) / (line[1].inv - line[0].inv)));
    expect(at(303.15) / (1.3 * 303.15)).toBeCloseTo(1, 9);
    expect(layers.at(-1)!.data.values).toHaveLength(2);
    const table = sections
      .find((s) => s.id === 'numbers')!
      .blocks.find((b) => b.kind === 'table' && b.title.startsWith('Measured'));
    expect(table?.kind === 'table' && table.rows[0]).toEqual([
      '303.15',
      '1.30',
      '200 [1.2e+2, 3.3e+2]',
      '154',
    ]);
  });

  it('refuses a transport JSON added to a study, a missing path, bad JSON and a bad thermo number', async () => {
    await expect(readReportInput(STUDY, { extra: [TRANSPORT] })).rejects.toThrow(OptionError);
    await expect(readReportInput(join(tempDir(), 'none'))).rejects.toThrow(OligolyteError);
    const bad = join(tempDir(), 'bad.json');
    writeFileSync(bad, '{"runs": [');
    await expect(readReportInput(bad)).rejects.toThrow(ParseError);
    await expect(readReportInput(bad)).rejects.toThrow(/bad\.json: expected JSON/);
    const copy = join(tempDir(), 'study');
    cpSync(STUDY, copy, { recursive: true });
    const thermo = join(copy, 'run', '02-melt', 'thermo.csv');
    const lines = readFileSync(thermo, 'utf8').split('\n');
    lines[3] = lines[3].replace(/^(\d+),(\d+),[^,]+/, '$1,$2,hot');
    writeFileSync(thermo, lines.join('\n'));
    await expect(readReportInput(copy)).rejects.toThrow(
      /thermo\.csv:4: expected a number in column temperature_K, found "hot"/,
    );
  });
});

describe('the page', () => {
  it('escapes text from the data and carries no script end inside its data', () => {
    const input = {
      source: '<x>',
      outDir: '.',
      name: 'a</script><b>',
      quick: false,
      kind: 'study',
      thermo: [],
    } as ReportInput;
    const html = renderHtml(reportPage(input, []));
    expect(html).toContain('a&lt;/script&gt;&lt;b&gt;: study report');
    expect(html.match(/<\/script>/g)).toHaveLength(3);
  });
});

describe('helpers', () => {
  it('log axes: 1-2-5 ticks over under three decades, powers of ten beyond, inside the data range', () => {
    const a = logAxis([0.15, 4.2]);
    expect(a.axis.values).toEqual([0.2, 0.5, 1, 2, 5]);
    expect(a.scale.domain).toEqual([0.15 / 1.2, 4.2 * 1.2]);
    expect(logAxis([3e-7, 2e-2]).axis.values).toEqual([1e-6, 1e-5, 1e-4, 1e-3, 1e-2]);
  });

  it('notes raised at several temperatures are listed once with their temperatures', () => {
    expect(
      groupNotes([
        { temperatureK: 300, note: 'a' },
        { temperatureK: 400, note: 'a' },
        { temperatureK: 400, note: 'b' },
      ]),
    ).toEqual(['300, 400 K: a', '400 K: b']);
  });
});
