/**
 * engine = "cp2k" without CP2K: a stand-in executable answers with the files CP2K 2023.1 wrote
 * for a 4-step NVT run of 8-atom LiCl (test/fixtures/cp2k/licl-md-*), and the engine turns them
 * into the run folder every engine writes (thermo.csv, trajectory.extxyz, final.extxyz,
 * summary.json). test/engines/cp2k-run.test.ts runs the real CP2K.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BOHR_A, EV_IN_KCAL_PER_MOL } from '../../src/core/units.js';
import { AU_TIME_FS } from '../../src/engines/cp2k/input.js';
import { protocolCp2k } from '../../src/engines/cp2k/md.js';
import { HARTREE_EV } from '../../src/engines/cp2k/output.js';
import { runProtocol } from '../../src/engines/run-protocol.js';
import { readFrames, readStructure } from '../../src/io/registry.js';
import { protocolFromObject } from '../../src/md/protocols/protocol.js';
import { readThermoCsv } from '../../src/md/thermo-csv.js';
import { fixture, sharedFixture } from '../helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'oligolyte-cp2k-md-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const exe = join(tmp, 'fake-cp2k');
const F = (k: string) => fixture(`cp2k/licl-md${k}`);
writeFileSync(
  exe,
  [
    '#!/bin/sh',
    'if [ "$1" = "--version" ]; then echo " CP2K version 2023.1"; exit 0; fi',
    `echo run >> "${join(tmp, 'runs.log')}"`,
    `cp "${F('-pos-1.xyz')}" oligolyte-pos-1.xyz`,
    `cp "${F('-vel-1.xyz')}" oligolyte-vel-1.xyz`,
    `cp "${F('-frc-1.xyz')}" oligolyte-frc-1.xyz`,
    `cp "${F('-1.ener')}" oligolyte-1.ener`,
    `cp "${F('-1.stress')}" oligolyte-1.stress`,
    'echo " PROGRAM ENDED" > cp2k.out',
    '',
  ].join('\n'),
);
chmodSync(exe, 0o755);

const spec = (stage: Record<string, unknown>, cp2k: Record<string, unknown> = { preset: 'test-fast' }) =>
  protocolFromObject(
    {
      engine: 'cp2k',
      cp2k,
      stage: [
        {
          name: 'nvt',
          ensemble: 'nvt',
          temperature: 300,
          steps: 4,
          thermo_every: 1,
          dump_every: 2,
          ...stage,
        },
      ],
    },
    join(tmp, 'p.toml'),
  );

describe('engine = "cp2k" run folder', () => {
  it('thermo.csv, trajectory and final state in oligolyte units; a resumed run keeps the finished stage', async () => {
    const start = await readStructure(sharedFixture('structures/LiCl_rocksalt.cif'));
    const out = join(tmp, 'run');
    const r = await runProtocol(spec({}), start, { outDir: out, cp2k: exe });
    expect(r.stages.map((s) => s.folder)).toEqual(['01-nvt']);
    const t = readThermoCsv(join(out, '01-nvt', 'thermo.csv'));
    expect(Array.from(t.data.step)).toEqual([0, 1, 2, 3, 4]);
    // Step 2 of the .ener file: potential -90.340... Hartree, in kcal/mol.
    const ener = readFileSync(F('-1.ener'), 'utf8').trim().split('\n')[3].trim().split(/\s+/).map(Number);
    expect(t.data.potential_kcal_mol[2]).toBeCloseTo(ener[4] * HARTREE_EV * EV_IN_KCAL_PER_MOL, 6);
    expect(t.data.temperature_K[2]).toBe(ener[3]);
    // The .stress file's tensor is a pressure (bar): pxx in atm, the pressure its trace / 3.
    const st = readFileSync(F('-1.stress'), 'utf8').trim().split('\n')[1].trim().split(/\s+/).map(Number);
    expect(t.data.pxx_atm[0]).toBeCloseTo(st[2] / 1.01325, 6);
    expect(t.data.pxy_atm[0]).toBeCloseTo(st[3] / 1.01325, 6);
    expect(t.data.pressure_atm[0]).toBeCloseTo((st[2] + st[6] + st[10]) / 3 / 1.01325, 6);
    expect(t.data.volume_A3[0]).toBeCloseTo(5.1295 ** 3, 6);
    const frames = [];
    for await (const f of readFrames(join(out, '01-nvt', 'trajectory.extxyz'))) frames.push(f);
    expect(frames.map((f) => f.frame.step)).toEqual([0, 2, 4]);
    expect(frames[1].frame.timeFs).toBe(2);
    const vel = readFileSync(F('-vel-1.xyz'), 'utf8').split('\n')[2].trim().split(/\s+/);
    expect(frames[0].frame.velocities![0]).toBeCloseTo((Number(vel[1]) * BOHR_A) / AU_TIME_FS, 12);
    expect(frames[0].frame.energy).toBeCloseTo(-90.3413103169 * HARTREE_EV, 6);
    const final = await readStructure(join(out, '01-nvt', 'final.extxyz'));
    expect(final.frame.step).toBe(4);
    expect(Array.from(final.frame.positions)).toEqual(Array.from(frames[2].frame.positions));
    // The summary averages the stage's rows after step 0.
    const summary = JSON.parse(readFileSync(join(out, '01-nvt', 'summary.json'), 'utf8'));
    expect(summary.temperatureK.mean).toBeCloseTo(
      t.data.temperature_K.slice(1).reduce((a, b) => a + b, 0) / 4,
      6,
    );
    // Resume: the finished stage is kept, CP2K is not started again.
    await runProtocol(spec({}), start, { outDir: out, cp2k: exe, resume: true });
    expect(readFileSync(join(tmp, 'runs.log'), 'utf8').trim().split('\n')).toHaveLength(1);
    // The input asked CP2K for what the engine reads.
    const inp = readFileSync(join(out, '01-nvt', 'cp2k.inp'), 'utf8');
    expect(inp).toMatch(/RUN_TYPE MD/);
    expect(inp).toMatch(/STEPS 4\n\s+TIMESTEP 1\n\s+TEMPERATURE 300/);
    expect(inp).toMatch(/TYPE NOSE/);
  });

  it('refuses what CP2K is not asked to do here, with the stage named', async () => {
    const start = await readStructure(sharedFixture('structures/LiCl_rocksalt.cif'));
    await expect(
      runProtocol(spec({ ensemble: 'langevin' }), start, { outDir: join(tmp, 'bad'), cp2k: exe }),
    ).rejects.toThrow(/stage nvt: the CP2K engine runs NVT and NVE stages, not langevin/);
    expect(() => protocolCp2k(spec({}, { thermostat: 'berendsen' }))).toThrow(
      /thermostat: "berendsen" is not csvr or nose/,
    );
    expect(() => protocolCp2k(spec({}, { cutof: 3 }))).toThrow(/cp2k\.cutof: a known setting/);
    expect(() => protocolFromObject({ cp2k: {}, stage: [{ temperature: 300, steps: 1 }] }, 'p.toml')).toThrow(
      /a \[cp2k\] table only with engine = "cp2k"/,
    );
  });
});
