// The replica average of a candidate (as combine.ts) with some temperatures' D taken instead from
// longer runs of each model (an `oligolyte run` protocol whose single stage continues that model at
// that temperature), fitted from a later fit start: for the 400 K point, where the MSD of the
// study's 100 ps production is still sub-diffusive (docs/FORCEFIELD-NOTES.md, third round).
// Run inside runs/:
//   npx tsx ../long-run.ts [--window=A-B] NAME FIT_START_PS T 'RUN_DIR_WITH_{seed}' [T 'RUN_DIR_WITH_{seed}' ...]
// e.g. npx tsx ../long-run.ts X-v2 100 400 'long400-X-v2-s{seed}'
// --window=A-B analyses only the long runs' frames from A to B ps (FIT_START_PS then counts from A):
// whether D still falls with the glass's waiting time within a run (docs/FORCEFIELD-NOTES.md, tenth round).
// A model is left out unless every one of its long runs is complete.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyseTransport } from '../src/analysis/transport/analyse-run.js';
import { arrheniusSummary } from '../src/analysis/transport/arrhenius-summary.js';
import { readFrames } from '../src/io/registry.js';
import { combineReplicas, readStudy, replicaTable, type StudyResult } from '../src/study/index.js';

const usage =
  "usage: long-run.ts [--window=A-B] NAME FIT_START_PS T 'RUN_DIR_WITH_{seed}' [T 'RUN_DIR_WITH_{seed}' ...]";
const args = process.argv.slice(2);
let window: { fromPs: number; toPs: number } | undefined;
if (args[0]?.startsWith('--window=')) {
  const [a, b] = args.shift()!.slice('--window='.length).split('-').map(Number);
  if (!(a >= 0 && b > a)) throw new Error(`--window=A-B needs 0 <= A < B (ps); ${usage}`);
  window = { fromPs: a, toPs: b };
}
const [name, fitText, ...pairs] = args;
const fitStartPs = Number(fitText);
if (!name || !Number.isFinite(fitStartPs) || pairs.length === 0 || pairs.length % 2 !== 0)
  throw new Error(usage);
const replaced: { T: number; pattern: string }[] = [];
for (let k = 0; k < pairs.length; k += 2) {
  const T = Number(pairs[k]);
  if (!Number.isFinite(T) || !pairs[k + 1].includes('{seed}')) throw new Error(usage);
  replaced.push({ T, pattern: pairs[k + 1] });
}

/** The long run's stage, or why the model is left out. */
const longRun = (
  runDir: string,
): { name: string; timeStepFs: number; dumpEvery: number; steps: number } | string => {
  if (!existsSync(join(runDir, 'status.json'))) return `no long run in ${runDir}`;
  const status = JSON.parse(readFileSync(join(runDir, 'status.json'), 'utf8'));
  if (status.state !== 'complete') return `the long run in ${runDir} is ${status.state}`;
  return JSON.parse(readFileSync(join(runDir, 'protocol.json'), 'utf8')).stages[0];
};

const spec = readStudy(`${name}.toml`);
const seeds: number[] = [];
const results: StudyResult[] = [];
models: for (const d of readdirSync('.').sort()) {
  const m = d.match(new RegExp(`^rep-${name}-s(\\d+)$`));
  if (!m || !existsSync(`${d}/study.json`)) continue;
  const r: StudyResult = JSON.parse(readFileSync(`${d}/study.json`, 'utf8'));
  for (const { T, pattern } of replaced) {
    const runDir = pattern.replace('{seed}', m[1]);
    const stage = longRun(runDir);
    if (typeof stage === 'string') {
      console.log(`${d}: ${stage}, left out`);
      continue models;
    }
    const row = r.rows.find((x) => x.temperatureK === T);
    if (!row) throw new Error(`${d}: no ${T} K row`);
    const file = join(runDir, `01-${stage.name}`, 'trajectory.lammpstrj');
    const psPerFrame = stage.timeStepFs * stage.dumpEvery * 1e-3;
    const runPs = stage.steps * stage.timeStepFs * 1e-3;
    if (window && window.toPs > runPs + 1e-9)
      throw new Error(`${runDir}: a ${runPs} ps run ends before the window's ${window.toPs} ps`);
    // Frame k is at k * psPerFrame; the window keeps both ends.
    const frames = window
      ? { start: Math.round(window.fromPs / psPerFrame), stop: Math.round(window.toPs / psPerFrame) + 1 }
      : undefined;
    const long = await analyseTransport(readFrames(file, { frames }), {
      species: 'Li',
      temperatureK: T,
      timeStepFs: stage.timeStepFs,
      frameStep: stage.dumpEvery,
      fitStartPs,
    });
    const before = row.result.diffusivity.glsCm2PerS.value;
    row.result = long.result;
    const { fitStartPs: f0, fitEndPs: f1 } = long.result.diffusivity;
    console.log(
      `${d}: D(${T} K) ${before.toExponential(2)} (study) -> ${long.result.diffusivity.glsCm2PerS.value.toExponential(2)} (${runPs} ps run${window ? `, frames ${window.fromPs}-${window.toPs} ps` : ''}, fit ${f0}-${f1.toFixed(0)} ps)`,
    );
  }
  // This model's own fit, as the study makes it, with the replaced rows.
  const { arrheniusMinK: lo, arrheniusMaxK: hi, extrapolateK } = spec.transport;
  const fitted = r.rows.filter(
    (x) => x.temperatureK >= lo && x.temperatureK <= hi && x.result.diffusivity.glsCm2PerS.value > 0,
  );
  r.arrhenius = arrheniusSummary(
    fitted.map((x) => x.result),
    extrapolateK,
  );
  seeds.push(Number(m[1]));
  results.push(r);
}
const which =
  replaced.map((x) => `${x.T} K`).join(', ') + (window ? ` (frames ${window.fromPs}-${window.toPs} ps)` : '');
process.stdout.write(
  replicaTable(`${name}, ${which} from the long runs`, combineReplicas(spec, results, seeds)),
);
