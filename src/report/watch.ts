import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { vegaRuntime } from './assets.js';
import { reportSections } from './build.js';
import { compilePlot } from './compile.js';
import { escapeHtml } from './format.js';
import {
  type ProtocolRecord,
  type ReportInput,
  readReportInput,
  readThermo,
  seedFolders,
  seriesStageSteps,
} from './input.js';
import { labelOneModel } from './sections/replicas.js';
import { thermoSection } from './sections/thermo.js';

/**
 * A live view of a running study: a local page (127.0.0.1 only) that shows the run's state, each
 * stage's progress and the thermo traces as they grow, and every plot of the report once the
 * study has written study.json; the page updates through server-sent events, without reloading.
 */

export interface StageProgress {
  stage: string;
  /** Thermo rows written and expected (steps / thermoEvery + 1). */
  rows: number;
  expectedRows?: number;
}

export interface WatchSnapshot {
  /** run/status.json's state (running, stopped, failed, complete), or 'waiting' before the run. */
  state: string;
  stages: StageProgress[];
  /** Compiled Vega specs of the plots available now. */
  plots: { id: string; title: string; spec: unknown }[];
  /** True once study.json is there (the whole report is shown); in a replica study, replicas.json. */
  finished: boolean;
  /** A replica study: the model whose run the state, stages and thermo show, and the finished ones. */
  model?: string;
}

const readJsonIfThere = (path: string): unknown => {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    // Absent or caught half-written: the next poll reads it again.
    return undefined;
  }
};

/**
 * What a study folder holds now. A replica study (seed<S>/ folders, no study.json at the top) runs
 * its models one after another in seed order: the live part follows the highest seed's folder, and
 * the whole report comes once replicas.json (written after the last model) is there.
 */
export const watchSnapshot = async (dir: string): Promise<WatchSnapshot> => {
  const seeds = existsSync(join(dir, 'study.json')) ? [] : seedFolders(dir);
  const current = seeds.at(-1);
  const runDir = join(current?.dir ?? dir, 'run');
  const status = readJsonIfThere(join(runDir, 'status.json')) as { state?: string } | undefined;
  const protocol = readJsonIfThere(join(runDir, 'protocol.json')) as ProtocolRecord | undefined;
  const finished = existsSync(join(dir, current ? 'replicas.json' : 'study.json'));
  const done = seeds.filter((s) => existsSync(join(s.dir, 'study.json'))).map((s) => s.seed);
  const model = current
    ? `model seed ${current.seed}; finished models: ${done.length ? `seeds ${done.join(', ')}` : 'none yet'}${finished ? '; replica average written' : ''}`
    : undefined;
  let input: ReportInput;
  if (finished) input = await readReportInput(dir);
  else {
    const temps = protocol?.series?.temperaturesK ?? [];
    input = {
      source: dir,
      outDir: dir,
      name: dir,
      quick: false,
      kind: 'study',
      protocol,
      thermo: existsSync(runDir) ? readThermo(runDir, temps, true) : [],
      replicas: current
        ? { seedsDone: done, shownSeed: current.seed, summaryPath: join(dir, 'replicas.json') }
        : undefined,
    };
  }
  const expected = (name: string, branchK: number | undefined): number | undefined => {
    const list = branchK === undefined ? protocol?.stages : protocol?.series?.stages;
    const k = list?.findIndex((x) => x.name === name) ?? -1;
    if (!list || k < 0) return undefined;
    const s = list[k];
    const steps =
      branchK === undefined || !protocol?.series ? s.steps : seriesStageSteps(protocol.series, branchK, k);
    return s.thermoEvery ? Math.floor(steps / s.thermoEvery) + 1 : undefined;
  };
  const stages = input.thermo.map((s) => ({
    stage: s.branchK === undefined ? s.name : `T${s.branchK}K/${s.name}`,
    rows: s.timePs.length,
    expectedRows: expected(s.name, s.branchK),
  }));
  const sections = finished
    ? reportSections(input)
    : [thermoSection(input)].flatMap((s) => (s ? [labelOneModel(input, s)] : []));
  const plots = sections.flatMap((s) =>
    s.blocks.flatMap((b) =>
      b.kind === 'plot' ? [{ id: b.id, title: b.title, spec: compilePlot(b, 'screen') }] : [],
    ),
  );
  return { state: status?.state ?? 'waiting', stages, plots, finished, ...(model ? { model } : {}) };
};

