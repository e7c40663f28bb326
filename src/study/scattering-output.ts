import { formatSignificant } from '../core/format-number.js';
import type { ScatteringEstimate, StudyScattering } from './scattering.js';

const g = (v: number, digits = 3) => formatSignificant(v, digits, 1e-3, 1e5);
/** A setting as written (no padding zeros). */
const plain = (v: number) => String(Number(v.toPrecision(6)));
const pct = (e: ScatteringEstimate) => `${g(100 * e.value)} % [${g(100 * e.low95)}, ${g(100 * e.high95)}]`;

/** The study summary's lines about the model against the measured PDF (study/scattering.ts). */
export const scatteringLines = (s: StudyScattering): string => {
  const settings = `${s.radiation === 'neutron' ? 'neutron' : 'X-ray'} PDF ${s.data}, model at ${s.temperatureK} K (${s.temperatureSource}), Qmax ${plain(s.qmaxInvA)} 1/A (${s.qmaxSource}), Qdamp ${plain(s.qdampInvA)} 1/A (${s.qdampSource})`;
  if (s.error || !s.model) return `scattering: ${settings}: not done: ${s.error ?? 'no result'}\n`;
  const m = s.model;
  const lines = [
    `scattering: ${settings}; ${s.frames} frames`,
    `  model alone ${s.fitRangeA[0]}-${s.fitRangeA[1]} A: scale ${g(m.scale.value)} +- ${g(m.scale.std, 2)}, Rw ${m.rw.toFixed(3)}, reduced chi2 ${g(m.reducedChi2)}${m.converged ? '' : ' (not converged)'}`,
  ];
  const l = s.licl;
  if (l)
    lines.push(
      `  with crystalline LiCl (a = ${l.latticeA.value.toFixed(4)} A over ${l.longRangeA[0]}-${l.longRangeA[1]} A, Rw ${l.long.rw.toFixed(3)}; scales over ${l.shortRangeA[0]}-${l.shortRangeA[1]} A, Rw ${l.short.rw.toFixed(3)}): LiCl ${pct(l.fraction.molar)} of formula units, ${pct(l.fraction.atom)} of atoms, ${pct(l.fraction.mass)} of mass (95 %)`,
    );
  for (const n of s.notes) lines.push(`  note: ${n}`);
  return `${lines.join('\n')}\n`;
};
