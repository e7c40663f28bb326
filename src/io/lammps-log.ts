import { basename } from 'node:path';
import { ParseError } from '../core/errors.js';
import { inspectInput, openByteStream, readHead } from './byte-source.js';
import {
  LOOP_TIME_LINE,
  MEMORY_LINES,
  parseThermoRow,
  startsLikeNumber,
  THERMO_ROW,
  THERMO_TEXT,
} from './lammps-thermo.js';
import { LineReader } from './text/line-reader.js';

/**
 * LAMMPS log files (log.lammps, or the screen output) of any run: the thermo output of every run
 * section (`run`, `minimize`, `rerun`), as LAMMPS prints it for `thermo_style one`, `custom` (a
 * header line, then one row of numbers per thermo step) and `multi` (a dashed "Step ... CPU"
 * line, then "Keyword = value" lines), ending at "Loop time of ...". `thermo_style yaml` is
 * refused with a ParseError that says so.
 *
 * What is between the rows: WARNING lines are skipped and reported, other text (`fix print`,
 * SHAKE statistics) is skipped and counted; an ERROR line ends the run. A run without "Loop time"
 * (the log ends inside it: LAMMPS was stopped, or is still running) gives the rows it has, with
 * complete = false and a warning; a torn last line is dropped. Every other row is parsed strictly:
 * a cell that is not a number (including LAMMPS's "nan" and "inf" of a run that blew up) is a
 * ParseError at its line and column.
 */

/** The thermo output of one run section. */
export interface LammpsLogRun {
  /** 1-based position of the run in the log. */
  index: number;
  /** 1-based line of the run's thermo header (the dashed line of the first block for multi). */
  firstLine: number;
  /** How LAMMPS printed it: one row per line (thermo_style one/custom) or key = value blocks (multi). */
  style: 'table' | 'multi';
  /** Column names as LAMMPS prints them (Step, Temp, PotEng, E_pair, Press, c_ID, v_name, ...). */
  columns: string[];
  /**
   * One array per column, keyed by its name; a name LAMMPS prints twice (`thermo_style custom
   * step temp temp`) is keyed `Temp_2` the second time (and said in the warnings).
   */
  data: Record<string, Float64Array>;
  rows: number;
  /** True when the run ended with LAMMPS's "Loop time of ..." line. */
  complete: boolean;
  /** Wall time of the run's loop, s (from "Loop time of"). */
  loopTimeS?: number;
  /** Atoms at the end of the run (from "Loop time of"). */
  atoms?: number;
  /** MPI processes (from "Loop time of"). */
  processes?: number;
}

export interface LammpsLog {
  file: string;
  /** LAMMPS's version, from the log's first line "LAMMPS (29 Sep 2021 - Update 2)". */
  version?: string;
  /** The units style (lj, real, metal, si, cgs, electron, micro, nano) from the echoed `units` command. */
  units?: string;
  runs: LammpsLogRun[];
  /** WARNING lines inside the thermo tables, skipped output, incomplete runs: `file:line: message`. */
  warnings: string[];
}

export interface LammpsLogOptions {
  /** Called with (bytes of the file consumed, file size) as the read goes on. */
  onProgress?: (done: number, total: number) => void;
}

const UNITS = new Set(['lj', 'real', 'metal', 'si', 'cgs', 'electron', 'micro', 'nano']);
/** WARNING lines reported one by one (a run that warns at every thermo step would flood the list). */
const MAX_WARNING_LINES = 100;

/** Grows one Float64Array per column. */
class ColumnBuffer {
  arrays: Float64Array[];
  rows = 0;
  constructor(ncols: number) {
    this.arrays = Array.from({ length: ncols }, () => new Float64Array(64));
  }
  push(values: ArrayLike<number>): void {
    if (this.rows === this.arrays[0].length)
      this.arrays = this.arrays.map((a) => {
        const b = new Float64Array(a.length * 2);
        b.set(a);
        return b;
      });
    for (let k = 0; k < this.arrays.length; k++) this.arrays[k][this.rows] = values[k];
    this.rows++;
  }
}

/** A run being read. */
interface OpenRun {
  run: LammpsLogRun;
  columns?: ColumnBuffer;
  /** multi: keywords and values of the block being read, the line of its dashed header. */
  block?: { names: string[]; values: number[]; line: number };
  skipped: number;
  firstSkipped?: { line: number; text: string };
}

