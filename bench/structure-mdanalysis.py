#!/usr/bin/env python3
"""MDAnalysis side of bench/structure.ts: InterRDF for every element pair a <= b, one call per
pair as a user writes it (a == b with exclusion_block=(1, 1), which is oligolyte's normalisation),
timed (wall clock and process CPU time); writes the curves for the comparison.

    /usr/bin/python3 bench/structure-mdanalysis.py TOPOLOGY.pdb TRAJ.dcd RMAX BINS OUT.json
"""
import json, sys, time, warnings
warnings.filterwarnings("ignore")
import MDAnalysis as mda
from MDAnalysis.analysis.rdf import InterRDF

top, traj, rmax, bins, out = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
t = time.perf_counter()
c = time.process_time()
u = mda.Universe(top, traj)
elements = []
for e in u.atoms.elements:
    if e not in elements:
        elements.append(e)
groups = {e: u.select_atoms(f"element {e}") for e in elements}
load = time.perf_counter() - t
load_cpu = time.process_time() - c
pairs = []
for i, a in enumerate(elements):
    for b in elements[i:]:
        t = time.perf_counter()
        c = time.process_time()
        kw = {"exclusion_block": (1, 1)} if a == b else {}
        r = InterRDF(groups[a], groups[b], nbins=bins, range=(0.0, rmax), **kw).run()
        s = time.perf_counter() - t
        cpu = time.process_time() - c
        print(f"  MDAnalysis {a}-{b}: {s:.1f} s ({cpu:.1f} s CPU)", file=sys.stderr, flush=True)
        pairs.append({"name": f"{a}-{b}", "seconds": s, "cpuSeconds": cpu, "rdf": r.results.rdf.tolist()})
with open(out, "w") as f:
    json.dump({"version": mda.__version__, "loadSeconds": load, "loadCpuSeconds": load_cpu, "elements": elements, "pairs": pairs}, f)
