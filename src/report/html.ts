import { threeDmolRuntime, vegaRuntime } from './assets.js';
import { compilePlot } from './compile.js';
import { escapeHtml } from './format.js';
import { PAGE_SCRIPT } from './page-script.js';
import type { Block, Section, ViewerBlock } from './section.js';

export interface ReportPage {
  title: string;
  /** Lines under the title: where the data came from, when, warnings. */
  lines: string[];
  /** A warning shown as a banner (e.g. --quick). */
  warning?: string;
  sections: Section[];
  /** Whether figures/<plot>.svg and .png are written beside the page (the captions name them). */
  figures?: boolean;
}

const STYLE = `
:root { --ink: #1d1d1f; --muted: #5f6368; --rule: #dadce0; --note: #fff6e0; --note-rule: #e0a526; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 "Liberation Sans", Arial, Helvetica, sans-serif; color: var(--ink); background: #fafafa; }
header, main, nav { max-width: 1180px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 22px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 21px; margin: 34px 0 6px; padding-top: 8px; border-top: 1px solid var(--rule); }
h3 { font-size: 16px; margin: 20px 0 6px; }
.sub { color: var(--muted); margin: 2px 0; }
.warning { background: #fdecea; border-left: 4px solid #d93025; padding: 8px 12px; margin: 12px 0; }
nav ul { list-style: none; padding: 0; margin: 12px 0 0; display: flex; flex-wrap: wrap; gap: 6px 16px; }
nav a { color: #1a5fb4; text-decoration: none; }
nav a:hover { text-decoration: underline; }
.summary { font-weight: bold; margin: 6px 0 10px; }
figure { margin: 14px 0 22px; background: white; border: 1px solid var(--rule); border-radius: 6px; padding: 12px 14px; }
.plot { overflow-x: auto; }
figcaption { color: var(--muted); font-size: 14px; margin-top: 8px; max-width: 980px; }
.notes { background: var(--note); border-left: 4px solid var(--note-rule); padding: 6px 12px; margin: 10px 0 0; font-size: 14px; }
.notes ul { margin: 4px 0; padding-left: 18px; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; font-size: 13.5px; background: white; }
th, td { border-bottom: 1px solid var(--rule); padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: #f1f3f4; font-weight: bold; white-space: nowrap; }
td { font-variant-numeric: tabular-nums; white-space: nowrap; }
.viewer { position: relative; width: 100%; height: 540px; border: 1px solid var(--rule); }
.controls { display: flex; flex-wrap: wrap; gap: 8px 20px; align-items: center; margin: 0 0 8px; font-size: 14px; }
.controls input[type=range] { width: 220px; vertical-align: middle; }
.tip { position: fixed; display: none; z-index: 10; pointer-events: none; background: rgba(255,255,255,0.97); border: 1px solid #999; border-radius: 4px; padding: 5px 8px; font-size: 12.5px; box-shadow: 0 2px 6px rgba(0,0,0,0.2); }
footer { max-width: 1180px; margin: 30px auto; padding: 0 20px; color: var(--muted); font-size: 13px; }
`;

const notesHtml = (title: string, items: string[] | undefined): string =>
  items?.length
    ? `<div class="notes"><b>${escapeHtml(title)}</b><ul>${items.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul></div>`
    : '';

/** Slider range of the isosurface level: 10^-5.5 .. 10^-2 per A^3. */
const LEVEL_LOG_RANGE: [number, number] = [-5.5, -2];

