// Replica average of a candidate's runs (runs/rep-NAME-sSEED/study.json), with the study's own
// combineReplicas: D per temperature averaged over the models, weighted Arrhenius fit of the mean
// over the study's window, extrapolation, Nernst-Einstein sigma. Run inside runs/:
//   npx tsx ../combine.ts NAME
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { combineReplicas, readStudy, replicaTable, type StudyResult } from '../src/study/index.js';

const name = process.argv[2];
const seeds: number[] = [];
const results: StudyResult[] = [];
for (const d of readdirSync('.').sort()) {
  const m = d.match(new RegExp(`^rep-${name}-s(\\d+)$`));
  if (!m) continue;
  if (!existsSync(`${d}/study.json`)) {
    console.log(`${d}: no study.json (not finished), left out`);
    continue;
  }
  const r: StudyResult = JSON.parse(readFileSync(`${d}/study.json`, 'utf8'));
  seeds.push(Number(m[1]));
  results.push(r);
  const D = r.rows.map(
    (row) => `${row.temperatureK}:${row.result.diffusivity.glsCm2PerS.value.toExponential(2)}`,
  );
  console.log(
    `${d}: Ea ${(r.arrhenius.weighted ?? r.arrhenius.ols).activationEv.value.toFixed(3)} eV, D ${D.join(' ')}`,
  );
}
process.stdout.write(replicaTable(name, combineReplicas(readStudy(`${name}.toml`), results, seeds)));
