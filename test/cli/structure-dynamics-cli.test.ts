import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildOligomer, buildTetrachloroaluminate } from '../../src/builders/oligomer.js';
import { packGlass } from '../../src/builders/pack-glass.js';
import type { Structure } from '../../src/core/frame.js';
import { Lattice } from '../../src/core/lattice.js';
import { SeededRandom } from '../../src/core/random.js';
import { Topology } from '../../src/core/topology.js';
import { writeFrames } from '../../src/io/registry.js';
import { cli, tempDir } from '../helpers.js';

const DEG = Math.PI / 180;
const dir = tempDir();
const GLASS = join(dir, 'glass.extxyz');
const ROTORS = join(dir, 'rotors.extxyz');
const ROTORS_HOT = join(dir, 'rotors-hot.extxyz');
const NO_AL = join(dir, 'licl.extxyz');

/** Two hand-built Al2OCl6 units whose back Cl3 groups turn at `rates` deg/ps, 1 frame per 10 fs, with velocities. */
const rotors = (rates: number[], frames: number): Structure[] => {
  const symbols = rates.flatMap(() => ['Al', 'O', 'Al', 'Cl', 'Cl', 'Cl', 'Cl', 'Cl', 'Cl']);
  const topology = new Topology({ symbols });
  const lattice = Lattice.cubic(30);
  const at = (u: number, t: number) => {
    const p: number[][] = [
      [0, 0, 0],
      [1.6, Math.sqrt(1.72 ** 2 - 1.6 ** 2), 0],
      [3.2, 0, 0],
    ];
    for (let k = 0; k < 3; k++) p.push([-0.7, 2 * Math.cos(120 * k * DEG), 2 * Math.sin(120 * k * DEG)]);
    const b = rates[u] * t;
    for (let k = 0; k < 3; k++)
      p.push([3.9, 2 * Math.cos((b + 120 * k) * DEG), 2 * Math.sin((b + 120 * k) * DEG)]);
    return p.flatMap((q) => [q[0] + 5 + 12 * u, q[1] + 10, q[2] + 10]);
  };
  return Array.from({ length: frames }, (_, k) => {
    const t = k * 0.01;
    const positions = Float64Array.from(rates.flatMap((_, u) => at(u, t)));
    const ahead = Float64Array.from(rates.flatMap((_, u) => at(u, t + 1e-4)));
    const velocities = positions.map((x, i) => (ahead[i] - x) / 0.1);
    return { topology, frame: { positions, velocities, lattice, timeFs: 10 * k } };
  });
};

beforeAll(async () => {
  const s = packGlass({
    units: [
      { molecule: buildOligomer(), count: 4 },
      { molecule: buildTetrachloroaluminate(), count: 1 },
    ],
    seed: 2,
  });
  const rng = new SeededRandom(1);
  const frames = Array.from({ length: 6 }, (_, k) => ({
    topology: s.topology,
    frame: {
      ...s.frame,
      positions: s.frame.positions.map((x) => x + 0.05 * (rng.uniform() - 0.5)),
      timeFs: 5 * k,
    },
  }));
  await writeFrames(GLASS, frames);
  await writeFrames(ROTORS, rotors([12, 0], 2001));
  await writeFrames(ROTORS_HOT, rotors([24, 6], 2001));
  const licl = new Topology({ symbols: ['Li', 'Cl'] });
  await writeFrames(
    NO_AL,
    [0, 1, 2, 3].map((k) => ({
      topology: licl,
      frame: { positions: Float64Array.from([1, 1, 1, 3.5, 1, 1]), lattice: Lattice.cubic(10), timeFs: k },
    })),
  );
});

