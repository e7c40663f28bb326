/**
 * Issue 25 item 17: errors point where the problem is. Settings files (protocol, study): a value
 * that parsed but is wrong is reported at its key's line and column (smol-toml and JSON.parse give
 * positions only for syntax errors); numbers in messages are printed without float noise. The
 * locations in structure files (LAMMPS data box, POSCAR cell, empty CIF) are tested in
 * impossible-cells.test.ts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyseTransportFiles } from '../../src/analysis/transport/report.js';
import { ParseError } from '../../src/core/errors.js';
import { readSettingsFile, settingLocation } from '../../src/io/settings-file.js';
import { jsonKeyLocation, tomlKeyLocation } from '../../src/io/text/key-location.js';
import { readProtocol } from '../../src/md/protocols/protocol.js';
import { readStudy } from '../../src/study/spec.js';
import { tempDir, tempFile } from '../helpers.js';

const parseErrorOf = (f: () => unknown): ParseError => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ParseError);
    return e as ParseError;
  }
  throw new Error('no error');
};

describe('protocol and study files', () => {
  it('a bad value in a protocol TOML: its line and column', () => {
    const f = tempFile(
      'p.toml',
      '# a protocol\n[[stage]]\nname = "a"\ntemperature = 300\ntime_ps = 1\n\n[[stage]]\nname = "b"\n  temperature = -5\ntime_ps = 1\n',
    );
    const e = parseErrorOf(() => readProtocol(f));
    expect(e.message).toMatch(/p\.toml:9:3: expected stage\[2\]\.temperature: a positive number/);
  });
  it('an unknown key: its line', () => {
    const f = tempFile('p.toml', '[[stage]]\ntemperature = 300\ntime_ps = 1\ndamping_fs = 50\n');
    expect(parseErrorOf(() => readProtocol(f)).line).toBe(4);
  });
  it('a bad value in a [series] table and in a dotted key', () => {
    const f = tempFile('p.toml', '[series]\nequilibrate_ps = 1\ntemperatures = [300, -1]\n');
    expect(parseErrorOf(() => readProtocol(f)).line).toBe(3);
  });
  it('a study TOML: the key of a nested table', () => {
    const dir = tempDir();
    const f = join(dir, 'study.toml');
    writeFileSync(
      f,
      'name = "s"\n\n[model]\nmix = "0b:8"\ndensity = -1.9\n\n[simulation]\nforcefield = "laoc-v4"\n[simulation.series]\ntemperatures = [400, 500]\n',
    );
    const e = parseErrorOf(() => readStudy(f));
    expect(e.message, e.message).toMatch(/study\.toml:5:1: expected model\.density/);
  });
  it('a protocol JSON: syntax errors and value errors at line:column', () => {
    const bad = tempFile('p.json', '{\n  "stage": [\n    {"temperature": 300,}\n  ]\n}\n');
    const s = parseErrorOf(() => readProtocol(bad));
    expect(s.line).toBe(3);
    expect(s.column).toBeGreaterThan(1);
    const f = tempFile(
      'q.json',
      '{\n  "stage": [\n    {"temperature": 300, "time_ps": 1},\n    {"temperature": 0,\n     "time_ps": 1}\n  ]\n}\n',
    );
    const v = parseErrorOf(() => readProtocol(f));
    expect([v.line, v.column]).toEqual([4, 6]);
    expect(v.message).toMatch(/stage\[2\]\.temperature/);
  });
  it('settingLocation: a missing key gives its table', () => {
    const f = tempFile('a.toml', 'x = 1\n[t]\ny = 2\n');
    const raw = readSettingsFile(f, 'test') as { t: object };
    expect(settingLocation(raw.t, 'y')).toEqual({ line: 3, column: 1 });
    expect(settingLocation(raw.t, 'nope')).toEqual({ line: 2, column: 1 });
    expect(settingLocation({}, 'y')).toBeUndefined();
  });
});

describe('key locations', () => {
  it('JSON: keys, array elements, nested; strings with brackets and escapes are skipped', () => {
    const text = '{"a": "x}]\\"", "b": [1, {"c": [2, 3]}, [4]],\n "d": {"e": null}}';
    expect(jsonKeyLocation(text, ['b', 1, 'c', 1])).toEqual({ line: 1, column: 35 });
    expect(jsonKeyLocation(text, ['d', 'e'])).toEqual({ line: 2, column: 8 });
    expect(jsonKeyLocation(text, ['d', 'z'])).toEqual({ line: 2, column: 2 });
    expect(jsonKeyLocation(text, ['q'])).toBeUndefined();
  });
  it('TOML: arrays of tables, multi-line strings and arrays do not confuse it', () => {
    const text = 'a = """\nb = 1\n"""\nc = [\n  1,\n]\n[[s]]\nb = 2\n[[s]]\n  b = 3\n[t.u]\nv.w = 4\n';
    expect(tomlKeyLocation(text, ['b'])).toBeUndefined();
    expect(tomlKeyLocation(text, ['s', 1, 'b'])).toEqual({ line: 10, column: 3 });
    expect(tomlKeyLocation(text, ['t', 'u', 'v', 'w'])).toEqual({ line: 12, column: 1 });
  });
});

describe('numbers in messages', () => {
  it('the fit window prints 0.0003..0 ps, not 0.00030000000000000003..0 ps', async () => {
    const frame = (t: number) =>
      `2\nLattice="5 0 0 0 5 0 0 0 5" Properties=species:S:1:pos:R:3 time=${t} pbc="T T T"\nLi ${0.1 * t} 0 0\nCl 2.5 2.5 2.5\n`;
    const file = tempFile('a.extxyz', [0, 1, 2, 3].map(frame).join(''));
    await expect(analyseTransportFiles([file], { species: 'Li', temperaturesK: [300] })).rejects.toThrow(
      /the fit window 0\.0003\.\.0 ps is empty \(the run is 0\.003 ps\)/,
    );
  });
});
