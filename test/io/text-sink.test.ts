/**
 * Issue 25, items 1 and 13: TextSink (atomic outputs). An output that cannot be written fails at
 * once with an OutputError naming the target (it used to hang on a stream that never drained, and
 * the CLI then exited 0 having written nothing); a failure while writing rejects instead of
 * waiting forever; the temporary files of open sinks can be removed from a signal handler.
 * Tests run as root here, where a chmod-read-only folder does not stop writes: unwritable paths
 * are made with a parent that is a regular file, or under /proc.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeOutputFolder, OutputError } from '../../src/io/output-errors.js';
import { discardOpenTextSinks, TextSink } from '../../src/io/text-sink.js';
import { tempDir } from '../helpers.js';

describe('TextSink: outputs that cannot be written', () => {
  it('a parent that is a file: an OutputError naming the target, in the constructor', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'plain'), 'x');
    const target = join(dir, 'plain', 'sub', 'out.json');
    expect(() => new TextSink(target)).toThrow(OutputError);
    expect(() => new TextSink(target)).toThrow(
      `cannot write ${target}: ${join(dir, 'plain')} is a file, not a folder`,
    );
    expect(readdirSync(dir)).toEqual(['plain']);
  });

  it('a folder the system refuses (/proc): an error, not a hang (Node 20 mkdir recursive never returns there)', () => {
    expect(() => new TextSink('/proc/oligolyte-test/d.cube')).toThrow(
      /cannot write \/proc\/oligolyte-test\/d\.cube: /,
    );
    expect(() => new TextSink('/proc/d.cube')).toThrow(/cannot write \/proc\/d\.cube: /);
    expect(() => makeOutputFolder('/proc/oligolyte-test')).toThrow(OutputError);
  });

  it('an output folder that is a file', () => {
    const f = join(tempDir(), 'file');
    writeFileSync(f, 'x');
    expect(() => makeOutputFolder(f)).toThrow(`cannot write ${f}: it is a file, not a folder`);
  });

  it('a failure while writing rejects flush and commit (naming the target) and leaves no temporary file', async () => {
    const dir = tempDir();
    const target = join(dir, 'big.txt');
    const sink = new TextSink(target);
    // The stream fails as a full disk would make it fail, with 4 MB waiting to be written.
    (sink as unknown as { file: NodeJS.WritableStream & { destroy(e: Error): void } }).file.destroy(
      Object.assign(new Error('ENOSPC: no space left on device, write'), {
        code: 'ENOSPC',
        syscall: 'write',
      }),
    );
    sink.write('x'.repeat(4 << 20));
    await expect(sink.flush(true)).rejects.toThrow(`cannot write ${target}: no space left on the device`);
    await expect(sink.commit()).rejects.toThrow(OutputError);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a sink that commits renames its file into place; discardOpenTextSinks removes the unfinished ones', async () => {
    const dir = tempDir();
    const done = new TextSink(join(dir, 'done.txt'));
    done.write('ok\n');
    await done.commit();
    const a = new TextSink(join(dir, 'a.txt'));
    const b = new TextSink(join(dir, 'b.xyz.gz'));
    a.write('partial');
    await a.flush(true);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toHaveLength(2);
    expect(discardOpenTextSinks().sort()).toEqual([join(dir, 'a.txt'), join(dir, 'b.xyz.gz')]);
    expect(readdirSync(dir)).toEqual(['done.txt']);
    expect(readFileSync(join(dir, 'done.txt'), 'utf8')).toBe('ok\n');
    expect(existsSync(b.tmp)).toBe(false);
    await a.abort();
    await b.abort();
  });
});