describe('oligolyte structure topology', () => {
  it('prints the verdict and census, writes every number to JSON and the census to CSV', () => {
    const r = cli('structure', 'topology', GLASS, '--json', join(dir, 't.json'), '--csv', join(dir, 't.csv'));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/verdict: all 4 oligomers intact over 6 frames \(0 bond events\)/);
    expect(r.out).toMatch(/starting oligomers \(units with >= 2 Al\): 4 \(4 Al3O2Cl8\)/);
    expect(r.out).toMatch(/^ {2}AlCl4-\s+1\.000\s+1\.000\s+1\.000$/m);
    const json = JSON.parse(readFileSync(join(dir, 't.json'), 'utf8'));
    expect(json.runs[0].verdict.intact).toBe(true);
    expect(json.runs[0].census.intact).toEqual([4, 4, 4, 4, 4, 4]);
    const csv = readFileSync(join(dir, 't.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toMatch(/^run,frame,time_ps,units,intact,/);
    expect(csv).toHaveLength(7);
  });
  it('--bond and --hysteresis set the rules: Al-Cl within 2.0 A finds no Cl in the oligomers', () => {
    const r = cli('structure', 'topology', GLASS, '--bond', 'Al-O=2.1,Al-Cl=2.0', '--hysteresis', '0');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/bonds Al-O <= 2\.10 A \(breaks beyond 2\.10\), Al-Cl <= 2\.00 A/);
    expect(r.out).toMatch(/starting oligomers \(units with >= 2 Al\): 4 \(4 Al3O2\)/);
  });
  it('a run without Al: one line naming the cause, exit 1, nothing written', () => {
    const out = join(tempDir(), 'x.json');
    const r = cli('structure', 'topology', NO_AL, '--json', out);
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/no Al atoms in the run \(it has Li, Cl\)/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('oligolyte structure conformations', () => {
  it('per-link jump rates with intervals, the series to CSV, the rotation to CSV, every number to JSON', () => {
    const r = cli(
      'structure',
      'conformations',
      ROTORS,
      '--temperature',
      '300',
      '--json',
      join(dir, 'c.json'),
      '--csv',
      join(dir, 'c.csv'),
      '--rotation-csv',
      join(dir, 'rot.csv'),
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    // 12 deg/ps over 20 ps: 240 deg, a jump at 40, 100, 160, 220: 4 jumps in 0.02 ns.
    expect(r.out).toMatch(/^ {2}1-2-3 .* 4 {2}200\.0 \[/m);
    expect(r.out).toMatch(/^ {2}10-11-12 .* 0 {2}0\.000 \[0\.00, 184\]/m);
    expect(r.out).toMatch(/all 2 links: 4 jumps in 0\.04000 link-ns/);
    const json = JSON.parse(readFileSync(join(dir, 'c.json'), 'utf8'));
    expect(json.runs[0].temperatureK).toBe(300);
    expect(json.runs[0].links[0].jumps).toBe(4);
    expect(json.runs[0].rotation.bonds).toBe(12);
    const csv = readFileSync(join(dir, 'c.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe(
      'run,temperature_K,link,al_front,oxygen,al_back,time_ps,angle_deg,angle_filtered_deg,dihedral_deg,dihedral_filtered_deg,torsion_deg',
    );
    expect(csv).toHaveLength(1 + 2 * 2001);
    const rot = readFileSync(join(dir, 'rot.csv'), 'utf8').trim().split('\n');
    expect(rot[0]).toBe('run,temperature_K,lag_ps,c1,c2');
  });
  it('two temperatures: an Arrhenius fit of the pooled jump rate', () => {
    const r = cli(
      'structure',
      'conformations',
      ROTORS,
      ROTORS_HOT,
      '--temperature',
      '300,600',
      '--no-rotation',
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Arrhenius of the pooled jump rate \(2 of 2 runs/);
    expect(r.out).toMatch(/Ea [\d.]+ \+- [\d.]+ eV/);
  });
  it('no Al-O-Al links, no times, a bad threshold: one-line errors naming the cause', () => {
    let r = cli('structure', 'conformations', GLASS, '--bond', 'Al-O=1.0,Al-Cl=2.6');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no Al-O-Al links in the first frame \(no O bonded to two Al within 1 A\)/);
    r = cli('structure', 'conformations', NO_AL);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no Al atoms in the run \(it has Li, Cl\)/);
    r = cli('structure', 'conformations', ROTORS, '--eclipsed-below', '45');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--eclipsed-below must not be above --staggered-above/);
  });
});

describe('oligolyte structure vdos', () => {
  it('from stored velocities: the table, the VDOS and VACF curves, every number', () => {
    const r = cli(
      'structure',
      'vdos',
      ROTORS,
      '--species',
      'Cl',
      '--max-lag',
      '1',
      '--json',
      join(dir, 'v.json'),
      '--csv',
      join(dir, 'v.csv'),
      '--vacf-csv',
      join(dir, 'vacf.csv'),
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/velocities: stored velocities \(2001 samples\)/);
    expect(r.out).toMatch(/^ {2}Cl\s+12 /m);
    const json = JSON.parse(readFileSync(join(dir, 'v.json'), 'utf8'));
    expect(json.runs[0].velocitiesFrom).toBe('stored velocities');
    expect(json.runs[0].elements[0].element).toBe('Cl');
    const csv = readFileSync(join(dir, 'v.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('run,frequency_THz,g_total_per_THz,g_Cl_per_THz');
    const vacf = readFileSync(join(dir, 'vacf.csv'), 'utf8').trim().split('\n');
    expect(vacf[0]).toBe('run,lag_ps,vacf_Cl_A2_per_fs2,vacf_Cl_normalised');
    expect(vacf).toHaveLength(1 + 101);
  });
  it('an element absent, or no velocities and positions not unwrapped: one line, exit 1, nothing written', () => {
    const out = join(tempDir(), 'v.csv');
    let r = cli('structure', 'vdos', ROTORS, '--species', 'Li', '--csv', out);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no Li atoms in the run \(it has Al, O, Cl\)/);
    r = cli('structure', 'vdos', GLASS, '--csv', out);
    expect(r.code).toBe(1);
    expect(r.err.trim()).toBe(
      'oligolyte: the frames have no velocities and their positions are not unwrapped: give frames with velocities, --unwrapped if the positions are continuous, or --wrapped to difference them by the minimum image',
    );
    expect(readdirSync(join(out, '..'))).toEqual([]);
  });
});
