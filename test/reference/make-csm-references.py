#!/usr/bin/env python3
"""Reference continuous symmetry measures from pymatgen ChemEnv, for test/analysis/structure/polyhedra.test.ts.

Run with Debian's python3 (python3-pymatgen 2022.11.7; `apt-get install -y python3-pymatgen`):
    /usr/bin/python3 test/reference/make-csm-references.py   (writes test/reference/csm-chemenv.json)
    npx biome format --write test/reference/csm-chemenv.json

What is recorded, with the calls (every entry also names its call in "call"):
1. The shipped crystals (test/fixtures/shared/structures: LiAlCl4 COD 1004036, LiCl rock salt), read
   with Structure.from_file. For every Li and Al site, its neighbours within a fixed cut-off
   (structure.get_neighbors(site, r); Li-Cl 3.1 A, Al-Cl 2.6 A: the first shells end at 2.823 and
   2.154 A, the next atoms are at 3.308 and 3.973 A) are handed to ChemEnv's LocalGeometryFinder:
       lgf = LocalGeometryFinder()
       lgf.setup_parameters(centering_type="centroid", include_central_site_in_centroid=True,
                            structure_refinement=LocalGeometryFinder.STRUCTURE_REFINEMENT_NONE)
       lgf.setup_structure(structure); lgf.setup_local_geometry(isite, coords=[nb.coords for nb in nbs])
       r = lgf.get_coordination_symmetry_measures()
   r[symbol]["csm"] is ChemEnv's default measure (central site included, centred on the centroid of
   all points: "csm_wcs_ctwcc"); r[symbol]["csm_wocs_ctwocc"] is the same ordering's measure of the
   vertices alone centred on their centroid. Also ChemEnv's own full analysis (its own neighbour
   sets): compute_structure_environments(only_indices=[...], only_cations=False) and
   LightStructureEnvironments with SimplestChemenvStrategy(), whose chosen environment is recorded.
2. Distorted polyhedra (each ideal ChemEnv shape with vertices moved by numpy RandomState(2024)
   uniform(-0.15, 0.15) and all vertices shifted by (0.06, -0.04, 0.03), so that the central atom
   at the origin is off their centroid): the exact minimum over all n! vertex orderings of ChemEnv's
   own symmetry_measure(points_distorted, points_perfect), in both conventions
   (AbstractGeometry points_wocs_ctwocc with include_central_site_in_centroid=False, and
   points_wcs_ctwcc with include_central_site_in_centroid=True), and LocalGeometryFinder's own
   search on the same points (setup_test_perfect_environment(symbol, points=..., indices="ORDERED")).
"""
import itertools, json, os, warnings

warnings.filterwarnings("ignore")
import numpy as np
import pymatgen.core
from pymatgen.core import Structure
from pymatgen.analysis.chemenv.coordination_environments.chemenv_strategies import SimplestChemenvStrategy
from pymatgen.analysis.chemenv.coordination_environments.coordination_geometries import AllCoordinationGeometries
from pymatgen.analysis.chemenv.coordination_environments.coordination_geometry_finder import (
    AbstractGeometry,
    LocalGeometryFinder,
    symmetry_measure,
)
from pymatgen.analysis.chemenv.coordination_environments.structure_environments import LightStructureEnvironments

HERE = os.path.dirname(os.path.abspath(__file__))
D = os.path.normpath(os.path.join(HERE, "..", "fixtures", "shared", "structures"))
OUT = os.path.join(HERE, "csm-chemenv.json")

SHAPES = {
    "tetrahedron": "T:4",
    "square-plane": "S:4",
    "trigonal-bipyramid": "T:5",
    "square-pyramid": "S:5",
    "octahedron": "O:6",
    "trigonal-prism": "T:6",
}
BY_CN = {4: ["tetrahedron", "square-plane"], 5: ["trigonal-bipyramid", "square-pyramid"], 6: ["octahedron", "trigonal-prism"]}

out = {
    "_generated_with": {
        "pymatgen": pymatgen.core.__version__ + " (Debian python3-pymatgen)",
        "numpy": np.__version__,
        "script": "test/reference/make-csm-references.py",
    },
    "crystals": [],
    "distorted": [],
}


def finder():
    lgf = LocalGeometryFinder()
    lgf.setup_parameters(
        centering_type="centroid",
        include_central_site_in_centroid=True,
        structure_refinement=LocalGeometryFinder.STRUCTURE_REFINEMENT_NONE,
    )
    return lgf


