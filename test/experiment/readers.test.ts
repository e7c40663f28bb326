/**
 * Impedance readers against impedance.py's preprocessing.readFile on every shipped sample
 * (test/fixtures/impedance/impedance-py.json, made by test/reference/impedance/), and the bad-input
 * messages: file, line, what was expected.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ParseError, UnknownFormatError } from '../../src/core/errors.js';
import { parseSpectrum, readSpectrum } from '../../src/experiment/readers/read-spectrum.js';
import { fixture, rejection, sharedFixture } from '../helpers.js';

interface PeerSpectrum {
  instrument: string | null;
  frequencyHz: number[];
  reOhm: number[];
  imOhm: number[];
}
const peer = JSON.parse(readFileSync(fixture('impedance/impedance-py.json'), 'utf8')) as {
  readers: Record<string, PeerSpectrum>;
};

describe('impedance readers equal impedance.py readFile', () => {
  for (const [name, ref] of Object.entries(peer.readers)) {
    it(`${name} (${ref.instrument ?? 'csv'})`, async () => {
      const s = await readSpectrum(sharedFixture(`eis/${name}`));
      expect(s.format).toBe(ref.instrument ?? 'csv');
      expect(Array.from(s.frequencyHz)).toEqual(ref.frequencyHz);
      expect(Array.from(s.reOhm)).toEqual(ref.reOhm);
      expect(Array.from(s.imOhm)).toEqual(ref.imOhm);
    });
  }
});

describe('bad impedance files', () => {
  it('an EC-Lab file without a frequency column is refused, naming the column', async () => {
    const e = await rejection(readSpectrum(sharedFixture('eis/exampleDataBioLogic_MissingFreq.mpt')));
    expect(e).toBeInstanceOf(ParseError);
    expect(e.message).toMatch(/exampleDataBioLogic_MissingFreq\.mpt:61: expected a "freq\/Hz" column/);
  });
  it('a duplicated frequency names its line', () => {
    const text = '1000,1,-1\n100,2,-2\n100,3,-3\n';
    expect(() => parseSpectrum(text, 'dup.csv')).toThrow(
      /dup\.csv:3: expected a frequency different.*duplicated/,
    );
  });
  it('frequencies that turn back are not monotonic', () => {
    const text = '1000,1,-1\n100,2,-2\n500,3,-3\n';
    expect(() => parseSpectrum(text, 'turn.csv')).toThrow(
      /turn\.csv:3: expected frequencies decreasing.*not monotonic/,
    );
  });
  it('text in a number field names the line and the column', () => {
    const text = 'f,re,im\n1000,1,-1\n100,abc,-2\n';
    const e = (() => {
      try {
        parseSpectrum(text, 'text.csv');
      } catch (err) {
        return err as ParseError;
      }
    })();
    expect(e).toBeInstanceOf(ParseError);
    expect(e?.line).toBe(3);
    expect(e?.message).toMatch(/Re Z \(ohm\), column 2.*"abc"/);
  });
  it('a missing column is a ParseError', () => {
    expect(() => parseSpectrum('1000,1\n', 'short.csv')).toThrow(
      /short\.csv:1: expected a number \(Im Z.*no such column/,
    );
  });
  it('the csv sign option turns -Im Z into Im Z', () => {
    const s = parseSpectrum('freq,re,-im\n1000,1,0.5\n', 'x.csv', { imaginary: 'minus-im' });
    expect(s.imOhm[0]).toBe(-0.5);
  });
  it('a Gamry file cut in the table keeps its points; a Gamry row with text fails at its line', () => {
    const full = readFileSync(sharedFixture('eis/exampleDataGamry.DTA'), 'latin1').split('\n');
    const cut = `${full.slice(0, 460).join('\n')}\nEXPERIMENTABORTED\tTOGGLE\tT\tExperiment Aborted\n`;
    expect(parseSpectrum(cut, 'cut.DTA').frequencyHz.length).toBe(460 - 448);
    const fields = full[455].split('\t');
    fields[4] = 'x'; // Zreal
    full[455] = fields.join('\t');
    expect(() => parseSpectrum(full.join('\n'), 'bad.DTA')).toThrow(/bad\.DTA:456: expected a number/);
  });
  it('an unknown text file and a binary .mpr are refused with the reason', () => {
    expect(() => parseSpectrum('hello\n', 'x.txt')).toThrow(UnknownFormatError);
    expect(() => parseSpectrum('', 'x.mpr')).toThrow(/\.mpr files are not read/);
  });
});

describe('EC-Lab files with several spectra', () => {
  const text = readFileSync(sharedFixture('eis/exampleDataBioLogic.mpt'), 'latin1');
  const lines = text.split('\n');
  const head = lines.slice(0, 61);
  const data = lines.slice(61).filter((l) => l.trim() !== '');
  const names = head[60].split('\t');
  const cc = names.indexOf('cycle number');
  const second = data.map((l) => {
    const f = l.split('\t');
    f[cc] = '2.000000000000000E+000';
    return f.join('\t');
  });
  const two = [...head, ...data, ...second].join('\n');
  it('reads the cycle asked for', () => {
    const one = parseSpectrum(text, 'one.mpt');
    const s = parseSpectrum(two, 'two.mpt', { cycle: 2 });
    expect(Array.from(s.frequencyHz)).toEqual(Array.from(one.frequencyHz));
    expect(s.lines[0]).toBe(62 + data.length);
  });
  it('without a cycle, says that the file holds several', () => {
    expect(() => parseSpectrum(two, 'two.mpt')).toThrow(
      /two\.mpt:\d+: expected one spectrum: the file holds more than one cycle \(1, 2, \.\.\.\); choose one with `cycle`/,
    );
    expect(() => parseSpectrum(two, 'two.mpt', { cycle: 3 })).toThrow(
      /expected cycle 3 among the file's cycles \(1, 2\)/,
    );
  });
});

describe('spreadsheet exports', () => {
  it('semicolons with decimal commas, and tabs, read as the comma file', () => {
    const comma = parseSpectrum('f,re,im\n1000,12.5,-3.4\n100,20.25,-8\n', 'a.csv');
    const semi = parseSpectrum('f;re;im\n1000;12,5;-3,4\n100;20,25;-8\n', 'b.csv');
    const tab = parseSpectrum('f\tre\tim\n1000\t12.5\t-3.4\n100\t20.25\t-8\n', 'c.csv');
    for (const s of [semi, tab]) {
      expect(Array.from(s.reOhm)).toEqual(Array.from(comma.reOhm));
      expect(Array.from(s.imOhm)).toEqual(Array.from(comma.imOhm));
    }
    expect(() => parseSpectrum('f;re;im\n1000;12,5,1;-3\n', 'd.csv')).toThrow(
      /d\.csv:2: expected a number \(Re Z/,
    );
  });
});
