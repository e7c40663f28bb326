import { normaliseElementLabel } from '../../core/elements.js';
import { ParseError } from '../../core/errors.js';
import type { Frame, RunInfo, Structure } from '../../core/frame.js';
import { checkJsonNesting } from '../../core/json-nesting.js';
import { Lattice } from '../../core/lattice.js';
import { Topology } from '../../core/topology.js';
import { type InputFile, openByteStream } from '../byte-source.js';
import type { Format } from '../format.js';
import { jsonKeyLocation } from '../text/key-location.js';

/**
 * pymatgen's serialised objects (MSONable JSON, as `obj.as_dict()` dumped with json):
 * - Structure: lattice.matrix and sites (species[0].element, abc); one frame.
 * - DiffusionAnalyzer (pymatgen-analysis-diffusion): a reference `structure` and `displacements`
 *   [atom][frame][xyz] in A, cumulative and unwrapped, frame 0 = 0; frame k is the structure's
 *   Cartesian positions plus displacement k, `time_step` (fs) x `step_skip` apart; `temperature` (K);
 *   an NPT analyser also has per-frame `lattices`.
 * - Trajectory (pymatgen.core.trajectory): `species`, `coords` or (before 2023) `frac_coords`
 *   [frame][atom][abc] fractional (or
 *   displacements from `base_positions` when `coords_are_displacement`), `lattice` one 3x3 or one
 *   per frame, `time_step` (fs).
 * A JSON document is parsed whole (these files hold at most a few thousand frames of small cells).
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

const isObj = (v: Json | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** monty's MontyEncoder writes NumPy arrays as {"@module": "numpy", "@class": "array", "data": [...]}. */
const plain = (v: Json | undefined): Json | undefined =>
  isObj(v) && v['@module'] === 'numpy' && v['@class'] === 'array' ? v.data : v;

/** Read the whole (possibly gzipped) file as text. */
const readText = async (input: InputFile): Promise<string> => {
  const parts: Buffer[] = [];
  for await (const chunk of openByteStream(input)) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts).toString('utf8');
};

