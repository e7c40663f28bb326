// Replica-averaged Arrhenius: D per temperature averaged over model seeds (mean +- standard error
// across replicas), weighted fit over 400-700 K, extrapolation to 300 K, Nernst-Einstein sigma.
import { readdirSync, readFileSync } from 'node:fs';
import { extrapolate, fitArrheniusWeighted } from '../src/analysis/transport/arrhenius.js';
import { nernstEinsteinFactor } from '../src/analysis/transport/conductivity.js';
const prefix = process.argv[2];
const dirs = readdirSync('.').filter((d) => d.startsWith(`rep-${prefix}-s`) && !d.endsWith('.log') && !d.endsWith('.toml'));
const byT = new Map<number, number[]>();
let density = 0;
let n = 0;
for (const d of dirs) {
  let j;
  try { j = JSON.parse(readFileSync(`${d}/study.json`, 'utf8')); } catch { continue; }
  n++;
  const parts: string[] = [];
  for (const r of j.rows) {
    const T = r.temperatureK; const D = r.result.diffusivity.glsCm2PerS.value;
    if (!byT.has(T)) byT.set(T, []);
    byT.get(T)!.push(D);
    parts.push(`${T}:${D.toExponential(2)}`);
    density = r.result.carriers / r.result.volumeA3;
  }
  console.log(d, 'Ea', j.arrhenius.weighted?.activationEv.value.toFixed(3), 'sigma300', j.arrhenius.extrapolation.conductivityMsPerCm.value.toPrecision(3), parts.join(' '));
}
const T: number[] = []; const D: number[] = []; const S: number[] = [];
for (const [t, ds] of [...byT].sort((a, b) => a[0] - b[0])) {
  const m = ds.reduce((a, b) => a + b, 0) / ds.length;
  const sd = Math.sqrt(ds.reduce((a, b) => a + (b - m) ** 2, 0) / (ds.length - 1));
  console.log(`T ${t}: D = ${m.toExponential(3)} +- ${(sd / Math.sqrt(ds.length)).toExponential(2)} (${ds.length} replicas)`);
  if (t >= 400 && t <= 700) { T.push(t); D.push(m); S.push(sd / Math.sqrt(ds.length)); }
}
const fit = fitArrheniusWeighted(T, D, S);
const x = extrapolate(fit, 300);
const f = nernstEinsteinFactor(density, 1, 300, 1);
console.log(`${n} replicas: Ea = ${fit.activationEv.value.toFixed(3)} eV [${fit.activationEv.low95.toFixed(3)}, ${fit.activationEv.high95.toFixed(3)}]; sigma(300 K) = ${(x.value * f).toPrecision(3)} mS/cm [${(x.low95 * f).toPrecision(2)}, ${(x.high95 * f).toPrecision(2)}]`);
