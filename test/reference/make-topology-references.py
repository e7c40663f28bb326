#!/usr/bin/env python3
"""Reference values for the PDB, GRO and mmCIF readers (test/io/md-formats-peers.test.ts): what
MDAnalysis, ASE and Biopython read from the files of test/fixtures/make-md-topologies.py, and from
MDAnalysis's RANDOM_WALK_TOPO.pdb + xyz_random_walk.xtc in ../shared (GPL: read in place, never copied).

Run with Debian's python3 (python3-mdanalysis 2.4.2, python3-ase 3.22.1, python3-biopython 1.80):
    /usr/bin/python3 test/reference/make-topology-references.py > test/reference/md-topologies.json
    npx biome format --write test/reference/md-topologies.json
Each entry names the tool and the exact call.
"""
import io
import json
import os
import sys
import warnings

warnings.simplefilter("ignore")
import numpy as np
import ase
import ase.io
import ase.units
import Bio
import MDAnalysis as mda
from Bio.PDB import MMCIFParser
from Bio.PDB.MMCIF2Dict import MMCIF2Dict

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.normpath(os.path.join(HERE, "..", "fixtures"))
SHARED = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "data"))
out = {"_generated_with": {"MDAnalysis": mda.__version__, "ase": ase.__version__, "biopython": Bio.__version__}}

fl = lambda a: [float(x) for x in a]


def mda_elements(u):
    """MDAnalysis's elements: the element columns when the file has them, else its guess from the names."""
    if hasattr(u.atoms, "elements"):
        return [str(e) for e in u.atoms.elements], "u.atoms.elements"
    return [str(t) for t in u.atoms.types], "u.atoms.types (guessed from the names)"


def from_mda(key, call, u, velocities=False):
    els, how = mda_elements(u)
    frames = []
    for ts in u.trajectory:
        f = {"dimensions": None if ts.dimensions is None else fl(ts.dimensions),
             "first": fl(ts.positions[0]), "last": fl(ts.positions[-1]), "time": float(ts.time)}
        if velocities and ts.has_velocities:
            f["velocityFirstAPerPs"] = fl(ts.velocities[0])
            f["velocityLastAPerPs"] = fl(ts.velocities[-1])
        frames.append(f)
    entry = {"tool": "MDAnalysis " + mda.__version__, "call": call, "atoms": len(u.atoms), "elements": els,
             "elementsFrom": how, "frames": frames}
    if hasattr(u, "bonds") and len(u.bonds):
        entry["bonds"] = sorted(sorted(int(i) for i in b) for b in u.bonds.indices)
    out.setdefault(key, {})["MDAnalysis"] = entry


def from_ase(key, call, images):
    out.setdefault(key, {})["ASE"] = {
        "tool": "ASE " + ase.__version__, "call": call,
        "frames": [{"atoms": len(a), "symbols": a.get_chemical_symbols(), "pbc": [bool(p) for p in a.pbc],
                    "cell": a.cell.array.tolist(), "cellpar": fl(a.cell.cellpar()),
                    "first": fl(a.positions[0]) if len(a) else None, "last": fl(a.positions[-1]) if len(a) else None,
                    "velocityFirstAPerFs": fl(a.get_velocities()[0] * ase.units.fs) if len(a) and a.has("momenta") else None}
                   for a in images],
    }


fx = lambda name: os.path.join(FIX, name)

def try_ase(key, call, read):
    """ASE's reading, or the error it raises (recorded: the test shows where ASE gives up)."""
    try:
        from_ase(key, call, read())
    except Exception as e:  # noqa: BLE001
        out.setdefault(key, {})["ASE"] = {"tool": "ASE " + ase.__version__, "call": call, "error": f"{type(e).__name__}: {e}"}


for name in ("md-electrolyte.pdb", "md-electrolyte-guess.pdb", "md-electrolyte-npt.pdb", "md-electrolyte-npt-after.pdb"):
    from_mda(name, f"mda.Universe('test/fixtures/{name}')", mda.Universe(fx(name)))
    try_ase(name, f"ase.io.read('test/fixtures/{name}', index=':')", lambda: ase.io.read(fx(name), index=":"))

for name in ("md-electrolyte.gro", "md-electrolyte-ase.gro"):
    from_mda(name, f"mda.Universe('test/fixtures/{name}')", mda.Universe(fx(name)), velocities=True)
    try_ase(name, f"ase.io.read('test/fixtures/{name}', format='gromacs')", lambda: [ase.io.read(fx(name), format="gromacs")])

