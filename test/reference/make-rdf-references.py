#!/usr/bin/env python3
"""Reference g(r) from MDAnalysis InterRDF for test/analysis/structure/rdf-mdanalysis.test.ts.

Run with Debian's python3 (python3-mdanalysis 2.4.2, numpy 1.24) from the repository root, after
npx tsx test/fixtures/rdf/make-rdf-fixtures.ts (which writes the trajectories with oligolyte):
    /usr/bin/python3 test/reference/make-rdf-references.py
    npx biome format --write test/reference/rdf-mdanalysis.json

For each LAMMPS dump (read by MDAnalysis with the LAMMPS data file as topology):
1. the frames as MDAnalysis computes with them: float32 positions wrapped by MDAnalysis's own
   apply_PBC and the float32 cell vectors triclinic_vectors(ts.dimensions), written exactly (every
   float32 value as the shortest decimal of its double) to <name>.mda.extxyz beside the dump, so
   that oligolyte reads the very numbers MDAnalysis uses;
2. InterRDF over those frames (an in-memory Universe with the same dimensions), one call per pair,
   recorded with the call in rdf-mdanalysis.json: element pairs a != b as InterRDF(a, b); a == b
   and the total as InterRDF(a, a, exclusion_block=(1, 1)) (an atom is not its own neighbour);
   pairs with intra-molecular exclusion as InterRDF(a, b, exclusion_block=(atoms of a per
   trimer, atoms of b per trimer)), the atoms of each trimer being contiguous (checked).
"""
import json, os, platform, sys, warnings
warnings.filterwarnings("ignore")
import numpy as np
import MDAnalysis as mda
from MDAnalysis.analysis.rdf import InterRDF
from MDAnalysis.coordinates.memory import MemoryReader
from MDAnalysis.lib.distances import apply_PBC
from MDAnalysis.lib.mdamath import triclinic_vectors

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.normpath(os.path.join(HERE, "..", "fixtures", "rdf"))
OUT = os.path.join(HERE, "rdf-mdanalysis.json")
ELEMENT_BY_MASS = {7: "Li", 27: "Al", 16: "O", 35: "Cl"}
BINS = 200

def canonical(u):
    """Frames (positions, dims, cell vectors) exactly as MDAnalysis's distance code sees them."""
    frames = []
    for ts in u.trajectory:
        dims = np.asarray(ts.dimensions, dtype=np.float32).copy()
        pos = apply_PBC(ts.positions.astype(np.float32), dims)
        again = apply_PBC(pos, dims)
        assert np.array_equal(pos, again), "apply_PBC is not idempotent on these frames"
        frames.append((pos, dims, np.asarray(triclinic_vectors(dims), dtype=np.float32)))
    return frames

def write_extxyz(path, symbols, frames):
    with open(path, "w") as f:
        for pos, dims, vec in frames:
            lat = " ".join(repr(float(x)) for x in vec.reshape(9))
            f.write(f"{len(symbols)}\n")
            f.write(f'Lattice="{lat}" Properties=species:S:1:pos:R:3 pbc="T T T"\n')
            for s, p in zip(symbols, pos):
                f.write(f"{s} {repr(float(p[0]))} {repr(float(p[1]))} {repr(float(p[2]))}\n")

def block_size(group):
    """Atoms of the group per molecule, when every molecule has the same number, contiguous."""
    resids = group.resids
    _, counts = np.unique(resids, return_counts=True)
    size = int(counts[0])
    assert np.all(counts == size), "molecules differ in size"
    assert np.all(resids.reshape(-1, size) == resids.reshape(-1, size)[:, :1]), "not contiguous"
    return size

