/**
 * `oligolyte dft` and `dft dataset`: options, outputs and errors. The runs go through a stand-in
 * executable (--cp2k) that answers as CP2K 2023.1 did on the 8-atom LiCl cell (its committed
 * output), so these tests need no CP2K; test/engines/cp2k-run.test.ts runs the real one.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, fixture, sharedFixture, tempDir } from '../helpers.js';

const LICL = sharedFixture('structures/LiCl_rocksalt.cif');

const fakeCp2k = (dir: string, output = fixture('cp2k/licl-energy.out')) => {
  const exe = join(dir, 'fake-cp2k');
  writeFileSync(
    exe,
    `#!/bin/sh\nif [ "$1" = "--version" ]; then echo " CP2K version 2023.1"; exit 0; fi\ncp "${output}" cp2k.out\n`,
  );
  chmodSync(exe, 0o755);
  return exe;
};

describe('oligolyte dft', () => {
  it('prints energy (eV), forces (eV/A) and stress (GPa), and writes the structure, JSON and CSV', () => {
    const dir = tempDir();
    const r = cli(
      'dft',
      LICL,
      '--cp2k',
      fakeCp2k(dir),
      '--work-dir',
      join(dir, 'w'),
      '--cutoff',
      '450',
      '--out',
      join(dir, 'r.extxyz'),
      '--json',
      join(dir, 'r.json'),
      '--csv',
      join(dir, 'r.csv'),
    );
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/8 atoms, CP2K pbe-d3 \(PBE-D3, DZVP-MOLOPT-SR-GTH, 450 Ry\)/);
    expect(r.out).toMatch(/energy\s+-2458\.31228\d eV \(-307\.28903\d eV\/atom\)/);
    expect(r.out).toMatch(/stress \(GPa, positive tensile\) xx yy zz yz xz xy: 1\.1317 1\.1318 1\.1319/);
    expect(r.out).toMatch(/pressure\s+-1\.1318 GPa/);
    // The input CP2K was given carries the override.
    expect(readFileSync(join(dir, 'w', 'cp2k.inp'), 'utf8')).toMatch(/CUTOFF 450\n/);
    const j = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    expect(j.energyEv).toBeCloseTo(-2458.312289, 5);
    expect(j.forcesEvA).toHaveLength(24);
    expect(j.settings.cutoffRy).toBe(450);
    const csv = readFileSync(join(dir, 'r.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('atom,element,x_A,y_A,z_A,fx_eV_A,fy_eV_A,fz_eV_A');
    expect(csv).toHaveLength(9);
    expect(readFileSync(join(dir, 'r.extxyz'), 'utf8')).toMatch(/energy=-2458\.31228/);
  });

  it('usage errors exit 2 and name the flag', () => {
    const bad = (...args: string[]) => {
      const r = cli('dft', LICL, ...args);
      expect(r.code).toBe(2);
      return r.err;
    };
    expect(bad('--cutoff', '-5')).toMatch(/--cutoff: "-5" is not a positive cut-off \(Ry\)/);
    expect(bad('--pressure', '1')).toMatch(/--pressure needs --optimise cell/);
    expect(bad('--preset', 'b3lyp')).toMatch(/--preset/);
    expect(bad('--mpi', '0')).toMatch(/--mpi: "0" is not a whole number >= 1/);
    expect(bad('--cp2k', '/nonexistent/cp2k', '--work-dir', join(tempDir(), 'w'))).toMatch(
      /could not be started.*apt-get install -y cp2k/,
    );
    expect(cli('dft').err).toMatch(/needs a structure/);
  });

  it("CP2K's failure is reported with its own message and the working directory", () => {
    const dir = tempDir();
    const r = cli(
      'dft',
      LICL,
      '--cp2k',
      fakeCp2k(dir, fixture('cp2k/licl-scf-failed.out')),
      '--work-dir',
      join(dir, 'w'),
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/SCF did not converge \(.*w\/cp2k\.out:\d+: "outer SCF loop FAILED/);
  });
});

describe('oligolyte dft dataset', () => {
  it('--list prints the planned configurations; the run writes the data set and says where', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'plan.toml'),
      `output = "set.extxyz"\n[[crystal]]\nname = "LiCl"\nstructure = "${LICL}"\nrattles = [0.05]\ncount = 1\n`,
    );
    const list = cli('dft', 'dataset', join(dir, 'plan.toml'), '--list');
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/LiCl-000\s+8\s+LiCl_ideal\nLiCl-001\s+8\s+LiCl_strain_rattle/);
    const r = cli('dft', 'dataset', join(dir, 'plan.toml'), '--cp2k', fakeCp2k(dir));
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/2 configurations planned, 0 already finished/);
    expect(r.err).toMatch(/\[1\/2\] LiCl-000: \d+ s; ETA/);
    expect(r.out).toMatch(/set\.extxyz: 2 configurations/);
    const again = cli('dft', 'dataset', join(dir, 'plan.toml'), '--cp2k', fakeCp2k(dir));
    expect(again.err).toMatch(/2 configurations planned, 2 already finished/);
  });

  it('a bad plan is an error at its line', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'plan.toml'),
      'output = "x.extxyz"\n[[crystal]]\nname = "a"\nstructure = "a.cif"\ncount = 0\n',
    );
    const r = cli('dft', 'dataset', join(dir, 'plan.toml'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/plan\.toml:5:\d+: expected crystal\[1\]\.count: a whole number >= 1/);
  });
});
