#!/usr/bin/env python3
"""Per-term G(r) from the real PDFfit2 (calculation mode, no refinement): pdffit2-terms.json.

Each case reads one or two .stru files, allocates a calculation grid with PdfFit.alloc(stype,
qmax, qdamp, rmin, rmax, bin) (bin = number of points, dr = (rmax - rmin) / (bin - 1)), sets the
named variables with setvar (phase variables on the phase chosen with setphase), runs calc() and
stores getR(), getpdf_fit(). Every setting PDFfit2 holds after the set-up (read back with getvar)
is stored with the case, so a case is fully described by the file: structure files, stype, qmax,
grid and the phase/dataset variables.

One term is switched on at a time against the 'plain' case (Qmax 0, Qdamp 0, no sharpening) of
the same structure; a few combined cases follow. Phase fractions are PdfFit.phase_fractions().

Run: PYTHONPATH=... /usr/bin/python3 test/reference/scattering/pdffit2/make-terms.py
"""
import datetime
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (  # noqa: E402
    FIX, PDF_DATA, new_engine, peer_info, rel_shared, sig_list, sig, write_json,
)
import numpy as np  # noqa: E402

RMIN, RMAX, NPTS = 1.0, 20.0, 761  # dr = 0.025 A
STRU = {
    "Ni-srreal": os.path.join(PDF_DATA, "Ni-srreal-test.stru"),
    "Ni": os.path.join(PDF_DATA, "Ni.stru"),
    "TiO2": os.path.join(PDF_DATA, "TiO2_rutile-fit.stru"),
    "CdSe": os.path.join(PDF_DATA, "CdSe-wurtzite.stru"),
    "LiAlCl4-iso": os.path.join(FIX, "LiAlCl4-iso.stru"),
    "LiAlCl4-diag": os.path.join(FIX, "LiAlCl4-diag.stru"),
    "LiCl": os.path.join(FIX, "LiCl.stru"),
}
# The .stru 'sharp' line sets delta2, delta1, sratio, rcut; TiO2_rutile-fit.stru carries
# delta2 = 2.309118. A 'plain' case zeroes all of them explicitly.
PLAIN_PHASE = {"delta1": 0.0, "delta2": 0.0, "sratio": 1.0, "rcut": 0.0, "spdiameter": 0.0,
               "stepcut": 0.0, "pscale": 1.0}
PHASE_VARS = ["pscale", "delta1", "delta2", "sratio", "rcut", "spdiameter", "stepcut"]
DATA_VARS = ["dscale", "qdamp", "qbroad"]


def run_case(name, what, phases, stype="X", qmax=0.0, data=None, rgrid=(RMIN, RMAX, NPTS),
             atom_vars=None):
    """phases: list of (structure key, {phase var: value}); data: {dataset var: value}."""
    data = dict(data or {})
    pf = new_engine()
    for key, _ in phases:
        pf.read_struct(STRU[key])
    rmin, rmax, n = rgrid
    pf.alloc(stype, qmax, data.get("qdamp", 0.0), rmin, rmax, n)
    for var in DATA_VARS:
        if var in data:
            pf.setvar(var, data[var])
    phase_out = []
    for ip, (key, pvars) in enumerate(phases, start=1):
        pf.setphase(ip)
        settings = dict(PLAIN_PHASE)
        settings.update(pvars)
        for var, val in settings.items():
            pf.setvar(var, val)
        for (aip, var), val in (atom_vars or {}).items():
            if aip == ip:
                pf.setvar(var, val)
        phase_out.append({"structure": rel_shared(STRU[key]), "key": key})
    pf.calc()
    r = np.array(pf.getR())
    g = np.array(pf.getpdf_fit())
    assert len(r) == n and np.all(np.isfinite(g)), name
    for ip, ph in enumerate(phase_out, start=1):
        pf.setphase(ip)
        ph["vars"] = {v: pf.getvar(v) for v in PHASE_VARS}
        ph["atoms"] = pf.num_atoms()
        ph["latticeA"] = [pf.getvar("lat(%d)" % i) for i in range(1, 7)]
    case = {
        "name": name,
        "what": what,
        "stype": stype,
        "qmax": qmax,
        "dataVars": {v: pf.getvar(v) for v in DATA_VARS},
        "phases": phase_out,
        "grid": {"rmin": rmin, "rmax": rmax, "points": n, "dr": (rmax - rmin) / (n - 1)},
        "G": sig_list(g, 9),
    }
    if atom_vars:
        case["atomVars"] = [{"phase": ip, "var": v, "value": val}
                            for (ip, v), val in atom_vars.items()]
    if len(phases) > 1:
        fr = pf.phase_fractions()
        case["phaseFractions"] = {k: sig_list(v, 12) for k, v in fr.items()}
    # a check that the grid is the one described (r is not stored, it is rmin + i dr)
    assert np.allclose(r, rmin + np.arange(n) * (rmax - rmin) / (n - 1), atol=1e-9)
    return case


