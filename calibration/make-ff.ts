// A candidate force field: laoc-v1 with the changes given as JSON (see README.md), written to a file.
// usage: npx tsx make-ff.ts '{"name":"c1","scale":0.9,"clSigma":3.47}' out.json
import { writeFileSync } from 'node:fs';
import { candidateForceField } from './candidate-ff.js';

writeFileSync(process.argv[3], JSON.stringify(candidateForceField(JSON.parse(process.argv[2])), null, 1));