export const pymatgenJson: Format = {
  name: 'pymatgen-json',
  description: 'pymatgen JSON: Structure, Trajectory, or a DiffusionAnalyzer with its displacements (read)',
  multiFrame: true,
  matchesName: (b) => b.endsWith('.json'),
  sniff: (_h, text) =>
    /^\s*\{/.test(text) &&
    /"@module"\s*:\s*"pymatgen/.test(text) &&
    /"@class"\s*:\s*"(Structure|Trajectory|DiffusionAnalyzer)"/.test(text),
  async *read(input) {
    const file = input.path;
    const text = await readText(input);
    let doc: Json;
    checkJsonNesting(text, file);
    try {
      doc = JSON.parse(text);
    } catch (e) {
      // Python's json writes NaN and Infinity, which JSON.parse refuses: say so rather than guess.
      const m = /position (\d+)/.exec((e as Error).message);
      const pos = m ? Number(m[1]) : firstNonJsonNumber(text);
      const line = text.slice(0, Math.max(0, pos)).split('\n').length;
      throw new ParseError({
        file,
        line,
        expected: 'valid JSON (no NaN or Infinity)',
        found: (e as Error).message,
      });
    }
    const fail = (expected: string, found?: Json) =>
      new ParseError({
        file,
        line: 1,
        expected,
        found: found === undefined ? 'nothing' : JSON.stringify(found).slice(0, 80),
      });
    if (!isObj(doc)) throw fail('a JSON object', doc);
    // A top-level number of the run (time_step, temperature): where it is, and checked. JSON.parse
    // gives no positions, so its line comes from a scan of the text for the key (issue 25 item 16).
    const runNumber = (key: string, ok: (v: number) => boolean, expected: string) => {
      const v = doc[key];
      if (v === undefined || v === null) return undefined;
      const at = jsonKeyLocation(text, [key]);
      const source = { file, line: at?.line, column: at?.column, key };
      if (typeof v !== 'number' || !ok(v))
        throw new ParseError({ ...source, expected: `"${key}": ${expected}`, found: JSON.stringify(v) });
      return { value: v, source };
    };
    const numbers = (v: Json | undefined, count: number, what: string): Float64Array => {
      const a = plain(v);
      const flat = Array.isArray(a) ? (a as Json[]).flat(3) : [];
      if (flat.length !== count || !flat.every((x) => typeof x === 'number' && Number.isFinite(x)))
        throw fail(`${what}: ${count} finite numbers`, v ?? null);
      return Float64Array.from(flat as number[]);
    };
    const lattice = (v: Json | undefined, what: string): Lattice => {
      const m = isObj(v) ? v.matrix : v;
      let L: Lattice;
      try {
        L = new Lattice(numbers(m, 9, `${what} (a 3x3 matrix)`));
      } catch (e) {
        if (e instanceof ParseError) throw e;
        throw fail(`${what}: a non-singular cell`, m ?? null);
      }
      // Sites are fractional: with one vector negated (a sign error, or a left-handed matrix no
      // VASP-facing tool writes), the same fractions make another crystal (a triclinic cell's
      // angles change), not a mirror image; refused as VASP refuses a left-handed POSCAR.
      if (L.signedVolume < 0) {
        const frame = /(\d+)\]?$/.exec(what);
        const path =
          what === 'structure.lattice'
            ? doc['@class'] === 'Structure'
              ? ['lattice']
              : ['structure', 'lattice']
            : [what.startsWith('lattices') ? 'lattices' : 'lattice', ...(frame ? [Number(frame[1])] : [])];
        const at = jsonKeyLocation(text, path);
        throw new ParseError({
          file,
          line: at?.line ?? 1,
          expected: `${what}: a right-handed cell (positive determinant)`,
          found: `determinant ${L.signedVolume.toPrecision(6)} A^3`,
        });
      }
      return L;
    };
    const cls = doc['@class'];

    if (cls === 'Structure') {
      const s = structure(doc, 'structure', fail, numbers, lattice);
      yield { topology: s.topology, frame: { positions: s.positions, lattice: s.lattice } };
      return;
    }

    if (cls === 'DiffusionAnalyzer') {
      const s = structure(doc.structure, 'structure', fail, numbers, lattice);
      const n = s.topology.natoms;
      const disp = doc.displacements;
      if (!Array.isArray(disp) || disp.length !== n)
        throw fail(
          `"displacements" for ${n} atoms`,
          Array.isArray(disp) ? `${disp.length} atoms` : (disp ?? null),
        );
      const nframes = Array.isArray(disp[0]) ? disp[0].length : 0;
      const perAtom = disp.map((d, i) => numbers(d, 3 * nframes, `displacements of atom ${i + 1}`));
      const ts = runNumber('time_step', (v) => v > 0, 'a positive time step (fs)');
      const timeStep = ts?.value;
      const skip = runNumber('step_skip', (v) => Number.isInteger(v) && v >= 1, 'a whole number >= 1');
      const stepSkip = skip?.value ?? 1;
      // 0 K is left to the analysis that needs a positive temperature (it names this line).
      const temp = runNumber('temperature', (v) => v >= 0, 'a temperature >= 0 K');
      const run: RunInfo = {};
      if (ts) run.timeStepFs = ts.value;
      if (temp) run.temperatureK = temp.value;
      if (ts || temp)
        run.sources = {
          ...(ts && { timeStepFs: ts.source }),
          ...(temp && { temperatureK: temp.source }),
        };
      const lattices = Array.isArray(doc.lattices) ? doc.lattices : undefined;
      if (lattices && lattices.length !== nframes)
        throw fail(`"lattices" for ${nframes} frames`, lattices.length);
      for (let k = 0; k < nframes; k++) {
        const positions = new Float64Array(3 * n);
        for (let i = 0; i < n; i++)
          for (let c = 0; c < 3; c++) positions[3 * i + c] = s.positions[3 * i + c] + perAtom[i][3 * k + c];
        const frame: Frame = {
          positions,
          lattice: lattices ? lattice(lattices[k], `lattices[${k}]`) : s.lattice,
          unwrapped: true,
          step: k * stepSkip,
        };
        if (timeStep !== undefined) frame.timeFs = k * stepSkip * timeStep;
        yield { topology: s.topology, frame, run };
      }
      return;
    }

    if (cls === 'Trajectory') {
      const species = doc.species;
      if (!Array.isArray(species) || species.length === 0)
        throw fail('"species": a list of elements', species);
      const symbols = species.map((x) => elementOf(x, fail));
      const topology = new Topology({ symbols });
      const n = symbols.length;
      // pymatgen before 2023 names the array frac_coords, later versions coords.
      const coords = plain(doc.frac_coords ?? doc.coords);
      if (!Array.isArray(coords)) throw fail('"coords": [frame][atom][abc]', coords ?? null);
      const constant = doc.constant_lattice !== false;
      const lat = plain(doc.lattice);
      const fixed = constant
        ? lattice(Array.isArray(lat) && lat.length === 3 ? lat : (lat ?? null), 'lattice')
        : undefined;
      const base =
        doc.coords_are_displacement === true
          ? numbers(doc.base_positions, 3 * n, 'base_positions')
          : undefined;
      const timeStep = runNumber('time_step', (v) => v > 0, 'a positive time step (fs)')?.value;
      const frac = base ? Float64Array.from(base) : new Float64Array(3 * n);
      for (let k = 0; k < coords.length; k++) {
        const c = numbers(coords[k], 3 * n, `coords of frame ${k}`);
        // Displacement trajectories accumulate from base_positions; they are unwrapped by construction.
        if (base) for (let i = 0; i < 3 * n; i++) frac[i] += c[i];
        const L = fixed ?? lattice(Array.isArray(lat) ? lat[k] : null, `lattice of frame ${k}`);
        const frame: Frame = { positions: L.toCartesian(base ? frac : c), lattice: L };
        if (base) frame.unwrapped = true;
        if (timeStep !== undefined) frame.timeFs = k * timeStep;
        yield { topology, frame } as Structure;
      }
      return;
    }
    throw fail('a pymatgen Structure, Trajectory or DiffusionAnalyzer ("@class")', cls ?? null);
  },
};

