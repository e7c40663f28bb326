import { normaliseElementLabel } from '../../core/elements.js';
import { OptionError, ParseError } from '../../core/errors.js';
import type { Frame } from '../../core/frame.js';
import { Topology } from '../../core/topology.js';
import { openByteStream } from '../byte-source.js';
import type { Format } from '../format.js';
import { LineReader } from '../text/line-reader.js';
import {
  boxFromBounds,
  elementFromLammpsMass,
  elementFromTypeMap,
  formatDataBox,
  idOrder,
  LammpsBoxError,
  lammpsTypes,
  lammpsUnitFactors,
  permuteRows,
  toLammpsOrientation,
} from './lammps-common.js';

type AtomStyle = 'atomic' | 'charge' | 'full';

/** Columns of an Atoms line (without the 3 optional image flags) per style. */
const STYLE_COLUMNS: Record<AtomStyle, number> = { atomic: 5, charge: 6, full: 7 };

/** Coefficient sections, and which type count sets their number of lines. */
const COEFF_SECTIONS: Record<string, string> = {
  'Pair Coeffs': 'atom types',
  'Bond Coeffs': 'bond types',
  'Angle Coeffs': 'angle types',
  'Dihedral Coeffs': 'dihedral types',
  'Improper Coeffs': 'improper types',
  'BondBond Coeffs': 'angle types',
  'BondAngle Coeffs': 'angle types',
  'MiddleBondTorsion Coeffs': 'dihedral types',
  'EndBondTorsion Coeffs': 'dihedral types',
  'AngleTorsion Coeffs': 'dihedral types',
  'AngleAngleTorsion Coeffs': 'dihedral types',
  'BondBond13 Coeffs': 'dihedral types',
  'AngleAngle Coeffs': 'improper types',
};

/** The text after '#' ('full' in "Atoms # full"), or ''. */
const commentOf = (s: string) => {
  const k = s.indexOf('#');
  return k >= 0 ? s.slice(k + 1).trim() : '';
};

const stripComment = (s: string) => {
  const k = s.indexOf('#');
  return (k >= 0 ? s.slice(0, k) : s).trim();
};

