/**
 * The error hierarchy: OligolyteError -> ParseError, OptionError, UnknownFormatError, PhysicsError.
 * The CLI maps user errors (all of these) to a one-line message and exit code 1 (2 for OptionError).
 */
export class OligolyteError extends Error {
  override name = 'OligolyteError';
  /**
   * The library option the error is about (`fitStartPs`, `frameStep`; qualified by the function
   * where the name alone is ambiguous: `writeFrames.format`). The message names it in backticks,
   * never by a command-line flag: a front end maps it to its own spelling (the CLI to its flag).
   */
  option?: string;
  constructor(message: string, details: { option?: string } = {}) {
    super(message);
    if (details.option !== undefined) this.option = details.option;
  }
}

export interface ParseErrorDetails {
  /** File the error is in (path as given by the user). */
  file: string;
  /** 1-based line number, or for binary formats undefined (then byteOffset is set). */
  line?: number;
  /** 1-based column where the offending field starts. */
  column?: number;
  /** Byte offset in the (decompressed) stream, for binary formats. */
  byteOffset?: number;
  /** What the parser expected there. */
  expected: string;
  /** What it found (shortened). */
  found?: string;
  /** The library option that would fix it (see OligolyteError.option). */
  option?: string;
}

const shorten = (s: string): string => (s.length > 60 ? `${s.slice(0, 57)}...` : s);

/** Malformed input: names the file, the line (and column), what was expected and what was found. */
export class ParseError extends OligolyteError {
  override name = 'ParseError';
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly byteOffset?: number;
  readonly expected: string;
  readonly found?: string;
  constructor(d: ParseErrorDetails) {
    const where =
      d.line !== undefined
        ? `${d.file}:${d.line}${d.column !== undefined ? `:${d.column}` : ''}`
        : `${d.file}${d.byteOffset !== undefined ? ` (byte ${d.byteOffset})` : ''}`;
    const found = d.found === undefined ? '' : `, found ${JSON.stringify(shorten(d.found))}`;
    super(`${where}: expected ${d.expected}${found}`, { option: d.option });
    this.file = d.file;
    this.line = d.line;
    this.column = d.column;
    this.byteOffset = d.byteOffset;
    this.expected = d.expected;
    this.found = d.found;
  }
}

/** An impossible or inconsistent option value given by the caller. */
export class OptionError extends OligolyteError {
  override name = 'OptionError';
}

/** A file whose format cannot be recognised from its name or content. */
export class UnknownFormatError extends OligolyteError {
  override name = 'UnknownFormatError';
}

/**
 * The data do not support the result asked for (too few temperatures with a positive diffusivity
 * for an Arrhenius fit: run longer). Not a usage error: the same call on more data succeeds.
 */
export class InsufficientDataError extends OligolyteError {
  override name = 'InsufficientDataError';
}

/** A physically impossible state: overlapping atoms, an energy that blew up, a singular cell. */
export class PhysicsError extends OligolyteError {
  override name = 'PhysicsError';
}

/** An error as it can cross to another thread (postMessage keeps neither our classes nor their fields). */
export interface TransferredError {
  name: string;
  message: string;
  option?: string;
  parse?: ParseErrorDetails;
}

/** The form of `e` another thread can rebuild with errorFromTransfer. */
export const errorToTransfer = (e: unknown): TransferredError => {
  const err = e instanceof Error ? e : new Error(String(e));
  const out: TransferredError = { name: err.name, message: err.message };
  if (err instanceof OligolyteError && err.option !== undefined) out.option = err.option;
  if (err instanceof ParseError)
    out.parse = {
      file: err.file,
      line: err.line,
      column: err.column,
      byteOffset: err.byteOffset,
      expected: err.expected,
      found: err.found,
    };
  return out;
};

const ERROR_CLASSES: Record<string, new (message: string, details?: { option?: string }) => OligolyteError> =
  {
    OligolyteError,
    OptionError,
    UnknownFormatError,
    InsufficientDataError,
    PhysicsError,
  };

/** The error errorToTransfer described: our classes with their class, fields and message. */
export const errorFromTransfer = (t: TransferredError): Error => {
  const details = t.option === undefined ? {} : { option: t.option };
  if (t.parse) return new ParseError({ ...t.parse, ...details });
  const Class = ERROR_CLASSES[t.name];
  if (Class) return new Class(t.message, details);
  const e = new Error(t.message);
  e.name = t.name;
  return e;
};
