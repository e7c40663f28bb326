import { join } from 'node:path';
import { rmSync, writeFileSync } from 'node:fs';
import { buildOligomer } from '../src/build/oligomer.js';
import { packGlass } from '../src/build/pack-glass.js';
import { runProtocolInLammps } from '../src/engines/lammps-run.js';
import { protocolFromObject } from '../src/md/protocols/protocol.js';
import { type Candidate, candidateForceField } from './candidate-ff.js';
const start = packGlass({ units: [{ molecule: buildOligomer(), count: 8 }], seed: 1 });
const variants = JSON.parse(process.argv[2]) as Candidate[];
for (const v of variants) {
  const ff = candidateForceField(v);
  const file = `/tmp/calib-${v.name}.json`;
  writeFileSync(file, JSON.stringify(ff));
  const spec = protocolFromObject({ engine: 'lammps', forcefield: file, stage: [
    { name: 'relax', ensemble: 'langevin', temperature: 300, time_ps: 1, damping: 50, dump_every: 0 },
    { name: 'melt', temperature: 600, time_ps: 5, dump_every: 0 },
    { type: 'npt', temperature: 300, pressure: 0, time_ps: 30, dump_every: 0, discard_ps: 10 },
  ] }, '/tmp/p.toml');
  const out = `/tmp/calib-out-${v.name}`; rmSync(out, { recursive: true, force: true });
  const r = await runProtocolInLammps(spec, start, { outDir: out });
  const d = r.stages[2].densityGPerCm3;
  console.log(v.name, JSON.stringify(v), 'density', d.mean.toFixed(4), '+-', d.standardError.toFixed(4));
}
