import { InsufficientDataError, OptionError } from '../core/errors.js';
import { type ConductivityTemperatureFit, fitConductivityTemperature } from './conductivity/arrhenius-vtf.js';
import { type BulkResistance, bulkFromFit, bulkFromIntercept } from './conductivity/bulk-resistance.js';
import { type Conductivity, conductivity, type Pellet } from './conductivity/pellet.js';
import { type CircuitFit, type FitOptions, fitCircuit } from './fitting/fit-circuit.js';
import { type ReadSpectrumOptions, readSpectrum } from './readers/read-spectrum.js';
import { type Spectrum, selectPoints } from './readers/spectrum.js';
import { type LinKKOptions, type LinKKResult, linKK } from './validation/lin-kk.js';

/** Which points of a spectrum are used. */
export interface PointSelection {
  /** Keep frequencies in [minHz, maxHz]. */
  minHz?: number;
  maxHz?: number;
  /** Keep only points below the real axis (Im Z < 0), impedance.py's ignoreBelowX. */
  belowAxisOnly?: boolean;
}

export interface SpectrumFileOptions {
  read?: ReadSpectrumOptions;
  select?: PointSelection;
}

/** Read a spectrum and keep the selected points (an error when none are left). */
export const readSelectedSpectrum = async (file: string, o: SpectrumFileOptions = {}): Promise<Spectrum> => {
  const s = await readSpectrum(file, o.read);
  const sel = o.select ?? {};
  if (sel.minHz !== undefined && sel.maxHz !== undefined && !(sel.minHz < sel.maxHz))
    throw new OptionError(`the frequency window [${sel.minHz}, ${sel.maxHz}] Hz is empty`, {
      option: 'minHz',
    });
  const kept = selectPoints(
    s,
    (i) =>
      (sel.minHz === undefined || s.frequencyHz[i] >= sel.minHz) &&
      (sel.maxHz === undefined || s.frequencyHz[i] <= sel.maxHz) &&
      (!sel.belowAxisOnly || s.imOhm[i] < 0),
  );
  if (kept.frequencyHz.length === 0)
    throw new InsufficientDataError(
      `${file}: no point is left after the frequency window and axis selection`,
    );
  return kept;
};

export interface EisFitRun {
  file: string;
  format: string;
  fit: CircuitFit;
}

/** Fit one circuit to each file. */
export const fitSpectrumFiles = async (
  files: readonly string[],
  circuitText: string,
  options: SpectrumFileOptions & { fit?: FitOptions } = {},
): Promise<EisFitRun[]> => {
  const out: EisFitRun[] = [];
  for (const file of files) {
    const s = await readSelectedSpectrum(file, options);
    out.push({ file, format: s.format, fit: fitCircuit(s, circuitText, options.fit) });
  }
  return out;
};

export interface KKRun {
  file: string;
  format: string;
  result: LinKKResult;
}

export const linKKFiles = async (
  files: readonly string[],
  options: SpectrumFileOptions & { kk?: LinKKOptions } = {},
): Promise<KKRun[]> => {
  const out: KKRun[] = [];
  for (const file of files) {
    const s = await readSelectedSpectrum(file, options);
    out.push({ file, format: s.format, result: linKK(s, options.kk) });
  }
  return out;
};

export interface ConductivityRun {
  file: string;
  format: string;
  bulk: BulkResistance;
  sigma: Conductivity;
  fit?: CircuitFit;
  temperatureK?: number;
}

export interface ConductivityOptions extends SpectrumFileOptions {
  pellet: Pellet;
  /** A circuit to fit; without one R_bulk is the high-frequency intercept. */
  circuit?: string;
  /** The resistance parameters that make up R_bulk (summed). */
  bulk?: string[];
  fit?: FitOptions;
}

/** sigma = L / (R_bulk A) for each spectrum (R_bulk from a fit or the intercept). */
export const conductivityFiles = async (
  files: readonly string[],
  options: ConductivityOptions,
): Promise<ConductivityRun[]> => {
  const out: ConductivityRun[] = [];
  for (const file of files) {
    const s = await readSelectedSpectrum(file, options);
    let fit: CircuitFit | undefined;
    let bulk: BulkResistance;
    if (options.circuit) {
      fit = fitCircuit(s, options.circuit, options.fit);
      bulk = bulkFromFit(fit, options.bulk);
    } else {
      if (options.bulk)
        throw new OptionError('naming the bulk resistance needs a circuit to fit', { option: 'bulk' });
      bulk = bulkFromIntercept(s);
    }
    out.push({
      file,
      format: s.format,
      bulk,
      sigma: conductivity(bulk.ohm, bulk.stdOhm, options.pellet),
      fit,
    });
  }
  return out;
};

export interface ConductivityArrheniusResult {
  runs: ConductivityRun[];
  fit: ConductivityTemperatureFit;
}

/** A temperature series of spectra (one temperature each, K) -> sigma(T), Arrhenius and VTF. */
export const conductivityArrheniusFiles = async (
  files: readonly string[],
  temperaturesK: readonly number[],
  options: ConductivityOptions,
): Promise<ConductivityArrheniusResult> => {
  if (temperaturesK.length !== files.length)
    throw new OptionError(`${temperaturesK.length} temperatures for ${files.length} spectra`, {
      option: 'temperaturesK',
    });
  for (const t of temperaturesK)
    if (!(t > 0))
      throw new OptionError(`temperature ${t} K is not above absolute zero`, { option: 'temperaturesK' });
  const runs = await conductivityFiles(files, options);
  runs.forEach((r, i) => {
    r.temperatureK = temperaturesK[i];
  });
  return {
    runs,
    fit: fitConductivityTemperature(
      temperaturesK,
      runs.map((r) => r.sigma.sCm),
    ),
  };
};
