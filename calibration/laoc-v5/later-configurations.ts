/**
 * Per-element force RMSE (eV/A) of laoc-v4 and a fitted force field on the configurations of a
 * reference data set that a fit did not see (not in its snapshot), by config_id:
 *   npx tsx calibration/laoc-v5/later-configurations.ts DATA.extxyz SNAPSHOT.extxyz FF
 * (docs/FORCEFIELD-NOTES.md, laoc-v5: the configurations computed after the fit).
 */

import { readFileSync } from 'node:fs';
import { EV_IN_KCAL_PER_MOL } from '../../src/core/units.js';
import { computeEnergy } from '../../src/forcefield/energy.js';
import { loadForceField } from '../../src/forcefield/load.js';
import { typeSystem } from '../../src/forcefield/typing.js';
import { readFrames } from '../../src/io/registry.js';

const seen = new Set(
  [...readFileSync(process.argv[3], 'utf8').matchAll(/config_id="([^"]*)"/g)].map((m) => m[1]),
);
const text = readFileSync(process.argv[2], 'utf8');
const ids = [...text.matchAll(/config_id="([^"]*)"/g)].map((m) => m[1]);
const ffs = ['laoc-v4', process.argv[4]].map(loadForceField);
const acc = ffs.map(() => new Map<string, [number, number]>());
const ref = new Map<string, [number, number]>();
let k = 0;
const used: string[] = [];
for await (const s of readFrames(process.argv[2])) {
  const id = ids[k++];
  if (seen.has(id)) continue;
  used.push(id);
  ffs.forEach((ff, f) => {
    const sys = typeSystem(s, ff);
    const e = computeEnergy(s.frame.positions, s.frame.lattice!, sys, ff);
    for (let i = 0; i < sys.natoms; i++) {
      const el = s.topology.symbol(i);
      const a = acc[f].get(el) ?? [0, 0];
      const r = ref.get(el) ?? [0, 0];
      for (let x = 0; x < 3; x++) {
        a[0] += (e.forcesKcalMolA[3 * i + x] / EV_IN_KCAL_PER_MOL - s.frame.forces![3 * i + x]) ** 2;
        a[1]++;
        if (f === 0) {
          r[0] += s.frame.forces![3 * i + x] ** 2;
          r[1]++;
        }
      }
      acc[f].set(el, a);
      if (f === 0) ref.set(el, r);
    }
  });
}
console.log('configurations', used.join(' '));
const els = [...ref.keys()].sort();
console.log('element', els.join(' '));
console.log('DFT RMS', els.map((e) => Math.sqrt(ref.get(e)![0] / ref.get(e)![1]).toFixed(3)).join(' '));
for (const [f, ff] of ffs.entries())
  console.log(ff.name, els.map((e) => Math.sqrt(acc[f].get(e)![0] / acc[f].get(e)![1]).toFixed(3)).join(' '));
console.log(
  'ratio',
  els
    .map((e) =>
      (
        Math.sqrt(acc[1].get(e)![0] / acc[1].get(e)![1]) / Math.sqrt(acc[0].get(e)![0] / acc[0].get(e)![1])
      ).toFixed(2),
    )
    .join(' '),
);