/** Offset of the first NaN or Infinity outside a string (Node's messages do not always give one), else 0. */
const firstNonJsonNumber = (text: string): number => {
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if ((c === 'N' && text.startsWith('NaN', i)) || (c === 'I' && text.startsWith('Infinity', i)))
      return i;
  }
  return 0;
};

type Fail = (expected: string, found?: Json) => ParseError;

/** Element of a pymatgen species entry: "Li", {"element": "Li", ...} or a site's species list. */
const elementOf = (x: Json, fail: Fail): string => {
  const label = typeof x === 'string' ? x : isObj(x) && typeof x.element === 'string' ? x.element : undefined;
  const el = label === undefined ? undefined : normaliseElementLabel(label);
  if (!el) throw fail('an element', x);
  return el;
};

/** A pymatgen Structure dict: ordered sites only (one species of occupancy 1 per site). */
const structure = (
  v: Json | undefined,
  what: string,
  fail: Fail,
  numbers: (v: Json | undefined, count: number, what: string) => Float64Array,
  lattice: (v: Json | undefined, what: string) => Lattice,
) => {
  if (!isObj(v)) throw fail(`"${what}": a pymatgen Structure`, v ?? null);
  const L = lattice(v.lattice, `${what}.lattice`);
  const sites = v.sites;
  if (!Array.isArray(sites) || sites.length === 0)
    throw fail(`${what}.sites: a list of sites`, sites ?? null);
  const symbols: string[] = [];
  const frac = new Float64Array(3 * sites.length);
  sites.forEach((site, i) => {
    if (!isObj(site) || !Array.isArray(site.species) || site.species.length !== 1)
      throw fail(`site ${i + 1}: one species (disordered sites are not supported)`, site);
    const sp = site.species[0];
    if (isObj(sp) && typeof sp.occu === 'number' && Math.abs(sp.occu - 1) > 1e-6)
      throw fail(`site ${i + 1}: occupancy 1 (partial occupancy is not supported)`, sp.occu);
    symbols.push(elementOf(sp, fail));
    frac.set(numbers(site.abc, 3, `site ${i + 1} abc`), 3 * i);
  });
  return { topology: new Topology({ symbols }), lattice: L, positions: L.toCartesian(frac) };
};
