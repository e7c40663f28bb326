/**
 * Issue 25, item 11: `build glass --mix 0b:1000` ran for minutes with no output and could not
 * succeed. A packing beyond MAX_PACK_ATOMS is refused at once with how to build it by repetition
 * (as the study built its large cells), and a packing reports its progress once a sweep.
 */
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMix } from '../../src/builders/mix.js';
import { buildOligomer } from '../../src/builders/oligomer.js';
import {
  MAX_PACK_ATOMS,
  type PackProgress,
  PackTooLargeError,
  packGlass,
  replicationFactor,
} from '../../src/builders/pack-glass.js';
import { cli, tempDir } from '../helpers.js';

describe('packing size', () => {
  it('replicationFactor: the largest k with k^3 dividing every count, leaving at least 8 units', () => {
    expect(replicationFactor([1000, 3000])).toBe(5);
    expect(replicationFactor([64, 192])).toBe(2); // k = 4 would leave 1 + 3 units
    expect(replicationFactor([27, 81])).toBeUndefined(); // k = 3 leaves 4 units
    expect(replicationFactor([1000, 125, 3125])).toBe(5);
    expect(replicationFactor([100, 300])).toBeUndefined();
  });

  it('1000 trimers (16,000 atoms) are refused at once, with the factor of a supercell', () => {
    const t0 = performance.now();
    let err: unknown;
    try {
      packGlass({ units: parseMix('0b:1000', { seed: 1 }), seed: 1 });
    } catch (e) {
      err = e;
    }
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(err).toBeInstanceOf(PackTooLargeError);
    const e = err as PackTooLargeError;
    expect([e.natoms, e.factor]).toEqual([16000, 5]);
    expect(e.message).toMatch(
      new RegExp(
        `16000 atoms are too many to pack at once \\(at most ${MAX_PACK_ATOMS}.*pack 1/125 of the units \\(32 units\\) and repeat that cell 5 x 5 x 5 with \`supercell\``,
      ),
    );
  });

  it('reports every sweep: start, sweep and the units still overlapping, until none does', () => {
    const seen: PackProgress[] = [];
    packGlass({ units: [{ molecule: buildOligomer(), count: 8 }], seed: 1, onProgress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThan(0);
    for (const p of seen) {
      expect(p.starts).toBe(8);
      expect(p.units).toBe(32);
      expect(p.overlapping).toBeLessThanOrEqual(p.units);
      expect(p.sweep).toBeLessThanOrEqual(p.sweeps);
    }
    expect(seen[0]).toMatchObject({ start: 1, sweep: 1 });
  });

  it('the CLI prints the two commands that build it, and they do', () => {
    const d = tempDir();
    const out = `${d}/big.extxyz`;
    const r = cli('build', 'glass', '--mix', '0b:1000', '-o', out);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      `\n  oligolyte build glass --mix 0b:8 --seed 1 -o base.extxyz\n  oligolyte build supercell base.extxyz 5x5x5 -o ${out}`,
    );
    expect(cli('build', 'glass', '--mix', '0b:8', '--seed', '1', '-o', `${d}/base.extxyz`).code).toBe(0);
    const s = cli('build', 'supercell', `${d}/base.extxyz`, '5x5x5', '-o', out);
    expect(s.code, s.err).toBe(0);
    expect(s.out).toMatch(/16000 atoms, Al3000O2000Cl8000Li3000/);
  }, 120_000);

  it('a study whose model is too large says how to build it with supercell', () => {
    const f = `${tempDir()}/big.toml`;
    writeFileSync(
      f,
      '[model]\nmix = "0b:1000"\n[[simulation.stage]]\ntype = "melt-quench"\n[simulation.series]\ntemperatures = [500, 600]\n',
    );
    const r = cli('study', f, '--dry-run');
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      `${f}: [model] 16000 atoms are too many to pack at once (at most 2000); build the cell by repetition, as the study built its large cells: mix = "0b:8" and supercell = [5, 5, 5]`,
    );
  }, 60_000);
});
