// The replica average of a candidate (as combine.ts) with one temperature's D taken instead from a
// longer run of each model (an `oligolyte run` protocol whose single stage continues that model at
// that temperature), fitted from a later fit start: for the 400 K point, where the MSD of the
// study's 100 ps production is still sub-diffusive (docs/FORCEFIELD-NOTES.md, third round).
// Run inside runs/:
//   npx tsx ../long-run.ts NAME T FIT_START_PS 'RUN_DIR_WITH_{seed}'
// e.g. npx tsx ../long-run.ts X-v2 400 100 '../../scratch/long400/small-out-s{seed}'
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyseTransport } from '../src/analysis/transport/analyse-run.js';
import { arrheniusSummary } from '../src/analysis/transport/arrhenius-summary.js';
import { readFrames } from '../src/io/registry.js';
import { combineReplicas, readStudy, replicaTable, type StudyResult } from '../src/study/study.js';

const [name, tText, fitText, pattern] = process.argv.slice(2);
const T = Number(tText);
const fitStartPs = Number(fitText);
if (!name || !Number.isFinite(T) || !Number.isFinite(fitStartPs) || !pattern?.includes('{seed}'))
  throw new Error("usage: long-run.ts NAME T FIT_START_PS 'RUN_DIR_WITH_{seed}'");

const spec = readStudy(`${name}.toml`);
const seeds: number[] = [];
const results: StudyResult[] = [];
for (const d of readdirSync('.').sort()) {
  const m = d.match(new RegExp(`^rep-${name}-s(\\d+)$`));
  if (!m || !existsSync(`${d}/study.json`)) continue;
  const runDir = pattern.replace('{seed}', m[1]);
  if (!existsSync(join(runDir, 'status.json'))) {
    console.log(`${d}: no long run in ${runDir}, left out`);
    continue;
  }
  const status = JSON.parse(readFileSync(join(runDir, 'status.json'), 'utf8'));
  if (status.state !== 'complete') {
    console.log(`${d}: the long run in ${runDir} is ${status.state}, left out`);
    continue;
  }
  const stage = JSON.parse(readFileSync(join(runDir, 'protocol.json'), 'utf8')).stages[0];
  const r: StudyResult = JSON.parse(readFileSync(`${d}/study.json`, 'utf8'));
  const row = r.rows.find((x) => x.temperatureK === T);
  if (!row) throw new Error(`${d}: no ${T} K row`);
  const long = await analyseTransport(readFrames(join(runDir, `01-${stage.name}`, 'trajectory.lammpstrj')), {
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
    `${d}: D(${T} K) ${before.toExponential(2)} (study, 100 ps) -> ${long.result.diffusivity.glsCm2PerS.value.toExponential(2)} (${stage.steps * stage.timeStepFs * 1e-3} ps run, fit ${f0}-${f1.toFixed(0)} ps)`,
  );
  // This model's own fit, as the study makes it, with the replaced row.
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
process.stdout.write(
  replicaTable(`${name}, ${T} K from the long runs`, combineReplicas(spec, results, seeds)),
);
