import { OptionError } from '../core/errors.js';
import { bulkFromFit } from './conductivity/bulk-resistance.js';
import type { Pellet } from './conductivity/pellet.js';
import { analyseCycling, type CyclingOptions, type CyclingResult } from './cycling/cycling.js';
import { currentTrace, type PolarisationCurrents, polarisationCurrents } from './dc/current-time.js';
import { electronicConductivity, type TransferenceResult, transferenceNumber } from './dc/transference.js';
import { readSelectedSpectrum, type SpectrumFileOptions } from './eis-files.js';
import { type CircuitFit, type FitOptions, fitCircuit } from './fitting/fit-circuit.js';
import { findColumn, numericColumn, readNamedTable } from './readers/table.js';
import {
  type GlassTransition,
  type GlassTransitionOptions,
  glassTransition,
} from './thermal/glass-transition.js';

export interface CurrentFileOptions {
  timeColumn?: string;
  currentColumn?: string;
  currentUnit?: 'A' | 'mA' | 'uA' | 'nA';
  /** Fraction of the record at its end averaged for I_ss (default 0.1). */
  steadyFraction?: number;
}

/** The resistances of a transference measurement, given or fitted from the two spectra. */
export interface TransferenceResistances {
  /** Either the values (ohm) ... */
  bulkOhm?: number;
  interfaceInitialOhm?: number;
  interfaceSteadyOhm?: number;
  /** ... or the spectra before and after polarisation with a circuit and the parameter names. */
  before?: string;
  after?: string;
  circuit?: string;
  bulk?: string[];
  interface?: string[];
  fit?: FitOptions;
  spectra?: SpectrumFileOptions;
}

export interface TransferenceFileResult {
  file: string;
  deltaV: number;
  currents: PolarisationCurrents;
  bulkOhm: number;
  interfaceInitialOhm: number;
  interfaceSteadyOhm: number;
  fits?: { before: CircuitFit; after: CircuitFit };
  result: TransferenceResult;
}

/**
 * t_Li from a current-time file (the polarisation at dV) plus the resistances: given, or from
 * circuit fits of the spectra before and after (R_b from the spectrum before, the interfacial
 * resistance from each). Currents and dV are taken by magnitude (either polarity).
 */
export const transferenceFromFiles = async (
  currentFile: string,
  deltaV: number,
  r: TransferenceResistances,
  options: CurrentFileOptions = {},
): Promise<TransferenceFileResult> => {
  const trace = currentTrace(await readNamedTable(currentFile), options);
  const c = polarisationCurrents(trace, options.steadyFraction);
  const dv = Math.abs(deltaV);
  let bulkOhm = r.bulkOhm;
  let r0 = r.interfaceInitialOhm;
  let rss = r.interfaceSteadyOhm;
  let fits: TransferenceFileResult['fits'];
  if (r.before !== undefined || r.after !== undefined) {
    if (r.before === undefined || r.after === undefined || !r.circuit || !r.interface)
      throw new OptionError(
        'fitting the resistances needs both spectra (before and after), a circuit and the interface parameter names',
        {
          option: 'before',
        },
      );
    if (r0 !== undefined || rss !== undefined)
      throw new OptionError('give the interfacial resistances or the spectra, not both', {
        option: 'interfaceInitialOhm',
      });
    const fb = fitCircuit(await readSelectedSpectrum(r.before, r.spectra), r.circuit, r.fit);
    const fa = fitCircuit(await readSelectedSpectrum(r.after, r.spectra), r.circuit, r.fit);
    fits = { before: fb, after: fa };
    r0 = bulkFromFit(fb, r.interface).ohm;
    rss = bulkFromFit(fa, r.interface).ohm;
    if (bulkOhm === undefined) {
      if (!r.bulk)
        throw new OptionError('name the bulk resistance parameter(s) of the circuit or give R_b', {
          option: 'bulk',
        });
      bulkOhm = bulkFromFit(fb, r.bulk).ohm;
    }
  }
  if (bulkOhm === undefined || r0 === undefined || rss === undefined)
    throw new OptionError(
      'the transference number needs R_b and the interfacial resistances before and at steady state',
      {
        option: 'bulkOhm',
      },
    );
  const result = transferenceNumber({
    deltaV: dv,
    initialA: Math.abs(c.initialA),
    steadyA: Math.abs(c.steadyA),
    bulkOhm,
    interfaceInitialOhm: r0,
    interfaceSteadyOhm: rss,
  });
  return {
    file: currentFile,
    deltaV: dv,
    currents: c,
    bulkOhm,
    interfaceInitialOhm: r0,
    interfaceSteadyOhm: rss,
    fits,
    result,
  };
};

export interface ElectronicFileResult {
  file: string;
  deltaV: number;
  currents: PolarisationCurrents;
  sigmaSCm: number;
}

/** Electronic conductivity from a blocking-electrode polarisation record (I_ss by magnitude). */
export const electronicFromFile = async (
  currentFile: string,
  deltaV: number,
  pellet: Pellet,
  options: CurrentFileOptions = {},
): Promise<ElectronicFileResult> => {
  const trace = currentTrace(await readNamedTable(currentFile), options);
  const c = polarisationCurrents(trace, options.steadyFraction);
  const dv = Math.abs(deltaV);
  return {
    file: currentFile,
    deltaV: dv,
    currents: c,
    sigmaSCm: electronicConductivity(Math.abs(c.steadyA), dv, pellet),
  };
};

export interface DscFileResult {
  file: string;
  temperatureColumn: string;
  heatFlowColumn: string;
  tg: GlassTransition;
}

/** T_g from a DSC table with a temperature and a heat-flow column (found by name). */
export const glassTransitionFromFile = async (
  file: string,
  options: GlassTransitionOptions & { temperatureColumn?: string; heatFlowColumn?: string } = {},
): Promise<DscFileResult> => {
  const t = await readNamedTable(file);
  const kt = findColumn(
    t,
    'temperature',
    options.temperatureColumn,
    [/^temp/i, /^T\b/, /temp/i],
    'temperatureColumn',
  );
  const kh = findColumn(
    t,
    'heat flow',
    options.heatFlowColumn,
    [/heat\s*flow/i, /^hf\b/i, /\bmW\b|W\/g/],
    'heatFlowColumn',
  );
  return {
    file,
    temperatureColumn: t.columns[kt],
    heatFlowColumn: t.columns[kh],
    tg: glassTransition(numericColumn(t, kt), numericColumn(t, kh), options),
  };
};

export const cyclingFromFile = async (file: string, options: CyclingOptions = {}): Promise<CyclingResult> =>
  analyseCycling(await readNamedTable(file), options);
