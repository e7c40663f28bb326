/**
 * First-shell comparison of the AIMD reference with force-field runs of the same cell (issue 29
 * target 3; docs/FORCEFIELD-NOTES.md, "AIMD first-shell reference").
 *
 *   npx tsx calibration/aimd/first-shell.ts AIMD_RUN_DIR[,DIR2] DISCARD_PS OUT.extxyz FF_NAME=DIR,DIR,... ...
 *
 * AIMD_RUN_DIR is the output folder of `oligolyte run calibration/aimd/laoc0b-2t-400K.toml
 * --engine cp2k` (and after a comma that of laoc0b-2t-400K-cont.toml): their finished stages
 * (those with summary.json) are joined in order (the 800 K run, laoc0b-2t-800K.toml, likewise:
 * data/dft/aimd/first-shell-800K.json), each frame's time made cumulative (every CP2K
 * stage counts from 0), and written whole to OUT.extxyz (the committed trajectory). Frames before DISCARD_PS are left out of the analysis. Each FF_NAME
 * lists force-field runs (trajectory.extxyz in each DIR).
 *
 * For Li-Cl, Li-O, Al-Cl and Al-O: the first peak of g(r) (oligolyte's rdf and peak finder:
 * 0.01 A bins, the curve smoothed with a Gaussian of 0.08 A) over all kept frames, over each half,
 * and for the force fields per run and over windows as long as the AIMD's kept part (the spread a
 * run that short shows); and the Li coordination within fixed cut-offs (O 2.6 A, Cl 3.1 A), with
 * the NMR classes. Prints one JSON object.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { rdf } from '../../src/analysis/structure/rdf.js';
import type { Structure } from '../../src/core/frame.js';
import { readFrames, writeFrames } from '../../src/io/registry.js';

const PAIRS = ['Li-Cl', 'Li-O', 'Al-Cl', 'Al-O'] as const;
const CUTOFF_A: Record<string, number> = { O: 2.6, Cl: 3.1 };

const [aimdDir, discardArg, outFile, ...ffArgs] = process.argv.slice(2);
if (!aimdDir || !discardArg || !outFile) {
  console.error('usage: first-shell.ts AIMD_RUN_DIR DISCARD_PS OUT.extxyz FF_NAME=DIR,DIR ...');
  process.exit(2);
}
const discardFs = Number(discardArg) * 1000;

const readAll = async (file: string): Promise<Structure[]> => {
  const out: Structure[] = [];
  for await (const s of readFrames(file)) out.push(s);
  return out;
};

/** The AIMD's finished stages joined (run folders in order), with cumulative times (fs). */
const aimdFrames = async (): Promise<{ frames: Structure[]; stages: string[] }> => {
  const frames: Structure[] = [];
  const stages: string[] = [];
  let offsetFs = 0;
  for (const dir of aimdDir.split(',')) {
    const finished = readdirSync(dir)
      .filter((d) => /^\d\d-/.test(d) && existsSync(join(dir, d, 'summary.json')))
      .sort();
    for (const d of finished) {
      stages.push(join(dir, d));
      const part = await readAll(join(dir, d, 'trajectory.extxyz'));
      let last = 0;
      for (const s of part) {
        const t = s.frame.timeFs ?? 0;
        // Each stage's step 0 is the previous stage's last frame: keep it once.
        if (frames.length > 0 && t === 0) continue;
        frames.push({ ...s, frame: { ...s.frame, timeFs: offsetFs + t, step: undefined } });
        last = t;
      }
      offsetFs += last;
    }
  }
  return { frames, stages };
};

const peaks = (frames: Structure[]) => {
  const r = rdf(frames, { rMaxA: 4.5, binWidthA: 0.01, pairs: [...PAIRS], total: false });
  return Object.fromEntries(r.partials.map((p) => [p.name, p.firstPeak?.rA ?? null]));
};

const minimumImage = (d: number, L: number) => d - L * Math.round(d / L);

