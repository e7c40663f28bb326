import { ParseError } from './errors.js';

/**
 * How deep a JSON file (protocol, study, force field, pymatgen, checkpoint) may nest its lists
 * and tables. The real ones nest fewer than 10 levels; JSON.parse itself takes any depth, but
 * the walks that follow it (validation, key locations, JSON.stringify) recurse, and a file nested
 * some thousands of levels deep overflowed the stack ("Maximum call stack size exceeded", with no
 * file named).
 */
export const MAX_JSON_DEPTH = 100;

/**
 * Refuse JSON text nested deeper than `limit` with a ParseError at the line and column of the
 * list or table that goes too deep. One pass over the text, no recursion; strings are skipped.
 */
export const checkJsonNesting = (text: string, file: string, limit = MAX_JSON_DEPTH): void => {
  let depth = 0;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // A string: skip to its closing quote (escapes skip the next character).
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 92) i++;
        else if (d === 34) break;
        else if (d === 10) {
          line++;
          lineStart = i + 1;
        }
      }
    } else if (c === 10) {
      line++;
      lineStart = i + 1;
    } else if (c === 91 || c === 123) {
      if (++depth > limit)
        throw new ParseError({
          file,
          line,
          column: i - lineStart + 1,
          expected: `JSON nested at most ${limit} levels deep`,
          found: `a ${c === 91 ? 'list' : 'table'} at level ${depth}`,
        });
    } else if (c === 93 || c === 125) depth--;
  }
};
