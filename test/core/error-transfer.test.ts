/**
 * errorToTransfer / errorFromTransfer (core/errors.ts): an error crosses a thread boundary
 * (structuredClone, what postMessage does) with its class, fields and message.
 */
import { describe, expect, it } from 'vitest';
import {
  errorFromTransfer,
  errorToTransfer,
  InsufficientDataError,
  OligolyteError,
  OptionError,
  ParseError,
  PhysicsError,
  UnknownFormatError,
} from '../../src/core/errors.js';

const across = (e: unknown) => errorFromTransfer(structuredClone(errorToTransfer(e)));

describe('error transfer between threads', () => {
  it('keeps the class, option and message of each of our errors', () => {
    for (const Class of [
      OligolyteError,
      OptionError,
      UnknownFormatError,
      InsufficientDataError,
      PhysicsError,
    ]) {
      const back = across(new Class('it went wrong', { option: 'frameStep' }));
      expect(back).toBeInstanceOf(Class);
      expect(back.message).toBe('it went wrong');
      expect((back as OligolyteError).option).toBe('frameStep');
    }
  });

  it("keeps a ParseError's place, expectation and finding", () => {
    const e = new ParseError({
      file: 'a.dcd',
      byteOffset: 1234,
      expected: 'a record of 84 bytes',
      found: '12',
    });
    const back = across(e) as ParseError;
    expect(back).toBeInstanceOf(ParseError);
    expect(back.message).toBe(e.message);
    expect([back.file, back.byteOffset, back.expected, back.found]).toEqual([
      'a.dcd',
      1234,
      'a record of 84 bytes',
      '12',
    ]);
  });

  it('gives other errors back as Error with their name and message', () => {
    const back = across(new RangeError('out of range'));
    expect(back).not.toBeInstanceOf(OligolyteError);
    expect([back.name, back.message]).toEqual(['RangeError', 'out of range']);
    expect(across('a string').message).toBe('a string');
  });
});
