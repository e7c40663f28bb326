#!/usr/bin/env python3
"""PDFgui's published tutorials run as PDFfit2 refinements: pdffit2-tutorials.json.

The fits are driven exactly as PDFgui drives PDFfit2 (diffpy.pdfgui control/fitting.py
Fitting.configure and refine_step, at the commit in PROVENANCE.md), using PDFgui's own classes for
the parts that shape the numbers:
- data: FitDataSet.read(file) (header metadata: qmax, stype), fitrmin/fitrmax set as in the
  tutorial, then FitDataSet.writeResampledObsStr(): the observed points from the last r BELOW the
  fit start up to fitrmax, written with '%g' (6 significant digits), columns r G dr=0 dG; PDFfit2
  reads that text (read_data_string), so weights are 1/dG^2 and every passed point is fitted;
- structure: FitStructure.read(file).initial.writeStr('pdffit') -> read_struct_string;
- constraints with PdfFit.constrain(var, formula), parameters with setpar(idx, initial);
- refinement: refine_step(toler) until finished, toler = 0.001 (Fitting.tolerancy).
Each fit is also run to PDFfit2's own default tolerance 1e-8 ('converged'), because PDFgui's loose
tolerance stops short of the minimum by more than the (unscaled, tiny) standard errors.

Steps and starting values: docs/source/tutorial.rst Lesson 1 and Lesson 4 (Ni), and the
CdSe-nano.ddp3 project of docs/source/examples.rst "Nanoparticle structure" (its constraints,
initial values and fit ranges were read from the project file, listed below).

Standard errors: PDFfit2 prints them with 2 significant digits only (save_res_string) and has no
getter for them, so they are stored twice: as printed ('stdPrinted'), and recomputed from the
model at the refined point as sqrt(diag((J^T W J)^-1)) with J by central differences of
PDFfit2's own calc() ('stdFromJacobian'), which checks the convention (no reduced-chi2 scaling).

Run: PYTHONPATH=... /usr/bin/python3 test/reference/scattering/pdffit2/make-tutorials.py
"""
import datetime
import io
import os
import pickle
import re
import sys
import types
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (  # noqa: E402
    PDF_DATA, new_engine, peer_info, rel_shared, sig, sig_list, write_json,
)
import numpy  # noqa: E402
from diffpy.pdfgui.control import fitdataset  # noqa: E402
from diffpy.pdfgui.control.fitstructure import FitStructure  # noqa: E402

# PDFgui at this commit calls numpy.asarray(..., copy=None) (numpy >= 2); Debian has numpy 1.24.
# Give its module a numpy whose asarray accepts the keyword; nothing else changes.
_np_shim = types.SimpleNamespace(**{k: getattr(numpy, k) for k in dir(numpy) if not k.startswith("__")})
_np_shim.asarray = lambda a, dtype=None, copy=None: (numpy.array(a, dtype=dtype) if copy
                                                    else numpy.asarray(a, dtype=dtype))
fitdataset.numpy = _np_shim

PDFGUI_TOLERANCE = 0.001   # diffpy.pdfgui control/fitting.py: self.tolerancy = 0.001
PDFFIT2_TOLERANCE = 1e-8   # PdfFit.refine default
SUBSAMPLE = 5


def ni_lesson1():
    return {
        "name": "ni-lesson1",
        "what": "PDFgui tutorial Lesson 1: Ni X-ray, fit 1.7-20 A, Qmax 40 (file header), "
                "refine dscale @1, Qdamp @2 (start 0.08), a=b=c @3, u11=u22=u33 of all 4 atoms @4",
        "data": os.path.join(PDF_DATA, "Ni-xray.gr"),
        "structure": os.path.join(PDF_DATA, "Ni.stru"),
        "fitrmin": 1.7, "fitrmax": 20.0, "qdamp": 0.08,
        "phaseConstraints": dict(
            [("lat(%d)" % i, "@3") for i in (1, 2, 3)]
            + [("u%s(%d)" % (uu, a), "@4") for a in (1, 2, 3, 4) for uu in ("11", "22", "33")]),
        "dataConstraints": {"dscale": "@1", "qdamp": "@2"},
        # initial values: what PDFgui shows when the constraint is typed (the current values)
        "parameters": {1: 1.0, 2: 0.08, 3: 3.52, 4: 0.0025},
    }


