/**
 * What a force field's energy misses where Al-Cl bonds are broken or shared (docs/FORCEFIELD-NOTES.md,
 * ions-v1): for every frame of the given PBE-D3 data files with the given composition, the DFT
 * energy, the force field's energy, and the frame's Cl by their Al neighbours within 2.6 A (free
 * Cl-: none; bridging Cl: two or more); frames are 1-based per file; the energy difference (model - DFT, eV, its mean removed) fitted by least
 * squares as a + b n, with n = free Cl- + bridging Cl: b is what each moved Cl costs in DFT beyond
 * what the model says (b < 0: the model makes moving Cl too cheap). Standard error of b from the
 * residual scatter. Also the difference of the mean model-minus-DFT energy between frames with no
 * Cl moved and frames with some, with its standard error, and the mean number moved.
 *
 *   npx tsx calibration/ions-v1/broken-bonds.ts FORCEFIELD COMPOSITION DATA.extxyz ... > out.json
 *   e.g. examples/ff/ions-v1.json "Al6 Cl16 Li6 O4" data/dft/laoc-pbe-d3.extxyz data/dft/ions-v1-md-pbe-d3.extxyz
 */
import { bondsByDistance } from '../../src/analysis/structure/topology.js';
import { compositionKey, forceFieldOutputs } from '../../src/forcefield/fit/metrics.js';
import { loadForceField } from '../../src/forcefield/load.js';
import { readFrames } from '../../src/io/registry.js';

const [ffName, composition, ...files] = process.argv.slice(2);
if (!ffName || !composition || files.length === 0) {
  console.error('usage: broken-bonds.ts FORCEFIELD "Al6 Cl16 Li6 O4" DATA.extxyz ...');
  process.exit(2);
}
const ff = loadForceField(ffName);
const rows: {
  file: string;
  frame: number;
  dftEv: number;
  modelEv: number;
  freeCl: number;
  bridgingCl: number;
}[] = [];
for (const file of files) {
  let frame = 0;
  for await (const s of readFrames(file)) {
    frame++;
    if (compositionKey(s) !== composition || s.frame.energy === undefined) continue;
    const model = forceFieldOutputs(ff, s);
    if (!model) continue;
    // Al neighbours of each Cl, bonds by distance alone (no hysteresis in a single frame).
    const { bonds } = bondsByDistance(s.topology, s.frame);
    const alOf = new Map<number, number>();
    const t = s.topology;
    for (let b = 0; b < bonds.length; b += 2)
      for (const [x, y] of [
        [bonds[b], bonds[b + 1]],
        [bonds[b + 1], bonds[b]],
      ])
        if (t.symbol(x) === 'Cl' && t.symbol(y) === 'Al') alOf.set(x, (alOf.get(x) ?? 0) + 1);
    const cl = t.indicesOf('Cl');
    rows.push({
      file,
      frame,
      dftEv: s.frame.energy,
      modelEv: model.energyEv,
      freeCl: cl.filter((i) => !alOf.has(i)).length,
      bridgingCl: cl.filter((i) => (alOf.get(i) ?? 0) >= 2).length,
    });
  }
}
const d = rows.map((r) => r.modelEv - r.dftEv);
const n = rows.map((r) => r.freeCl + r.bridgingCl);
const m = rows.length;
const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
const dn = mean(n);
const dd = mean(d);
const sxx = n.reduce((s, x) => s + (x - dn) ** 2, 0);
const b = n.reduce((s, x, i) => s + (x - dn) * (d[i] - dd), 0) / sxx;
const resid = d.map((y, i) => y - dd - b * (n[i] - dn));
const s2 = resid.reduce((s, r) => s + r * r, 0) / (m - 2);
// The same as a difference of group means: frames with no Cl moved minus frames with some (eV,
// standard error from the two groups' scatter).
const group = (moved: boolean) => d.filter((_, i) => n[i] > 0 === moved);
const sem2 = (a: number[]) => {
  const m = mean(a);
  return a.reduce((t, x) => t + (x - m) ** 2, 0) / (a.length - 1) / a.length;
};
const intact = group(false);
const broken = group(true);
console.log(
  JSON.stringify(
    {
      forceField: ff.name,
      intactMinusMovedEv: mean(intact) - mean(broken),
      intactMinusMovedStandardErrorEv: Math.sqrt(sem2(intact) + sem2(broken)),
      meanMovedCl: mean(n.filter((x) => x > 0)),
      composition,
      frames: m,
      slopeEvPerMovedCl: b,
      slopeStandardErrorEv: Math.sqrt(s2 / sxx),
      residualRmsEv: Math.sqrt(s2),
      rows: rows.map((r, i) => ({ ...r, movedCl: n[i], modelMinusDftEv: d[i] - dd })),
    },
    null,
    1,
  ),
);
