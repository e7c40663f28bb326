/**
 * The MPI launcher's flags from `mpirun --version` texts, without MPI. Where the texts come from:
 * - Open MPI 4.1.4: `mpirun --version` and `mpiexec --version` on Debian 12 (package openmpi-bin,
 *   which the lammps package brings), run on the development machine.
 * - MPICH 4.0: `mpirun --version` after `apt-get install mpich` on Ubuntu 22.04, quoted in
 *   horovod/horovod pull request 3984 ("detect MPICH via HYDRA": no word MPICH in it).
 * - MPICH 4.3.0: `mpirun --version` from conda-forge's mpich, quoted in UPSY-group/UPSY-models
 *   issue 661 (the compiler lines shortened here).
 * - Intel MPI 2021.10: `mpirun --version` of Intel oneAPI, quoted in a public README's build notes.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  launcherFromVariable,
  mpiCommand,
  mpiImplementation,
  mpiLauncher,
  mpirunFlags,
} from '../../src/engines/mpi-launcher.js';

const mpirunVersion = spawnSync('mpirun', ['--version'], { encoding: 'utf8' });

const OPENMPI_4_MPIRUN = `mpirun (Open MPI) 4.1.4

Report bugs to http://www.open-mpi.org/community/help/
`;
const OPENMPI_4_MPIEXEC = `mpiexec (OpenRTE) 4.1.4

Report bugs to http://www.open-mpi.org/community/help/
`;
const MPICH_4_0 = `HYDRA build details:
    Version:                                 4.0
    Release Date:                            Fri Jan 21 10:42:29 CST 2022
    CC:                              gcc -Wdate-time -D_FORTIFY_SOURCE=2 -g -O2 -ffile-prefix-map=/build/mpich-0xgrG5/mpich-4.0=. -flto=auto -ffat-lto-objects
    Configure options:                       '--with-hwloc-prefix=/usr' '--with-device=ch4:ofi'
`;
const MPICH_4_3 = `HYDRA build details:
    Version:                                 4.3.0
    Release Date:                            Mon Feb  3 09:09:47 AM CST 2025
    CC:                              x86_64-conda-linux-gnu-cc -DNDEBUG -D_FORTIFY_SOURCE=2 -O2
    Configure options:
`;
const INTEL_MPI_2021 = `Intel(R) MPI Library for Linux* OS, Version 2021.10 Build 20230619 (id: c2e19c2f3e)
Copyright 2003-2023, Intel Corporation.
`;

describe('the MPI launcher', () => {
  it('tells Open MPI from the Hydra launchers (MPICH, Intel MPI)', () => {
    expect(mpiImplementation(OPENMPI_4_MPIRUN)).toBe('openmpi');
    expect(mpiImplementation(OPENMPI_4_MPIEXEC)).toBe('openmpi');
    expect(mpiImplementation(MPICH_4_0)).toBe('hydra');
    expect(mpiImplementation(MPICH_4_3)).toBe('hydra');
    expect(mpiImplementation(INTEL_MPI_2021)).toBe('hydra');
    expect(mpiImplementation('')).toBe('unknown');
  });

  it("gives Open MPI's flags to Open MPI only, --allow-run-as-root only as root", () => {
    expect(mpirunFlags(OPENMPI_4_MPIRUN, { asRoot: true })).toEqual([
      '--allow-run-as-root',
      '--oversubscribe',
    ]);
    expect(mpirunFlags(OPENMPI_4_MPIEXEC, { asRoot: false })).toEqual(['--oversubscribe']);
    for (const text of [MPICH_4_0, MPICH_4_3, INTEL_MPI_2021, 'something else'])
      expect(mpirunFlags(text, { asRoot: true })).toEqual([]);
  });

  it('OLIGOLYTE_MPIRUN replaces the launcher, split on whitespace; blank means unset', () => {
    expect(launcherFromVariable(' mpiexec  -bind-to core ')).toEqual(['mpiexec', '-bind-to', 'core']);
    expect(launcherFromVariable('srun')).toEqual(['srun']);
    expect(launcherFromVariable('  ')).toBeUndefined();
    expect(launcherFromVariable(undefined)).toBeUndefined();
    const srun = mpiLauncher({ OLIGOLYTE_MPIRUN: 'srun --mpi=pmix' });
    expect(srun).toEqual({ argv: ['srun', '--mpi=pmix'], source: 'OLIGOLYTE_MPIRUN' });
    expect(mpiCommand(srun, 4, ['lmp', '-in', 'in.lammps'])).toEqual([
      'srun',
      '--mpi=pmix',
      '-n',
      '4',
      'lmp',
      '-in',
      'in.lammps',
    ]);
  });

  it.skipIf(mpirunVersion.error !== undefined)('detects the mpirun installed here', () => {
    const text = mpirunVersion.stdout + mpirunVersion.stderr;
    const launcher = mpiLauncher({});
    expect(launcher.source).toBe(`detected: ${mpiImplementation(text)}`);
    expect(launcher.argv).toEqual(['mpirun', ...mpirunFlags(text, { asRoot: process.getuid?.() === 0 })]);
  });
});
