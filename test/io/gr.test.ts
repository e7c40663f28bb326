import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/core/errors.js';
import { formatFgr, parsePdfData, readPdfData } from '../../src/io/gr.js';
import { sharedFixture } from '../helpers.js';

describe('PDF data files (.gr, .fgr)', () => {
  it('reads the PDFgetX2 Ni file: header metadata as PDFgui reads it, 4 columns, 1/dG^2 weights', () => {
    const d = readPdfData(sharedFixture('pdf/Ni-xray.gr'));
    expect(d.meta.qmax).toBe(40);
    expect(d.meta.stype).toBe('X');
    expect(d.meta.temperatureK).toBe(300);
    expect(d.columns).toBe(4);
    expect(d.r.length).toBe(2000);
    expect(d.r[0]).toBeCloseTo(0.01, 12);
    expect(d.rstep).toBeCloseTo(0.01, 12);
    expect(d.weightNote).toBeUndefined();
    expect(d.weights[100]).toBeCloseTo(1 / d.dg![100] ** 2, 12);
  });
  it('reads a header-less two-column .fgr with unit weights and says why', () => {
    const d = readPdfData(sharedFixture('pdf/Ni-fit.fgr'));
    expect(d.columns).toBe(2);
    expect(d.r.length).toBe(1001);
    expect(d.weights.every((w) => w === 1)).toBe(true);
    expect(d.weightNote).toMatch(/no dG column/);
  });
  it('reads the PDFgui .fgr header (qmax, qdamp)', () => {
    const d = readPdfData(sharedFixture('pdf/TiO2_rutile-fit.fgr'));
    expect(d.meta.qmax).toBe(26);
    expect(d.meta.qdamp).toBe(0.0665649);
    expect(d.r[0]).toBe(1);
  });
  it('takes dG from the third column of 3-column files and falls back to unit weights on dG <= 0', () => {
    const three = parsePdfData('1 0.5 0.1\n1.1 0.6 0.2\n1.2 0.7 0.1\n', 'x.gr');
    expect(Array.from(three.weights, (w) => Number(w.toPrecision(12)))).toEqual([100, 25, 100]);
    const zero = parsePdfData('# neutron\n1 0.5 0 0.1\n1.1 0.6 0 0\n1.2 0.7 0 0.1\n', 'z.gr');
    expect(zero.meta.stype).toBe('N');
    expect(Array.from(zero.weights)).toEqual([1, 1, 1]);
    expect(zero.weightNote).toMatch(/z\.gr:3: dG = 0 is not positive: all weights set to 1/);
    const neg = parsePdfData('1 0.5 -0.1\n1.1 0.6 0.2\n', 'n.gr');
    expect(neg.weightNote).toMatch(/n\.gr:1: dG = -0.1/);
  });
  it('refuses a non-equidistant grid, naming the line', () => {
    expect(() => parsePdfData('1 0\n1.1 0\n1.25 0\n1.3 0\n', 'u.gr')).toThrow(
      /u\.gr:3: expected an equidistant r grid/,
    );
    expect(() => parsePdfData('1 0\n1.1 zz\n', 'b.gr')).toThrow(ParseError);
    expect(() => parsePdfData('# only a header\n', 'e.gr')).toThrow(/e\.gr:2: expected PDF data lines/);
  });
  it('writes an .fgr that reads back', () => {
    const text = formatFgr(
      { r: [1, 1.1], gcalc: [0.5, 0.25], gobs: [0.6, 0.2], dgobs: [0.1, 0.1] },
      { qmax: 25, type: 'X' },
    );
    const d = parsePdfData(text, 'w.fgr');
    expect(d.meta.qmax).toBe(25);
    expect(Array.from(d.g)).toEqual([0.5, 0.25]);
    expect(d.columns).toBe(5);
  });
});