CUTOFFS = {"Li": 3.1, "Al": 2.6}
for name in ["LiAlCl4_COD1004036.cif", "LiCl_rocksalt.cif"]:
    s = Structure.from_file(os.path.join(D, name))
    lgf = finder()
    lgf.setup_structure(s)
    centres = [i for i, site in enumerate(s) if site.specie.symbol in CUTOFFS]
    se = lgf.compute_structure_environments(only_indices=centres, only_cations=False)
    lse = LightStructureEnvironments.from_structure_environments(
        strategy=SimplestChemenvStrategy(), structure_environments=se
    )
    sites = []
    for i in centres:
        site = s[i]
        el = site.specie.symbol
        nbs = sorted(s.get_neighbors(site, CUTOFFS[el]), key=lambda n: n.nn_distance)
        lgf2 = finder()
        lgf2.setup_structure(s)
        lgf2.setup_local_geometry(i, coords=[nb.coords for nb in nbs])
        r = lgf2.get_coordination_symmetry_measures()
        shapes = {
            shape: {"chemenv": SHAPES[shape], "csm": r[SHAPES[shape]]["csm"], "csm_wocs_ctwocc": r[SHAPES[shape]]["csm_wocs_ctwocc"]}
            for shape in BY_CN.get(len(nbs), [])
        }
        ce = lse.coordination_environments[i]
        sites.append(
            {
                "index": i,
                "element": el,
                "fractional": [float(x) for x in site.frac_coords],
                "cutoffA": CUTOFFS[el],
                "neighbours": [nb.specie.symbol for nb in nbs],
                "distancesA": [float(nb.nn_distance) for nb in nbs],
                "shapes": shapes,
                "chemenvEnvironment": [
                    {"ce_symbol": c["ce_symbol"], "ce_fraction": c["ce_fraction"], "csm": c["csm"]} for c in ce
                ],
            }
        )
    out["crystals"].append(
        {
            "file": f"test/fixtures/shared/structures/{name}",
            "call": "Structure.from_file(path); per site LocalGeometryFinder (setup_parameters(centering_type='centroid', "
            "include_central_site_in_centroid=True, structure_refinement=NONE), setup_structure, "
            "setup_local_geometry(i, coords=neighbour coords within cutoffA), get_coordination_symmetry_measures()); "
            "chemenvEnvironment: compute_structure_environments(only_indices=centres, only_cations=False) + "
            "LightStructureEnvironments.from_structure_environments(strategy=SimplestChemenvStrategy())",
            "sites": sites,
        }
    )

allcg = AllCoordinationGeometries()


def brute_force(pts, symbol, with_centre):
    """Exact minimum over all vertex orderings of ChemEnv's symmetry_measure, in one centring."""
    local = AbstractGeometry(
        central_site=[0.0, 0.0, 0.0],
        bare_coords=list(pts),
        centering_type="centroid",
        include_central_site_in_centroid=with_centre,
    )
    ideal = AbstractGeometry.from_cg(
        allcg.get_geometry_from_mp_symbol(symbol),
        centering_type="centroid",
        include_central_site_in_centroid=with_centre,
    )
    pperf = ideal.points_wcs_ctwcc() if with_centre else ideal.points_wocs_ctwocc()
    return min(
        symmetry_measure(
            local.points_wcs_ctwcc(permutation=list(p)) if with_centre else local.points_wocs_ctwocc(permutation=list(p)),
            pperf,
        )["symmetry_measure"]
        for p in itertools.permutations(range(len(pts)))
    )


rng = np.random.RandomState(2024)
shift = np.array([0.06, -0.04, 0.03])
for shape, symbol in SHAPES.items():
    perfect = np.array(allcg.get_geometry_from_mp_symbol(symbol).points, dtype=float)
    n = len(perfect)
    pts = perfect + rng.uniform(-0.15, 0.15, size=perfect.shape) + shift
    lgf = finder()
    lgf.setup_test_perfect_environment(symbol, points=[list(p) for p in pts], indices="ORDERED", randomness=False)
    r = lgf.get_coordination_symmetry_measures()
    out["distorted"].append(
        {
            "from": shape,
            "vertices": [list(map(float, p)) for p in pts],
            "bruteForce": {
                other: {
                    "vertices": brute_force(pts, SHAPES[other], False),
                    "with-centre": brute_force(pts, SHAPES[other], True),
                }
                for other in BY_CN[n]
            },
            "finder": {
                other: {"csm": r[SHAPES[other]]["csm"], "csm_wocs_ctwocc": r[SHAPES[other]]["csm_wocs_ctwocc"]}
                for other in BY_CN[n]
            },
            "call": "bruteForce: min over itertools.permutations of symmetry_measure(AbstractGeometry(central_site=[0,0,0], "
            "bare_coords=vertices, centering_type='centroid', include_central_site_in_centroid=False|True)"
            ".points_wocs_ctwocc|points_wcs_ctwcc(permutation), AbstractGeometry.from_cg(cg, same centring)"
            ".points_wocs_ctwocc|points_wcs_ctwcc()); finder: LocalGeometryFinder (as for the crystals) "
            "setup_test_perfect_environment(symbol, points=vertices, indices='ORDERED', randomness=False), "
            "get_coordination_symmetry_measures()[symbol]['csm'] and ['csm_wocs_ctwocc']",
        }
    )

with open(OUT, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print("wrote", OUT)
