import { basename, extname, resolve } from 'node:path';
import { ParseError } from '../core/errors.js';
import { Fields, type Raw } from '../io/settings-fields.js';
import { readSettingsFile } from '../io/settings-file.js';
import { type ProtocolSpec, protocolFromObject } from '../md/protocols/protocol.js';
import { type MeasuredSpec, measuredFromFields } from './measured.js';
import { type MechanicsSpec, mechanicsFromFields } from './mechanics-spec.js';
import { type ScatteringSpec, scatteringFromFields } from './scattering-spec.js';

/**
 * A study: build a model, run a protocol on it, analyse the Li transport of every series
 * temperature, and fit Arrhenius over a temperature window with an extrapolation (the study's
 * 400-700 K fit, extrapolated to 300 K). The study file (TOML):
 *
 *   name = "LAOC-0b"
 *   [model]        mix = "0b:8" (or composition = "LAOC^0b", trimers = 8), density = 1.9, seed = 1,
 *                  supercell = [2, 2, 2] (optional: the packed cell repeated, as the study's large cells)
 *   [simulation]   a protocol (see md/protocols/protocol.ts) without `structure`
 *   [transport]    species = "Li", arrhenius_min = 400, arrhenius_max = 700, extrapolate = 300
 *   [measured]     measured sigma(T), values or impedance spectra, set beside the simulated (study/measured.ts)
 *   [scattering]   a measured PDF (.gr) against the model's G(r), optionally with crystalline LiCl (study/scattering-spec.ts)
 *   [mechanics]    tensile and shear runs of the replicated model: moduli and yield over replicas (study/mechanics-spec.ts)
 */
export interface StudySpec {
  file: string;
  name: string;
  model: {
    mix?: string;
    composition?: string;
    trimers: number;
    density: number;
    seed: number;
    /** Independent models (seeds seed, seed + 1, ...), each run and analysed, then averaged. */
    replicas: number;
    cation: string;
    /** The packed cell repeated na x nb x nc times (the study built its 16,384-atom cell from copies
     * of the 8-trimer cell; packing many trimers at once at 1.9 g/cm3 often fails). */
    supercell: [number, number, number];
  };
  protocol: ProtocolSpec;
  transport: {
    species: string;
    arrheniusMinK: number;
    arrheniusMaxK: number;
    extrapolateK: number;
    fitStartPs?: number;
    fitEndPs?: number;
  };
  /** The structure analyses of every series temperature (study/structure.ts); null when off. */
  structure: {
    /** Centre of the coordination environments (default Li). */
    centre: string;
    /** Cut-offs given per neighbour element (A, e.g. { Cl: 3.1 }); the others from g(r). */
    cutoffsA: Record<string, number>;
    /** Hysteresis width of the environment labels (A). */
    hysteresisA: number;
  } | null;
  /** Measured conductivities to compare with (null when the file has no [measured]). */
  measured: MeasuredSpec | null;
  /** Measured PDF data to set the model against (null when the file has no [scattering]). */
  scattering: ScatteringSpec | null;
  /** The deformation runs (null when the file has no [mechanics]). */
  mechanics: MechanicsSpec | null;
}

/** Three whole repeat counts (default [1, 1, 1]). */
const repeatsOf = (m: Fields, key: string): [number, number, number] => {
  const v = m.use(key);
  if (v === undefined) return [1, 1, 1];
  if (!Array.isArray(v) || v.length !== 3 || !v.every((k) => Number.isInteger(k) && k >= 1 && k <= 20))
    throw m.error(key, 'three whole repeat counts 1-20, e.g. [2, 2, 2]', v);
  return v as [number, number, number];
};