/** LAMMPS data file (read_data / write_data): atom styles atomic, charge, full; bonded sections. */
export const lammpsData: Format = {
  name: 'lammps-data',
  description: 'LAMMPS data file, atom styles atomic/charge/full, bonds/angles/dihedrals (read, write)',
  multiFrame: false,
  matchesName: (b) => /\.(data|lmp|lammps)$/.test(b) || b.startsWith('data.'),
  sniff: (_h, text) => /^\s*\d+\s+atoms\s*$/m.test(text) && /^\s*\S+\s+\S+\s+xlo\s+xhi/m.test(text),
  async *read(input, options) {
    const r = new LineReader(openByteStream(input), input.path);
    const units = lammpsUnitFactors(options.lammpsUnits);
    const file = input.path;
    try {
      await r.need('a title line');
      // LAMMPS skips the first line as a title; files written by hand sometimes start with the
      // header directly ("9 atoms"), which we accept by re-reading it as a header line.
      if (/^\s*\d+\s+atoms\s*$/.test(r.text())) r.unread();
      const counts = new Map<string, number>();
      const lo = [0, 0, 0];
      const hi = [Number.NaN, Number.NaN, Number.NaN];
      const tilt: [number, number, number] = [0, 0, 0];
      // Lines of the xlo xhi, ylo yhi, zlo zhi header lines, for errors about the box.
      const boxLines = [0, 0, 0];
      let section: string | undefined;
      let sectionComment = '';
      // Header: keyword lines until the first section name.
      while (await r.next()) {
        const t = stripComment(r.text());
        if (t === '') continue;
        const m = /^(\S+)\s+(\S+)\s+(xlo xhi|ylo yhi|zlo zhi)$/.exec(t);
        if (m) {
          const d = m[3][0] === 'x' ? 0 : m[3][0] === 'y' ? 1 : 2;
          r.split();
          lo[d] = r.coordinate(0, 'a box bound');
          hi[d] = r.coordinate(1, 'a box bound');
          boxLines[d] = r.lineNo;
          continue;
        }
        if (/\sxy\s+xz\s+yz$/.test(t)) {
          r.split();
          for (let k = 0; k < 3; k++) tilt[k] = r.coordinate(k, 'a tilt factor');
          continue;
        }
        const c = /^(\d+)\s+(.+)$/.exec(t);
        if (c) {
          counts.set(c[2].replace(/\s+/g, ' '), Number(c[1]));
          continue;
        }
        section = t;
        sectionComment = commentOf(r.text());
        break;
      }
      const n = counts.get('atoms');
      if (n === undefined || n < 1)
        throw new ParseError({
          file,
          line: r.lineNo,
          expected: 'an "N atoms" header line',
          found: section ?? 'end of file',
        });
      if (hi.some((x) => Number.isNaN(x)))
        throw new ParseError({
          file,
          line: r.lineNo,
          expected: 'xlo xhi, ylo yhi and zlo zhi header lines',
          found: section ?? 'end of file',
        });
      const ntypes = counts.get('atom types') ?? 0;
      const positions = new Float64Array(3 * n);
      const types = new Int32Array(n);
      const charges = new Float64Array(n);
      const mol = new Int32Array(n);
      let style: AtomStyle | undefined = options.atomStyle;
      let hasAtoms = false;
      let velocities: Float64Array | undefined;
      const typeMass: number[] = [];
      let massesLine = 0;
      const typeLabel: string[] = [];
      const terms: Record<string, { atoms: Uint32Array; types: Int32Array }> = {};
      const atomIndex = new Map<number, number>();
      while (section !== undefined) {
        const name = section;
        let spec: { count: number; what: string };
        if (name === 'Masses') {
          spec = { count: ntypes, what: 'a "type mass" line' };
          massesLine = r.lineNo;
        } else if (name === 'Atoms') spec = { count: n, what: 'an atom line' };
        else if (name === 'Velocities') spec = { count: n, what: 'a velocity line "id vx vy vz"' };
        else if (['Bonds', 'Angles', 'Dihedrals', 'Impropers'].includes(name))
          spec = {
            count: counts.get(name.toLowerCase()) ?? 0,
            what: `a ${name.slice(0, -1).toLowerCase()} line`,
          };
        else if (name in COEFF_SECTIONS)
          spec = { count: counts.get(COEFF_SECTIONS[name]) ?? 0, what: 'a coefficient line' };
        else if (name === 'PairIJ Coeffs')
          spec = { count: (ntypes * (ntypes + 1)) / 2, what: 'a coefficient line' };
        else
          throw r.error('a section name (Masses, Atoms, Velocities, Bonds, Angles, Dihedrals, ... Coeffs)');
        if (name === 'Atoms' && !style) {
          const s = sectionComment.split(/\s+/)[0];
          if (s === 'atomic' || s === 'charge' || s === 'full') style = s;
          else if (s) throw r.error(`atom style atomic, charge or full (found "# ${s}")`);
        }
        // The entries follow after blank lines.
        let got = 0;
        const per =
          name === 'Bonds'
            ? 2
            : name === 'Angles'
              ? 3
              : name === 'Dihedrals'
                ? 4
                : name === 'Impropers'
                  ? 4
                  : 0;
        if (per)
          terms[name] = { atoms: new Uint32Array(per * spec.count), types: new Int32Array(spec.count) };
        if (name === 'Velocities') velocities = new Float64Array(3 * n);
        while (got < spec.count) {
          await r.need(`${spec.count - got} more entries of section ${name} (${spec.what})`);
          if (stripComment(r.text()) === '') continue;
          // Files written by other tools sometimes list masses only for the types in use (LAMMPS
          // itself would refuse); accept that when the next section follows.
          if (name === 'Masses' && got > 0 && /^[A-Za-z]/.test(stripComment(r.text()))) {
            r.unread();
            break;
          }
          const nf = splitUncommented(r);
          got++;
          if (name === 'Masses') {
            const t = r.int(0, 'an atom type');
            if (t < 1 || t > ntypes) throw r.error(`an atom type between 1 and ${ntypes}`, 0);
            typeMass[t] = r.float(1, 'a mass');
            if (!(typeMass[t] > 0)) throw r.error('a positive mass (amu)', 1);
            const k = r.text().indexOf('#');
            if (k >= 0)
              typeLabel[t] = r
                .text()
                .slice(k + 1)
                .trim()
                .split(/\s+/)[0];
          } else if (name === 'Atoms') {
            if (!style) {
              const guess = (
                [
                  ['atomic', 5],
                  ['charge', 6],
                  ['full', 7],
                ] as [AtomStyle, number][]
              ).find(([, c]) => nf === c || nf === c + 3);
              if (!guess)
                throw r.error('5, 6 or 7 columns (atomic, charge or full), optionally + 3 image flags');
              style = guess[0];
            }
            const base = STYLE_COLUMNS[style];
            const ncol = nf;
            if (ncol !== base && ncol !== base + 3)
              throw r.error(`${base} or ${base + 3} columns for atom style ${style}`, Math.min(ncol, base));
            const id = r.int(0, 'an atom id');
            if (atomIndex.has(id)) throw r.error('a unique atom id', 0);
            const i = atomIndex.size;
            atomIndex.set(id, i);
            let c = 1;
            if (style === 'full') mol[i] = r.int(c++, 'a molecule id');
            types[i] = r.int(c++, 'an atom type');
            if (types[i] < 1 || types[i] > ntypes)
              throw r.error(`an atom type between 1 and ${ntypes}`, c - 1);
            if (style !== 'atomic') charges[i] = r.float(c++, 'a charge');
            for (let d = 0; d < 3; d++) positions[3 * i + d] = r.coordinate(c + d, 'a coordinate') - lo[d];
            // Image flags are checked but not applied: a data file's positions are in the box.
            if (ncol === base + 3)
              for (let d = 0; d < 3; d++) r.int(c + 3 + d, 'an image flag (whole number)');
            hasAtoms = true;
          } else if (name === 'Velocities') {
            const id = r.int(0, 'an atom id');
            const i = atomIndex.get(id);
            if (i === undefined)
              throw r.error('the id of an atom of the Atoms section (which must come first)', 0);
            for (let d = 0; d < 3; d++)
              velocities![3 * i + d] = r.float(1 + d, 'a velocity component') * units.velocity;
          } else if (per) {
            const rec = terms[name];
            const k = got - 1;
            rec.types[k] = r.int(1, 'a type');
            for (let j = 0; j < per; j++) {
              const id = r.int(2 + j, 'an atom id');
              const i = atomIndex.get(id);
              if (i === undefined) throw r.error('the id of an atom of the Atoms section', 2 + j);
              rec.atoms[per * k + j] = i;
            }
          }
        }
        // Next section name, or the end.
        section = undefined;
        while (await r.next()) {
          const t = stripComment(r.text());
          if (t === '') continue;
          section = t;
          sectionComment = commentOf(r.text());
          break;
        }
      }
      if (!hasAtoms)
        throw new ParseError({
          file,
          line: r.lineNo + 1,
          expected: 'an Atoms section',
          found: 'end of file',
        });
      // Atoms in id order, whatever the file's row order (write_data after a run writes them as
      // the processors hold them), as the dump reader and ASE's read_lammps_data (sort_by_id) do:
      // atom i is then id i + 1 in this structure and in every sorted dump of the same run.
      sortAtomsById(atomIndex, file, [positions, velocities], [types, charges, mol], Object.values(terms));
      let box: ReturnType<typeof boxFromBounds>;
      try {
        box = boxFromBounds(lo, hi, tilt);
      } catch (e) {
        throw new ParseError({
          file,
          line: e instanceof LammpsBoxError ? boxLines[e.axis] : boxLines[0],
          expected: 'a valid box',
          found: (e as Error).message,
        });
      }
      const symbols = new Array<string>(n);
      const typeElement: string[] = [];
      for (let t = 1; t <= ntypes; t++) {
        let el = elementFromTypeMap(options.typeMap, t);
        if (!el && typeLabel[t]) el = normaliseElementLabel(typeLabel[t]);
        if (!el && typeMass[t] !== undefined) el = elementFromLammpsMass(typeMass[t]);
        typeElement[t] = el ?? '';
      }
      for (let i = 0; i < n; i++) {
        const el = typeElement[types[i]];
        if (!el)
          throw new OptionError(
            `${file}: atom type ${types[i]} has no element: give a type map (\`typeMap\`, e.g. 1=Li,2=Al), or a Masses section with standard masses or "# El" comments`,
            { option: 'typeMap' },
          );
        symbols[i] = el;
      }
      const masses =
        typeMass.length > 0 ? Float64Array.from(types, (t) => typeMass[t] ?? Number.NaN) : undefined;
      if (masses?.some((m) => Number.isNaN(m)))
        throw new ParseError({
          file,
          line: massesLine || 1,
          expected: 'a mass for every atom type in Masses',
          found: `type ${types[masses.findIndex((m) => Number.isNaN(m))]} without one`,
        });
      const topology = new Topology({
        symbols,
        masses,
        charges: style === 'atomic' ? undefined : charges,
        moleculeIds: style === 'full' ? mol : undefined,
        typeIds: types,
        bonds: terms.Bonds?.atoms,
        bondTypes: terms.Bonds?.types,
        angles: terms.Angles?.atoms,
        angleTypes: terms.Angles?.types,
        dihedrals: terms.Dihedrals?.atoms,
        dihedralTypes: terms.Dihedrals?.types,
      });
      const frame: Frame = { positions, lattice: box.lattice };
      if (velocities) frame.velocities = velocities;
      yield { topology, frame };
    } finally {
      await r.close();
    }
  },
  async write(sink, frames, options) {
    let count = 0;
    const units = lammpsUnitFactors(options.lammpsUnits);
    for await (const { topology: t, frame } of frames) {
      if (++count > 1)
        throw new OptionError('a LAMMPS data file holds one structure: choose a frame (`frames`)', {
          option: 'frames',
        });
      if (!frame.lattice)
        throw new OptionError('a LAMMPS data file needs a periodic cell; this structure has none');
      const { lattice, positions } = toLammpsOrientation(frame.lattice, frame.positions);
      const b = t.bonded;
      const style: AtomStyle =
        options.atomStyle ?? (t.moleculeIds || b.bonds ? 'full' : t.charges ? 'charge' : 'atomic');
      const { types, ntypes, elementOfType } = lammpsTypes(t);
      const nterm = (a: Uint32Array | undefined, per: number) => (a ? a.length / per : 0);
      const maxType = (a: Int32Array | undefined, present: boolean) =>
        present ? (a ? Math.max(1, ...a) : 1) : 0;
      const nb = nterm(b.bonds, 2);
      const na = nterm(b.angles, 3);
      const nd = nterm(b.dihedrals, 4);
      let s = `${options.comment ?? 'LAMMPS data file written by oligolyte'} (atom_style ${style}, units ${options.lammpsUnits ?? 'metal'})\n\n`;
      s += `${t.natoms} atoms\n${ntypes} atom types\n`;
      if (style === 'full') {
        s += `${nb} bonds\n${maxType(b.bondTypes, nb > 0)} bond types\n`;
        s += `${na} angles\n${maxType(b.angleTypes, na > 0)} angle types\n`;
        s += `${nd} dihedrals\n${maxType(b.dihedralTypes, nd > 0)} dihedral types\n`;
      }
      s += `\n${formatDataBox(lattice)}\nMasses\n\n`;
      for (let k = 1; k <= ntypes; k++) {
        const i = types.indexOf(k);
        s += `${k} ${i >= 0 ? t.masses[i] : 1} # ${elementOfType[k - 1]}\n`;
      }
      s += `\nAtoms # ${style}\n\n`;
      const lines: string[] = [];
      for (let i = 0; i < t.natoms; i++) {
        const o = 3 * i;
        const mol = style === 'full' ? `${t.moleculeIds ? t.moleculeIds[i] : 0} ` : '';
        const q = style === 'atomic' ? '' : `${t.charges ? t.charges[i] : 0} `;
        lines.push(`${i + 1} ${mol}${types[i]} ${q}${positions[o]} ${positions[o + 1]} ${positions[o + 2]}`);
      }
      s += `${lines.join('\n')}\n`;
      if (frame.velocities) {
        const v = frame.velocities;
        const f = 1 / units.velocity;
        s += '\nVelocities\n\n';
        for (let i = 0; i < t.natoms; i++)
          s += `${i + 1} ${v[3 * i] * f} ${v[3 * i + 1] * f} ${v[3 * i + 2] * f}\n`;
      }
      if (style === 'full') {
        const section = (
          title: string,
          a: Uint32Array | undefined,
          ty: Int32Array | undefined,
          per: number,
        ) => {
          if (!a || a.length === 0) return '';
          let out = `\n${title}\n\n`;
          for (let k = 0; k < a.length / per; k++) {
            out += `${k + 1} ${ty ? ty[k] : 1}`;
            for (let j = 0; j < per; j++) out += ` ${a[per * k + j] + 1}`;
            out += '\n';
          }
          return out;
        };
        s += section('Bonds', b.bonds, b.bondTypes, 2);
        s += section('Angles', b.angles, b.angleTypes, 3);
        s += section('Dihedrals', b.dihedrals, b.dihedralTypes, 4);
      }
      sink.write(s);
    }
    if (count === 0) throw new OptionError('nothing to write: no frames');
    return count;
  },
};

