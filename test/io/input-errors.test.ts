/**
 * Every error about an input names the file (issue 25 item 14): a corrupt or truncated .gz in any
 * format used to fail with zlib's "invalid distance too far back" and no file name, a directory
 * given as input with ": EISDIR".
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { OligolyteError, ParseError } from '../../src/core/errors.js';
import type { Structure } from '../../src/core/frame.js';
import { Lattice } from '../../src/core/lattice.js';
import { Topology } from '../../src/core/topology.js';
import { writeFrames } from '../../src/io/registry.js';
import { cli, readAll, rejection, seededRandom, sharedFixture, tempDir, tempFile } from '../helpers.js';

const random = seededRandom(25);
const natoms = 60;
const topology = new Topology({ symbols: Array.from({ length: natoms }, (_, i) => (i % 3 ? 'Cl' : 'Li')) });
const lattice = Lattice.cubic(12);
const frames: Structure[] = Array.from({ length: 40 }, (_, k) => ({
  topology,
  frame: { positions: Float64Array.from({ length: 3 * natoms }, () => 12 * random()), lattice, step: 10 * k },
}));

/** The error reading `path` rejects with. */
const readError = (path: string): Promise<Error> => rejection(readAll(path, { onWarning: () => {} }));

/** Gzip files of every writable format (whole trajectories where the format holds one). */
const gzipInputs = async (): Promise<string[]> => {
  const dir = tempDir();
  const out: string[] = [];
  for (const [name, n] of [
    ['run.extxyz', 40],
    ['run.lammpstrj', 40],
    ['XDATCAR', 40],
    ['cell.data', 1],
    ['POSCAR', 1],
    ['cell.cif', 1],
  ] as const) {
    const path = join(dir, `${name}.gz`);
    await writeFrames(path, frames.slice(0, n));
    out.push(path);
  }
  // Binary formats, gzipped here.
  for (const rel of [
    'peer-trajectories/kinisi/example_LAMMPS.dcd',
    'peer-trajectories/kinisi/example_ase_drift.traj',
    'peer-trajectories/pymatgen-analysis-diffusion/cNa3PS4_trajectories.npy',
  ]) {
    const path = join(dir, `${rel.split('/').pop()}.gz`);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path, gzipSync(readFileSync(sharedFixture(rel))));
    out.push(path);
  }
  return out;
};

describe('gzip input that does not decompress', () => {
  it('corrupt bytes in the middle: an error that names the file, in every format', async () => {
    const cif = sharedFixture('peer-trajectories/pymatgen-analysis-diffusion/cNa3PS4.cif');
    const [s] = await readAll(cif);
    for (const path of await gzipInputs()) {
      const b = readFileSync(path);
      const bad = Uint8Array.from(b);
      for (let i = b.length >> 1; i < (b.length >> 1) + 16; i++) bad[i] ^= 0xa5;
      const corrupt = tempFile(path.split('/').pop()!, bad);
      let e: Error;
      try {
        await readAll(corrupt, { onWarning: () => {}, topology: s.topology, cell: s.frame.lattice });
        throw new Error(`${corrupt} was read without an error`);
      } catch (x) {
        e = x as Error;
      }
      expect(e, `${corrupt}: ${e.message}`).toBeInstanceOf(OligolyteError);
      expect(e.message).toContain(corrupt);
    }
  });
  it('the zlib error becomes a ParseError at the decompressed byte where it stopped', async () => {
    const dir = tempDir();
    const path = join(dir, 'run.extxyz.gz');
    await writeFrames(path, frames);
    const b = Uint8Array.from(readFileSync(path));
    // Overwrite the deflate stream's middle with a back-reference the decoder rejects.
    b.fill(0xff, b.length >> 1, (b.length >> 1) + 64);
    const corrupt = tempFile('run.extxyz.gz', b);
    const e = await readError(corrupt);
    expect(e).toBeInstanceOf(ParseError);
    const pe = e as ParseError;
    expect(pe.file).toBe(corrupt);
    // The decompressed bytes handed on before the failing chunk (1 MB chunks: 0 for this file).
    expect(pe.byteOffset).toBe(0);
    expect(pe.message).toMatch(
      / \(byte \d+\): expected gzip data that decompresses \(the file is corrupt or truncated\), found "/,
    );
  });
  it('truncated: an error that names the file, in every format', async () => {
    for (const path of await gzipInputs()) {
      const b = readFileSync(path);
      const cut = tempFile(path.split('/').pop()!, b.subarray(0, Math.floor(b.length * 0.6)));
      const e = await readError(cut);
      expect(e, `${cut}: ${e.message}`).toBeInstanceOf(OligolyteError);
      expect(e.message).toContain(cut);
    }
  });
});

describe('a path that is not a readable file', () => {
  it('a directory: "x: is a directory, not a file"', async () => {
    const dir = join(tempDir(), 'run.extxyz');
    mkdirSync(dir);
    const e = await readError(dir);
    expect(e).toBeInstanceOf(OligolyteError);
    expect(e.message).toBe(`${dir}: is a directory, not a file`);
  });
  it('a missing file', async () => {
    const path = join(tempDir(), 'missing.extxyz');
    expect((await readError(path)).message).toBe(`${path}: no such file`);
  });
  it('the CLI prints the file, not ": EISDIR"', () => {
    const dir = join(tempDir(), 'frames.lammpstrj');
    mkdirSync(dir);
    for (const args of [
      ['info', dir],
      ['transport', dir, '--temperature', '600'],
      ['convert', dir, join(tempDir(), 'out.extxyz')],
    ]) {
      const r = cli(...args);
      expect(r.code, r.err).toBe(1);
      expect(r.err).toBe(`oligolyte: ${dir}: is a directory, not a file\n`);
    }
  });
});
