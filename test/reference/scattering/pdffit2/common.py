"""Shared helpers for the PDFfit2 reference scripts (see README.md in this folder).

Run with Debian's /usr/bin/python3 and PYTHONPATH pointing at a folder whose diffpy/ package holds
the locally built diffpy.pdffit2 (and diffpy.structure, diffpy.utils for the CIF conversion).
"""
import io
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", "..", "..", ".."))
FIX = os.path.join(REPO, "test", "fixtures", "scattering", "pdffit2")
SHARED = os.path.normpath(os.path.join(REPO, "..", "shared", "data"))
PDF_DATA = os.path.join(SHARED, "pdf")
STRUCT_DATA = os.path.join(SHARED, "structures")

# PDFfit2 prints a banner and progress to stdout; keep it out of the way.
from diffpy.pdffit2 import PdfFit, redirect_stdout  # noqa: E402
import diffpy.pdffit2  # noqa: E402

ENGINE_LOG = io.StringIO()
redirect_stdout(ENGINE_LOG)


def new_engine():
    """A fresh PdfFit instance (its banner goes to ENGINE_LOG)."""
    return PdfFit()


def git_commit(path):
    """Commit of the git checkout at path, or of the source a build was archived from."""
    stamp = os.path.join(path, "SOURCE_COMMIT")
    if os.path.exists(stamp):
        return open(stamp).read().strip()
    try:
        return subprocess.check_output(["git", "-C", path, "rev-parse", "HEAD"], text=True).strip()
    except Exception:
        return "unknown"


def peer_info():
    """Name, version and source commit of the peer, recorded in every fixture."""
    pkg_dir = os.path.dirname(os.path.realpath(diffpy.pdffit2.__file__))
    src_root = os.path.normpath(os.path.join(pkg_dir, "..", "..", ".."))
    return {
        "peer": "diffpy.pdffit2",
        "version": diffpy.pdffit2.__version__,
        "sourceCommit": git_commit(src_root),
        "python": sys.version.split()[0],
    }


def sig(x, digits=10):
    """Round to significant digits for compact, still exact-enough JSON."""
    return float("%.*g" % (digits, x))


def sig_list(xs, digits=10):
    return [sig(float(x), digits) for x in xs]


def _compact_number_lists(text):
    """Put every list of plain numbers on one line (the files stay small and readable)."""
    pattern = re.compile(r"\[\s*(-?[0-9][^\[\]{}\"]*?)\s*\]", re.S)
    return pattern.sub(lambda m: "[" + re.sub(r"\s*,\s*", ", ", m.group(1).strip()) + "]", text)


def write_json(name, obj):
    path = os.path.join(FIX, name)
    with open(path, "w") as f:
        f.write(_compact_number_lists(json.dumps(obj, indent=1, allow_nan=False)))
        f.write("\n")
    print("wrote", os.path.relpath(path, REPO), os.path.getsize(path), "bytes")
    return path


def rel_shared(path):
    """Path as the TypeScript tests see it: ../shared/... from the repository root."""
    return os.path.relpath(path, REPO)