def termination_rule_check():
    """Re-apply the Qmax rule written in README.md (slice [rmin, rmax + 6*2pi/Qmax], zero-pad to
    2^ceil(log2(2n)), dQ = 2pi/((padlen - 1) dr), zero indices ceil(Qmax/dQ) .. padlen -
    ceil(Qmax/dQ), inverse FFT, real part) with numpy to PDFfit2's Qmax 0 G(r) on the extended
    grid, and compare with PDFfit2's own Qmax result. Returns max |difference| per case."""
    out = []
    for qmax, (rmin, rmax, n) in [(25.0, (RMIN, RMAX, NPTS)), (40.0, (RMIN, RMAX, NPTS)),
                                  (25.0, (0.01, 20.0, 2000))]:
        dr = (rmax - rmin) / (n - 1)
        ncmax = int(round((rmax + 6 * 2 * np.pi / qmax - rmin) / dr))

        def g_of(q, top, npts):
            pf = new_engine()
            pf.read_struct(STRU["Ni-srreal"])
            pf.alloc("X", q, 0.0, rmin, top, npts)
            pf.calc()
            return np.array(pf.getpdf_fit())

        full = g_of(0.0, rmin + ncmax * dr, ncmax + 1)
        padlen = 2 ** int(np.ceil(np.log2(2 * len(full))))
        spec = np.fft.fft(np.concatenate([full, np.zeros(padlen - len(full))]))
        lo = int(np.ceil(qmax / (2 * np.pi / ((padlen - 1) * dr))))
        spec[lo:padlen + 1 - lo] = 0.0
        mine = np.fft.ifft(spec).real[:n]
        out.append({"qmax": qmax, "grid": [rmin, rmax, n],
                    "maxAbsDiff": float(np.abs(mine - g_of(qmax, rmax, n)).max())})
    return out