def ni_lesson4(fit1_refined):
    fit = ni_lesson1()
    fit["name"] = "ni-lesson4-delta2"
    fit["what"] = ("PDFgui tutorial Lesson 4: copy of Lesson 1 whose parameters start from "
                   "Lesson 1's refined values ('=Fit 1'), plus delta2 @9 (start 0, the .stru value)")
    fit["phaseConstraints"]["delta2"] = "@9"
    fit["parameters"] = dict(fit1_refined)
    fit["parameters"][9] = 0.0
    return fit


def cdse_constraints():
    c = {"lat(1)": "@1", "lat(2)": "@1", "lat(3)": "@2", "z(3)": "@11", "z(4)": "@11 +0.5",
         "delta2": "@200"}
    for a, p in ((1, "@21"), (2, "@21"), (3, "@23"), (4, "@23")):
        for uu in ("11", "22", "33"):
            c["u%s(%d)" % (uu, a)] = p
    return c


def cdse_bulk():
    return {
        "name": "cdse-bulk",
        "what": "PDFgui example 'Nanoparticle structure', fit CdSe-bulk (project CdSe-nano.ddp3): "
                "fit 1.7-19.8 A, Qmax 14, Qdamp 0.0486 fixed (Ni calibration), refine a @1, "
                "c @2, z(Se) @11 (z(4) = @11 +0.5), U Cd @21, U Se @23 (u11=u22=u33 only, u12 "
                "stays 0), dscale @100, delta2 @200",
        "data": os.path.join(PDF_DATA, "CdSe-bulk.gr"),
        "structure": os.path.join(PDF_DATA, "CdSe-wurtzite.stru"),
        "fitrmin": 1.7, "fitrmax": 19.8, "qdamp": 0.0486,
        "phaseConstraints": cdse_constraints(),
        "dataConstraints": {"dscale": "@100"},
        "parameters": {1: 4.3, 2: 7.01, 11: 0.375, 21: 0.014, 23: 0.015, 100: 1.0, 200: 0.0},
    }


def cdse_3nm():
    c = cdse_constraints()
    c["spdiameter"] = "@150"
    return {
        "name": "cdse-3nm",
        "what": "the same for CdSe-3nm (project CdSe-nano.ddp3): fit 1.7-44.8 A, same starting "
                "values except delta2 5.69 (bulk result quoted by the tutorial) and spdiameter "
                "@150 = 25 A; Qdamp 0.0486 fixed",
        "data": os.path.join(PDF_DATA, "CdSe-3nm.gr"),
        "structure": os.path.join(PDF_DATA, "CdSe-wurtzite.stru"),
        "fitrmin": 1.7, "fitrmax": 44.8, "qdamp": 0.0486,
        "phaseConstraints": c,
        "dataConstraints": {"dscale": "@100"},
        "parameters": {1: 4.3, 2: 7.01, 11: 0.375, 21: 0.014, 23: 0.015, 100: 1.0, 150: 25.0,
                       200: 5.69},
    }


