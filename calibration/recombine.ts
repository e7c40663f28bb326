/**
 * The replica average of a finished replica study, recomputed with this checkout's
 * study/replicas.ts (e.g. after a change to its statistics), from each model's study.json:
 *
 *   npx tsx calibration/recombine.ts STUDY.toml OUTDIR
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedFolders } from '../src/report/input.js';
import type { StudyResult } from '../src/study/analysis.js';
import { replicaTable } from '../src/study/output.js';
import { combineReplicas } from '../src/study/replicas.js';
import { readStudy } from '../src/study/spec.js';

const [file, dir] = process.argv.slice(2);
if (!file || !dir) throw new Error('usage: npx tsx calibration/recombine.ts STUDY.toml OUTDIR');
const spec = readStudy(file);
const models = seedFolders(dir);
const results = models.map((m) => JSON.parse(readFileSync(join(m.dir, 'study.json'), 'utf8')) as StudyResult);
const r = combineReplicas(
  spec,
  results,
  models.map((m) => m.seed),
);
process.stdout.write(replicaTable(spec.name, r));
process.stdout.write(
  `D0 = ${Math.exp(r.fit.line.intercept).toExponential(2)} cm2/s; t quantile ${r.quantile95.toFixed(3)}\n`,
);