def case(dump, rmax, pairs, excluded_pairs):
    u0 = mda.Universe(os.path.join(FIX, "laoc-glass.data"), os.path.join(FIX, dump), format="LAMMPSDUMP")
    symbols = [ELEMENT_BY_MASS[int(round(m))] for m in u0.atoms.masses]
    frames = canonical(u0)
    name = dump.replace(".lammpstrj", ".mda.extxyz")
    write_extxyz(os.path.join(FIX, name), symbols, frames)
    u = mda.Universe(os.path.join(FIX, "laoc-glass.data"))
    u.load_new(np.array([p for p, _, _ in frames]), format=MemoryReader,
               dimensions=np.array([d for _, d, _ in frames]))
    sel = {e: u.atoms[[i for i, s in enumerate(symbols) if s == e]] for e in ELEMENT_BY_MASS.values()}
    out = []
    def run(label, g1, g2, call, **kw):
        r = InterRDF(g1, g2, nbins=BINS, range=(0.0, rmax), **kw).run()
        out.append({"name": label, "call": call, "pairsCounted": int(r.results.count.sum()),
                    "rdf": r.results.rdf.tolist()})
    for a, b in pairs:
        if a == b:
            run(f"{a}-{b}", sel[a], sel[b], f"InterRDF(u.select_atoms('element {a}'), same group, nbins={BINS}, range=(0.0, {rmax}), exclusion_block=(1, 1)).run()", exclusion_block=(1, 1))
        else:
            run(f"{a}-{b}", sel[a], sel[b], f"InterRDF(u.select_atoms('element {a}'), u.select_atoms('element {b}'), nbins={BINS}, range=(0.0, {rmax})).run()")
    run("total", u.atoms, u.atoms, f"InterRDF(u.atoms, u.atoms, nbins={BINS}, range=(0.0, {rmax}), exclusion_block=(1, 1)).run()", exclusion_block=(1, 1))
    excluded = []
    for a, b in excluded_pairs:
        block = (block_size(sel[a]), block_size(sel[b]))
        r = InterRDF(sel[a], sel[b], nbins=BINS, range=(0.0, rmax), exclusion_block=block).run()
        excluded.append({"name": f"{a}-{b}", "call": f"InterRDF(element {a}, element {b}, nbins={BINS}, range=(0.0, {rmax}), exclusion_block={block}).run()",
                         "pairsCounted": int(r.results.count.sum()), "rdf": r.results.rdf.tolist()})
    return {"source": f"test/fixtures/rdf/{dump} with test/fixtures/rdf/laoc-glass.data (format='LAMMPSDUMP')",
            "frames": f"test/fixtures/rdf/{name}", "nFrames": len(frames), "rMaxA": rmax, "bins": BINS,
            "binCentresA": "results.bins = 0.5 (e[:-1] + e[1:]), e = numpy.linspace(0, rMaxA, bins + 1)",
            "meanVolumeA3": float(np.mean([ts.volume for ts in u.trajectory])),
            "pairs": out, "excludedSameMolecule": excluded}

def max_cutoff(dims):
    """Half the narrowest width FastNS allows (its own _prepare_box formula, as a check)."""
    v = triclinic_vectors(dims)
    vol = abs(np.linalg.det(v))
    widths = [vol / np.linalg.norm(np.cross(v[(i + 1) % 3], v[(i + 2) % 3])) for i in range(3)]
    return min(widths) / 2

elements = ["Al", "O", "Cl", "Li"]
all_pairs = [(elements[i], elements[j]) for i in range(4) for j in range(i, 4)]
bonded = [("Al", "O"), ("Al", "Cl"), ("O", "Cl"), ("Al", "Al"), ("Cl", "Cl")]
u = mda.Universe(os.path.join(FIX, "laoc-glass.data"), os.path.join(FIX, "laoc-triclinic.lammpstrj"), format="LAMMPSDUMP")
print("triclinic: half the narrowest width", min(max_cutoff(ts.dimensions) for ts in u.trajectory), file=sys.stderr)
result = {
    "_generated_with": {
        "MDAnalysis": mda.__version__, "numpy": np.__version__, "python": platform.python_version(),
        "script": "test/reference/make-rdf-references.py",
    },
    "npt": case("laoc-npt.lammpstrj", 8.5, all_pairs, bonded),
    "triclinic": case("laoc-triclinic.lammpstrj", 7.0, all_pairs, bonded),
}
with open(OUT, "w") as f:
    json.dump(result, f)
print("wrote", OUT, file=sys.stderr)
