/**
 * Issue 25, item 12: `md --threads 1000` started a thousand worker threads and died out of memory.
 * The engine runs at most one thread per 16 atoms and at most 64 (usefulThreads; the count
 * depends on the system only, so a run is reproducible on any machine), and the CLI caps --threads
 * at the machine's cores, saying so.
 */
import { describe, expect, it } from 'vitest';
import { buildOligomer } from '../../src/builders/oligomer.js';
import { packGlass } from '../../src/builders/pack-glass.js';
import { LAOC_V4 } from '../../src/forcefield/force-field.js';
import { typeSystem } from '../../src/forcefield/typing.js';
import { ForceKernel, MAX_THREADS, usefulThreads } from '../../src/md/force-kernel.js';
import { type MdCheckpoint, runMd } from '../../src/md/integrator.js';

describe('thread count', () => {
  it('usefulThreads: at least 16 atoms a thread, at most 64, at least 1', () => {
    expect(usefulThreads(1000, 128)).toBe(8);
    expect(usefulThreads(3, 128)).toBe(3);
    expect(usefulThreads(4, 20)).toBe(1);
    expect(usefulThreads(1000, 1_000_000)).toBe(MAX_THREADS);
  });

  it('a kernel asked for 1000 threads on 128 atoms starts 8; a run records the count it used', async () => {
    const s = packGlass({ units: [{ molecule: buildOligomer(), count: 8 }], seed: 1 });
    const sys = typeSystem(s, LAOC_V4);
    const k = new ForceKernel(sys, LAOC_V4, s.frame.lattice!);
    await k.startThreads(1000);
    expect(k.threadCount).toBe(8);
    k.dispose();
    const checkpoints: MdCheckpoint[] = [];
    await runMd(s.frame.positions, s.frame.lattice!, sys, LAOC_V4, {
      ensemble: 'nvt',
      temperatureK: 300,
      steps: 20,
      threads: 1000,
      checkpointEvery: 10,
      onCheckpoint: (c) => {
        checkpoints.push(c);
      },
    });
    expect(checkpoints.map((c) => c.threads)).toEqual([8, 8]);
  }, 60_000);
});