def main():
    cases = []
    ni = [("Ni-srreal", {})]
    add = cases.append
    # --- each term alone on fcc Ni (U = 0.00126651, orthogonal cell)
    add(run_case("ni-plain", "Ni-srreal-test.stru, X-ray, nothing else", ni))
    add(run_case("ni-qmax25", "Qmax 25 termination only", ni, qmax=25.0))
    add(run_case("ni-qmax40", "Qmax 40 termination only", ni, qmax=40.0))
    add(run_case("ni-qdamp", "Qdamp 0.04 only", ni, data={"qdamp": 0.04}))
    add(run_case("ni-qbroad", "Qbroad 0.03 only", ni, data={"qbroad": 0.03}))
    add(run_case("ni-dscale", "dscale 0.8 only", ni, data={"dscale": 0.8}))
    add(run_case("ni-delta1", "delta1 0.6 A only", [("Ni-srreal", {"delta1": 0.6})]))
    add(run_case("ni-delta2", "delta2 3.0 A^2 only", [("Ni-srreal", {"delta2": 3.0})]))
    add(run_case("ni-sratio", "sratio 0.7 below rcut 3.0 A only",
                 [("Ni-srreal", {"sratio": 0.7, "rcut": 3.0})]))
    add(run_case("ni-spdiameter", "spdiameter 15 A only", [("Ni-srreal", {"spdiameter": 15.0})]))
    add(run_case("ni-pscale", "pscale 0.6 only", [("Ni-srreal", {"pscale": 0.6})]))
    add(run_case("ni-neutron", "neutron weights (single element: equals X-ray)", ni, stype="N"))
    add(run_case("ni-aniso", "anisotropic U on atom 1 (u11 .004 u22 .002 u33 .003 u12 .001 "
                 "u13 -.0005 u23 .0008), others as read", ni,
                 atom_vars={(1, "u11(1)"): 0.004, (1, "u22(1)"): 0.002, (1, "u33(1)"): 0.003,
                            (1, "u12(1)"): 0.001, (1, "u13(1)"): -0.0005,
                            (1, "u23(1)"): 0.0008}))
    add(run_case("ni-qmax-grid-from-zero-edge", "Qmax 25 on a grid starting at 0.01 A "
                 "(termination slice starts at rmin)", ni, qmax=25.0,
                 rgrid=(0.01, 20.0, 2000)))
    add(run_case("ni-all", "all terms together: Qmax 40, Qdamp 0.06, Qbroad 0.01, dscale 0.9, "
                 "delta2 1.5, sratio 0.9 rcut 2.6, spdiameter 40",
                 [("Ni-srreal", {"delta2": 1.5, "sratio": 0.9, "rcut": 2.6,
                                 "spdiameter": 40.0})],
                 qmax=40.0, data={"qdamp": 0.06, "qbroad": 0.01, "dscale": 0.9}))
    # --- the tutorial's Ni starting model
    add(run_case("ni-tutorial-start", "Ni.stru (U 0.0025) with the lesson-1 start: Qmax 40, "
                 "Qdamp 0.08", [("Ni", {})], qmax=40.0, data={"qdamp": 0.08}))
    # --- rutile: anisotropic U from the file; the file's own delta2 case reproduces the .fgr
    add(run_case("tio2-plain", "TiO2_rutile-fit.stru, anisotropic U, delta2 zeroed", [("TiO2", {})]))
    add(run_case("tio2-neutron", "rutile, neutron weights (Ti b < 0)", [("TiO2", {})], stype="N"))
    add(run_case("tio2-fgr-settings", "rutile as in TiO2_rutile-fit.fgr: Qmax 26, Qdamp "
                 "0.0665649, dscale 0.655857, delta2 2.309118",
                 [("TiO2", {"delta2": 2.309118})], qmax=26.0,
                 data={"qdamp": 0.0665649, "dscale": 0.655857}))
    # --- wurtzite CdSe: hexagonal cell, the .stru's u11 = u22 = u33 taken literally
    add(run_case("cdse-plain", "CdSe-wurtzite.stru as read (u11=u22=u33=0.014/0.015, u12=0, "
                 "hexagonal: not isotropic)", [("CdSe", {})]))
    add(run_case("cdse-tutorial-like", "CdSe with Qmax 14, Qdamp 0.0486, delta2 5.69",
                 [("CdSe", {"delta2": 5.69})], qmax=14.0, data={"qdamp": 0.0486}))
    add(run_case("cdse-spdiameter", "CdSe spdiameter 30 A only", [("CdSe", {"spdiameter": 30.0})]))
    # --- monoclinic LiAlCl4: the isotropic-U rule
    add(run_case("lialcl4-iso", "LiAlCl4-iso.stru (U 0.02 as the proper isotropic tensor)",
                 [("LiAlCl4-iso", {})]))
    add(run_case("lialcl4-diag", "LiAlCl4-diag.stru (u11=u22=u33=0.02, u13=0: anisotropic)",
                 [("LiAlCl4-diag", {})]))
    add(run_case("lialcl4-iso-neutron", "LiAlCl4-iso.stru, neutron weights (Li b < 0)",
                 [("LiAlCl4-iso", {})], stype="N"))
    # --- two phases: LiAlCl4 + LiCl, the study's mixture
    two = [("LiAlCl4-iso", {"pscale": 0.7}), ("LiCl", {"pscale": 0.3})]
    add(run_case("two-phase-xray", "LiAlCl4 pscale 0.7 + LiCl pscale 0.3, dscale 0.9, X-ray",
                 two, data={"dscale": 0.9}))
    add(run_case("two-phase-neutron", "the same mixture with neutron weights", two, stype="N",
                 data={"dscale": 0.9}))
    add(run_case("two-phase-xray-qmax", "the mixture with Qmax 25, Qdamp 0.04 (termination "
                 "on the total)", two, qmax=25.0, data={"dscale": 0.9, "qdamp": 0.04}))
    add(run_case("lialcl4-alone-for-mix", "LiAlCl4 alone, pscale 1 (for the linear-combination "
                 "check)", [("LiAlCl4-iso", {})]))
    add(run_case("licl-alone-for-mix", "LiCl alone, pscale 1", [("LiCl", {})]))

    # scattering factors PDFfit2 used (its own tables), for the elements in these cases
    pf = new_engine()
    scat = {}
    for el in ["Ni", "Ti", "O", "Cd", "Se", "Li", "Al", "Cl"]:
        scat[el] = {"X": pf.get_scat("X", el), "N": pf.get_scat("N", el)}

    out = {
        "description": "G(r) from the real PDFfit2 in calculation mode, one term at a time. "
                       "r = grid.rmin + i*grid.dr, i = 0..points-1. G rounded to 9 significant "
                       "digits. See README.md and PROVENANCE.md beside this file.",
        "generator": "test/reference/scattering/pdffit2/make-terms.py",
        "date": datetime.date.today().isoformat(),
        **peer_info(),
        "scatteringFactors": scat,
        "terminationRuleCheck": termination_rule_check(),
        "cases": cases,
    }
    write_json("pdffit2-terms.json", out)
    # the two-phase total is the plain linear combination of the one-phase G's: check it here
    by = {c["name"]: np.array(c["G"]) for c in cases}
    mix = 0.9 * (0.7 * by["lialcl4-alone-for-mix"] + 0.3 * by["licl-alone-for-mix"])
    print("two-phase linear combination max |diff|:", sig(np.abs(mix - by["two-phase-xray"]).max(), 3))


if __name__ == "__main__":
    main()
