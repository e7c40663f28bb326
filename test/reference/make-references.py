#!/usr/bin/env python3
"""Reference values for the I/O tests, computed with peer tools on the fixtures in test/fixtures/shared
(the repository's copies of the shared data's files; see PROVENANCE.md there).

Run with Debian's python3 (python3-ase 3.22.1, python3-pymatgen 2022.11.7, python3-mdanalysis 2.4.2):
    /usr/bin/python3 test/reference/make-references.py   (writes test/reference/peer-io.json)
    npx biome format --write test/reference/peer-io.json
Each entry names the tool and call that produced it. MDAnalysis's GPL random walk is not in the
repository: its entry is computed from ../shared/data when that folder sits beside the repository,
and otherwise carried over from the existing peer-io.json (its stand-in, test/fixtures/mdanalysis-like,
has its references written by test/fixtures/make-mdanalysis-like.py).
"""
import json, os, sys, warnings
warnings.filterwarnings("ignore")
import numpy as np
import ase, ase.io
import MDAnalysis as mda
import pymatgen.core

HERE = os.path.dirname(os.path.abspath(__file__))
D = os.path.normpath(os.path.join(HERE, "..", "fixtures", "shared"))
GPL = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "data"))
OUT = os.path.join(HERE, "peer-io.json")
out = {"_generated_with": {"ase": ase.__version__, "MDAnalysis": mda.__version__, "pymatgen": "2022.11.7 (Debian python3-pymatgen)"}}

def from_ase(rel, call, frames):
    a0, a1 = frames[0], frames[-1]
    out[rel] = {
        "tool": "ASE " + ase.__version__, "call": call,
        "frames": len(frames), "atoms": len(a0),
        "species": a0.get_chemical_symbols(),
        "cell": a0.cell.array.tolist(), "cellLast": a1.cell.array.tolist(),
        "first": a0.positions[0].tolist(), "last": a1.positions[-1].tolist(),
    }

def ase_read(rel, **kw):
    frames = ase.io.read(os.path.join(D, rel), index=":", **kw)
    args = ", ".join(f"{k}={v!r}" for k, v in kw.items())
    from_ase(rel, f"ase.io.read(path, index=':'{', ' + args if args else ''})", frames)

ase_read("peer-trajectories/derived/LGPS_600K_unwrapped.extxyz.gz", format="extxyz")
ase_read("peer-trajectories/kinisi/example_XDATCAR.gz", format="vasp-xdatcar")
ase_read("peer-trajectories/kinisi/example_drift.XDATCAR", format="vasp-xdatcar")
ase_read("peer-trajectories/kinisi/example_center.XDATCAR", format="vasp-xdatcar")
ase_read("peer-trajectories/kinisi/example_LAMMPS_drift.traj", format="lammps-dump-text")
ase_read("peer-trajectories/kinisi/example_LAMMPS_center.traj", format="lammps-dump-text")
# sort_by_id=True: atoms in id order, as oligolyte reads a data file (ASE 3.22 keeps the file order by default, 3.23+ sorts)
ase_read("peer-trajectories/kinisi/example_LAMMPS.data", format="lammps-data", style="full", sort_by_id=True)
ase_read("peer-trajectories/kinisi/example_ase_drift.traj", format="traj")
ase_read("peer-trajectories/kinisi/example_ase_center.traj", format="traj")

# ASE .traj with everything the reader takes (made by test/fixtures/make-ase-traj.py).
from ase.units import fs as ASE_FS
rich = ase.io.read(os.path.join(HERE, "..", "fixtures", "ase-rich.traj"), index=":")
out["fixtures/ase-rich.traj"] = {
    "tool": "ASE " + ase.__version__, "call": "ase.io.read('test/fixtures/ase-rich.traj', index=':')",
    "frames": len(rich), "species": rich[0].get_chemical_symbols(), "masses": rich[0].get_masses().tolist(),
    "cell": [a.cell.array.tolist() for a in rich], "positions": [a.positions.tolist() for a in rich],
    "velocitiesAPerFs": [(a.get_velocities() * ASE_FS).tolist() for a in rich],
    "energy": [a.get_potential_energy() for a in rich], "forces": [a.get_forces().tolist() for a in rich],
    "stress3x3": [a.get_stress(voigt=False).tolist() for a in rich],
}

# DCD: MDAnalysis with the LAMMPS data file as topology.
rel = "peer-trajectories/kinisi/example_LAMMPS.dcd"
u = mda.Universe(os.path.join(D, "peer-trajectories/kinisi/example_LAMMPS.data"), os.path.join(D, rel), format="LAMMPS")
first = u.trajectory[0].positions[0].astype(float).tolist(); dims0 = u.trajectory[0].dimensions.astype(float).tolist()
last = u.trajectory[-1].positions[-1].astype(float).tolist()
out[rel] = {"tool": "MDAnalysis " + mda.__version__, "call": "Universe(example_LAMMPS.data, example_LAMMPS.dcd, format='LAMMPS')",
            "frames": len(u.trajectory), "atoms": len(u.atoms), "dimensions": dims0, "first": first, "last": last}

