#!/usr/bin/env python3
"""PDFfit (.stru) structures for the PDFfit2 references, made from the shared CIFs.

diffpy.structure expands the CIF's space group (as PDFgui does when it opens a CIF) and writes the
PDFfit format PDFfit2 reads. Every atom gets an isotropic U = 0.02 A^2:
- LiAlCl4-iso.stru: through diffpy.structure's Atom.Uisoequiv, which for a non-orthogonal cell
  writes the tensor U^ij = U g*^ij / (a*_i a*_j) (monoclinic: u13 = U cos(beta*) ... != 0);
- LiAlCl4-diag.stru: the same atoms with u11 = u22 = u33 = 0.02 and u12 = u13 = u23 = 0, the
  common mistake (an anisotropic ellipsoid in a monoclinic cell), kept to show the difference;
- LiCl.stru: rock-salt LiCl (cubic, so both ways agree).
Run from anywhere: /usr/bin/python3 test/reference/scattering/pdffit2/make-structures.py
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import FIX, STRUCT_DATA  # noqa: E402
import numpy as np  # noqa: E402
from diffpy.structure import loadStructure  # noqa: E402

UISO = 0.02


def convert(cif, out, diagonal=False, title=None):
    s = loadStructure(os.path.join(STRUCT_DATA, cif))
    for a in s:
        if diagonal:
            a.anisotropy = True
            a.U = np.diag([UISO, UISO, UISO])
        else:
            a.anisotropy = False
            a.Uisoequiv = UISO
    if title:
        s.title = title
    path = os.path.join(FIX, out)
    s.write(path, "pdffit")
    print("wrote", path, len(s), "atoms")


if __name__ == "__main__":
    convert("LiAlCl4_COD1004036.cif", "LiAlCl4-iso.stru",
            title="LiAlCl4 COD 1004036, isotropic U 0.02 (diffpy.structure Uisoequiv)")
    convert("LiAlCl4_COD1004036.cif", "LiAlCl4-diag.stru", diagonal=True,
            title="LiAlCl4 COD 1004036, u11=u22=u33=0.02 u12=u13=u23=0 (NOT isotropic)")
    convert("LiCl_rocksalt.cif", "LiCl.stru", title="LiCl rock salt, isotropic U 0.02")
