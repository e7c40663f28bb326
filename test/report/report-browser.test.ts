/**
 * The report in a real browser: Debian's headless Chromium (apt-get install chromium; .ci/run
 * installs it) driven by playwright-core with the system executable, no browser download. The
 * page opens from disk with no network request but itself, raises no page or console error, draws
 * marks in every plot and something in the 3-D view; a screenshot goes to a temporary folder.
 */
import { cpSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readReportInput, writeReport } from '../../src/report/index.js';
import { fixture, tempDir } from '../helpers.js';

const CHROMIUM = process.env.OLIGOLYTE_CHROMIUM ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available)
  console.warn(
    `SKIPPED report browser tests: no Chromium at ${CHROMIUM} (apt-get install chromium, or set OLIGOLYTE_CHROMIUM)`,
  );

describe.skipIf(!available)('the report in headless Chromium', () => {
  let browser: Browser;
  let html: string;
  let shots: string;

  beforeAll(async () => {
    // playwright-core never downloads a browser; the variable also quiets any attempt.
    process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';
    const dir = tempDir();
    const copy = join(dir, 'study');
    cpSync(fixture('report/laoc-0b-quick'), copy, { recursive: true });
    // Every section: the study with the structure rdf and vdos JSON, the scatter, mechanics and eis
    // JSON added, and measured values.
    const input = await readReportInput(copy, {
      extra: [
        fixture('report/rdf.json'),
        fixture('report/vdos.json'),
        ...[
          'scatter-fit',
          'scatter-xrd',
          'mechanics-stress-strain',
          'eis-fit',
          'eis-kk',
          'eis-arrhenius',
        ].map((n) => fixture(`report/lab/${n}.json`)),
      ],
      measured: { points: [{ msPerCm: 1.3, temperatureK: 303.15 }], activationEv: 0.47 },
    });
    html = (await writeReport(input, { figures: false })).html;
    shots = tempDir();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // Software WebGL (SwiftShader) for the 3-D view on machines without a GPU; no sandbox as root in CI.
      args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('opens from disk offline, without errors, and draws every plot and the 3-D view', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`file://${html}`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });

    expect(problems).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { reportErrors: string[] }).reportErrors)).toEqual(
      [],
    );
    expect(requests).toEqual([`file://${html}`]);

    // Every plot: an SVG with drawn marks (paths or lines with geometry).
    const marks = await page.evaluate(() =>
      [...document.querySelectorAll('.plot')].map((p) => ({
        id: p.id,
        svg: p.querySelector('svg') !== null,
        drawn: [...p.querySelectorAll('.role-mark path, .role-mark line')].filter(
          (e) => (e.getAttribute('d') ?? '').length > 4 || e.tagName === 'line',
        ).length,
      })),
    );
    expect(marks.map((m) => m.id)).toEqual([
      'plot-thermo',
      'plot-msd',
      'plot-arrhenius',
      'plot-environment-rdf',
      'plot-environments',
      'plot-dihedrals',
      'plot-dihedral-traces',
      'plot-al-o-al',
      'plot-jump-rates',
      'plot-rdf',
      'plot-vdos',
      'plot-pdf-fit-1-1',
      'plot-xrd-1',
      'plot-stress-strain',
      'plot-eis-fit-nyquist',
      'plot-eis-fit-bode',
      'plot-eis-kk',
      'plot-eis-arrhenius-1',
      'plot-eis-arrhenius-1-nyquist',
      'plot-eis-arrhenius-1-bode',
    ]);
    for (const m of marks) {
      expect(m.svg, m.id).toBe(true);
      expect(m.drawn, m.id).toBeGreaterThan(3);
    }

    // The 3-D view: read its WebGL canvas back and count pixels that are not the white background.
    const viewer = page.locator('#viewer-structure-3d');
    await viewer.scrollIntoViewIfNeeded();
    const pixels = await page.evaluate(() => {
      const gl = document.querySelector('#viewer-structure-3d canvas') as HTMLCanvasElement;
      const c = document.createElement('canvas');
      c.width = gl.width;
      c.height = gl.height;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(gl, 0, 0);
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      let coloured = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] < 235 || d[i + 1] < 235 || d[i + 2] < 235) coloured++;
      return { coloured, total: d.length / 4 };
    });
    expect(pixels.total).toBeGreaterThan(10_000);
    expect(pixels.coloured / pixels.total).toBeGreaterThan(0.02);

    // Moving the level redraws without error.
    await page.locator('#viewer-structure-3d-level').fill('-4.5');
    expect(await page.locator('#viewer-structure-3d-level-text').textContent()).toBe('3.2e-5 Å⁻³');

    const shot = join(shots, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(50_000);
    await viewer.screenshot({ path: join(shots, 'viewer.png') });
    expect(problems).toEqual([]);
    console.log(`report screenshots in ${shots}`);
  }, 120_000);

  it('draws a replica study: the replica average first, with marks, and no error', async () => {
    const copy = join(tempDir(), 'replicas');
    cpSync(fixture('report/laoc-0b-replicas'), copy, { recursive: true });
    const file = (await writeReport(await readReportInput(copy), { figures: false })).html;
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`file://${file}`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    expect(problems).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { reportErrors: string[] }).reportErrors)).toEqual(
      [],
    );
    expect(requests).toEqual([`file://${file}`]);
    const plots = await page.evaluate(() =>
      [...document.querySelectorAll('.plot')].map((p) => ({
        id: p.id,
        // Drawn symbols (the mean, each model, the extrapolation) and lines (bars, fit, band).
        symbols: p.querySelectorAll('.mark-symbol.role-mark path').length,
        drawn: [...p.querySelectorAll('.role-mark path, .role-mark line')].filter(
          (e) => (e.getAttribute('d') ?? '').length > 4 || e.tagName === 'line',
        ).length,
      })),
    );
    expect(plots[0].id).toBe('plot-replica-arrhenius');
    // 5 means, 2 x 5 model points, the extrapolation; bars, line and band besides.
    expect(plots[0].symbols).toBeGreaterThanOrEqual(16);
    expect(plots[0].drawn).toBeGreaterThan(20);
    for (const p of plots) expect(p.drawn, p.id).toBeGreaterThan(3);
    expect(await page.locator('#replicas').textContent()).toContain('seed 9 of 2');
    await page.locator('#fig-replica-arrhenius').screenshot({ path: join(shots, 'replica-arrhenius.png') });
    expect(problems).toEqual([]);
  }, 120_000);
});
