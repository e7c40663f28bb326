// Trimers intact? For every frame of a trajectory: every bond within 25 % of its rest length, and
// no O or Cl other than an Al's own neighbours within 2.6 A of it (nearest image). The check is
// the library's IntactnessCheck (src/analysis/structure/topology.ts); the bonds and their rest
// lengths come from the typed force field. For the bonded topology over time (units, census,
// bond events) see `oligolyte structure topology`.
// usage: npx tsx calibration/intact.ts MODEL.data TRAJECTORY [force-field name or JSON]
import { IntactnessCheck } from '../src/analysis/structure/topology.js';
import { DEFAULT_FORCE_FIELD } from '../src/forcefield/force-field.js';
import { loadForceField } from '../src/forcefield/load.js';
import { typeSystem } from '../src/forcefield/typing.js';
import { readFrames, readStructure } from '../src/io/registry.js';

const [model, traj, ffName = DEFAULT_FORCE_FIELD] = process.argv.slice(2);
const s = await readStructure(model, { typeMap: ['Al', 'O', 'Cl', 'Li'] });
const ff = loadForceField(ffName);
const sys = typeSystem(s, ff);
const check = new IntactnessCheck(s.topology, {
  bonds: sys.bonds,
  restLengthsA: sys.bondParams.map((p) => p.x0),
});
for await (const f of readFrames(traj, { typeMap: ['Al', 'O', 'Cl', 'Li'] })) check.push(f.frame);
const r = check.result();
console.log(
  `${traj}: ${r.frames} frames; largest bond deviation ${(100 * r.worstBondStrain).toFixed(1)} %; closest non-bonded O/Cl to an Al ${r.closestForeignA.toFixed(2)} A; ${r.foreignContacts} contacts below 2.6 A`,
);