# A .gro trajectory: MDAnalysis 2.4 and ASE read only the first frame of a .gro, so each frame's text
# is read on its own (split after every box line).
name = "md-electrolyte-traj.gro"
lines = open(fx(name)).read().splitlines(keepends=True)
frames, i = [], 0
while i < len(lines):
    nat = int(lines[i + 1])
    frames.append("".join(lines[i:i + nat + 3]))
    i += nat + 3
per_frame = []
for k, text in enumerate(frames):
    u = mda.Universe(mda.lib.util.NamedStream(io.StringIO(text), "frame.gro"))
    ts = u.trajectory[0]
    per_frame.append({"title": text.splitlines()[0], "dimensions": fl(ts.dimensions), "first": fl(ts.positions[0]),
                      "last": fl(ts.positions[-1]), "velocityFirstAPerPs": fl(ts.velocities[0])})
out[name] = {"MDAnalysis": {"tool": "MDAnalysis " + mda.__version__,
                            "call": "each frame's text (title .. box line): mda.Universe(NamedStream(StringIO(text), 'frame.gro'))",
                            "elements": mda_elements(u)[0], "frames": per_frame}}

# XTC and DCD with the GRO as topology.
for ext in ("xtc", "dcd"):
    name = f"md-electrolyte.{ext}"
    from_mda(name, f"mda.Universe('test/fixtures/md-electrolyte.gro', 'test/fixtures/{name}')",
             mda.Universe(fx("md-electrolyte.gro"), fx(name)))

# mmCIF: Biopython (models, atoms, elements, coordinates; the cell through MMCIF2Dict) and ASE.
name = "md-electrolyte.cif"
s = MMCIFParser(QUIET=True).get_structure("md", fx(name))
models = list(s)
d = MMCIF2Dict(fx(name))
out[name] = {"Biopython": {
    "tool": "Biopython " + Bio.__version__,
    "call": "MMCIFParser(QUIET=True).get_structure('md', path); MMCIF2Dict(path)['_cell.length_a'] ...",
    "models": len(models), "atomsPerModel": [len(list(m.get_atoms())) for m in models],
    "elements": [a.element for a in models[0].get_atoms()],
    "first": fl(list(models[0].get_atoms())[0].coord), "last": fl(list(models[-1].get_atoms())[-1].coord),
    "modelFirst": [fl(list(m.get_atoms())[0].coord) for m in models],
    "cell": [float(d[f"_cell.{k}"][0]) for k in ("length_a", "length_b", "length_c", "angle_alpha", "angle_beta", "angle_gamma")],
}}
try_ase(name, f"ase.io.read('test/fixtures/{name}', index=':', format='cif')",
        lambda: ase.io.read(fx(name), index=":", format="cif"))

# MDAnalysis's random walk (GPL, in ../shared): the PDB as topology of the XTC.
topo = os.path.join(SHARED, "peer-trajectories/mdanalysis-gpl/RANDOM_WALK_TOPO.pdb")
xtc = os.path.join(SHARED, "peer-trajectories/mdanalysis-gpl/xyz_random_walk.xtc")
if os.path.exists(topo) and os.path.exists(xtc):
    key = "shared:peer-trajectories/mdanalysis-gpl/RANDOM_WALK_TOPO.pdb+xyz_random_walk.xtc"
    u = mda.Universe(topo, xtc)
    from_mda(key, "mda.Universe(RANDOM_WALK_TOPO.pdb, xyz_random_walk.xtc)", u)
    ut = mda.Universe(topo)
    from_mda("shared:peer-trajectories/mdanalysis-gpl/RANDOM_WALK_TOPO.pdb", "mda.Universe(RANDOM_WALK_TOPO.pdb)", ut)
    try_ase("shared:peer-trajectories/mdanalysis-gpl/RANDOM_WALK_TOPO.pdb", "ase.io.read(RANDOM_WALK_TOPO.pdb, index=':')",
            lambda: ase.io.read(topo, index=":"))
else:
    print("warning: ../shared/data/peer-trajectories/mdanalysis-gpl is absent: no random-walk references", file=sys.stderr)

json.dump(out, sys.stdout, indent=1)
sys.stdout.write("\n")
