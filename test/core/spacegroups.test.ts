/**
 * Space groups from Hall and Hermann-Mauguin symbols. Reference: spglib 2.0.2 (Debian
 * python3-spglib), get_symmetry_from_database(hall_number) for all 530 settings, stored as operation
 * counts and SHA-1 hashes of a canonical operation list by test/reference/make-spacegroups.py.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HallSymbolError, hallOperations, opKey } from '../../src/core/spacegroups/hall-symbol.js';
import { findSpaceGroup, SpaceGroupLookupError } from '../../src/core/spacegroups/lookup.js';
import { SETTINGS } from '../../src/core/spacegroups/settings-table.js';
import { readAll } from '../helpers.js';

const REF = JSON.parse(
  readFileSync(new URL('../reference/spacegroup-ops.json', import.meta.url), 'utf8'),
).ops;
const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url).pathname;

describe('Hall symbols', () => {
  it('all 530 settings give exactly the operations spglib lists', () => {
    const wrong: string[] = [];
    for (const [hallNumber, , hall] of SETTINGS) {
      const ops = hallOperations(hall);
      const canonical = ops.map(opKey).sort().join(';');
      const sha1 = createHash('sha1').update(canonical).digest('hex');
      if (ops.length !== REF[hallNumber].count || sha1 !== REF[hallNumber].sha1)
        wrong.push(`${hallNumber} ${hall}`);
    }
    expect(wrong).toEqual([]);
  });
  it('rejects malformed symbols with the reason', () => {
    expect(() => hallOperations('Q 2')).toThrow(HallSymbolError);
    expect(() => hallOperations('P 2q')).toThrow(/cannot read the matrix symbol "2q"/);
    expect(() => hallOperations('P')).toThrow(/at least one matrix/);
    expect(() => hallOperations("P 4'")).toThrow(/need a 2-fold/);
  });
});

describe('Hermann-Mauguin lookup', () => {
  const hall = (hm: string, extra = {}) => findSpaceGroup({ hm, ...extra }).hall;
  it('reads the usual spellings', () => {
    expect(hall('F m -3 m')).toBe('-F 4 2 3');
    expect(hall('Fm3m')).toBe('-F 4 2 3');
    expect(hall('P 21/c')).toBe('-P 2ybc');
    expect(hall('P 1 21/c 1')).toBe('-P 2ybc');
    expect(hall('p 21/c')).toBe('-P 2ybc');
    expect(hall('P n m a')).toBe('-P 2ac 2n');
    expect(hall('P 43m')).toBe('P -4 2 3');
  });
  it('origin choice 1 and hexagonal axes unless told otherwise', () => {
    expect(findSpaceGroup({ hm: 'F d -3 m' }).setting).toBe('1');
    expect(findSpaceGroup({ hm: 'F d -3 m:2' }).setting).toBe('2');
    expect(findSpaceGroup({ hm: 'R -3 m' }).setting).toBe('H');
    const rh = { a: 8, b: 8, c: 8, alpha: 70, beta: 70, gamma: 70 };
    expect(findSpaceGroup({ hm: 'R -3 m', cell: rh }).setting).toBe('R');
    expect(findSpaceGroup({ number: 166, cell: rh }).setting).toBe('R');
    expect(findSpaceGroup({ number: 14 }).hall).toBe('-P 2ybc');
  });
  it('disagreements and unknown symbols are errors', () => {
    expect(() => findSpaceGroup({ hm: 'F m -3 m', number: 221 })).toThrow(/225, not 221/);
    expect(() => findSpaceGroup({ hm: 'X y z' })).toThrow(SpaceGroupLookupError);
    expect(() => findSpaceGroup({ hm: 'F d -3 m:3' })).toThrow(/no setting "3"/);
    expect(() => findSpaceGroup({ number: 231 })).toThrow(/1..230/);
  });
});

describe('CIF without operations', () => {
  it('a Hall symbol alone: P 21/c puts a general Li on 4 sites and Cl at an inversion centre on 2', async () => {
    // Neither pymatgen 2022.11.7 nor ASE 3.22.1 reads _space_group_name_Hall; counts from the
    // multiplicities of P 21/c (4e general, 2a at -1), International Tables A.
    const [s] = await readAll(fixture('hall-only-P21c.cif'));
    expect(s.topology.counts()).toEqual(
      new Map([
        ['Li', 4],
        ['Cl', 2],
      ]),
    );
  });
  it('R -3 m with a rhombohedral cell uses rhombohedral axes: (x,x,x) is site 2c', async () => {
    // pymatgen 2022.11.7 and ASE 3.22.1 both apply the hexagonal-axis operations here and produce 36
    // atoms, which is not a crystal; International Tables A gives multiplicity 2 for 2c (x,x,x).
    const [s] = await readAll(fixture('symbol-only-R-3m-rhombohedral.cif'));
    expect(s.topology.natoms).toBe(2);
  });
  it('an unknown symbol names the line', async () => {
    const { expectParseError, tempFile } = await import('../helpers.js');
    const text = readFileSync(fixture('symbol-only-Fd-3m.cif'), 'utf8').replace("'F d -3 m'", "'F q -3 m'");
    await expectParseError(tempFile('bad.cif', text), 8, /unknown Hermann-Mauguin symbol .*F q -3 m/);
  });
});