/** Split the current line, ignoring fields from a '#' comment on. */
const splitUncommented = (r: LineReader): number => {
  const n = r.split();
  for (let k = 0; k < n; k++)
    if (r.buf[r.fieldStart[k]] === 35) {
      r.nfields = k;
      return k;
    }
  return n;
};

/**
 * Put per-atom arrays in place into ascending atom-id order and renumber the atom indices of
 * bonds, angles, dihedrals and impropers to match. `atomIndex` maps id -> row in file order.
 */
const sortAtomsById = (
  atomIndex: Map<number, number>,
  file: string,
  vectors: (Float64Array | undefined)[],
  scalars: (Int32Array | Float64Array)[],
  terms: { atoms: Uint32Array }[],
): void => {
  // Rows were numbered in file order, so the id of row k is the k-th key. The ids are unique (a
  // repeated one was refused at its own line), so idOrder's duplicate error cannot fire here.
  const order = idOrder(Int32Array.from(atomIndex.keys()), file, 1);
  if (order.every((row, k) => row === k)) return;
  for (const v of vectors) if (v) v.set(permuteRows(v, order, 3));
  for (const a of scalars) a.set(permuteRows(a, order, 1));
  const newOfRow = new Int32Array(order.length);
  for (let k = 0; k < order.length; k++) newOfRow[order[k]] = k;
  for (const t of terms) for (let k = 0; k < t.atoms.length; k++) t.atoms[k] = newOfRow[t.atoms[k]];
};
