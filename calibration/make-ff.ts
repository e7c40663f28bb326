import { writeFileSync } from 'node:fs';
import { LAOC_V1 } from '../src/forcefield/force-field.js';
const v = JSON.parse(process.argv[2]);
const ff = structuredClone(LAOC_V1) as any;
ff.name = v.name;
if (v.scale) ff.charges.scale = v.scale;
for (const t of ["Cl_t", "Cl_br", "Cl_AlCl4", "Cl_free"]) { if (v.clSigma) ff.atomTypes[t].sigma = v.clSigma; if (v.clEps) ff.atomTypes[t].epsilon = v.clEps; }
if (v.liSigma) ff.atomTypes.Li.sigma = v.liSigma;
if (v.liEps) ff.atomTypes.Li.epsilon = v.liEps;
writeFileSync(process.argv[3], JSON.stringify(ff, null, 1));
