/**
 * Issue 6, "nothing lost": a run stopped (checkpoint on cancellation), written to disk, read back
 * and resumed in a fresh engine gives bitwise the same trajectory as a run that never stopped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOligomer } from '../../src/builders/oligomer.js';
import { packGlass } from '../../src/builders/pack-glass.js';
import { LAOC_V1 } from '../../src/forcefield/force-field.js';
import { typeSystem } from '../../src/forcefield/typing.js';
import { readCheckpoint, writeCheckpoint } from '../../src/md/checkpoint.js';
import {
  type Ensemble,
  type MdCheckpoint,
  RunCancelled,
  runMd,
  type ThermoRow,
} from '../../src/md/integrator.js';

describe('checkpoint and resume', () => {
  const s = packGlass({ units: [{ molecule: buildOligomer(), count: 8 }], seed: 3 });
  const sys = typeSystem(s, LAOC_V1);
  const L = s.frame.lattice!;
  for (const ensemble of ['nvt', 'langevin', 'npt'] as Ensemble[])
    it(`${ensemble}: stopped at step 170 and resumed equals the uninterrupted run bitwise`, async () => {
      // A thin skin so that the pair list is rebuilt several times before and after the stop.
      const base = {
        ensemble,
        temperatureK: 500,
        timeStepFs: 1,
        steps: 300,
        thermoEvery: 10,
        seed: 5,
        skinA: 0.3,
      };
      const whole: ThermoRow[] = [];
      const a = await runMd(s.frame.positions, L, sys, LAOC_V1, { ...base, onThermo: (r) => whole.push(r) });

      const dir = mkdtempSync(join(tmpdir(), 'oligolyte-cp-'));
      const file = join(dir, 'checkpoint.json');
      const abort = new AbortController();
      const rows: ThermoRow[] = [];
      await expect(
        runMd(s.frame.positions, L, sys, LAOC_V1, {
          ...base,
          checkpointEvery: 100,
          signal: abort.signal,
          onThermo: (r) => {
            rows.push(r);
            if (r.step === 170) abort.abort();
          },
          onCheckpoint: (cp: MdCheckpoint) => writeCheckpoint(file, cp, { note: 'test' }),
        }),
      ).rejects.toBeInstanceOf(RunCancelled);
      const { checkpoint, context } = readCheckpoint(file);
      expect(checkpoint.step).toBe(170);
      expect(context).toEqual({ note: 'test' });
      const b = await runMd(s.frame.positions, L, sys, LAOC_V1, {
        ...base,
        resume: checkpoint,
        onThermo: (r) => rows.push(r),
      });
      rmSync(dir, { recursive: true, force: true });
      expect(Buffer.from(b.positions.buffer).equals(Buffer.from(a.positions.buffer))).toBe(true);
      expect(Buffer.from(b.velocities.buffer).equals(Buffer.from(a.velocities.buffer))).toBe(true);
      expect(Array.from(b.lattice.matrix)).toEqual(Array.from(a.lattice.matrix));
      expect(rows).toEqual(whole);
    });

  it('a checkpoint of another run is refused with a clear error', async () => {
    const cp: MdCheckpoint[] = [];
    await runMd(s.frame.positions, L, sys, LAOC_V1, {
      ensemble: 'nvt',
      temperatureK: 300,
      steps: 10,
      checkpointEvery: 10,
      onCheckpoint: (c) => {
        cp.push(c);
      },
    });
    await expect(
      runMd(s.frame.positions, L, sys, LAOC_V1, {
        ensemble: 'nve',
        temperatureK: 300,
        steps: 20,
        resume: cp[0],
      }),
    ).rejects.toThrow(/checkpoint is of a nvt run/);
  });
});
