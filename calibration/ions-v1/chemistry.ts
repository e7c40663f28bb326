/**
 * The chemistry of runs with and without bonds (docs/FORCEFIELD-NOTES.md, ions-v1): for each
 * labelled group of trajectories, oligolyte's bonded-topology census (`structure topology`: bonds
 * by distance, Al-O <= 2.1 A and Al-Cl <= 2.6 A, broken beyond +0.3 A) averaged over the frames of
 * each run, then over the runs (mean and standard error over runs):
 *   Al CN          bonds per Al (4 in an intact trimer or AlCl4-)
 *   bridging Cl    Cl bonded to two Al (none in LAOC^0b trimers), per cell
 *   free Cl-       Cl bonded to no Al, per cell
 *   AlCl4-         units of one Al and four Cl, per cell
 *   Al3O2 units    units of three Al and two O with any Cl (a trimer core: Al3O2Cl8 in LAOC^0b,
 *                  Al3O2Cl7 in LAOC^1b, fewer Cl when one has left), per cell
 *   largest unit   Al in the largest bonded unit (3 = trimers apart; more = polymerised)
 *   events / ps    bonds made or broken per ps
 *
 *   npx tsx calibration/ions-v1/chemistry.ts LABEL=TRAJ,TRAJ,... [LABEL=...] > chemistry.json
 *
 * A TRAJ may be a run folder (its trajectory.extxyz). Prints one JSON object and a table on stderr.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { analyseTopologyFiles } from '../../src/analysis/structure/topology-report.js';

const groups = process.argv.slice(2).map((arg) => {
  const eq = arg.indexOf('=');
  if (eq < 1) {
    console.error('usage: chemistry.ts LABEL=TRAJ,TRAJ ... (a TRAJ may be a run folder)');
    process.exit(2);
  }
  const files = arg
    .slice(eq + 1)
    .split(',')
    .map((f) => (existsSync(f) && statSync(f).isDirectory() ? join(f, 'trajectory.extxyz') : f));
  return { label: arg.slice(0, eq), files };
});
if (groups.length === 0) {
  console.error('usage: chemistry.ts LABEL=TRAJ,TRAJ ...');
  process.exit(2);
}

const mean = (a: ArrayLike<number>) => {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k];
  return s / a.length;
};
const meanSem = (xs: number[]) => {
  const m = mean(xs);
  const sd =
    xs.length > 1 ? Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1)) : Number.NaN;
  return { mean: Number(m.toFixed(4)), sem: Number((sd / Math.sqrt(xs.length)).toFixed(4)), runs: xs.length };
};

const out: Record<string, unknown> = {};
const rows: string[] = [];
for (const { label, files } of groups) {
  const { runs } = await analyseTopologyFiles(files);
  const per = runs.map(({ file, result: r }) => {
    const c = r.census;
    const al3o2 = r.unitKinds
      .filter((u) => /^Al3O2(Cl\d*)?$/.test(u.formula))
      .reduce((t, u) => t + u.meanCount, 0);
    const ps = (r.timesFs[r.frames - 1] - r.timesFs[0]) / 1000;
    return {
      file,
      frames: r.frames,
      ps,
      alCn: mean(c.bonds) / alPerFrame(r),
      bridgingCl: mean(c.bridgingCl),
      freeCl: mean(c.freeCl),
      alcl4: mean(c.tetrachloro),
      al3o2Units: al3o2,
      largestUnitAl: mean(c.largestCentre),
      eventsPerPs: ps > 0 ? r.eventCount / ps : Number.NaN,
    };
  });
  const keys = [
    'alCn',
    'bridgingCl',
    'freeCl',
    'alcl4',
    'al3o2Units',
    'largestUnitAl',
    'eventsPerPs',
  ] as const;
  const summary = Object.fromEntries(keys.map((k) => [k, meanSem(per.map((p) => p[k]))]));
  out[label] = { runs: per, summary };
  rows.push(
    `${label.padEnd(22)}${keys.map((k) => `${summary[k].mean.toFixed(2)}+-${Number.isFinite(summary[k].sem) ? summary[k].sem.toFixed(2) : 'n/a'}`.padStart(14)).join('')}`,
  );
}
console.error(
  `${'group'.padEnd(22)}${['Al CN', 'bridging Cl', 'free Cl-', 'AlCl4-', 'Al3O2 units', 'largest unit', 'events/ps'].map((h) => h.padStart(14)).join('')}`,
);
for (const r of rows) console.error(r);
console.log(JSON.stringify(out, null, 1));

/** Al per frame: the unit formulas' mean counts times their Al, summed (the same in every frame). */
function alPerFrame(r: Awaited<ReturnType<typeof analyseTopologyFiles>>['runs'][number]['result']): number {
  return Math.round(r.unitKinds.reduce((t, u) => t + u.meanCount * u.centre, 0));
}
