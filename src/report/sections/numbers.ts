import { num, withInterval } from '../format.js';
import type { Block, SectionBuilder } from '../section.js';
import { replicaSummaryTable, replicaTemperatureTable } from './replicas.js';

/**
 * Every number of the transport analysis with its 95 % interval, per temperature, and the fit; in a
 * replica study, the replica average first, then the shown model's numbers (titled with its seed).
 */
export const numbersSection: SectionBuilder = (input) => {
  const t = input.transport;
  if (!t) return undefined;
  const blocks: Block[] = [];
  const sp = t.runs[0].result.species;
  const r = input.replicas;
  if (r?.summary) blocks.push(replicaSummaryTable(r.summary), replicaTemperatureTable(r.summary, sp));
  const oneModel = r ? ` (one model: seed ${r.shownSeed})` : '';
  blocks.push({
    kind: 'table',
    title: `${sp} transport per run${oneModel}`,
    caption:
      'Values with 95 % intervals in brackets. D: generalised least squares on the tracer MSD; σ NE: Nernst-Einstein from D; σ charge: from the collective (charge) MSD; Haven ratio = D / D_collective.',
    columns: [
      'run',
      'T run/K',
      'ρ/g cm⁻³',
      `D(${sp})/cm² s⁻¹`,
      'σ NE/mS cm⁻¹',
      'σ charge/mS cm⁻¹',
      'Haven ratio',
      'MSD intercept/Å²',
      'fit window/ps',
      'frames',
      'duration/ps',
    ],
    rows: t.runs.map((r) => {
      const d = r.result.diffusivity;
      const c = r.result.conductivity;
      return [
        r.label,
        num(r.measuredTemperatureK ?? r.result.temperatureK, 4),
        num(r.densityGPerCm3, 4),
        withInterval(d.glsCm2PerS),
        withInterval(c.nernstEinsteinMsPerCm),
        withInterval(c.chargeMsdMsPerCm),
        withInterval(c.havenRatio),
        withInterval(d.interceptA2),
        `${num(d.fitStartPs)}-${num(d.fitEndPs)}`,
        String(r.result.frames),
        num(r.result.durationPs),
      ];
    }),
  });
  const a = t.arrhenius;
  if (a) {
    const rows: string[][] = [];
    for (const f of [a.weighted, a.ols]) {
      if (!f) continue;
      rows.push([`Ea (${f.method} fit, ${f.points} temperatures)`, `${withInterval(f.activationEv)} eV`]);
      rows.push([`ln D0 (${f.method}; D0 in cm²/s)`, withInterval(f.lnPrefactor)]);
    }
    const x = a.extrapolation;
    rows.push([`D at ${x.temperatureK} K (extrapolated)`, `${withInterval(x.diffusivityCm2PerS)} cm²/s`]);
    rows.push([`σ at ${x.temperatureK} K (extrapolated)`, `${withInterval(x.conductivityMsPerCm)} mS/cm`]);
    if (t.windowK)
      rows.push(['fit window', `${t.windowK[0]}-${t.windowK[1]} K (${a.temperaturesK.join(', ')} K fitted)`]);
    const m = input.measured;
    for (const p of m?.points ?? [])
      rows.push([
        `measured σ${m?.label ? ` (${m.label})` : ''}`,
        `${num(p.msPerCm)} mS/cm at ${num(p.temperatureK, 5)} K`,
      ]);
    if (m?.activationEv !== undefined)
      rows.push([`measured Ea${m.label ? ` (${m.label})` : ''}`, `${num(m.activationEv)} eV`]);
    blocks.push({
      kind: 'table',
      title: `Arrhenius fit${oneModel}`,
      columns: ['quantity', 'value [95 %]'],
      rows,
    });
  }
  const c = input.study?.measured;
  if (c?.rows.length)
    blocks.push({
      kind: 'table',
      title: `Measured against simulated conductivity${oneModel}`,
      caption:
        'The simulated σ is the Nernst-Einstein conductivity of the Arrhenius fit of D at each measured temperature (95 % interval).',
      columns: ['T/K', 'measured σ/mS cm⁻¹', 'simulated σ/mS cm⁻¹', 'simulated / measured'],
      rows: c.rows.map((r) => [
        num(r.temperatureK, 5),
        num(r.measuredMsPerCm),
        withInterval(r.simulatedMsPerCm),
        num(r.ratio),
      ]),
    });
  return { id: 'numbers', title: 'Every number', blocks };
};
