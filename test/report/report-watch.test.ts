/**
 * The live page of a running study (serveStudy): served on 127.0.0.1 only, it sends the run's
 * state, stage progress and thermo plot as server-sent events, and the whole report's plots once
 * study.json appears. Bounded: every wait has a time limit.
 */
import { appendFileSync, cpSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { serveStudy, type WatchServer, type WatchSnapshot, watchSnapshot } from '../../src/report/index.js';
import { fixture, tempDir } from '../helpers.js';

/** Reads server-sent events from a URL; `next` waits (at most `ms`) for an event passing `test`. */
const events = (url: string) => {
  const received: WatchSnapshot[] = [];
  let wake: (() => void) | undefined;
  let buffer = '';
  const req = get(url, (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      let i = buffer.indexOf('\n\n');
      while (i >= 0) {
        const block = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        if (block.startsWith('data: ')) received.push(JSON.parse(block.slice(6)));
        wake?.();
        i = buffer.indexOf('\n\n');
      }
    });
  });
  const next = async (test: (s: WatchSnapshot) => boolean, ms = 15_000): Promise<WatchSnapshot> => {
    const limit = Date.now() + ms;
    for (;;) {
      const hit = received.find(test);
      if (hit) return hit;
      if (Date.now() > limit)
        throw new Error(`no matching event within ${ms} ms (${received.length} received)`);
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 200);
      });
    }
  };
  return { next, close: () => req.destroy(), received };
};

let server: WatchServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('the live page of a study (serveStudy)', () => {
  it('serves on 127.0.0.1, shows a running study, then the whole report when study.json appears', async () => {
    const dir = join(tempDir(), 'study');
    cpSync(fixture('report/laoc-0b-quick'), dir, { recursive: true });
    // A study still running: no study.json yet, the 700 K production's thermo cut mid-line.
    renameSync(join(dir, 'study.json'), join(dir, '..', 'study.json'));
    writeFileSync(join(dir, 'run', 'status.json'), '{"state": "running"}');
    appendFileSync(join(dir, 'run', 'series', 'T700K', '02-produce', 'thermo.csv'), '2600,5200,70');

    const errors: string[] = [];
    server = await serveStudy(dir, { intervalMs: 100, onError: (e) => errors.push(e.message) });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(server.url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("new EventSource('/events')");
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect((await fetch(`${server.url}nothing`)).status).toBe(404);

    const stream = events(`${server.url}events`);
    try {
      const running = await stream.next((s) => s.state === 'running');
      expect(running.finished).toBe(false);
      expect(running.plots.map((p) => p.id)).toEqual(['thermo']);
      // The partial line is left out: 26 whole rows of the 26 the protocol writes (2500 steps, every 100).
      expect(running.stages.find((s) => s.stage === 'T700K/produce')).toEqual({
        stage: 'T700K/produce',
        rows: 26,
        expectedRows: 26,
      });
      expect(running.stages.map((s) => s.stage).slice(0, 3)).toEqual(['relax', 'melt', 'quench']);

      // The stage ends (its last line whole), then the study writes study.json.
      cpSync(
        fixture('report/laoc-0b-quick/run/series/T700K/02-produce/thermo.csv'),
        join(dir, 'run', 'series', 'T700K', '02-produce', 'thermo.csv'),
      );
      renameSync(join(dir, '..', 'study.json'), join(dir, 'study.json'));
      writeFileSync(join(dir, 'run', 'status.json'), '{"state": "complete"}');
      const done = await stream.next((s) => s.finished);
      expect(done.state).toBe('complete');
      expect(errors).toEqual([]);
      expect(done.plots.map((p) => p.id)).toEqual(
        expect.arrayContaining(['thermo', 'msd', 'arrhenius', 'jump-rates']),
      );
    } finally {
      stream.close();
    }
  }, 30_000);

  it('waits for a study that has not started', async () => {
    const dir = join(tempDir(), 'not-yet');
    server = await serveStudy(dir, { intervalMs: 100 });
    const stream = events(`${server.url}events`);
    try {
      const first = await stream.next(() => true);
      expect(first).toEqual({ state: 'waiting', stages: [], plots: [], finished: false });
    } finally {
      stream.close();
    }
  }, 20_000);

  it('follows a replica study model by model (seed9, then seed10), then shows the replica average', async () => {
    const dir = join(tempDir(), 'replicas');
    cpSync(fixture('report/laoc-0b-replicas'), dir, { recursive: true });
    const seed10 = join(dir, 'seed10');
    const study10 = join(dir, '..', 'seed10-study.json');
    const average = join(dir, '..', 'replicas.json');
    renameSync(join(seed10, 'study.json'), study10);
    renameSync(join(dir, 'replicas.json'), average);
    // Before the first model's folder: waiting.
    const empty = join(tempDir(), 'empty');
    mkdirSync(empty);
    expect((await watchSnapshot(empty)).state).toBe('waiting');

    // Model seed10 running (its run folder: seed9's, its last stage cut mid-line), seed9 done.
    cpSync(join(dir, 'seed9', 'run'), join(seed10, 'run'), { recursive: true });
    writeFileSync(join(seed10, 'run', 'status.json'), '{"state": "running"}');
    appendFileSync(join(seed10, 'run', 'series', 'T700K', '02-produce', 'thermo.csv'), '2600,5200,70');
    const running = await watchSnapshot(dir);
    expect(running.state).toBe('running');
    expect(running.finished).toBe(false);
    expect(running.model).toBe('model seed 10; finished models: seeds 9');
    expect(running.plots.map((p) => [p.id, p.title])).toEqual([['thermo', 'Thermo traces (seed 10)']]);
    expect(running.stages.find((s) => s.stage === 'T700K/produce')?.rows).toBe(26);

    // seed10's study.json, then the replica average: the whole report, the average first.
    renameSync(study10, join(seed10, 'study.json'));
    writeFileSync(join(seed10, 'run', 'status.json'), '{"state": "complete"}');
    expect((await watchSnapshot(dir)).finished).toBe(false);
    renameSync(average, join(dir, 'replicas.json'));
    const done = await watchSnapshot(dir);
    expect(done.finished).toBe(true);
    expect(done.model).toBe('model seed 10; finished models: seeds 9, 10; replica average written');
    expect(done.plots[0].id).toBe('replica-arrhenius');
    expect(done.plots.map((p) => p.id)).toEqual(expect.arrayContaining(['thermo', 'msd', 'arrhenius']));
    rmSync(dir, { recursive: true });
  }, 30_000);
});
