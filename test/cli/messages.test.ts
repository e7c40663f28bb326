/**
 * Messages that said the wrong thing (issue 25 item 15): a DCD with NaN or byte-swapped numbers
 * reached the fit ("fewer than 3 lags ... widen the window"), a NaN cell read as "frame 3 has no
 * cell", an impossible --shape packed a cell with "the closest pair at 135 A", and `build -o noext`
 * said "give --to", a flag build does not have.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMix } from '../../src/builders/mix.js';
import { packGlass } from '../../src/builders/pack-glass.js';
import { OptionError } from '../../src/core/errors.js';
import { Lattice } from '../../src/core/lattice.js';
import { Topology } from '../../src/core/topology.js';
import { writeFrames } from '../../src/io/registry.js';
import { cli, tempDir, tempFile } from '../helpers.js';
import { dcdBytes } from '../io/dcd-bytes.js';

describe('transport on a DCD with unusable numbers names the number, not the fit', () => {
  const dir = tempDir();
  const topology = join(dir, 'atoms.extxyz');
  const frame = (k: number) => [
    [1 + 0.1 * k, 5, 8],
    [2, 6 - 0.1 * k, 7],
    [3, 4, 9 + 0.05 * k],
  ];
  const prepare = () =>
    writeFrames(topology, [
      {
        topology: new Topology({ symbols: ['Li', 'Cl', 'Cl'] }),
        frame: { positions: new Float64Array(9), lattice: Lattice.cubic(10) },
      },
    ]);
  it('a NaN cell in frame 3: "a finite unit cell in frame 3", not "frame 3 has no cell"', async () => {
    await prepare();
    const frames = [0, 1, 2, 3, 4].map((k) => ({
      xyz: frame(k),
      cell: k === 2 ? [10, 90, Number.NaN, 90, 90, 10] : undefined,
    }));
    const path = tempFile('run.dcd', dcdBytes(frames));
    const r = cli('transport', path, '--topology', topology, '--temperature', '600', '--time-step', '1');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      new RegExp(
        `^oligolyte: ${path} \\(byte \\d+\\): expected a finite unit cell in frame 3 \\(value 3 of 6 is not\\)`,
      ),
    );
    expect(r.err).not.toMatch(/has no cell/);
  });
  it('NaN or byte-swapped coordinates: the coordinate and its byte, not "fewer than 3 lags"', async () => {
    await prepare();
    const nan = [0, 1, 2, 3, 4].map((k) => ({ xyz: frame(k) }));
    nan[3].xyz[0][1] = Number.NaN;
    let r = cli(
      'transport',
      tempFile('nan.dcd', dcdBytes(nan)),
      '--topology',
      topology,
      '--temperature',
      '600',
      '--time-step',
      '1',
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /expected x coordinates finite, within \+-10000000000 A \(atom 2, frame 4\), found "NaN"/,
    );
    const swapped = dcdBytes([0, 1, 2, 3, 4].map((k) => ({ xyz: frame(k) })));
    // Frame 4's x record (header 196 bytes, frames of 116), each float's bytes reversed (as a
    // reader of the wrong byte order sees them).
    const at = 196 + 3 * 116 + 56 + 4;
    for (let i = 0; i < 3; i++) swapped.subarray(at + 4 * i, at + 4 * i + 4).reverse();
    r = cli(
      'transport',
      tempFile('swapped.dcd', swapped),
      '--topology',
      topology,
      '--temperature',
      '600',
      '--time-step',
      '1',
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/expected x coordinates finite, within \+-10000000000 A \(atom \d, frame 4\)/);
    expect(r.err).not.toMatch(/lags/);
  });
});

describe('build glass --shape', () => {
  it('angles that make no cell, or an almost flat one, are refused before packing', () => {
    for (const [shape, what] of [
      [
        '1:1:1,120,120,120',
        /angles 120, 120, 120 deg make an almost flat cell \(volume 3\.2e-8 abc; at least 0\.01 abc\)/,
      ],
      [
        '1:1:1,10,10,170',
        /angles 10, 10, 170 deg make no cell: each angle must be less than the sum of the other two/,
      ],
    ] as const) {
      const r = cli('build', 'glass', '--mix', '0b:2', '--shape', shape, '-o', join(tempDir(), 'g.extxyz'));
      expect(r.code).toBe(2);
      expect(r.err).toMatch(new RegExp(`^oligolyte: --shape: ${what.source}`));
      expect(r.err).not.toMatch(/closest pair/);
    }
  });
  it('the library error names the option `shape`', () => {
    let e: unknown;
    try {
      packGlass({ units: parseMix('0b:2'), shape: { angles: [120, 120, 120] } });
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(OptionError);
    expect((e as OptionError).option).toBe('shape');
    expect((e as OptionError).message).toMatch(/^`shape`: angles 120, 120, 120 deg/);
  });
  it('a skewed but sound cell still packs (60, 60, 60)', () => {
    const r = cli(
      'build',
      'glass',
      '--mix',
      '0b:2',
      '--shape',
      '1:1:1,60,60,60',
      '-o',
      join(tempDir(), 'g.extxyz'),
    );
    expect(r.code, r.err).toBe(0);
  });
});

describe('build -o without an extension', () => {
  it('says to name the file with an extension (build has no --to), before building', () => {
    for (const args of [
      ['oligomer'],
      ['glass', '--mix', '0b:2'],
      ['amorphous'],
      ['supercell', new URL('../../examples/LiAlCl4_COD1004036.cif', import.meta.url).pathname, '2x1x1'],
    ]) {
      const out = join(tempDir(), 'noext');
      const r = cli('build', ...args, '-o', out);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toBe(
        `oligolyte: -o ${out}: cannot tell the format from the name; name the file with an extension (.extxyz, .xyz, .data, .cif, .vasp) or POSCAR\n`,
      );
    }
  });
});