const PAGE_SCRIPT = `
(function () {
  var views = {};
  var status = document.getElementById('status');
  var plots = document.getElementById('plots');
  function esc(s) { return String(s).replace(/[&<>"]/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; }); }
  var source = new EventSource('/events');
  source.onmessage = function (e) {
    var snap = JSON.parse(e.data);
    status.innerHTML = '<p><b>' + esc(snap.state) + '</b>' + (snap.model ? ' (' + esc(snap.model) + ')' : '') + (snap.finished ? ' (' + (snap.model ? 'replicas.json' : 'study.json') + ' written: the whole report)' : '') + '</p><table><tr><th>stage</th><th>thermo rows</th><th>progress</th></tr>' +
      snap.stages.map(function (s) {
        var p = s.expectedRows ? Math.min(100, Math.round(100 * s.rows / s.expectedRows)) : null;
        return '<tr><td>' + esc(s.stage) + '</td><td>' + s.rows + (s.expectedRows ? ' / ' + s.expectedRows : '') + '</td><td>' + (p === null ? '' : '<progress max="100" value="' + p + '"></progress> ' + p + ' %') + '</td></tr>';
      }).join('') + '</table>';
    snap.plots.forEach(function (p) {
      var el = document.getElementById('plot-' + p.id);
      if (!el) {
        var fig = document.createElement('figure');
        fig.innerHTML = '<h3>' + esc(p.title) + '</h3><div id="plot-' + esc(p.id) + '"></div>';
        plots.appendChild(fig);
        el = document.getElementById('plot-' + p.id);
      }
      if (views[p.id]) views[p.id].finalize();
      views[p.id] = new vega.View(vega.parse(p.spec), { renderer: 'svg', container: el, hover: true });
      views[p.id].runAsync().then(function () { el.dataset.drawn = String(Date.now()); });
    });
    document.body.dataset.updates = String(Number(document.body.dataset.updates || 0) + 1);
  };
})();
`;

const page = (dir: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(dir)}: live study</title>
<style>body{font:15px/1.5 "Liberation Sans",Arial,sans-serif;max-width:1180px;margin:20px auto;padding:0 20px}
table{border-collapse:collapse}td,th{padding:2px 10px;border-bottom:1px solid #ddd;text-align:left}
figure{margin:16px 0;border:1px solid #ddd;border-radius:6px;padding:10px;overflow-x:auto}</style></head>
<body><h1>${escapeHtml(dir)}: live study</h1><div id="status">waiting for the first update</div><div id="plots"></div>
<script>${vegaRuntime()}</script><script>${PAGE_SCRIPT}</script></body></html>
`;

export interface WatchServer {
  /** http://127.0.0.1:PORT/ */
  url: string;
  close: () => Promise<void>;
}

/**
 * Serve the live page of a study folder on 127.0.0.1 (port 0: any free port). The folder is
 * polled every `intervalMs`; a snapshot that differs from the last is sent to every open page.
 */
export const serveStudy = async (
  dir: string,
  options: {
    port?: number;
    intervalMs?: number;
    onError?: (e: Error) => void;
    /** Do not keep the process alive for the page (beside a study run, which does). */
    background?: boolean;
  } = {},
): Promise<WatchServer> => {
  const clients = new Set<ServerResponse>();
  let last = '';
  const html = page(dir);
  const send = (res: ServerResponse, data: string) => res.write(`data: ${data}\n\n`);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/' || req.url === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(html);
    } else if (req.url === '/favicon.ico') {
      // Browsers ask for one; none is not an error.
      res.writeHead(204);
      res.end();
    } else if (req.url === '/events') {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      clients.add(res);
      if (last) send(res, last);
      req.on('close', () => clients.delete(res));
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found\n');
    }
  });
  let busy = false;
  const poll = async () => {
    if (busy) return;
    busy = true;
    try {
      const data = JSON.stringify(await watchSnapshot(dir));
      if (data !== last) {
        last = data;
        for (const c of clients) send(c, data);
      }
    } catch (e) {
      options.onError?.(e as Error);
    } finally {
      busy = false;
    }
  };
  await poll();
  const timer = setInterval(poll, options.intervalMs ?? 2000);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Loopback only: the page shows unpublished results and accepts no input.
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  if (options.background) {
    server.unref();
    timer.unref();
  }
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        for (const c of clients) c.end();
        server.close(() => resolve());
      }),
  };
};
