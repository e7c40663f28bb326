// Trimers intact? For every frame of a trajectory: every bond within 25 % of its rest length, and
// no O or Cl other than an Al's own neighbours within 2.6 A of it (minimum image).
// usage: npx tsx calibration/intact.ts MODEL.data TRAJECTORY [force-field name or JSON]
import { DEFAULT_FORCE_FIELD } from '../src/forcefield/force-field.js';
import { loadForceField } from '../src/forcefield/load.js';
import { typeSystem } from '../src/forcefield/typing.js';
import { readFrames, readStructure } from '../src/io/registry.js';

const [model, traj, ffName = DEFAULT_FORCE_FIELD] = process.argv.slice(2);
const s = await readStructure(model, { typeMap: ['Al', 'O', 'Cl', 'Li'] });
const ff = loadForceField(ffName);
const sys = typeSystem(s, ff);
const n = sys.natoms;
const bonded = new Set<number>();
for (let b = 0; b < sys.bonds.length; b += 2) {
  const [i, j] = [sys.bonds[b], sys.bonds[b + 1]];
  bonded.add(Math.min(i, j) * n + Math.max(i, j));
}
const al: number[] = [];
const anion: number[] = [];
for (let i = 0; i < n; i++) {
  const e = s.topology.symbol(i);
  if (e === 'Al') al.push(i);
  if (e === 'O' || e === 'Cl') anion.push(i);
}
let frames = 0;
let worstBond = 0;
let foreign = 0;
let closest = Infinity;
const d = new Float64Array(3);
for await (const f of readFrames(traj, { typeMap: ['Al', 'O', 'Cl', 'Li'] })) {
  frames++;
  const x = f.frame.positions;
  const L = f.frame.lattice!;
  for (let b = 0; b < sys.bonds.length / 2; b++) {
    for (let c = 0; c < 3; c++) d[c] = x[3 * sys.bonds[2 * b] + c] - x[3 * sys.bonds[2 * b + 1] + c];
    worstBond = Math.max(worstBond, Math.abs(Math.sqrt(L.minimumImage(d)) / sys.bondParams[b].x0 - 1));
  }
  for (const i of al)
    for (const j of anion) {
      if (bonded.has(Math.min(i, j) * n + Math.max(i, j))) continue;
      for (let c = 0; c < 3; c++) d[c] = x[3 * i + c] - x[3 * j + c];
      const r = Math.sqrt(L.minimumImage(d));
      closest = Math.min(closest, r);
      if (r < 2.6) foreign++;
    }
}
console.log(
  `${traj}: ${frames} frames; largest bond deviation ${(100 * worstBond).toFixed(1)} %; closest non-bonded O/Cl to an Al ${closest.toFixed(2)} A; ${foreign} contacts below 2.6 A`,
);
