/**
 * readDcdAhead (io/read-ahead.ts): the frames, errors and warnings of readFrames for a DCD, read on
 * a worker thread into a ring of shared frame buffers.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OptionError } from '../../src/core/errors.js';
import { Topology } from '../../src/core/topology.js';
import { prestartDcdReading, readDcdAhead } from '../../src/io/read-ahead.js';
import { type OpenOptions, readFrames } from '../../src/io/registry.js';
import { dcdBytes } from './dcd-bytes.js';

const jobModule = new URL('./frame-job-fixture.ts', import.meta.url).href;

const dir = mkdtempSync(join(tmpdir(), 'oligolyte-read-ahead-'));
const natoms = 5;
const topology = new Topology({ symbols: ['Li', 'Li', 'Al', 'O', 'Cl'] });
// 300 frames (more than the ring holds: at most 128), a cell that changes every 7 frames, steps 10 apart.
const frames = Array.from({ length: 300 }, (_, k) => ({
  xyz: [0, 1, 2].map((a) => Array.from({ length: natoms }, (_, i) => Math.fround(i + a * 0.1 + k * 0.01))),
  cell: [10 + Math.floor(k / 7) * 0.01, 90, 10, 90, 90, 10],
}));
const good = join(dir, 'good.dcd');
writeFileSync(good, dcdBytes(frames, { nset: 300, istart: 100, nsavc: 10 }));

/** Every frame as plain numbers (positions are only valid until the next frame). */
const collect = async (it: AsyncIterable<{ frame: { positions: Float64Array } }>) => {
  const out: unknown[] = [];
  for await (const s of it) {
    const f = s.frame as Record<string, unknown> & {
      positions: Float64Array;
      lattice?: { matrix: Float64Array };
    };
    out.push({
      ...f,
      positions: Array.from(f.positions),
      lattice: f.lattice && Array.from(f.lattice.matrix),
    });
  }
  return out;
};

const both = async (path: string, options: OpenOptions & { javascript?: boolean }) => {
  const warnings: [string[], string[]] = [[], []];
  const direct = await collect(readFrames(path, { ...options, onWarning: (m) => warnings[0].push(m) }));
  const ahead = await collect(readDcdAhead(path, { ...options, onWarning: (m) => warnings[1].push(m) }));
  return { direct, ahead, warnings };
};