def configure(fit):
    """Fitting.configure() for one structure and one data set."""
    ds = fitdataset.FitDataSet(os.path.basename(fit["data"]))
    ds.read(fit["data"])
    ds.fitrmin = fit["fitrmin"]
    ds.fitrmax = fit["fitrmax"]
    ds.qdamp = fit["qdamp"]
    st = FitStructure(os.path.basename(fit["structure"]))
    st.read(fit["structure"])
    pf = new_engine()
    pf.reset()
    pf.read_struct_string(st.initial.writeStr("pdffit"))
    for var, formula in fit["phaseConstraints"].items():
        pf.constrain(var, formula)
    datastr = ds.writeResampledObsStr()
    pf.read_data_string(datastr, ds.stype, ds.qmax, ds.qdamp)
    pf.setvar("qbroad", ds.qbroad)
    for var, formula in fit["dataConstraints"].items():
        pf.constrain(var, formula)
    for idx, val in fit["parameters"].items():
        pf.setpar(idx, val)
    return pf, ds, datastr


def parse_data_string(text):
    rows = []
    started = False
    for line in text.splitlines():
        if line.startswith("#"):
            started = started or "start data" in line
            continue
        if started and line.strip():
            rows.append([float(x) for x in line.split()])
    return numpy.array(rows)


def parse_result(res):
    """Errors (2 significant digits), reduced chi2, Rw, iterations from save_res_string()."""
    out = {"stdPrinted": {}}
    block = res.split("Refinement parameters :")[1].split("REFINEMENT INFORMATION")[0]
    for m in re.finditer(r"(\d+):\s*(\S+)(?:\s*\(([^)]*)\))?", block):
        out["stdPrinted"][int(m.group(1))] = float(m.group(3)) if m.group(3) else 0.0
    out["reducedChi2Printed"] = float(re.search(r"Reduced chi squared\s*:\s*(\S+)", res).group(1))
    out["rwPrinted"] = float(re.search(r"Rw - value\s*:\s*(\S+)", res).group(1))
    out["iterations"] = int(re.search(r"Number of iterations\s*:\s*(\d+)", res).group(1))
    return out


def jacobian_errors(pf, idxs, w):
    """sqrt(diag((J^T W J)^-1)) with J from central differences of PDFfit2's own model."""
    p0 = {i: pf.getpar(i) for i in idxs}
    cols = []
    for i in idxs:
        h = 1e-5 * max(abs(p0[i]), 1e-2)
        pf.setpar(i, p0[i] + h)
        pf.calc()
        gp = numpy.array(pf.getpdf_fit())
        pf.setpar(i, p0[i] - h)
        pf.calc()
        gm = numpy.array(pf.getpdf_fit())
        pf.setpar(i, p0[i])
        cols.append((gp - gm) / (2 * h))
    pf.calc()
    J = numpy.array(cols).T
    alpha = J.T @ (J * w[:, None])
    cov = numpy.linalg.inv(alpha)
    std = numpy.sqrt(numpy.diag(cov))
    corr = cov / numpy.outer(std, std)
    return std, corr


def run(fit, toler):
    pf, ds, datastr = configure(fit)
    steps = 0
    while not pf.refine_step(toler):
        steps += 1
    res = pf.save_res_string()
    idxs = sorted(fit["parameters"])
    refined = {i: pf.getpar(i) for i in idxs}
    rw = pf.getrw()
    r = numpy.array(pf.getR())
    gcalc = numpy.array(pf.getpdf_fit())
    gobs = numpy.array(pf.getpdf_obs())
    data = parse_data_string(datastr)
    assert len(data) == len(r) and numpy.allclose(data[:, 0], r, atol=1e-9)
    w = 1.0 / data[:, 3] ** 2
    chi2 = float(numpy.sum(w * (gobs - gcalc) ** 2))
    rw_check = (chi2 / float(numpy.sum(w * gobs ** 2))) ** 0.5
    printed = parse_result(res)
    std_j, corr = jacobian_errors(pf, idxs, w)
    variables = {}
    for v in ["lat(1)", "lat(2)", "lat(3)", "delta2", "delta1", "spdiameter", "pscale",
              "dscale", "qdamp", "qbroad", "u11(1)", "u22(1)", "u33(1)", "u12(1)", "z(3)",
              "z(4)", "u11(3)", "u33(3)"]:
        try:
            variables[v] = pf.getvar(v)
        except Exception:
            pass
    npts = len(r)
    return {
        "tolerance": toler,
        "refined": {str(i): refined[i] for i in idxs},
        "stdPrinted": {str(i): printed["stdPrinted"].get(i) for i in idxs},
        "stdFromJacobian": {str(i): sig(s, 6) for i, s in zip(idxs, std_j)},
        "correlationFromJacobian": [sig_list(row, 6) for row in corr],
        "variables": variables,
        "rw": rw,
        "rwRecomputed": rw_check,
        "chi2": chi2,
        "reducedChi2": chi2 / (npts - len(idxs)),
        "reducedChi2Printed": printed["reducedChi2Printed"],
        "iterations": printed["iterations"],
        "points": npts,
        "freeParameters": len(idxs),
        "fitGrid": {"rFirst": float(r[0]), "rLast": float(r[-1]), "dr": float(r[1] - r[0])},
        "curveEvery": SUBSAMPLE,
        "r": sig_list(r[::SUBSAMPLE], 8),
        "Gobs": sig_list(gobs[::SUBSAMPLE], 8),
        "Gcalc": sig_list(gcalc[::SUBSAMPLE], 9),
        "resultText": res,
    }, ds


