/**
 * The report of a replica study (one folder per model, seed9/ and seed10/, and the replica average
 * replicas.json): the replica average comes first and is the result, its numbers are those of
 * replicas.json, the one-model sections say which seed they show, seeds go in numeric order, the
 * figure and the --json index carry the average, and a study still running reports what it has.
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extrapolate } from '../../src/analysis/transport/arrhenius.js';
import { ParseError } from '../../src/core/errors.js';
import {
  type PlotBlock,
  readReportInput,
  reportSections,
  type Section,
  type TableBlock,
  writeReport,
} from '../../src/report/index.js';
import type { ReplicaSummary } from '../../src/study/replicas.js';
import { cli, fixture, tempDir } from '../helpers.js';

const STUDY = fixture('report/laoc-0b-replicas');
const SUMMARY = JSON.parse(readFileSync(join(STUDY, 'replicas.json'), 'utf8')) as ReplicaSummary;

const copyStudy = (): string => {
  const dir = join(tempDir(), 'study');
  cpSync(STUDY, dir, { recursive: true });
  return dir;
};

const plotsOf = (s: Section): PlotBlock[] => s.blocks.filter((b): b is PlotBlock => b.kind === 'plot');
const tablesOf = (s: Section): TableBlock[] => s.blocks.filter((b): b is TableBlock => b.kind === 'table');

type Layer = { data: { values: Record<string, number | string>[] }; mark: { type: string } };
const layersOf = (p: PlotBlock): Layer[] =>
  (p.spec({ width: 300, height: 200 }) as unknown as { layer: Layer[] }).layer;

describe('a replica study folder (the --quick laoc-0b fixture, replicas = 2, seeds 9 and 10)', async () => {
  const input = await readReportInput(STUDY);
  const sections = reportSections(input);
  const replica = sections.find((s) => s.id === 'replicas')!;

  it('reads replicas.json as written and shows seed 9 (numeric order: seed10 sorts before seed9 as text)', () => {
    expect(input.replicas?.summary).toEqual(SUMMARY);
    expect(input.replicas?.seedsDone).toEqual([9, 10]);
    expect(input.replicas?.shownSeed).toBe(9);
    expect(input.study?.name).toBe('laoc-0b');
    expect(input.outDir).toBe(STUDY);
    const model = reportSections(input).find((s) => s.id === 'model')!;
    expect(tablesOf(model)[0].rows).toContainEqual([
      'model seed',
      '9: one of the 2 models (seeds 9, 10), the one the sections below the replica average show',
    ]);
  });

  it('puts the replica average first; every one-model section and its plots name the seed', () => {
    expect(sections.map((s) => s.id)).toEqual([
      'replicas',
      'model',
      'thermo',
      'msd',
      'arrhenius',
      'structure',
      'structure-3d',
      'numbers',
    ]);
    for (const s of sections.filter((x) => !['replicas', 'numbers'].includes(x.id))) {
      expect(s.title, s.id).toMatch(/: one model \(seed 9\)$/);
      for (const b of s.blocks)
        if (b.kind === 'plot' || b.kind === 'viewer') expect(b.title, b.id).toMatch(/\(seed 9\)$/);
    }
    const notes = replica.blocks.find((b) => b.kind === 'notes');
    expect(notes?.kind === 'notes' && notes.items[0]).toBe(
      "The sections below show one model, seed 9 of 2 (folder seed9/): their intervals are that model's only and leave out the scatter between independent models, which the replica average above includes.",
    );
  });

  it('draws the mean D with its intervals, each model, the fit with its band and the extrapolation as in replicas.json', () => {
    const [plot] = plotsOf(replica);
    expect(plot.id).toBe('replica-arrhenius');
    const layers = layersOf(plot);
    const [band, line, seeds, bars] = layers;
    expect(band.mark.type).toBe('area');
    expect(line.mark.type).toBe('line');
    // Each model's D, by seed, as written.
    expect(seeds.data.values.map((p) => [p.seed, p.D])).toEqual(
      SUMMARY.rows.flatMap((r) => r.perSeedD.map((d, i) => [`seed ${SUMMARY.seeds[i]}`, d])),
    );
    // Mean D and its interval at every temperature (all positive here); a low bound at or below
    // zero is drawn down to the axis bottom and said in the notes.
    expect(bars.data.values.map((p) => [p.kelvin, p.D, p.low, p.Dhi])).toEqual(
      SUMMARY.rows.map((r) => [
        r.temperatureK,
        r.diffusivityCm2PerS.value,
        r.diffusivityCm2PerS.low95,
        r.diffusivityCm2PerS.high95,
      ]),
    );
    const open = SUMMARY.rows.filter((r) => !(r.diffusivityCm2PerS.low95 > 0));
    expect(open.length).toBeGreaterThan(0);
    for (const p of bars.data.values.filter((v) => !((v.low as number) > 0)))
      expect(p.Dlo).toBeLessThan(Math.min(...SUMMARY.rows.map((r) => r.diffusivityCm2PerS.value)));
    expect(plot.notes).toContain(
      `${open.map((r) => r.temperatureK).join(', ')} K: the 95 % interval of the mean reaches zero or below (few models, Student t); its bar is drawn down to the axis bottom.`,
    );
    // Filled (in the fit) exactly at the fitted temperatures.
    const filled = layers.find(
      (l) =>
        (l.mark as { filled?: boolean }).filled === true &&
        l.mark.type === 'point' &&
        l.data.values[0]?.fitted !== undefined,
    )!;
    expect(filled.data.values.map((p) => p.kelvin)).toEqual(SUMMARY.fittedTemperaturesK);
    // The line's end at the extrapolation temperature is the written extrapolation and interval.
    const x = SUMMARY.extrapolation;
    const at = line.data.values.find((p) => Math.abs((p.inv as number) - 1000 / x.temperatureK) < 1e-9)!;
    expect(at.D as number).toBeCloseTo(x.diffusivityCm2PerS.value, 15);
    expect(band.data.values.find((p) => p.inv === at.inv)!.Dlo as number).toBeCloseTo(
      x.diffusivityCm2PerS.low95,
      15,
    );
    expect(band.data.values.find((p) => p.inv === at.inv)!.Dhi as number).toBeCloseTo(
      x.diffusivityCm2PerS.high95,
      15,
    );
    // ... and the band everywhere is the written fit's own (extrapolate of the analysis layer).
    for (const p of band.data.values) {
      const e = extrapolate(SUMMARY.fit, 1000 / (p.inv as number), SUMMARY.quantile95);
      expect(p.Dlo as number).toBeCloseTo(e.low95, 15);
    }
    const diamond = layers.at(-1)!;
    expect(diamond.data.values.map((p) => [p.D, p.low, p.Dhi])).toEqual([
      [x.diffusivityCm2PerS.value, x.diffusivityCm2PerS.low95, x.diffusivityCm2PerS.high95],
    ]);
  });

  it('tables Ea, sigma and D at 300 K, the window, the models and each model’s Ea, from replicas.json', () => {
    const [summary, perT] = tablesOf(replica);
    const value = (label: RegExp) => summary.rows.find((r) => label.test(r[0]))![1];
    const bounds = (text: string) => /^(\S+) \[(\S+), (\S+)\]/.exec(text)!.slice(1).map(Number);
    const close = (text: string, e: { value: number; low95: number; high95: number }) => {
      const [v, lo, hi] = bounds(text);
      expect(v / e.value).toBeCloseTo(1, 2);
      expect(lo / e.low95).toBeCloseTo(1, 1);
      expect(hi / e.high95).toBeCloseTo(1, 1);
    };
    close(value(/^Ea/), SUMMARY.activationEv);
    expect(value(/^Ea/)).toMatch(/ eV$/);
    close(value(/^σ at 300 K/), SUMMARY.extrapolation.conductivityMsPerCm);
    close(value(/^D at 300 K/), SUMMARY.extrapolation.diffusivityCm2PerS);
    expect(value(/^Arrhenius window/)).toBe(
      `${SUMMARY.windowK[0]}-${SUMMARY.windowK[1]} K (${SUMMARY.fittedTemperaturesK.join(', ')} K fitted)`,
    );
    expect(value(/^models/)).toBe('2 (seeds 9, 10)');
    const perSeed = value(/^Ea per model/).split('; ');
    expect(perSeed.map((s) => s.split(':')[0])).toEqual(['seed 9', 'seed 10']);
    perSeed.forEach((s, i) => {
      expect(Number(/: (\S+) eV/.exec(s)![1]) / SUMMARY.perSeedActivationEv[i]).toBeCloseTo(1, 2);
    });
    expect(perT.columns.slice(-2)).toEqual(['D seed 9/cm² s⁻¹', 'D seed 10/cm² s⁻¹']);
    perT.rows.forEach((row, k) => {
      expect(Number(row[0])).toBe(SUMMARY.rows[k].temperatureK);
      close(row[1], SUMMARY.rows[k].diffusivityCm2PerS);
      close(row[2], SUMMARY.rows[k].conductivityMsPerCm);
      expect(Number(row[3]) / SUMMARY.rows[k].perSeedD[0]).toBeCloseTo(1, 2);
    });
    // The summary line says the same; no NaN anywhere.
    expect(replica.summary).toContain(`${SUMMARY.seeds.length} models, seeds 9, 10`);
    for (const s of sections)
      for (const t of tablesOf(s))
        for (const r of t.rows) for (const c of r) expect(c).not.toMatch(/NaN|undefined/);
  });

  it('every number: the replica tables first, then the one model’s, titled with its seed', () => {
    const numbers = sections.find((s) => s.id === 'numbers')!;
    expect(tablesOf(numbers).map((t) => t.title)).toEqual([
      'Replica average of 2 models',
      'Mean Li transport over the 2 models, per temperature',
      'Li transport per run (one model: seed 9)',
      'Arrhenius fit (one model: seed 9)',
    ]);
    expect(tablesOf(numbers)[0]).toEqual(tablesOf(replica)[0]);
  });

  it('writes the replica figure (SVG with title and marks, PNG), the page with it first, and --json with the average', async () => {
    const dir = copyStudy();
    const files = await writeReport(await readReportInput(dir));
    const svg = readFileSync(join(dir, 'figures', 'replica-arrhenius.svg'), 'utf8');
    expect(svg).toContain('>Replica average: D of Li over 2 models</text>');
    expect(svg).toMatch(/role-mark[^>]*>\s*(<g[^>]*>\s*)?<(path|line)[^>]*(d="M|x2=)/);
    expect(files.figures).toContain(join(dir, 'figures', 'replica-arrhenius.png'));
    const html = readFileSync(files.html, 'utf8');
    expect(html.indexOf('id="plot-replica-arrhenius"')).toBeLessThan(html.indexOf('id="plot-thermo"'));
    expect(html).toContain('seed 9 of 2 (folder seed9/)');
    expect(html).toContain(
      '<p class="sub">a study of 2 independent models (seeds 9, 10): the replica average is the result; the sections after it show one model, seed 9</p>',
    );

    const json = join(dir, 'index.json');
    const r = cli('report', dir, '--no-figures', '--json', json);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Replica average over 2 models\s+1 plot, 2 tables/);
    const index = JSON.parse(readFileSync(json, 'utf8'));
    expect(index.sections[0].id).toBe('replicas');
    expect(index.replicas).toEqual({ shownSeed: 9, seedsDone: [9, 10], summary: SUMMARY });
  }, 60_000);
});

describe('a replica study in other states', () => {
  it('still running (no replicas.json yet): says so and shows the first finished model', async () => {
    const dir = copyStudy();
    rmSync(join(dir, 'replicas.json'));
    rmSync(join(dir, 'seed10', 'study.json'));
    const input = await readReportInput(dir);
    expect(input.replicas).toMatchObject({ seedsDone: [9], shownSeed: 9, summary: undefined });
    const sections = reportSections(input);
    expect(sections[0].id).toBe('replicas');
    expect(sections[0].title).toBe('Replica average (not yet written)');
    expect(plotsOf(sections[0])).toEqual([]);
    const notes = sections[0].blocks[0];
    expect(notes.kind === 'notes' && notes.items[0]).toMatch(
      /^Models finished so far: seeds 9\. The replica average/,
    );
    expect(sections.find((s) => s.id === 'numbers')!.blocks.map((b) => b.title)[0]).toBe(
      'Li transport per run (one model: seed 9)',
    );
  });

  it('replicas.json without the fit line (an older study): the points and extrapolation, no line, a note', async () => {
    const dir = copyStudy();
    const { fit, fittedTemperaturesK, ...older } = SUMMARY;
    expect(fit.points).toBe(fittedTemperaturesK.length);
    writeFileSync(join(dir, 'replicas.json'), JSON.stringify(older));
    const plot = plotsOf(reportSections(await readReportInput(dir))[0])[0];
    const marks = layersOf(plot).map((l) => l.mark.type);
    expect(marks).not.toContain('line');
    expect(marks).not.toContain('area');
    expect(plot.notes!.some((n) => n.includes('has no fit line'))).toBe(true);
  });

  it('refuses a replicas.json without the replica average, naming the file', async () => {
    const dir = copyStudy();
    writeFileSync(join(dir, 'replicas.json'), JSON.stringify({ seeds: [9, 10], rows: [] }));
    await expect(readReportInput(dir)).rejects.toThrow(ParseError);
    await expect(readReportInput(dir)).rejects.toThrow(/replicas\.json: expected a replica average/);
  });
});