const isMemoryLine = (r: LineReader): boolean =>
  r.startsWith(MEMORY_LINES[0]) || r.startsWith(MEMORY_LINES[1]);

const MULTI_HEADER = /^-+ Step\s/;
const isMultiHeader = (r: LineReader): boolean => r.startsWith('---') && MULTI_HEADER.test(r.text().trim());

/** Read a whole LAMMPS log (see the module comment for what is read and what is refused). */
export const readLammpsLog = async (path: string, options: LammpsLogOptions = {}): Promise<LammpsLog> => {
  const input = await inspectInput(path);
  const progress = options.onProgress;
  if (progress) input.onRawBytes = (b) => progress(b, input.size);
  const r = new LineReader(openByteStream(input), path);
  const log: LammpsLog = { file: path, runs: [], warnings: [] };
  const warnings: { line: number; message: string }[] = [];
  const warn = (line: number, message: string) =>
    warnings.push({ line, message: `${path}:${line}: ${message}` });
  let warningLines = 0;
  let current: OpenRun | undefined;
  let awaitingHeader = 0;
  let row = new Float64Array(64);

  const startRun = (style: LammpsLogRun['style']): OpenRun => {
    const run: LammpsLogRun = {
      index: log.runs.length + 1,
      firstLine: r.lineNo,
      style,
      columns: [],
      data: {},
      rows: 0,
      complete: false,
    };
    log.runs.push(run);
    return { run, skipped: 0 };
  };

  const setColumns = (open: OpenRun, names: string[]): void => {
    open.run.columns = names;
    open.columns = new ColumnBuffer(names.length);
    if (row.length < names.length) row = new Float64Array(names.length);
  };

  const flushBlock = (open: OpenRun, endLine: number): void => {
    const b = open.block;
    if (!b) return;
    open.block = undefined;
    if (!open.columns) setColumns(open, b.names);
    else if (b.names.length < open.run.columns.length)
      throw new ParseError({
        file: path,
        line: endLine,
        expected: `"${open.run.columns[b.names.length]} = value" (the block of step ${b.values[0]} from line ${b.line} has ${b.names.length} of the ${open.run.columns.length} values of the first block)`,
        found: r.text().trim() || '(empty line)',
      });
    open.columns!.push(b.values);
  };

  /** Close the run being read; `how` says why it ends when it is not "Loop time". */
  const endRun = (loop?: RegExpExecArray, how?: string): void => {
    const open = current!;
    current = undefined;
    const { run } = open;
    const b = open.block;
    if (b) {
      // Without "Loop time" the last block may be cut short: kept only when it has every value.
      if (loop || (open.columns ? b.names.length === run.columns.length : b.names.length > 2))
        flushBlock(open, r.lineNo);
      else
        warn(b.line, `run ${run.index}: the last block (step ${b.values[0]}) is incomplete and was dropped`);
    }
    const buf = open.columns;
    const counts = new Map<string, number>();
    run.columns.forEach((name, k) => {
      const seen = (counts.get(name) ?? 0) + 1;
      counts.set(name, seen);
      const key = seen === 1 ? name : `${name}_${seen}`;
      if (seen > 1)
        warn(
          run.firstLine,
          `run ${run.index}: column ${name} appears ${seen} times; its copy ${seen} is named ${key}`,
        );
      run.data[key] = buf ? buf.arrays[k].slice(0, buf.rows) : new Float64Array(0);
    });
    run.rows = buf?.rows ?? 0;
    if (open.skipped > 0)
      warn(
        open.firstSkipped!.line,
        `run ${run.index}: ${open.skipped} line${open.skipped === 1 ? '' : 's'} of other output between the thermo rows skipped (the first: ${JSON.stringify(open.firstSkipped!.text)})`,
      );
    if (loop) {
      run.complete = true;
      run.loopTimeS = Number(loop[1]);
      run.processes = Number(loop[2]);
      run.atoms = Number(loop[4]);
    } else
      warn(
        run.firstLine,
        `run ${run.index} is incomplete: ${how ?? 'it has no "Loop time" line'}; its ${run.rows} row${run.rows === 1 ? '' : 's'} are read`,
      );
  };

  /** Text between the rows: WARNING reported, ERROR ends the run, anything else counted. */
  const textInRun = (): void => {
    const text = r.text().trim();
    if (text.startsWith('WARNING')) {
      warningLines++;
      if (warningLines <= MAX_WARNING_LINES)
        warn(r.lineNo, `inside run ${current!.run.index}'s thermo output: ${text}`);
      return;
    }
    if (text.startsWith('ERROR')) {
      endRun(undefined, `LAMMPS stopped with an error at line ${r.lineNo}: ${text}`);
      return;
    }
    if (current!.skipped++ === 0) current!.firstSkipped = { line: r.lineNo, text };
  };

  /** A row of a one/custom table. */
  const tableLine = (open: OpenRun): void => {
    if (tornLine(open)) return;
    const n = r.split();
    const ncols = open.run.columns.length;
    const code = parseThermoRow(r.buf, r.fieldStart, r.fieldEnd, n, ncols, row);
    if (code === THERMO_ROW) {
      open.columns!.push(row);
      return;
    }
    if (code === THERMO_TEXT) {
      textInRun();
      return;
    }
    const columns = open.run.columns.join(' ');
    if (code >= ncols)
      throw r.error(`${ncols} values, one per column (${columns}); this is value ${code + 1}`, code);
    if (code >= n) throw r.error(`${ncols} values, one per column (${columns}); the line has ${n}`, n);
    throw r.error(`a number for ${open.run.columns[code]} (column ${code + 1} of ${ncols})`, code);
  };

  /**
   * The log's last line without a newline inside a run: LAMMPS was stopped while writing it (or is
   * still writing it), so even a line that parses may hold a cut number. Dropped.
   */
  const tornLine = (open: OpenRun): boolean => {
    if (!r.unterminated) return false;
    warn(r.lineNo, `run ${open.run.index}: the torn last line (no newline) was dropped`);
    return true;
  };

  /** A line of a multi block: the dashed "Step ... CPU" header or "Keyword = value" pairs. */
  const multiLine = (open: OpenRun): void => {
    if (tornLine(open)) return;
    if (isMultiHeader(r)) {
      flushBlock(open, r.lineNo);
      const n = r.split();
      const names: string[] = [];
      const values: number[] = [];
      for (let k = 1; k + 1 < n; k++) {
        const f = r.field(k);
        if (f === 'Step') {
          names.push('Step');
          values.push(r.float(k + 1, 'the step number'));
        } else if (f === 'CPU' && r.field(k + 1) === '=') {
          names.push('CPU');
          values.push(r.float(k + 2, 'the CPU time (s)'));
        }
      }
      open.block = { names, values, line: r.lineNo };
      return;
    }
    const n = r.split();
    if (n < 2 || r.field(1) !== '=') {
      textInRun();
      return;
    }
    const b = open.block;
    if (!b) throw r.error('the dashed "Step ... CPU" line that starts a thermo_style multi block', 0);
    for (let k = 0; k < n; k += 3) {
      if (k + 2 >= n || r.field(k + 1) !== '=')
        throw r.error('"Keyword = value" pairs', Math.min(k + 1, n - 1));
      const name = r.field(k);
      const j = b.names.length;
      if (open.columns && open.run.columns[j] !== name)
        throw r.error(
          `${open.run.columns[j] === undefined ? 'no more values' : `"${open.run.columns[j]} ="`} (the keywords of the run's first block, in order)`,
          k,
        );
      b.values.push(r.float(k + 2, `a number for ${name}`));
      b.names.push(name);
    }
  };

  /** The first line after the memory line: the header of a table, or a multi block. */
  const headerLine = (): void => {
    if (isMultiHeader(r)) {
      current = startRun('multi');
      multiLine(current);
      return;
    }
    const n = r.split();
    const first = r.field(0);
    if (first === '---' || first === 'keywords:')
      throw r.error(
        'a thermo header of thermo_style one, custom or multi (thermo_style yaml / thermo_modify line yaml is not read here: read the YAML document between "---" and "..." with a YAML parser)',
        0,
      );
    if (n > 1 && r.field(1) === '=')
      throw r.error(
        'a thermo header (key = value lines without the dashed "Step ... CPU" line, as thermo_modify line multi prints when step is not the first keyword, are not read)',
        0,
      );
    if (startsLikeNumber(r.buf[r.fieldStart[0]]))
      throw r.error('the thermo header (the column names) after the memory line', 0);
    current = startRun('table');
    const names: string[] = [];
    for (let k = 0; k < n; k++) names.push(r.field(k));
    setColumns(current, names);
  };

  while (await r.next()) {
    if (current) {
      if (r.isBlank()) continue;
      if (r.startsWith('Loop time of')) {
        const m = LOOP_TIME_LINE.exec(r.text().trim());
        if (!m) throw r.error('"Loop time of T on P procs for N steps with A atoms"');
        endRun(m);
        continue;
      }
      if (r.startsWith('LAMMPS (') || isMemoryLine(r)) {
        // A new LAMMPS session or run starts (an appended log): the open run was cut off.
        endRun(
          undefined,
          `a new ${r.startsWith('LAMMPS (') ? 'LAMMPS session' : 'run'} starts at line ${r.lineNo}`,
        );
      } else {
        if (current.run.style === 'table') tableLine(current);
        else multiLine(current);
        continue;
      }
    }
    if (awaitingHeader) {
      if (r.isBlank()) continue;
      if (r.startsWith('WARNING')) continue;
      awaitingHeader = 0;
      headerLine();
      continue;
    }
    if (r.startsWith('LAMMPS (')) {
      const version = /^\s*LAMMPS \((.*)\)\s*$/.exec(r.text())?.[1];
      if (version !== undefined) {
        if (log.version === undefined) log.version = version;
        else if (version !== log.version)
          warn(r.lineNo, `a second LAMMPS session, version ${version} (the first was ${log.version})`);
      }
      continue;
    }
    if (isMemoryLine(r)) {
      awaitingHeader = r.lineNo;
      continue;
    }
    // The units style: the echoed `units` command, or newer versions' "Unit style    : real".
    let units: string | undefined;
    if (r.startsWith('units')) {
      const n = r.split();
      if (r.field(0) === 'units' && n >= 2) units = r.field(1);
    } else if (r.startsWith('Unit style')) units = /^\s*Unit style\s*:\s*(\S+)/.exec(r.text())?.[1];
    if (units !== undefined && UNITS.has(units)) {
      if (log.units === undefined) log.units = units;
      else if (units !== log.units)
        warn(r.lineNo, `the units change to ${units} (the log's units are given as ${log.units}, the first)`);
    }
  }
  if (current)
    endRun(undefined, `the log ends inside it (line ${r.lineNo}; LAMMPS was stopped, or is still running)`);
  if (awaitingHeader)
    warn(awaitingHeader, 'the log ends before the thermo header of the run that starts here');
  // In line order (a run's summary of skipped lines is made at its end).
  log.warnings = warnings.sort((a, b) => a.line - b.line).map((w) => w.message);
  if (warningLines > MAX_WARNING_LINES)
    log.warnings.push(
      `${path}: ${warningLines - MAX_WARNING_LINES} more WARNING lines inside thermo output not listed`,
    );
  return log;
};

/** File names that are LAMMPS logs whatever their content. */
const LOG_NAME = /^log\.lammps(\.gz)?$/i;
const LOG_CONTENT = /^(LAMMPS \(|Per MPI rank memory allocation|Loop time of )/m;

/**
 * True when a file is a LAMMPS log: it is named log.lammps, its first line is LAMMPS's version
 * line "LAMMPS (...)", or it is named *.log and its start has a line that only LAMMPS logs have.
 */
export const looksLikeLammpsLog = (name: string, head: string): boolean => {
  const b = basename(name);
  if (LOG_NAME.test(b)) return true;
  if (/^\s*LAMMPS \(/.test(head)) return true;
  return /\.log(\.gz)?$/i.test(b) && LOG_CONTENT.test(head);
};

/** looksLikeLammpsLog on a file on disk (its first 8 KB, decompressed when gzip). */
export const isLammpsLog = async (path: string): Promise<boolean> => {
  if (LOG_NAME.test(basename(path))) return true;
  const head = await readHead(await inspectInput(path), 8192);
  return looksLikeLammpsLog(path, Buffer.from(head).toString('latin1'));
};