# XTC: MDAnalysis with the PDB topology (GPL fixture: read in place from ../shared/data, never copied).
rel = "peer-trajectories/mdanalysis-gpl/xyz_random_walk.xtc"
if os.path.exists(os.path.join(GPL, rel)):
    u = mda.Universe(os.path.join(GPL, "peer-trajectories/mdanalysis-gpl/RANDOM_WALK_TOPO.pdb"), os.path.join(GPL, rel))
    ts0 = u.trajectory[0]; first = ts0.positions[0].astype(float).tolist(); t0 = float(ts0.time)
    tsl = u.trajectory[-1]; last = tsl.positions[-1].astype(float).tolist(); tl = float(tsl.time)
    last_all = tsl.positions.astype(float).tolist()  # copy now: MDAnalysis reuses its Timestep
    out[rel] = {"tool": "MDAnalysis " + mda.__version__, "call": "Universe(RANDOM_WALK_TOPO.pdb, xyz_random_walk.xtc)",
                "frames": len(u.trajectory), "atoms": len(u.atoms), "first": first, "last": last,
                "firstTimePs": t0, "lastTimePs": tl, "dimensions": (u.trajectory[0].dimensions.tolist() if u.trajectory[0].dimensions is not None else None)}
    # Also every coordinate of the last frame, to check the decompression of each atom.
    out[rel]["lastFrameAll"] = last_all
else:
    with open(OUT) as f:
        out[rel] = json.load(f)[rel]
    print(f"note: {os.path.join(GPL, rel)} is not there; its entry is kept from peer-io.json", file=sys.stderr)

# CIF: pymatgen Structure.from_file (primitive=False) and ASE; sites compared as sets.
# NumPy coordinates (pymatgen-analysis-diffusion's aimd tests): fractional, in the CIF's atom order.
rel = "peer-trajectories/pymatgen-analysis-diffusion/cNa3PS4_trajectories.npy"
t = np.load(os.path.join(D, rel))
st = pymatgen.core.Structure.from_file(os.path.join(D, "peer-trajectories/pymatgen-analysis-diffusion/cNa3PS4.cif"), primitive=False)
out[rel] = {"tool": "numpy " + np.__version__ + " + pymatgen 2022.11.7",
            "call": "np.load(path); Structure.from_file(cNa3PS4.cif, primitive=False)",
            "frames": t.shape[0], "atoms": t.shape[1], "species": [x.specie.symbol for x in st],
            "firstFrac": t[0, 0].tolist(), "lastFrac": t[-1, -1].tolist(),
            "lastDistance01": float(pymatgen.core.Structure(st.lattice, st.species, t[-1]).get_distance(0, 1))}

# pymatgen JSON (made by test/fixtures/make-pymatgen-json.py).
from pymatgen.core.trajectory import Trajectory
FIXDIR = os.path.join(HERE, "..", "fixtures")
with open(os.path.join(FIXDIR, "pymatgen-trajectory.json")) as f:
    tr = Trajectory.from_dict(json.load(f))
out["fixtures/pymatgen-trajectory.json"] = {"tool": "pymatgen 2022.11.7", "call": "Trajectory.from_dict(json.load(f)); t.get_structure(k)",
    "frames": len(tr), "species": [x.specie.symbol for x in tr.get_structure(0)],
    "cart": [tr.get_structure(k).cart_coords.tolist() for k in range(len(tr))],
    "matrix": [tr.get_structure(k).lattice.matrix.tolist() for k in range(len(tr))]}
with open(os.path.join(FIXDIR, "pymatgen-structure.json")) as f:
    ps = pymatgen.core.Structure.from_dict(json.load(f))
out["fixtures/pymatgen-structure.json"] = {"tool": "pymatgen 2022.11.7", "call": "Structure.from_dict(json.load(f))",
    "species": [x.specie.symbol for x in ps], "cart": ps.cart_coords.tolist(), "matrix": ps.lattice.matrix.tolist()}

# Symbol-only CIFs (no operations listed) are expanded from the space-group symbol.
FIX = os.path.join(HERE, "..", "fixtures")
for rel in ["structures/LiAlCl4_COD1004036.cif", "structures/NaAlCl4_COD1004043.cif", "structures/TiO2_rutile-fit_srreal.cif",
            "peer-trajectories/pymatgen-analysis-diffusion/cNa3PS4.cif", "structures/LiCl_rocksalt.cif",
            "fixtures/symbol-only-Fd-3m.cif", "fixtures/symbol-only-R-3m-hexagonal.cif"]:
    path = os.path.join(FIX, rel[len("fixtures/"):]) if rel.startswith("fixtures/") else os.path.join(D, rel)
    s = pymatgen.core.Structure.from_file(path, primitive=False)
    out[rel] = {"tool": "pymatgen 2022.11.7", "call": "Structure.from_file(path, primitive=False)",
                "atoms": len(s), "formula": s.composition.formula, "abc": list(s.lattice.abc), "angles": list(s.lattice.angles),
                "volume": s.volume, "density": float(s.density),
                "sites": sorted([[site.specie.symbol] + [float(x % 1.0) for x in site.frac_coords] for site in s])}
with open(OUT, "w") as f:
    json.dump(out, f, indent=1)
