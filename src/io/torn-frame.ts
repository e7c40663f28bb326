import { ParseError } from '../core/errors.js';
import type { ReadOptions } from './format.js';
import type { LineReader } from './text/line-reader.js';

/**
 * A trajectory whose writer was killed ends inside a frame: the file stops before the frame's
 * last line, or its last line has no newline. Readers then give the complete frames before it and
 * say so (ReadOptions.onWarning), unless `tornLastFrame: 'error'` asks for the error.
 */
const isTornLastFrame = (e: unknown, r: LineReader): boolean =>
  e instanceof ParseError && (e.found === 'end of file' || r.unterminated);

const reportTornFrame = (
  options: ReadOptions,
  file: string,
  line: number,
  frameNo: number,
  cause: Error,
): void => {
  if (options.tornLastFrame === 'error') throw cause;
  const message = `${file}:${line}: frame ${frameNo} is incomplete (the file ends inside it, as when its writer is stopped); read the ${frameNo - 1} complete frame${frameNo === 2 ? '' : 's'} before it`;
  if (options.onWarning) options.onWarning(message);
  else process.emitWarning(message, 'OligolyteWarning');
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
    const parsed = await parse();
    // Our writers end every frame with a newline: a last line without one is a torn write.
    if (r.unterminated) throw r.error('a complete last line');
    return parsed;
  } catch (e) {
    if (!isTornLastFrame(e, r)) throw e;
    reportTornFrame(options, file, frameLine, frameNo, e as Error);
    return undefined;
  }
};
