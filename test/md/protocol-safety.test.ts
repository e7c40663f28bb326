/**
 * Issue 25, item 18: a protocol or study file received from someone else must not write outside
 * its output folder, nor add commands to the LAMMPS inputs oligolyte writes; the files it makes
 * oligolyte read are printed, absolute, in the plan (`structure = "/etc/passwd"` was followed
 * silently). Every path such a file can name: stage names (folder names), the study name (the
 * default output folder), the series temperatures (folder names), the force field (read; its name
 * goes into LAMMPS inputs), the structure (read).
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OptionError, ParseError } from '../../src/core/errors.js';
import { LAOC_V4, validateForceField } from '../../src/forcefield/force-field.js';
import { branchFolder, stageFolder } from '../../src/md/protocols/folders.js';
import { readProtocol } from '../../src/md/protocols/protocol.js';
import { defaultStudyFolder } from '../../src/study/run-study.js';
import { readStudy, type StudySpec } from '../../src/study/spec.js';
import { cli, tempDir } from '../helpers.js';

const stage = (name: string) => `[[stage]]\nname = ${JSON.stringify(name)}\ntemperature = 300\nsteps = 10\n`;

describe('names that become paths', () => {
  for (const name of ['../escape', 'a/b', '..', '.', '/abs', 'a\\\\b', 'x y'])
    it(`a stage named ${JSON.stringify(name)} is refused at its line`, () => {
      const f = join(tempDir(), 'p.toml');
      writeFileSync(f, `seed = 1\n${stage(name)}`);
      let err: unknown;
      try {
        readProtocol(f);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ParseError);
      expect((err as ParseError).line).toBe(2); // the [[stage]] table
      expect((err as Error).message).toMatch(/stage names of letters, digits, _ \. - \(not only dots\)/);
    });

  it('stageFolder and branchFolder refuse what a protocol built in code could hold', () => {
    expect(() => stageFolder(0, { name: '../x' })).toThrow(OptionError);
    expect(() => stageFolder(0, { name: '..' })).toThrow(OptionError);
    expect(stageFolder(0, { name: 'melt' })).toBe('01-melt');
    expect(() => branchFolder(Number.NaN)).toThrow(OptionError);
    expect(branchFolder(500)).toBe(join('series', 'T500K'));
  });

  for (const name of ['../../outside', '..', 'a/b', 'c:\\\\x\\\\y'])
    it(`a study named ${JSON.stringify(name)} is refused (it names the default output folder)`, () => {
      const f = join(tempDir(), 's.toml');
      writeFileSync(
        f,
        `name = ${JSON.stringify(name)}\n[model]\nmix = "0b:8"\n[[simulation.stage]]\ntype = "melt-quench"\n[simulation.series]\ntemperatures = [500, 600]\n`,
      );
      expect(() => readStudy(f)).toThrow(/name: a name without \/ or \\ \(and not "\." or "\.\."\)/);
    });

  it('the default study folder stays inside out/ whatever the name', () => {
    for (const name of ['LAOC^1.5b', '...', 'a b', '..']) {
      const dir = resolve(defaultStudyFolder({ name } as StudySpec));
      expect(dir.startsWith(`${resolve('out')}/`), `${name} -> ${dir}`).toBe(true);
    }
  });

  it('a force field whose name could add lines to a LAMMPS input is refused', () => {
    const ff = JSON.parse(JSON.stringify(LAOC_V4));
    for (const name of ['x\nshell touch /tmp/pwned', 'a&', 'x'.repeat(81), '']) {
      ff.name = name;
      expect(() => validateForceField(ff, 'ff.json')).toThrow(
        /ff\.json: \$\.name: expected a name of up to 80/,
      );
    }
    ff.name = 'my field (v2)';
    expect(() => validateForceField(ff, 'ff.json')).not.toThrow();
  });
});

describe('a run writes only into its output folder; the plan says which files it reads', () => {
  it('run: the plan names the structure and force-field files, absolute; every file lands in -o', () => {
    const d = tempDir();
    const work = join(d, 'work');
    const glass = join(d, 'glass.extxyz');
    expect(cli('build', 'glass', '--mix', '0b:8', '-o', glass).code).toBe(0);
    const ff = JSON.parse(JSON.stringify(LAOC_V4));
    ff.name = 'shared field';
    writeFileSync(join(d, 'ff.json'), JSON.stringify(ff));
    writeFileSync(join(d, 'p.toml'), `structure = "glass.extxyz"\nforcefield = "ff.json"\n${stage('a')}`);
    const r = cli('run', join(d, 'p.toml'), '-o', join(work, 'out'));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`reads ${glass} (\`structure\` in ${join(d, 'p.toml')})`);
    expect(r.out).toContain(`reads ${join(d, 'ff.json')} (the force field)`);
    expect(readdirSync(d).sort()).toEqual(['ff.json', 'glass.extxyz', 'p.toml', 'work']);
    expect(readdirSync(work)).toEqual(['out']);
    expect(readdirSync(join(work, 'out')).sort()).toEqual([
      '01-a',
      'protocol.json',
      'status.json',
      'summary.json',
    ]);
    // --structure: named by the option.
    const s = cli('run', join(d, 'p.toml'), '--structure', glass, '-o', join(d, 'x'), '--dry-run');
    expect(s.out).toContain(`reads ${glass} (--structure)`);
  }, 60_000);
});
