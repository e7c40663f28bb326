import { describe, expect, it } from 'vitest';
import { parseFloatBytes, parseIntBytes } from '../../src/io/text/parse-number.js';

const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const pf = (s: string) => parseFloatBytes(bytes(s), 0, s.length);

describe('parseFloatBytes', () => {
  it('equals Number() bit for bit on many decimals', () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let k = 0; k < 20000; k++) {
      const x = (rnd() - 0.5) * 10 ** Math.floor(rnd() * 12 - 6);
      for (const s of [x.toFixed(8), x.toExponential(10), String(x), x.toPrecision(17), x.toFixed(16)])
        expect(pf(s)).toBe(Number(s));
    }
  });
  it('accepts the usual forms', () => {
    expect(pf('1.')).toBe(1);
    expect(pf('.5')).toBe(0.5);
    expect(pf('-0.0')).toBe(-0);
    expect(pf('+3e2')).toBe(300);
    expect(pf('1E-5')).toBe(1e-5);
    expect(pf('12345678901234567890')).toBe(Number('12345678901234567890'));
  });
  it('rejects anything that is not wholly a number', () => {
    for (const s of ['', '-', '.', 'nan', 'inf', '1.0x', '1e', '1e+', '0x10', '1,5', '--1', '****'])
      expect(pf(s)).toBeNaN();
  });
  it('parses strict integers', () => {
    expect(parseIntBytes(bytes('-42'), 0, 3)).toBe(-42);
    expect(parseIntBytes(bytes('4.0'), 0, 3)).toBeNaN();
    expect(parseIntBytes(bytes(''), 0, 0)).toBeNaN();
  });
});