/** A sub-table of the study file ({} when absent), read with the path of every error. */
const table = (top: Fields, key: string): Fields => {
  const v = top.use(key) ?? {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw top.error(key, 'a table', v);
  return new Fields(v as Raw, key, top.file);
};

export const studyFromObject = (raw: Record<string, unknown>, file: string): StudySpec => {
  const top = new Fields(raw, '', file);
  const name = top.str('name', basename(file, extname(file)));
  if (name === '') throw top.error('name', 'a non-empty string', name);
  // The name makes the default output folder (out/<name>): a name from a file received from
  // someone else must not lead outside it.
  if (/[/\\\0]/.test(name) || /^\.+$/.test(name))
    throw top.error('name', 'a name without / or \\ (and not "." or "..")', name);
  const m = table(top, 'model');
  if (m.has('mix') === m.has('composition'))
    throw m.error('', 'either mix ("0b:8") or composition ("LAOC^0b")', m.raw);
  const mix = m.has('mix') ? m.str('mix', undefined) : undefined;
  const composition = m.has('composition') ? m.str('composition', undefined) : undefined;
  const model: StudySpec['model'] = {
    mix,
    composition,
    trimers: m.whole('trimers', 8, 1),
    density: m.positive('density', 1.9, 'g/cm3'),
    seed: m.num('seed', 1, Number.isInteger, 'a whole number'),
    replicas: m.num('replicas', 1, (v) => Number.isInteger(v) && v >= 1 && v <= 100, 'a whole number 1-100'),
    cation: m.str('cation', 'Li'),
    supercell: repeatsOf(m, 'supercell'),
  };
  m.done();
  const sim = table(top, 'simulation').raw;
  if (sim.structure !== undefined)
    throw top.error('simulation.structure', 'nothing (the study builds the model)', sim.structure);
  const protocol = protocolFromObject(sim, file);
  if (!protocol.series)
    throw top.error('simulation.series', 'the temperatures for the transport analysis', undefined);
  const t = table(top, 'transport');
  const transport: StudySpec['transport'] = {
    species: t.str('species', 'Li'),
    arrheniusMinK: t.positive('arrhenius_min', 400, 'K'),
    arrheniusMaxK: t.positive('arrhenius_max', 700, 'K'),
    extrapolateK: t.positive('extrapolate', 300, 'K'),
    fitStartPs: t.has('fit_start_ps')
      ? t.num('fit_start_ps', undefined, (v) => v >= 0, 'a time >= 0 (ps)')
      : undefined,
    fitEndPs: t.has('fit_end_ps') ? t.positive('fit_end_ps', undefined, 'ps') : undefined,
  };
  t.done();
  const st = table(top, 'structure');
  const structureOn = st.bool('enabled', true);
  const cutoffsRaw = st.use('cutoffs') ?? {};
  if (typeof cutoffsRaw !== 'object' || cutoffsRaw === null || Array.isArray(cutoffsRaw))
    throw st.error('cutoffs', 'a table of cut-offs by element, e.g. { Cl = 3.1, O = 2.6 } (A)', cutoffsRaw);
  const cutoffsA: Record<string, number> = {};
  for (const [el, v] of Object.entries(cutoffsRaw))
    if (!/^[A-Z][a-z]?$/.test(el) || typeof v !== 'number' || !(v > 0) || !Number.isFinite(v))
      throw st.error('cutoffs', 'element = positive distance (A), e.g. Cl = 3.1', { [el]: v });
    else cutoffsA[el] = v;
  const structure: StudySpec['structure'] = structureOn
    ? {
        centre: st.str('centre', transport.species),
        cutoffsA,
        hysteresisA: st.num('hysteresis', 0.2, (v) => v >= 0 && v < 2, 'a width >= 0 and < 2 (A)'),
      }
    : null;
  if (!structureOn) {
    st.use('centre');
    st.use('hysteresis');
  }
  st.done();
  const measured = measuredFromFields(table(top, 'measured'), file);
  const scattering = scatteringFromFields(table(top, 'scattering'), file, protocol.series.temperaturesK);
  const mechanics = mechanicsFromFields(table(top, 'mechanics'));
  top.done();
  const inWindow = protocol.series.temperaturesK.filter(
    (T) => T >= transport.arrheniusMinK && T <= transport.arrheniusMaxK,
  );
  if (inWindow.length < 2)
    throw t.error(
      '',
      `at least two series temperatures within arrhenius_min..arrhenius_max (${transport.arrheniusMinK}-${transport.arrheniusMaxK} K)`,
      protocol.series.temperaturesK,
    );
  return { file, name, model, protocol, transport, structure, measured, scattering, mechanics };
};

export const readStudy = (path: string): StudySpec => {
  const raw = readSettingsFile(path, 'study');
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ParseError({ file: path, expected: 'a table of settings', found: JSON.stringify(raw) });
  return studyFromObject(raw as Record<string, unknown>, resolve(path));
};

/**
 * The quick variant (tests, a first look): every shared stage at most 0.5 ps, and per
 * temperature 0.5 ps of equilibration and 5 ps of production. Its numbers are not results.
 */
export const quickProtocol = (p: ProtocolSpec): ProtocolSpec => {
  const cap = (ps: number) => (s: ProtocolSpec['stages'][number]) => ({
    ...s,
    steps: Math.min(s.steps, Math.round((ps * 1000) / s.timeStepFs)),
  });
  return {
    ...p,
    stages: p.stages.map(cap(0.5)),
    series: p.series && {
      ...p.series,
      stages: p.series.stages.map((s) => cap(s.name === 'produce' ? 5 : 0.5)(s)),
      ...(p.series.stepsPerTemperature && {
        stepsPerTemperature: p.series.stepsPerTemperature.map((steps) =>
          steps.map((n, k) => {
            const s = p.series!.stages[k];
            return cap(s.name === 'produce' ? 5 : 0.5)({ ...s, steps: n }).steps;
          }),
        ),
      }),
    },
  };
};