def describe(fit, ds):
    return {
        "name": fit["name"],
        "what": fit["what"],
        "data": rel_shared(fit["data"]),
        "structure": rel_shared(fit["structure"]),
        "stype": ds.stype,
        "qmax": ds.qmax,
        "qdampStart": fit["qdamp"],
        "fitrmin": fit["fitrmin"],
        "fitrmax": fit["fitrmax"],
        "phaseConstraints": fit["phaseConstraints"],
        "dataConstraints": fit["dataConstraints"],
        "parametersStart": {str(k): v for k, v in fit["parameters"].items()},
    }


PDFGUI_ZIP = os.path.join(os.environ.get("PDFGUI_SRC", "/tmp/pdfgui-src"), "docs", "source",
                          "manual_resources", "Nanoparticle structure.zip")


class _StringsOnly(pickle.Unpickler):
    def find_class(self, module, name):
        raise pickle.UnpicklingError("only plain pickled strings are read here")


def project_results():
    """Refined values stored in PDFgui's own CdSe-nano.ddp3 (PDFgui/PDFfit2 of 2007).

    Its 'result' entries are pickled text; the refinement parameters (value and printed std) and
    Rw are parsed from them. NOTE: that project's stored observed data differ from the
    CdSe-*.gr files shipped in the same zip (G at 1.7 A: -0.789 vs -0.571), and that PDFgui fitted
    the full data file with a fit range; the numbers are for information, not for comparison.
    """
    out = {}
    with zipfile.ZipFile(PDFGUI_ZIP) as z:
        ddp = z.read("Nanoparticle structure/CdSe-nano.ddp3")
    with zipfile.ZipFile(io.BytesIO(ddp)) as z:
        for fit in ("CdSe-bulk", "CdSe-3nm"):
            # PDFgui stores (Rw, result text)
            rw_stored, text = _StringsOnly(io.BytesIO(z.read("CdSe-nano/%s/result" % fit)),
                                           encoding="latin1").load()
            block = text.split("Refinement parameters :")[1].split("-----")[0]
            pars = {m.group(1): [float(m.group(2)), float(m.group(3))] for m in
                    re.finditer(r"(\d+):\s*(\S+)\s*\(([^)]*)\)", block)}
            out[fit] = {
                "parameters(value,stdPrinted)": pars,
                "rw": rw_stored,
                "reducedChi2": float(re.search(r"Reduced chi squared\s*:\s*(\S+)", text).group(1)),
                "fitRangeLine": re.search(r"Refinement r range.*", text).group(0).strip(),
                "date": text.splitlines()[0].strip("* ").strip(),
            }
        # Refit the project's own stored data with today's PDFfit2: 'pdfrange' = the 2007 way
        # (whole file read, fit range set by pdfrange), 'cut' = today's PDFgui (data cut at the
        # last point below fitrmin and passed as text). The bulk 'pdfrange' refit reproduces the
        # stored 2007 values to every printed digit.
        for fit, setup in (("CdSe-bulk", cdse_bulk()), ("CdSe-3nm", cdse_3nm())):
            obs = z.read("CdSe-nano/%s/dataset/%s.gr/obs" % (fit, fit)).decode("latin1")
            out[fit]["refitStoredDataToday"] = {
                way: refit_text(setup, obs, way) for way in ("pdfrange", "cut")}
    return out


