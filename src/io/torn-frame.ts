import { ParseError } from '../core/errors.js';
import type { ReadOptions } from './format.js';
import type { LineReader } from './text/line-reader.js';

/**
 * A trajectory whose writer was killed ends inside a frame: the file stops before the frame's
 * last line, or its last line has no newline. Readers then give the complete frames before it and
 * say so (ReadOptions.onWarning), unless `tornLastFrame: 'error'` asks for the error.
 */
export const isTornLastFrame = (e: unknown, r: LineReader): boolean =>
  e instanceof ParseError && (e.found === 'end of file' || r.unterminated);

export const reportTornFrame = (
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