/** Li coordination within the fixed cut-offs (orthorhombic cells, minimum image: every cut-off is below half a cell edge). */
const coordination = (frames: Structure[]) => {
  let cnSum = 0;
  let n = 0;
  const classes = { 'Li[Cl6]': 0, 'Li[OnCl5-n]': 0, 'Li[OmCl4-m]': 0, other: 0 };
  const cn = new Map<number, number>();
  let nearestClSum = 0;
  for (const s of frames) {
    const m = s.frame.lattice!.matrix;
    const L = [m[0], m[4], m[8]];
    if (m[1] || m[2] || m[3] || m[5] || m[6] || m[7]) throw new Error('orthorhombic cells only');
    if (Math.min(...L) < 2 * CUTOFF_A.Cl) throw new Error('a cell edge below twice the Cl cut-off');
    const p = s.frame.positions;
    for (let i = 0; i < s.topology.natoms; i++) {
      if (s.topology.symbol(i) !== 'Li') continue;
      let nO = 0;
      let nCl = 0;
      let dMin = Number.POSITIVE_INFINITY;
      for (let j = 0; j < s.topology.natoms; j++) {
        const e = s.topology.symbol(j);
        const rc = CUTOFF_A[e];
        if (rc === undefined) continue;
        const d = Math.hypot(...[0, 1, 2].map((x) => minimumImage(p[3 * j + x] - p[3 * i + x], L[x])));
        if (e === 'Cl') dMin = Math.min(dMin, d);
        if (d < rc) {
          if (e === 'O') nO++;
          else nCl++;
        }
      }
      const c = nO + nCl;
      // The study's 7Li NMR classes (docs/cli.md, structure environments).
      if (c === 6 && nO === 0) classes['Li[Cl6]']++;
      else if (c === 5) classes['Li[OnCl5-n]']++;
      else if (c === 4) classes['Li[OmCl4-m]']++;
      else classes.other++;
      cn.set(c, (cn.get(c) ?? 0) + 1);
      cnSum += c;
      nearestClSum += dMin;
      n++;
    }
  }
  const share = (x: number) => Number((x / n).toFixed(3));
  return {
    meanCN: Number((cnSum / n).toFixed(3)),
    cnShares: Object.fromEntries(
      [...cn.entries()].sort((a, b) => a[0] - b[0]).map(([k, v]) => [k, share(v)]),
    ),
    nmrClasses: Object.fromEntries(Object.entries(classes).map(([k, v]) => [k, share(v)])),
    meanNearestClA: Number((nearestClSum / n).toFixed(3)),
  };
};

const halves = <T>(xs: T[]): [T[], T[]] => [xs.slice(0, xs.length >> 1), xs.slice(xs.length >> 1)];
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => Math.sqrt(xs.reduce((a, b) => a + (b - mean(xs)) ** 2, 0) / (xs.length - 1));
const round = (x: number | null) => (x === null ? null : Number(x.toFixed(3)));

const { frames: all, stages } = await aimdFrames();
if (all.length === 0) throw new Error(`${aimdDir}: no finished stage`);
await writeFrames(outFile, all);
const kept = all.filter((s) => (s.frame.timeFs ?? 0) >= discardFs);
const spanFs = (kept[kept.length - 1].frame.timeFs ?? 0) - (kept[0].frame.timeFs ?? 0);
const [h1, h2] = halves(kept);
const aimdAll = peaks(kept);
const aimdH = [peaks(h1), peaks(h2)];
const result: Record<string, unknown> = {
  aimd: {
    stages,
    frames: all.length,
    totalPs: (all[all.length - 1].frame.timeFs ?? 0) / 1000,
    keptFrames: kept.length,
    keptPs: spanFs / 1000,
    peaksA: Object.fromEntries(PAIRS.map((p) => [p, round(aimdAll[p])])),
    halvesA: Object.fromEntries(PAIRS.map((p) => [p, aimdH.map((h) => round(h[p]))])),
    // Two blocks: the standard error of their mean is half their difference.
    halfErrorA: Object.fromEntries(
      PAIRS.map((p) => [p, round(Math.abs((aimdH[0][p] ?? Number.NaN) - (aimdH[1][p] ?? Number.NaN)) / 2)]),
    ),
    coordination: coordination(kept),
  },
};
for (const arg of ffArgs) {
  const [name, dirs] = arg.split('=');
  const runs = await Promise.all(dirs.split(',').map((d) => readAll(join(d, 'trajectory.extxyz'))));
  const perRun = runs.map(peaks);
  // Windows as long as the AIMD's kept part, from every run.
  const windows: Record<string, number>[] = [];
  for (const frames of runs) {
    const t0 = frames[0].frame.timeFs ?? 0;
    let w: Structure[] = [];
    let start = t0;
    for (const s of frames) {
      if ((s.frame.timeFs ?? 0) - start > spanFs) {
        if (w.length > 1) windows.push(peaks(w) as Record<string, number>);
        w = [];
        start = s.frame.timeFs ?? 0;
      }
      w.push(s);
    }
  }
  const pooled = peaks(runs.flat());
  result[name] = {
    runs: dirs.split(','),
    framesPerRun: runs.map((r) => r.length),
    peaksA: Object.fromEntries(PAIRS.map((p) => [p, round(pooled[p])])),
    perRunA: Object.fromEntries(PAIRS.map((p) => [p, perRun.map((r) => round(r[p]))])),
    // Standard error of the mean over runs.
    runErrorA: Object.fromEntries(
      PAIRS.map((p) => [p, round(sd(perRun.map((r) => r[p] ?? Number.NaN)) / Math.sqrt(perRun.length))]),
    ),
    shortWindows: {
      count: windows.length,
      lengthPs: spanFs / 1000,
      sdA: Object.fromEntries(PAIRS.map((p) => [p, round(sd(windows.map((w) => w[p] ?? Number.NaN)))])),
    },
    coordination: coordination(runs.flat()),
  };
}
console.log(JSON.stringify(result, null, 1));
