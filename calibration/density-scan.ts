// NPT density at 300 K and 0 atm of calibration candidates (LAMMPS): relax, 5 ps at 600 K, 30 ps NPT
// (mean after 10 ps, block-averaged standard error), on the 8-trimer LAOC^0b packing of seed 1, or
// of `packingSeed` (one run's density scatters with the packing: docs/FORCEFIELD-NOTES.md, fifth round).
// usage: npx tsx density-scan.ts '[{"name":"c1","scale":0.9,"clSigma":3.47}, ...]'
// Writes runs/density-NAME.json (the force field) and runs/density-NAME/ (the LAMMPS run).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOligomer } from '../src/builders/oligomer.js';
import { packGlass } from '../src/builders/pack-glass.js';
import { runProtocolInLammps } from '../src/engines/lammps-run.js';
import { protocolFromObject } from '../src/md/protocols/protocol.js';
import { type Candidate, candidateForceField } from './candidate-ff.js';

const runs = join(dirname(fileURLToPath(import.meta.url)), 'runs');
mkdirSync(runs, { recursive: true });
const variants = JSON.parse(process.argv[2]) as (Candidate & { packingSeed?: number })[];
for (const { packingSeed = 1, ...v } of variants) {
  const start = packGlass({ units: [{ molecule: buildOligomer(), count: 8 }], seed: packingSeed });
  const file = join(runs, `density-${v.name}.json`);
  writeFileSync(file, JSON.stringify(candidateForceField(v)));
  const spec = protocolFromObject(
    {
      engine: 'lammps',
      forcefield: file,
      stage: [
        { name: 'relax', ensemble: 'langevin', temperature: 300, time_ps: 1, damping: 50, dump_every: 0 },
        { name: 'melt', temperature: 600, time_ps: 5, dump_every: 0 },
        { type: 'npt', temperature: 300, pressure: 0, time_ps: 30, dump_every: 0, discard_ps: 10 },
      ],
    },
    file,
  );
  const out = join(runs, `density-${v.name}`);
  rmSync(out, { recursive: true, force: true });
  const r = await runProtocolInLammps(spec, start, { outDir: out });
  const d = r.stages[2].densityGPerCm3;
  console.log(
    v.name,
    JSON.stringify(v),
    `packing seed ${packingSeed}`,
    'density',
    d.mean.toFixed(4),
    '+-',
    d.standardError.toFixed(4),
  );
}
