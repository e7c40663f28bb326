import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kbarToEvPerA3 } from '../../src/core/units.js';
import { detectFormat } from '../../src/io/registry.js';
import { expectParseError, readAll, tempFile } from '../helpers.js';

const FIXTURE = new URL('../fixtures/vasprun-md.xml', import.meta.url).pathname;

describe('vasprun.xml', () => {
  it('streams one frame per ionic step with forces, stress, energy and the run settings', async () => {
    expect((await detectFormat(FIXTURE)).name).toBe('vasprun');
    const frames = await readAll(FIXTURE);
    expect(frames.length).toBe(2);
    const [a, b] = frames;
    expect(a.topology.symbols).toEqual(['Li', 'Cl']);
    expect(Array.from(a.frame.positions)).toEqual([0.05, 0, 0, 2.5, 2.5, 2.5]);
    expect(b.frame.lattice!.matrix[0]).toBe(5.1);
    expect(b.frame.positions[0]).toBeCloseTo(0.102, 12);
    expect(Array.from(a.frame.forces!)).toEqual([-0.1, 0, 0, 0.1, 0, 0]);
    // e_fr_energy of the ionic step, not of the electronic steps.
    expect(a.frame.energy).toBe(-7.5);
    expect(b.frame.energy).toBe(-7.25);
    // 10 kBar compressive = -1 GPa tensile = -0.0062415 eV/A^3.
    expect(a.frame.stress![0]).toBeCloseTo(kbarToEvPerA3(10), 15);
    expect(a.frame.stress![0]).toBeCloseTo(-1 / 160.2176634, 12);
    expect(b.frame.stress).toBeUndefined();
    expect(a.run).toMatchObject({ timeStepFs: 2, temperatureK: 600, temperatureEndK: 600 });
    // Where each value is, for errors about it (issue 25 item 16).
    expect(a.run?.sources?.timeStepFs).toEqual({ file: FIXTURE, line: 12, key: 'POTIM' });
    expect(a.run?.sources?.temperatureK).toEqual({ file: FIXTURE, line: 13, key: 'TEBEG' });
    expect(frames.map((f) => f.frame.timeFs)).toEqual([0, 2]);
  });
  it('reports a truncated file with its line', async () => {
    const text = readFileSync(FIXTURE, 'utf8').split('\n');
    const cut = text.findIndex((l) => l.includes('<calculation>')) + 12;
    await expectParseError(
      tempFile('vasprun.xml', text.slice(0, cut).join('\n')),
      undefined,
      /truncated|closing|end of file/,
    );
  });
  it('reports a bad number with its line', async () => {
    const text = readFileSync(FIXTURE, 'utf8').replace(
      '0.01000000       0.00000000',
      '0.01000000       ********',
    );
    const line = text.split('\n').findIndex((l) => l.includes('********')) + 1;
    await expectParseError(tempFile('vasprun.xml', text), line, /number/);
  });
});
