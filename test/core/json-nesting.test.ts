/**
 * Issue 25, item 10: JSON nested thousands of levels deep (a protocol, study, force-field,
 * pymatgen or checkpoint file) gave "Maximum call stack size exceeded" with no file name: it is
 * now a ParseError at the line and column where the nesting goes too deep.
 */
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/core/errors.js';
import { checkJsonNesting, MAX_JSON_DEPTH } from '../../src/core/json-nesting.js';

describe('checkJsonNesting', () => {
  it('accepts real files and nesting up to the limit; brackets inside strings do not count', () => {
    expect(() => checkJsonNesting('{"a": [1, {"b": "[[[[{{{{\\"]]]"}]}', 'f.json')).not.toThrow();
    const ok = `${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`;
    expect(() => checkJsonNesting(ok, 'f.json')).not.toThrow();
  });

  it('refuses deeper nesting at its line and column', () => {
    const text = `{\n  "stage": [\n    ${'['.repeat(200_000)}${']'.repeat(200_000)}]}`;
    let err: unknown;
    try {
      checkJsonNesting(text, 'p.json');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ParseError);
    const pe = err as ParseError;
    expect([pe.file, pe.line, pe.column]).toEqual(['p.json', 3, 5 + MAX_JSON_DEPTH - 2]);
    expect(pe.message).toBe(
      `p.json:3:${3 + MAX_JSON_DEPTH}: expected JSON nested at most ${MAX_JSON_DEPTH} levels deep, found "a list at level ${MAX_JSON_DEPTH + 1}"`,
    );
  });
});
