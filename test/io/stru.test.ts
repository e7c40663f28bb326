import { describe, expect, it } from 'vitest';
import { parseCifCrystal, readCifCrystal } from '../../src/io/formats/cif-sites.js';
import { formatStru, isotropicU, parseStru, readStru } from '../../src/io/stru.js';
import { sharedFixture } from '../helpers.js';

describe('.stru (PDFfit) and CIF crystal models', () => {
  it('reads the rutile .stru: cell, space group, sharp line, anisotropic U', () => {
    const m = readStru(sharedFixture('pdf/TiO2_rutile-fit.stru'));
    expect(m.cell.a).toBe(4.605859);
    expect(m.spaceGroup).toBe('P42/mnm');
    expect(m.pdffit?.delta2).toBe(2.309118);
    expect(m.sites.length).toBe(6);
    expect(m.sites[0].element).toBe('Ti');
    expect(m.sites[2].u).toEqual([0.02173269, 0.02173269, 0.00770728, 0, 0, 0]);
  });
  it('round-trips through formatStru', () => {
    const m = readStru(sharedFixture('pdf/CdSe-wurtzite.stru'));
    const back = parseStru(formatStru(m), 'back.stru');
    expect(back.sites.map((s) => s.element)).toEqual(['Cd', 'Cd', 'Se', 'Se']);
    expect(back.sites[2].xyz[2]).toBeCloseTo(0.375, 8);
    expect(back.cell.gamma).toBe(120);
  });
  it('names the line of a malformed atom', () => {
    const text = 'title x\nformat pdffit\ncell 1, 1, 1, 90, 90, 90\natoms\nNI 0 0 0 1\n0 0 0 0\n0.1 0.1\n';
    expect(() => parseStru(text, 'bad.stru')).toThrow(/bad\.stru:7: expected U11 U22 U33/);
    expect(() => parseStru('title x\natoms\n', 'nocell.stru')).toThrow(/expected a cell line/);
  });
  it('reads the rutile CIF with aniso U and expands it to the .stru cell', () => {
    const cif = readCifCrystal(sharedFixture('pdf/TiO2_rutile-fit.cif'));
    const stru = readStru(sharedFixture('pdf/TiO2_rutile-fit.stru'));
    expect(cif.sites.length).toBe(6);
    for (const s of stru.sites) {
      const match = cif.sites.find(
        (c) =>
          c.element === s.element && c.xyz.every((x, k) => Math.abs(((x - s.xyz[k] + 1.5) % 1) - 0.5) < 1e-4),
      );
      expect(match, `${s.element} ${s.xyz}`).toBeDefined();
      for (let k = 0; k < 3; k++) expect(match!.u[k]).toBeCloseTo(s.u[k], 6);
    }
  });
  it('turns Uiso and Biso into tensors for the cell metric (isotropic in a monoclinic cell)', () => {
    const cif = `data_x
_cell_length_a 5
_cell_length_b 6
_cell_length_c 7
_cell_angle_alpha 90
_cell_angle_beta 110
_cell_angle_gamma 90
_symmetry_space_group_name_H-M 'P 1'
loop_
_atom_site_label
_atom_site_type_symbol
_atom_site_fract_x
_atom_site_fract_y
_atom_site_fract_z
_atom_site_occupancy
_atom_site_U_iso_or_equiv
Li1 Li 0 0 0 0.5 0.02
loop_
_atom_site_label
_atom_site_type_symbol
_atom_site_fract_x
_atom_site_fract_y
_atom_site_fract_z
_atom_site_B_iso_or_equiv
`;
    const m = parseCifCrystal(cif, 'm.cif');
    expect(m.sites[0].occupancy).toBe(0.5);
    const u = m.sites[0].u;
    for (const [k, x] of isotropicU(0.02, m.cell).entries()) expect(u[k]).toBeCloseTo(x, 14);
    // cos(beta*) = -cos(beta) for a monoclinic cell
    expect(u[4]).toBeCloseTo(0.02 * Math.cos((70 * Math.PI) / 180), 12);
    const b = parseCifCrystal(
      cif.replace('_atom_site_U_iso_or_equiv', '_atom_site_B_iso_or_equiv').replace('0.5 0.02', '0.5 1.5'),
      'b.cif',
    );
    expect(b.sites[0].u[0]).toBeCloseTo(1.5 / (8 * Math.PI ** 2), 12);
    expect(() =>
      parseCifCrystal(cif.replace('_atom_site_U_iso_or_equiv\n', '').replace('0.5 0.02', '0.5'), 'n.cif'),
    ).toThrow(/n\.cif:\d+: expected a displacement parameter for site Li1/);
  });
});
