/**
 * Energy profiles along the stretched and compressed bonds of data/dft/stretch-pbe-d3.extxyz
 * (docs/FORCEFIELD-NOTES.md, ions-v1: the Al-Cl scans and the Li walls): for each scanned pair
 * (bond and frame), the energy at each step relative to the step nearest the pair's own length
 * (the smallest stretch, or for compressions the smallest push), in eV, for PBE-D3 and each force
 * field (n/a where a force field cannot type the configuration).
 *
 *   npx tsx calibration/ions-v1/stretch-profiles.ts [FORCEFIELD ...] > profiles.json
 *   (default force fields: laoc-v4 laoc-v5 examples/ff/ions-v1.json)
 */
import { forceFieldOutputs } from '../../src/forcefield/fit/metrics.js';
import { loadForceField } from '../../src/forcefield/load.js';
import { readFrames } from '../../src/io/registry.js';
import { datasetFileFacts } from '../../src/study/dft-dataset.js';

const DATA = 'data/dft/stretch-pbe-d3.extxyz';
const names = process.argv.slice(2);
const ffs = (names.length ? names : ['laoc-v4', 'laoc-v5', 'examples/ff/ions-v1.json']).map(loadForceField);
const facts = [...(await datasetFileFacts(DATA)).values()];
const scans = new Map<string, { lengthA: number; dft: number; model: (number | undefined)[] }[]>();
let k = 0;
for await (const s of readFrames(DATA)) {
  const f = facts[k++];
  const key = `${f.bond}@${f.frame}`;
  if (!scans.has(key)) scans.set(key, []);
  scans.get(key)!.push({
    lengthA: Number(f.bond_A) + Number(f.stretch_A),
    dft: s.frame.energy!,
    model: ffs.map((ff) => forceFieldOutputs(ff, s)?.energyEv),
  });
}
const out = [...scans].map(([scan, steps]) => {
  // The step nearest the pair's own length first: the smallest |stretch|.
  const bondA = steps[0].lengthA;
  steps.sort((a, b) => Math.abs(a.lengthA - bondA) - Math.abs(b.lengthA - bondA));
  const ref = steps[0];
  return {
    scan,
    steps: steps.map((p) => ({
      lengthA: Number(p.lengthA.toFixed(4)),
      dftEv: p.dft - ref.dft,
      ...Object.fromEntries(
        ffs.map((ff, i) => [
          ff.name,
          p.model[i] === undefined || ref.model[i] === undefined ? null : p.model[i]! - ref.model[i]!,
        ]),
      ),
    })),
  };
});
console.log(JSON.stringify(out, null, 1));
