/**
 * Crystal checks of a trajectory (laoc-v5 target 1, docs/FORCEFIELD-NOTES.md): mean cell lengths
 * and angles over the frames from --from-ps on against the starting cell, density, and the Li (or
 * Na) environment: the n nearest Cl of each cation, their distances averaged over frames by rank,
 * and the coordination number within a cut-off.
 *   npx tsx calibration/laoc-v5/crystal-stats.ts TRAJECTORY START_STRUCTURE [fromPs=50] [cation=Li] [cutoff=3.1]
 * Prints one JSON object.
 */
import type { Lattice } from '../../src/core/lattice.js';
import { readFrames, readStructure } from '../../src/io/registry.js';

const [traj, startFile, fromPsArg, cationArg, cutoffArg] = process.argv.slice(2);
const fromPs = Number(fromPsArg ?? 50);
const cation = cationArg ?? 'Li';
const cutoff = Number(cutoffArg ?? 3.1);
const start = await readStructure(startFile);
const lengths = (L: Lattice) =>
  [0, 1, 2].map((k) => Math.hypot(L.matrix[3 * k], L.matrix[3 * k + 1], L.matrix[3 * k + 2]));
const angle = (L: Lattice, i: number, j: number) => {
  const a = [0, 1, 2].map((x) => L.matrix[3 * i + x]);
  const b = [0, 1, 2].map((x) => L.matrix[3 * j + x]);
  const c = (a[0] * b[0] + a[1] * b[1] + a[2] * b[2]) / (Math.hypot(...a) * Math.hypot(...b));
  return (Math.acos(c) * 180) / Math.PI;
};
const L0 = start.frame.lattice as Lattice;
const sums = { a: 0, b: 0, c: 0, alpha: 0, beta: 0, gamma: 0, volume: 0 };
const rankSum = new Float64Array(8);
let cnSum = 0;
let cnCount = 0;
const cnHist = new Map<number, number>();
let n = 0;
let minD = Number.POSITIVE_INFINITY;
let maxD6 = 0;
for await (const s of readFrames(traj)) {
  const t = (s.frame.timeFs ?? 0) / 1000;
  if (t < fromPs) continue;
  const L = s.frame.lattice as Lattice;
  const [a, b, c] = lengths(L);
  sums.a += a;
  sums.b += b;
  sums.c += c;
  sums.alpha += angle(L, 1, 2);
  sums.beta += angle(L, 0, 2);
  sums.gamma += angle(L, 0, 1);
  sums.volume += L.volume;
  const p = s.frame.positions;
  const cl = s.topology.indicesOf('Cl');
  const d = new Float64Array(3);
  for (const i of s.topology.indicesOf(cation)) {
    const ds: number[] = [];
    for (const j of cl) {
      for (let x = 0; x < 3; x++) d[x] = p[3 * j + x] - p[3 * i + x];
      ds.push(Math.sqrt(L.minimumImage(d)));
    }
    ds.sort((x, y) => x - y);
    for (let k = 0; k < 8; k++) rankSum[k] += ds[k];
    minD = Math.min(minD, ds[0]);
    maxD6 = Math.max(maxD6, ds[5]);
    const cn = ds.filter((x) => x <= cutoff).length;
    cnSum += cn;
    cnCount++;
    cnHist.set(cn, (cnHist.get(cn) ?? 0) + 1);
  }
  n++;
}
if (n === 0) throw new Error(`no frames after ${fromPs} ps in ${traj}`);
const [a0, b0, c0] = lengths(L0);
const mean = Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / n]));
console.log(
  JSON.stringify(
    {
      trajectory: traj,
      frames: n,
      fromPs,
      start: {
        a: a0,
        b: b0,
        c: c0,
        alpha: angle(L0, 1, 2),
        beta: angle(L0, 0, 2),
        gamma: angle(L0, 0, 1),
        volume: L0.volume,
      },
      mean,
      relativeChangePercent: {
        a: 100 * (mean.a / a0 - 1),
        b: 100 * (mean.b / b0 - 1),
        c: 100 * (mean.c / c0 - 1),
        volume: 100 * (mean.volume / L0.volume - 1),
      },
      cation,
      nearestClByRankA: Array.from(rankSum, (v) => v / cnCount),
      nearestClMinA: minD,
      sixthClMaxA: maxD6,
      cutoffA: cutoff,
      meanCoordination: cnSum / cnCount,
      coordinationFractions: Object.fromEntries(
        [...cnHist].sort((x, y) => x[0] - y[0]).map(([k, v]) => [k, v / cnCount]),
      ),
    },
    null,
    1,
  ),
);
