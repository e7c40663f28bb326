#!/usr/bin/env python3
"""Python side of bench/peers.ts: what users run today, one job per call, whole process timed by
the caller (/usr/bin/time).

    /usr/bin/python3 bench/peers.py msd TOPOLOGY.pdb TRAJ.dcd ELEMENT DT_PS
        MDAnalysis EinsteinMSD (fft=True) of ELEMENT, then a straight-line fit of the middle of the
        MSD (10 %-60 % of the lags, as MDAnalysis's documentation shows), D in A^2/ps.
    /usr/bin/python3 bench/peers.py read FORMAT FILE
        read every frame with the reader users have for FORMAT: ASE for extxyz, pymatgen for
        XDATCAR, MDAnalysis for a LAMMPS dump; prints the frame count and a checksum.
"""
import sys, warnings
warnings.filterwarnings("ignore")


def msd(top, traj, element, dt_ps):
    import numpy as np
    import MDAnalysis as mda
    from MDAnalysis.analysis.msd import EinsteinMSD
    from scipy.stats import linregress
    u = mda.Universe(top, traj, dt=dt_ps)
    m = EinsteinMSD(u, select=f"element {element}", msd_type="xyz", fft=True).run()
    lags = np.arange(m.n_frames) * dt_ps
    a, b = int(0.1 * m.n_frames), int(0.6 * m.n_frames)
    fit = linregress(lags[a:b], m.results.timeseries[a:b])
    print(f"MDAnalysis {mda.__version__}: D = {fit.slope / 6:.6g} A^2/ps from {m.n_frames} frames")


def read(fmt, path):
    n, checksum = 0, 0.0
    if fmt == "extxyz":
        import ase.io
        for atoms in ase.io.iread(path, format="extxyz"):
            checksum += atoms.positions[0, 0]
            n += 1
        tool = "ASE"
    elif fmt == "xdatcar":
        from pymatgen.io.vasp.outputs import Xdatcar
        for s in Xdatcar(path).structures:
            checksum += s.cart_coords[0, 0]
            n += 1
        tool = "pymatgen"
    elif fmt == "lammps-dump":
        from MDAnalysis.coordinates.LAMMPS import DumpReader
        r = DumpReader(path)
        for ts in r:
            checksum += ts.positions[0, 0]
            n += 1
        tool = "MDAnalysis"
    else:
        raise SystemExit(f"unknown format {fmt}")
    print(f"{tool}: {n} frames, checksum {checksum:.6f}")


if __name__ == "__main__":
    if sys.argv[1] == "msd":
        msd(sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5]))
    elif sys.argv[1] == "read":
        read(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit(__doc__)
