/**
 * The DFT data-set workflow without CP2K: the plan file, the sampled configurations (strains,
 * rattles, glass MD frames), the data-set file (read back by oligolyte's extended-XYZ reader), and
 * the batch's resume, run through a stand-in executable that answers as CP2K did on LiCl (its
 * committed output, test/fixtures/cp2k/licl-energy.out).
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Lattice } from '../../src/core/lattice.js';
import { Topology } from '../../src/core/topology.js';
import { readFrames } from '../../src/io/registry.js';
import {
  datasetFileFacts,
  datasetFrameText,
  datasetOrder,
  finishedVerdict,
  runDataset,
} from '../../src/study/dft-dataset.js';
import { datasetPlanFromObject } from '../../src/study/dft-dataset-plan.js';
import { planConfigs } from '../../src/study/dft-dataset-sample.js';
import { fixture, sharedFixture } from '../helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'oligolyte-dft-dataset-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const LICL = sharedFixture('structures/LiCl_rocksalt.cif');

describe('the data-set plan', () => {
  it('reads sources with defaults, resolves paths, and refuses unknown keys and empty plans', () => {
    const plan = datasetPlanFromObject(
      { output: 'd.extxyz', crystal: [{ name: 'LiCl', structure: LICL }], cp2k: { cutoff: 300 } },
      join(tmp, 'plan.toml'),
    );
    expect(plan.output).toBe(join(tmp, 'd.extxyz'));
    expect(plan.workDir).toBe(join(tmp, 'dft-work'));
    expect(plan.settings.cutoffRy).toBe(300);
    expect(plan.sources[0]).toMatchObject({
      kind: 'crystal',
      maxStrain: 0.03,
      rattlesA: [0.05, 0.1],
      count: 4,
    });
    expect(() =>
      datasetPlanFromObject(
        { output: 'd.extxyz', crystal: [{ name: 'a', structure: LICL, rattle: 1 }] },
        'p.toml',
      ),
    ).toThrow(/p\.toml: expected crystal\[1\]\.rattle: a known setting/);
    expect(() => datasetPlanFromObject({ output: 'd.extxyz' }, 'p.toml')).toThrow(
      /at least one \[\[crystal\]\], \[\[glass\]\], \[\[stretch\]\] or \[\[frames\]\]/,
    );
    expect(() =>
      datasetPlanFromObject(
        { output: 'd', crystal: [{ name: 'a', structure: LICL }], glass: [{ name: 'a' }] },
        'p.toml',
      ),
    ).toThrow(/a name no other source has/);
  });
});

describe('sampling', () => {
  it('crystals: the ideal cell, then strained (each component within max_strain) and rattled copies, the same for the same seed', async () => {
    const plan = datasetPlanFromObject(
      {
        output: 'd.extxyz',
        crystal: [{ name: 'LiCl', structure: LICL, max_strain: 0.03, rattles: [0.1], count: 30 }],
      },
      join(tmp, 'p.toml'),
    );
    const a = await planConfigs(plan);
    const b = await planConfigs(plan);
    expect(a.length).toBe(31);
    expect(a[0].configType).toBe('LiCl_ideal');
    expect(a[1].id).toBe('LiCl-001');
    expect(Array.from(b[7].structure.frame.positions)).toEqual(Array.from(a[7].structure.frame.positions));
    const V0 = a[0].structure.frame.lattice!.volume;
    let sum2 = 0;
    let n = 0;
    for (const c of a.slice(1)) {
      const e = String(c.info.strain).split(' ').map(Number);
      expect(e.every((x) => Math.abs(x) <= 0.03)).toBe(true);
      // The cell is (I + e) applied to each vector: its volume is det(I + e) V0.
      const F = [1 + e[0], e[5], e[4], e[5], 1 + e[1], e[3], e[4], e[3], 1 + e[2]];
      const det =
        F[0] * (F[4] * F[8] - F[5] * F[7]) -
        F[1] * (F[3] * F[8] - F[5] * F[6]) +
        F[2] * (F[3] * F[7] - F[4] * F[6]);
      expect(c.structure.frame.lattice!.volume).toBeCloseTo(det * V0, 8);
      // Rattle: the displacement from the strained ideal site, per component.
      const frac = c.structure.frame.lattice!.toFractional(c.structure.frame.positions);
      const ideal = a[0].structure.frame.lattice!.toFractional(a[0].structure.frame.positions);
      const d = new Float64Array(3);
      for (let i = 0; i < 8; i++) {
        for (let k = 0; k < 3; k++) {
          let f = frac[3 * i + k] - ideal[3 * i + k];
          f -= Math.round(f);
          d[k] = f;
        }
        const cart = c.structure.frame.lattice!.toCartesian(d);
        for (const x of cart) sum2 += x * x;
        n += 3;
      }
    }
    expect(Math.sqrt(sum2 / n)).toBeGreaterThan(0.085);
    expect(Math.sqrt(sum2 / n)).toBeLessThan(0.115);
  });

  it('glass: frames of force-field MD of a packed cell at each temperature, sources interleaved by priority', async () => {
    const plan = datasetPlanFromObject(
      {
        output: 'd.extxyz',
        crystal: [{ name: 'LiCl', structure: LICL, rattles: [0.05], count: 1, priority: 2 }],
        glass: [
          {
            name: 'g',
            composition: 'LAOC^0b',
            trimers: 2,
            temperatures: [300, 900],
            frames: 2,
            equilibrate_ps: 0.02,
            spacing_ps: 0.01,
          },
        ],
      },
      join(tmp, 'p.toml'),
    );
    const c = await planConfigs(plan);
    expect(c.map((x) => x.id)).toEqual(['g-000', 'g-001', 'g-002', 'g-003', 'LiCl-000', 'LiCl-001']);
    expect(c[0].structure.topology.natoms).toBe(32);
    expect(c.slice(0, 4).map((x) => x.info.temperature_K)).toEqual([300, 300, 900, 900]);
    expect(c[1].info.md_time_ps).toBe(0.04);
    expect(c[0].info.md_forcefield).toBe('laoc-v4');
    expect(c[0].structure.frame.lattice!.volume).toBeCloseTo(c[3].structure.frame.lattice!.volume, 9);
  });
});

describe('stretch sources', () => {
  // Two frames of a 10 A cell: Al with two Cl (one across the boundary) and a far Li.
  const traj = join(tmp, 'alcl.extxyz');
  const frame = (dx: number) =>
    `4\nLattice="10 0 0 0 10 0 0 0 10" Properties=species:S:1:pos:R:3 pbc="T T T"\n` +
    `Al 0.5 5 5\nCl ${2.7 + dx} 5 5\nCl 8.4 5 5\nLi 5 0.5 0.5\n`;
  writeFileSync(traj, frame(0) + frame(0.1));
  const plan = (over: Record<string, unknown> = {}) =>
    datasetPlanFromObject(
      {
        output: 'd.extxyz',
        stretch: [
          { name: 's', trajectory: traj, frames: [1, 0], bond: 'Al-Cl', stretches: [0.5, 1], ...over },
        ],
      },
      join(tmp, 'p.toml'),
    );

  it('pulls one bonded ligand (minimum image) along its bond by each stretch, nothing else moved', async () => {
    const c = await planConfigs(plan());
    // A negative stretch pushes the ligand towards the centre.
    const closer = await planConfigs(plan({ stretches: [-0.4] }));
    const q = closer[0].structure.frame.positions;
    const l = Number(closer[0].info.ligand_atom) - 1;
    const v = Float64Array.of(q[3 * l] - q[0], 0, 0);
    closer[0].structure.frame.lattice!.minimumImage(v);
    expect(Math.abs(v[0])).toBeCloseTo(Number(closer[0].info.bond_A) - 0.4, 9);
    expect(c.map((x) => x.id)).toEqual(['s-000', 's-001', 's-002', 's-003']);
    expect(c[0].configType).toBe('s_stretch');
    for (const x of c) {
      const { frame, centre_atom, ligand_atom, bond_A, stretch_A } = x.info as Record<string, number>;
      expect(centre_atom).toBe(1);
      expect([2, 3]).toContain(ligand_atom);
      // Cl 2 at 2.2 (2.3 in frame 1) A; Cl 3 across the boundary at 2.1 A.
      expect(bond_A).toBeCloseTo(ligand_atom === 3 ? 2.1 : frame === 1 ? 2.3 : 2.2, 9);
      const p = x.structure.frame.positions;
      const d = Float64Array.of(p[3 * (ligand_atom - 1)] - p[0], 0, 0);
      x.structure.frame.lattice!.minimumImage(d);
      expect(Math.abs(d[0])).toBeCloseTo(bond_A + stretch_A, 9);
      expect(Array.from(p.slice(9))).toEqual([5, 0.5, 0.5]);
    }
    expect(c.map((x) => x.info.frame)).toEqual([1, 1, 0, 0]);
    const again = await planConfigs(plan());
    expect(again.map((x) => x.info.ligand_atom)).toEqual(c.map((x) => x.info.ligand_atom));
  });

  it('refuses a bad bond, a frame past the end and a frame with no such pair, naming them', async () => {
    expect(() => plan({ bond: 'AlCl' })).toThrow(/stretch\[1\]\.bond: two element symbols/);
    expect(() => plan({ frames: [] })).toThrow(/stretch\[1\]\.frames: a list of frame indices/);
    expect(() => plan({ stretches: [0.3, 0] })).toThrow(/stretch\[1\]\.stretches: a list of stretches/);
    await expect(planConfigs(plan({ frames: [2] }))).rejects.toThrow(
      /alcl\.extxyz: has 2 frames; stretch source "s" asks for frame 2/,
    );
    await expect(planConfigs(plan({ bond: 'Al-O' }))).rejects.toThrow(
      /frame 1 has no Al-O pair within 2\.6 A/,
    );
  });
});

describe('frames sources', () => {
  it('take the listed frames of a trajectory as they are, with their index and time', async () => {
    const traj = join(tmp, 'frames.extxyz');
    const frame = (x: number, t: number) =>
      `2\nLattice="6 0 0 0 6 0 0 0 6" Properties=species:S:1:pos:R:3 time=${t} pbc="T T T"\nLi ${x} 1 1\nCl 3 3 3\n`;
    writeFileSync(traj, frame(1, 0) + frame(1.5, 20) + frame(2, 40));
    const plan = datasetPlanFromObject(
      { output: 'd.extxyz', frames: [{ name: 'md', trajectory: traj, frames: [2, 0] }] },
      join(tmp, 'p.toml'),
    );
    const c = await planConfigs(plan);
    expect(c.map((x) => [x.id, x.configType, x.info.frame, x.info.time_fs])).toEqual([
      ['md-000', 'md_frame', 2, 40],
      ['md-001', 'md_frame', 0, 0],
    ]);
    expect(Array.from(c[0].structure.frame.positions)).toEqual([2, 1, 1, 3, 3, 3]);
    await expect(
      planConfigs(
        datasetPlanFromObject(
          { output: 'd.extxyz', frames: [{ name: 'md', trajectory: traj, frames: [3] }] },
          join(tmp, 'p.toml'),
        ),
      ),
    ).rejects.toThrow(/frames\.extxyz: has 3 frames; frames source "md" asks for frame 3/);
  });
});

describe('the data-set file', () => {
  const frame = (symbols: string[], energy: number) => ({
    topology: new Topology({ symbols }),
    frame: {
      positions: Float64Array.from(symbols.flatMap((_, i) => [i, 0.5 * i, 0.25])),
      forces: Float64Array.from(symbols.flatMap((_, i) => [0.1 * i, -0.2, 0.3])),
      lattice: new Lattice([9, 0, 0, 0, 9, 0, 0, 0, 9]),
      energy,
      stress: Float64Array.from([1e-3, 2e-4, 0, 2e-4, -1e-3, 0, 0, 0, 5e-4]),
    },
  });

  it('frames read back by the extended-XYZ reader with energy, forces, stress and the facts', async () => {
    const path = join(tmp, 'one.extxyz');
    writeFileSync(
      path,
      datasetFrameText(frame(['Li', 'Cl'], -12.5), { config_type: 'x_md', temperature_K: 300 }),
    );
    const text = readFileSync(path, 'utf8');
    expect(text.split('\n')[1]).toMatch(
      /energy=-12\.5 stress="0\.001 0\.0002 0 0\.0002 -0\.001 0 0 0 0\.0005" config_type="x_md" temperature_K=300 pbc="T T T"/,
    );
    const frames = [];
    for await (const s of readFrames(path)) frames.push(s);
    expect(frames[0].frame.energy).toBe(-12.5);
    expect(Array.from(frames[0].frame.forces!)).toEqual([0, -0.2, 0.3, 0.1, -0.2, 0.3]);
    expect(frames[0].frame.stress![4]).toBe(-1e-3);
  });

  it('groups are ordered so that no two neighbours have the same size and different elements', () => {
    const f = (source: string, symbols: string[]) => ({
      config: { id: source, source, configType: source, structure: frame(symbols, 0), info: {} },
      structure: frame(symbols, 0),
      seconds: 1,
      scfSteps: 1,
    });
    const order = datasetOrder(
      [f('A', ['Li', 'Cl']), f('B', ['Na', 'Cl']), f('C', ['Li', 'Cl', 'Cl'])],
      ['A', 'B', 'C'],
    );
    expect(order.map((x) => x.config.source)).toEqual(['A', 'C', 'B']);
  });
});

describe('resuming across builds of the engine', () => {
  const config = (x: number) => ({
    id: 'g-001',
    source: 'g',
    configType: 'g_md',
    structure: {
      topology: new Topology({ symbols: ['Li', 'Cl'] }),
      frame: {
        positions: Float64Array.of(x, 0, 0, 2, 2, 2),
        lattice: new Lattice([9, 0, 0, 0, 9, 0, 0, 0, 9]),
      },
    },
    info: { temperature_K: 600, md_time_ps: 3 },
  });
  const facts = {
    config_type: 'g_md',
    config_id: 'g-001',
    temperature_K: '600',
    md_time_ps: '3',
    rattle_A: '0',
  };

  it('keeps an MD frame with the same sampling facts whose atoms another build placed; refuses the rest', () => {
    const result = config(0.5).structure;
    expect(finishedVerdict(config(0.5), result, true, facts)).toBe('same');
    expect(finishedVerdict(config(0.7), result, true, facts)).toBe('other-build');
    // Another temperature (the plan changed), no recorded facts, or a sampled source that is not MD.
    expect(finishedVerdict(config(0.7), result, true, { ...facts, temperature_K: '900' })).toBe('refuse');
    expect(finishedVerdict(config(0.7), result, true, undefined)).toBe('refuse');
    expect(finishedVerdict(config(0.7), result, false, facts)).toBe('refuse');
  });

  it('reads the facts of each configuration from a data-set file the batch wrote', async () => {
    const path = join(tmp, 'facts.extxyz');
    const s = {
      topology: new Topology({ symbols: ['Li'] }),
      frame: {
        positions: Float64Array.of(0, 0, 0),
        forces: Float64Array.of(0, 0, 0),
        lattice: new Lattice([9, 0, 0, 0, 9, 0, 0, 0, 9]),
        energy: -1,
      },
    };
    writeFileSync(
      path,
      datasetFrameText(s, { config_type: 'g_md', config_id: 'g-001', temperature_K: 600, note: 'a "b" c' }) +
        datasetFrameText(s, { config_type: 'L_ideal', config_id: 'L-000', strain: '0 0 0 0 0 0' }),
    );
    const f = await datasetFileFacts(path);
    expect(f.get('g-001')).toMatchObject({ config_type: 'g_md', temperature_K: '600', note: 'a "b" c' });
    expect(f.get('L-000')?.strain).toBe('0 0 0 0 0 0');
    expect((await datasetFileFacts(join(tmp, 'none.extxyz'))).size).toBe(0);
  });
});

describe('the batch, through a stand-in for CP2K', () => {
  it('runs each configuration once, saves it as it finishes, and a rerun skips the finished ones', async () => {
    const exe = join(tmp, 'fake-cp2k');
    // Answers --version as CP2K does, and any run with CP2K's own LiCl output (8 atoms, Li4Cl4).
    writeFileSync(
      exe,
      `#!/bin/sh\nif [ "$1" = "--version" ]; then echo " CP2K version 2023.1"; exit 0; fi\necho run >> "${join(tmp, 'runs.log')}"\ncp "${fixture('cp2k/licl-energy.out')}" cp2k.out\ntouch oligolyte-RESTART.wfn\n`,
    );
    chmodSync(exe, 0o755);
    const plan = datasetPlanFromObject(
      {
        output: 'licl.extxyz',
        work_dir: 'work',
        crystal: [{ name: 'LiCl', structure: LICL, rattles: [0.05], count: 2 }],
      },
      join(tmp, 'batch.toml'),
    );
    const progress: string[] = [];
    const n = await runDataset(plan, {
      cp2k: exe,
      limit: 2,
      commit: 'abc123',
      onProgress: (p) => progress.push(`${p.done}/${p.total} ${p.id} ${p.etaSeconds !== undefined}`),
    });
    expect(n).toBe(2);
    expect(progress).toEqual(['1/2 LiCl-000 true', '2/2 LiCl-001 true']);
    expect(existsSync(join(tmp, 'work', 'LiCl-001', 'cp2k.inp'))).toBe(true);
    // The first starts from atoms, the second from the first one's wavefunction (same atoms).
    expect(readFileSync(join(tmp, 'work', 'LiCl-000', 'cp2k.inp'), 'utf8')).toMatch(/SCF_GUESS ATOMIC/);
    const second = readFileSync(join(tmp, 'work', 'LiCl-001', 'cp2k.inp'), 'utf8');
    expect(second).toMatch(/SCF_GUESS RESTART/);
    expect(second).toContain(
      `WFN_RESTART_FILE_NAME ${join(tmp, 'work', 'LiCl-000', 'oligolyte-RESTART.wfn')}`,
    );
    const frames = [];
    for await (const s of readFrames(join(tmp, 'licl.extxyz'))) frames.push(s);
    expect(frames.length).toBe(2);
    expect(frames[0].frame.energy).toBeCloseTo(-2458.31229, 4);
    expect(frames[1].frame.forces!.length).toBe(24);
    const prov = JSON.parse(readFileSync(join(tmp, 'licl.provenance.json'), 'utf8'));
    expect(prov).toMatchObject({
      code: 'CP2K version 2023.1',
      oligolyteCommit: 'abc123',
      configurations: 2,
      planned: 3,
    });
    expect(prov.settings).toMatchObject({ preset: 'pbe-d3', cutoff: 400 });
    // A rerun of the whole plan computes only the third.
    const again = await runDataset(plan, { cp2k: exe });
    expect(again).toBe(3);
    expect(readFileSync(join(tmp, 'runs.log'), 'utf8').trim().split('\n').length).toBe(3);
    // Other settings in the same work folder are refused, not mixed.
    const other = { ...plan, settings: { ...plan.settings, cutoffRy: 300 } };
    await expect(runDataset(other, { cp2k: exe })).rejects.toThrow(/other CP2K settings/);
  });
});
