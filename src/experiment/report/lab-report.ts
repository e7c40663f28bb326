import { tableNumber as g } from '../../analysis/report-io.js';
import type { CyclingResult } from '../cycling/cycling.js';
import type { DscFileResult, ElectronicFileResult, TransferenceFileResult } from '../lab-files.js';
import { type CsvTable, pad } from './report-output.js';

export const transferenceTable = (r: TransferenceFileResult): string => {
  const c = r.currents;
  const lines = [
    `${r.file}: dV ${g(1000 * r.deltaV, 4)} mV`,
    `  I_0 ${g(1e6 * Math.abs(c.initialA), 5)} uA (ohmic from the spectrum: ${g(1e6 * r.result.ohmicInitialA, 5)} uA); I_ss ${g(1e6 * Math.abs(c.steadyA), 5)} +- ${g(1e6 * c.steadyStdA, 2)} uA (mean from ${g(c.steadyFromS, 5)} s, drift ${g(100 * c.steadyDrift, 2)} %)`,
    `  R_b ${g(r.bulkOhm, 5)} ohm; R_int ${g(r.interfaceInitialOhm, 5)} ohm before, ${g(r.interfaceSteadyOhm, 5)} ohm at steady state`,
    `  t_Li (Watanabe form, I_ss R_b / (dV - I_ss R_int,ss)): ${g(r.result.watanabe, 4)}`,
    `  t_Li (Bruce-Vincent, I_ss (dV - I_0 R_0) / (I_0 (dV - I_ss R_ss))): ${g(r.result.bruceVincent, 4)}`,
  ];
  if (Math.abs(c.steadyDrift) > 0.05)
    lines.push(
      `  warning: the current still drifts by ${g(100 * c.steadyDrift, 2)} % over the steady window`,
    );
  return `${lines.join('\n')}\n`;
};

export const transferenceCsv = (r: TransferenceFileResult): CsvTable => ({
  head: [
    'file',
    'delta_V',
    'I0_A',
    'Iss_A',
    'Iss_std_A',
    'Iss_drift_fraction',
    'R_bulk_ohm',
    'R_int_0_ohm',
    'R_int_ss_ohm',
    't_watanabe',
    't_bruce_vincent',
  ],
  rows: [
    [
      r.file,
      r.deltaV,
      Math.abs(r.currents.initialA),
      Math.abs(r.currents.steadyA),
      r.currents.steadyStdA,
      r.currents.steadyDrift,
      r.bulkOhm,
      r.interfaceInitialOhm,
      r.interfaceSteadyOhm,
      r.result.watanabe,
      r.result.bruceVincent,
    ],
  ],
});

export const electronicTable = (r: ElectronicFileResult): string =>
  `${r.file}: dV ${g(r.deltaV, 4)} V, I_ss ${g(Math.abs(r.currents.steadyA), 4)} A (drift ${g(100 * r.currents.steadyDrift, 2)} %)\n  electronic conductivity I_ss L / (dV A) = ${g(r.sigmaSCm, 4)} S/cm\n`;

export const electronicCsv = (r: ElectronicFileResult): CsvTable => ({
  head: ['file', 'delta_V', 'Iss_A', 'Iss_std_A', 'Iss_drift_fraction', 'sigma_e_S_cm'],
  rows: [
    [
      r.file,
      r.deltaV,
      Math.abs(r.currents.steadyA),
      r.currents.steadyStdA,
      r.currents.steadyDrift,
      r.sigmaSCm,
    ],
  ],
});

export const dscTable = (r: DscFileResult): string => {
  const t = r.tg;
  return `${r.file}: ${r.heatFlowColumn} against ${r.temperatureColumn}
  T_g onset ${g(t.onset, 4)}, midpoint ${g(t.midpoint, 4)}, inflection ${g(t.inflection, 4)}, end ${g(t.endset, 4)} (the file's temperature unit)
  step ${g(t.step, 4)} (heat-flow unit); baselines fitted over [${g(t.baselineBefore[0], 4)}, ${g(t.baselineBefore[1], 4)}] and [${g(t.baselineAfter[0], 4)}, ${g(t.baselineAfter[1], 4)}]
`;
};

export const dscCsv = (r: DscFileResult): CsvTable => ({
  head: ['file', 'onset', 'midpoint', 'inflection', 'end', 'step'],
  rows: [[r.file, r.tg.onset, r.tg.midpoint, r.tg.inflection, r.tg.endset, r.tg.step]],
});

export const cyclingTable = (r: CyclingResult): string => {
  const lines = [
    `${r.file}: capacities in ${r.unit}; retention relative to cycle ${r.referenceCycle}`,
    `${pad('cycle', 6)}${pad('charge', 11)}${pad('discharge', 11)}${pad('CE %', 9)}${pad('retention %', 13)}`,
  ];
  for (const c of r.cycles)
    lines.push(
      `${pad(String(c.cycle), 6)}${pad(g(c.charge, 5), 11)}${pad(g(c.discharge, 5), 11)}${pad(g(c.coulombicEfficiencyPct, 5), 9)}${pad(g(c.retentionPct, 4), 13)}`,
    );
  return `${lines.join('\n')}\n`;
};

export const cyclingCsv = (r: CyclingResult): CsvTable => {
  const u = r.unit === 'mAh/g' ? 'mAh_g' : 'mAh';
  return {
    head: ['cycle', `charge_${u}`, `discharge_${u}`, 'coulombic_efficiency_pct', 'retention_pct'],
    rows: r.cycles.map((c) => [c.cycle, c.charge, c.discharge, c.coulombicEfficiencyPct, c.retentionPct]),
  };
};
