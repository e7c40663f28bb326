import { ParseError } from '../core/errors.js';
import { type ReadOptions, warn } from './format.js';
import type { LineReader } from './text/line-reader.js';

/**
 * A trajectory whose writer was killed ends inside a frame: the file stops before the frame's
 * last line, or in the middle of a line (a last line without a newline that does not parse).
 * Readers then give the complete frames before it and say so (ReadOptions.onWarning), unless
 * `tornLastFrame: 'error'` asks for the error. A last line without a newline that holds all its
 * fields is complete (issue 25 item 4: many writers and editors omit the final newline); a torn
 * frame is one whose data are missing, not one whose newline is. A cut inside the very last number
 * ("2.5" -> "2.") cannot be told from a shorter number and reads as written.
 */
export const isTornLastFrame = (e: unknown, r: LineReader): boolean =>
  e instanceof ParseError && (e.found === 'end of file' || (r.unterminated && e.line === r.lineNo));

/** Say that frame `frameNo` (from line `line`) is torn and dropped, or throw `cause` when asked to. */
export const reportTornFrame = (
  options: ReadOptions,
  file: string,
  line: number,
  frameNo: number,
  cause: Error,
): void => {
  if (options.tornLastFrame === 'error') throw cause;
  const message = `${file}:${line}: frame ${frameNo} is incomplete (the file ends inside it, as when its writer is stopped); read the ${frameNo - 1} complete frame${frameNo === 2 ? '' : 's'} before it`;
  warn(options, message);
};

/**
 * Parse one frame with `parse`; a frame torn at the end of the file is reported and gives
 * undefined (the reader then stops), any other error is thrown.
 */
export const parseUnlessTorn = async <T>(
  r: LineReader,
  options: ReadOptions,
  file: string,
  frameLine: number,
  frameNo: number,
  parse: () => Promise<T>,
): Promise<T | undefined> => {
  try {
    return await parse();
  } catch (e) {
    if (!isTornLastFrame(e, r)) throw e;
    reportTornFrame(options, file, frameLine, frameNo, e as Error);
    return undefined;
  }
};