const viewerHtml = (b: ViewerBlock): string => {
  const temps = b.densities.map((d) => d.temperatureK);
  const options = temps
    .map((t) => `<option value="${t}"${t === b.defaultTemperatureK ? ' selected' : ''}>${t} K</option>`)
    .join('');
  const controls = temps.length
    ? `<div class="controls"><label>density of ${escapeHtml(b.species)} over the production at <select id="viewer-${b.id}-T">${options}</select></label>` +
      `<label>level <input type="range" id="viewer-${b.id}-level" min="${LEVEL_LOG_RANGE[0]}" max="${LEVEL_LOG_RANGE[1]}" step="0.05" value="${Math.log10(b.defaultLevelPerA3).toFixed(3)}"> <span id="viewer-${b.id}-level-text"></span></label><span>mean density 1/V = ${b.meanPerA3.toExponential(1)} Å⁻³ (a surface well above it shows the paths)</span></div>`
    : `<div class="controls">no density grid was written for this run<input type="hidden" id="viewer-${b.id}-level" value="${Math.log10(b.defaultLevelPerA3)}"><span id="viewer-${b.id}-level-text"></span></div>`;
  return `<figure><h3>${escapeHtml(b.title)}</h3>${controls}<div class="viewer" id="viewer-${b.id}"></div>${
    b.caption ? `<figcaption>${escapeHtml(b.caption)}</figcaption>` : ''
  }</figure>`;
};

const blockHtml = (b: Block, figures: boolean): string => {
  switch (b.kind) {
    case 'plot':
      return `<figure id="fig-${b.id}"><h3>${escapeHtml(b.title)}</h3><div class="plot" id="plot-${b.id}"></div>${
        b.caption
          ? `<figcaption>${escapeHtml(b.caption)}${figures ? ` <i>Figure files: figures/${b.id}.svg, figures/${b.id}.png.</i>` : ''}</figcaption>`
          : ''
      }${notesHtml('Notes from the analysis', b.notes)}</figure>`;
    case 'table':
      return `<h3>${escapeHtml(b.title)}</h3>${b.caption ? `<p class="sub">${escapeHtml(b.caption)}</p>` : ''}<div class="table-wrap"><table>${
        b.columns.some((c) => c !== '')
          ? `<thead><tr>${b.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead>`
          : ''
      }<tbody>${b.rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('')}</tbody></table></div>`;
    case 'notes':
      return notesHtml(b.title, b.items);
    case 'viewer':
      return viewerHtml(b);
  }
};

/** JSON that can sit inside a <script> element ("</" and line separators escaped). */
const scriptJson = (value: unknown): string =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

/**
 * The report as one self-contained HTML page: styles, the Vega and 3Dmol runtimes, the compiled
 * plots and every datum inline; it requests nothing when opened from disk.
 */
export const renderHtml = (page: ReportPage): string => {
  const blocks = page.sections.flatMap((s) => s.blocks);
  const plots = blocks.flatMap((b) =>
    b.kind === 'plot' ? [{ id: b.id, spec: compilePlot(b, 'screen') }] : [],
  );
  const viewers = blocks.filter((b): b is ViewerBlock => b.kind === 'viewer');
  const nav = page.sections.map((s) => `<li><a href="#${s.id}">${escapeHtml(s.title)}</a></li>`).join('');
  const body = page.sections
    .map(
      (s) =>
        `<section id="${s.id}"><h2>${escapeHtml(s.title)}</h2>${s.summary ? `<p class="summary">${escapeHtml(s.summary)}</p>` : ''}${s.blocks.map((b) => blockHtml(b, page.figures !== false)).join('\n')}</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(page.title)}</h1>${page.lines.map((l) => `<p class="sub">${escapeHtml(l)}</p>`).join('')}${
    page.warning ? `<p class="warning">${escapeHtml(page.warning)}</p>` : ''
  }</header>
<nav><ul>${nav}</ul></nav>
<main>
${body}
</main>
<footer>Made by oligolyte report. Plots: Vega (BSD-3-Clause); 3-D view: 3Dmol.js (BSD-3-Clause).</footer>
<script type="application/json" id="report-data">${scriptJson({ plots, viewers })}</script>
<script>${vegaRuntime()}</script>
${viewers.length ? `<script>${threeDmolRuntime()}</script>` : ''}
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
};