def refit_text(setup, obs, way):
    pf = new_engine()
    pf.read_struct(setup["structure"])
    for var, formula in setup["phaseConstraints"].items():
        pf.constrain(var, formula)
    if way == "pdfrange":
        pf.read_data_string(obs, "X", 14.0, setup["qdamp"])
        pf.pdfrange(1, setup["fitrmin"], setup["fitrmax"])
    else:
        ds = fitdataset.FitDataSet("stored")
        ds.readStr(obs)
        ds.fitrmin, ds.fitrmax = setup["fitrmin"], setup["fitrmax"]
        pf.read_data_string(ds.writeResampledObsStr(), "X", 14.0, setup["qdamp"])
    for var, formula in setup["dataConstraints"].items():
        pf.constrain(var, formula)
    for idx, val in setup["parameters"].items():
        pf.setpar(idx, val)
    while not pf.refine_step(PDFGUI_TOLERANCE):
        pass
    return {"rw": pf.getrw(), "points": len(pf.getR()),
            "refined": {str(i): pf.getpar(i) for i in sorted(setup["parameters"])}}


def main():
    fits = []
    lesson1 = ni_lesson1()
    for fit in [lesson1, None, cdse_bulk(), cdse_3nm()]:
        if fit is None:  # Lesson 4 starts from Lesson 1's PDFgui result
            fit = ni_lesson4({int(k): v for k, v in fits[0]["pdfgui"]["refined"].items()})
        pdfgui, ds = run(fit, PDFGUI_TOLERANCE)
        converged, _ = run(fit, PDFFIT2_TOLERANCE)
        entry = describe(fit, ds)
        entry["pdfgui"] = pdfgui
        entry["converged"] = converged
        fits.append(entry)
        print(fit["name"], "Rw", round(pdfgui["rw"], 6), round(converged["rw"], 6),
              "iters", pdfgui["iterations"], converged["iterations"], "points", pdfgui["points"])
        for k in pdfgui["refined"]:
            print("   @%s %.8g (%.2g, jac %.3g)  converged %.8g" % (
                k, pdfgui["refined"][k], pdfgui["stdPrinted"][k] or 0,
                pdfgui["stdFromJacobian"][k], converged["refined"][k]))
    out = {
        "description": "PDFgui tutorials refined by the real PDFfit2, driven as PDFgui drives it. "
                       "'pdfgui' = PDFgui's tolerance 0.001, 'converged' = 1e-8. Curves on the fit "
                       "grid, every curveEvery-th point. See README.md and PROVENANCE.md.",
        "generator": "test/reference/scattering/pdffit2/make-tutorials.py",
        "date": datetime.date.today().isoformat(),
        **peer_info(),
        "pdfguiCommit": "9496a699c130efaa9ce620c29e7fe95b88fcad6f",
        "fits": fits,
        "cdseProjectFile2007": {
            "note": "values stored in PDFgui's CdSe-nano.ddp3 (docs/source/manual_resources/"
                    "Nanoparticle structure.zip), computed in 2007 from observed data that differ "
                    "from the CdSe-*.gr shipped beside it; information only, not a reference",
            **project_results(),
        },
    }
    write_json("pdffit2-tutorials.json", out)


if __name__ == "__main__":
    main()