describe('readDcdAhead', () => {
  it('gives the frames readFrames gives (positions, cells, steps), slices too', async () => {
    const { direct, ahead } = await both(good, { topology });
    expect(ahead.length).toBe(300);
    expect(ahead).toEqual(direct);
    const sliced = await both(good, { topology, frames: { start: 3, stop: 90, step: 4 } });
    expect(sliced.ahead).toEqual(sliced.direct);
    // Without the SIMD kernel (a runtime that cannot run it): the same frames.
    const plain = await both(good, { topology, javascript: true });
    expect(plain.ahead).toEqual(plain.direct);
  });

  it('reports progress and the warnings of the reader', async () => {
    const stale = join(dir, 'stale.dcd');
    writeFileSync(stale, dcdBytes(frames.slice(0, 10), { nset: 12 }));
    const { direct, ahead, warnings } = await both(stale, { topology });
    expect(ahead).toEqual(direct);
    expect(warnings[1]).toEqual(warnings[0]);
    expect(warnings[1][0]).toMatch(/says 12 frames/);
    const progress: number[] = [];
    for await (const _ of readDcdAhead(good, { topology, onProgress: (done) => progress.push(done) })) void _;
    expect(progress.at(-1)).toBe(dcdBytes(frames, { nset: 300, istart: 100, nsavc: 10 }).length);
  });

  it('throws the error readFrames throws, after the same frames', async () => {
    const bytes = dcdBytes(frames.slice(0, 40));
    const cut = join(dir, 'cut.dcd');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 30));
    const nan = frames
      .slice(0, 40)
      .map((f, k) => (k === 33 ? { ...f, xyz: [f.xyz[0], f.xyz[1].map(() => Number.NaN), f.xyz[2]] } : f));
    const bad = join(dir, 'nan.dcd');
    writeFileSync(bad, dcdBytes(nan));
    for (const path of [cut, bad])
      for (const javascript of [false, true]) {
        const seen: number[][] = [[], []];
        const run = async (it: AsyncIterable<unknown>, k: number) => {
          for await (const _ of it) seen[k].push(0);
        };
        const e1 = await run(readFrames(path, { topology }), 0).catch((e) => e);
        const e2 = await run(readDcdAhead(path, { topology, javascript }), 1).catch((e) => e);
        expect(e2).toBeInstanceOf(Error);
        expect(e2.constructor).toBe(e1.constructor);
        expect(e2.message).toBe(e1.message);
        expect(seen[1].length).toBe(seen[0].length);
      }
    const wrongTopology = new Topology({ symbols: ['Li', 'Li'] });
    const e1 = await collect(readFrames(good, { topology: wrongTopology })).catch((e) => e);
    const e2 = await collect(readDcdAhead(good, { topology: wrongTopology })).catch((e) => e);
    expect(e2.name).toBe('OptionError');
    expect(e2.message).toBe(e1.message);
  });

  it('stops its thread when the caller stops early', async () => {
    let k = 0;
    for await (const _ of readDcdAhead(good, { topology })) if (++k === 5) break;
    expect(k).toBe(5);
  });

  it('runs a frame job on every frame it hands on, its result by the end', async () => {
    let result: unknown;
    const sliced = { start: 3, stop: 290, step: 4 };
    let seen = 0;
    let first = 0;
    const it = readDcdAhead(good, {
      topology,
      frames: sliced,
      frameJob: { module: jobModule, init: {}, onResult: (r) => (result = r) },
    });
    // (The result may come before the last frames are taken: the promise is only "by the end".)
    for await (const s of it) {
      first += s.frame.positions[0];
      seen++;
    }
    expect(seen).toBe(72);
    expect(result).toEqual({ frames: 72, sum: first });
  });

  it('ends with the error a frame job throws, after the frames before it', async () => {
    let seen = 0;
    const e = await (async () => {
      for await (const _ of readDcdAhead(good, {
        topology,
        frameJob: { module: jobModule, init: { failAt: 200 }, onResult: () => undefined },
      }))
        seen++;
    })().catch((err) => err);
    expect(e).toBeInstanceOf(OptionError);
    expect(e.message).toBe('the job stops at frame 200');
    // The frame the job failed on was handed on before the job saw it.
    expect(seen).toBe(201);
  });

  it('says how many frames it will give before the first, as readFrames does', async () => {
    for (const frames of [
      undefined,
      { start: 3, stop: 290, step: 4 },
      { start: 250, step: 100 },
      { start: 400 },
    ]) {
      const counts: number[][] = [[], []];
      const seen = [0, 0];
      // Before the first frame (a selection of none, the last: readDcdAhead says so at the end).
      for await (const _ of readFrames(good, { topology, frames, onFrameCount: (n) => counts[0].push(n) })) {
        expect(counts[0].length).toBe(1);
        seen[0]++;
      }
      for await (const _ of readDcdAhead(good, {
        topology,
        frames,
        onFrameCount: (n) => counts[1].push(n),
      })) {
        expect(counts[1].length).toBe(1);
        seen[1]++;
      }
      expect(counts[0]).toEqual([seen[0]]);
      expect(counts[1]).toEqual([seen[1]]);
      expect(seen[1]).toBe(seen[0]);
    }
    // A file cut inside its last frame: the whole frames are counted (reading that one then fails).
    const bytes = dcdBytes(frames.slice(0, 40));
    const cut = join(dir, 'cut-count.dcd');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 30));
    const told: number[] = [];
    let n = 0;
    const e = await (async () => {
      for await (const _ of readFrames(cut, { topology, onFrameCount: (c) => told.push(c) })) n++;
    })().catch((err) => err);
    expect(e.name).toBe('ParseError');
    expect(told).toEqual([39]);
    expect(n).toBe(39);
  });

  it('refuses a frame selection that is not whole numbers, as readFrames does', async () => {
    for (const frames of [{ step: 1.5 }, { step: 0 }, { start: -1 }, { start: 5, stop: 2 }]) {
      const e1 = await collect(readFrames(good, { topology, frames })).catch((e) => e);
      const e2 = await collect(readDcdAhead(good, { topology, frames })).catch((e) => e);
      expect(e1.name).toBe('OptionError');
      expect(e2.name).toBe('OptionError');
      expect(e2.message).toBe(e1.message);
    }
  });

  it('takes a reading thread started ahead (prestartDcdReading), and starts its own after that', async () => {
    prestartDcdReading();
    prestartDcdReading(); // one at a time: the second call does nothing
    const direct = await collect(readFrames(good, { topology }));
    expect(await collect(readDcdAhead(good, { topology }))).toEqual(direct);
    expect(await collect(readDcdAhead(good, { topology, frames: { step: 7 } }))).toEqual(
      await collect(readFrames(good, { topology, frames: { step: 7 } })),
    );
  });
});
