#!/usr/bin/python3
"""Reference Debye-equation patterns for test/analysis/scattering/debye.test.ts.

Run with Debian's ASE and pymatgen (python3-ase 3.22.1, python3-pymatgen 2022.11.7), from the
repository root:

    /usr/bin/python3 test/reference/scattering/ase/make-debye-references.py

The cluster: the first frame of test/fixtures/rdf/laoc-npt.mda.extxyz (a 256-atom LAOC glass,
Li Al O Cl), its atoms where the file puts them, the cell dropped (a finite particle, as XrDebye
treats any Atoms). Written to test/fixtures/scattering/ase/laoc-cluster.xyz.

Two references on the same Q grid:
- ASE's XrDebye in SAXS mode with method="Z" (any method other than "Iwasa" takes f = Z: ASE's
  Waasmaier-Kirfel table has no Li or Al) and damping 0: I(Q) = sum_ij Z_i Z_j sinc(Q r_ij);
- a direct double sum in numpy with pymatgen's f(s) (s = Q / 4 pi; its atomic_scattering_params.json
  coefficients, as XRDCalculator evaluates them).
"""
import datetime
import json
import os
from importlib.metadata import version

import numpy as np
from ase import Atoms
from ase.io import read, write
from ase.utils.xrdebye import XrDebye
from pymatgen.analysis.diffraction.xrd import ATOMIC_SCATTERING_PARAMS
from pymatgen.core.periodic_table import Element

root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
out_dir = os.path.join(root, "test", "fixtures", "scattering", "ase")
os.makedirs(out_dir, exist_ok=True)

frame = read(os.path.join(root, "test", "fixtures", "rdf", "laoc-npt.mda.extxyz"), index=0)
cluster = Atoms(symbols=frame.get_chemical_symbols(), positions=frame.get_positions(), pbc=False)
xyz = os.path.join(out_dir, "laoc-cluster.xyz")
write(xyz, cluster, format="extxyz")
cluster = read(xyz)  # exactly the numbers the test reads

q = np.round(np.arange(0.5, 25.0001, 0.25), 10)
xd = XrDebye(cluster, wavelength=1.0, damping=0.0, method="Z", warn=True)
ase_z = xd.calc_pattern(x=q, mode="SAXS")

pos = cluster.get_positions()
sym = cluster.get_chemical_symbols()
d = np.sqrt(((pos[:, None, :] - pos[None, :, :]) ** 2).sum(-1))
iu = np.triu_indices(len(sym), 1)
r = d[iu]


def f_pymatgen(el, qq):
    s2 = (qq / (4 * np.pi)) ** 2
    c = np.array(ATOMIC_SCATTERING_PARAMS[el])
    return Element(el).Z - 41.78214 * s2 * np.sum(c[:, 0] * np.exp(-c[:, 1] * s2))


direct = []
for qq in q:
    f = np.array([f_pymatgen(e, qq) for e in sym])
    direct.append(float(np.sum(f * f) + 2 * np.sum(f[iu[0]] * f[iu[1]] * np.sin(qq * r) / (qq * r))))

with open(os.path.join(out_dir, "debye-references.json"), "w") as fh:
    json.dump(
        {
            "made_by": "test/reference/scattering/ase/make-debye-references.py",
            "peers": f"ASE {version('ase')} XrDebye (method Z, damping 0, SAXS); pymatgen {version('pymatgen')} f(s) in a numpy double sum",
            "date": datetime.date.today().isoformat(),
            "cluster": "test/fixtures/scattering/ase/laoc-cluster.xyz",
            "qInvA": q.tolist(),
            "aseXrDebyeZ": [float(v) for v in ase_z],
            "directPymatgenF": direct,
        },
        fh,
        indent=1,
    )
print("atoms", len(sym), "Q points", len(q), "I(0.5) ASE", ase_z[0], "direct f(s)", direct[0])
