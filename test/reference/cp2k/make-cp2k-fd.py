#!/usr/bin/env python3
"""Finite-difference checks of CP2K's forces and stress (reference for test/engines/cp2k-fd.test.ts).

Independent of oligolyte's CP2K input writer and parser: this script writes its own CP2K inputs
(the pbe-d3 preset's physics: PBE, D3 zero damping, DZVP-MOLOPT-SR-GTH, GTH-PBE, 400 Ry / REL 60,
Gamma point; EPS_SCF tightened to 1e-8 so that energy differences are clean), runs cp2k.psmp on the
rattled 8-atom LiCl cell test/fixtures/cp2k/licl-rattled.extxyz, and reads the energies itself.

  F_i,a (FD)   = -(E(x_i,a + h) - E(x_i,a - h)) / 2h                       (eV/A, h = 0.005 A)
  sigma_ab (FD) = (1/V) dE/de_ab, symmetric strain e_ab = e_ba = +-d         (positive = tensile)

It stores the base calculation's output (CP2K's own forces and stress print) as
test/fixtures/cp2k/licl-fd-base.out; the test parses that with oligolyte's parser and compares.

Run: nice -n 10 /usr/bin/python3 test/reference/cp2k/make-cp2k-fd.py   (11 CP2K runs of 8 atoms;
the strains first, then Li x, Li y and Cl z displacements)
"""
import json, os, re, subprocess, sys, tempfile, shutil, datetime

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
FIX = os.path.join(ROOT, 'test', 'fixtures', 'cp2k')
HARTREE_EV = 27.211386245988
EV_A3_GPA = 160.21766208

def read_extxyz(path):
    lines = open(path).read().split('\n')
    n = int(lines[0])
    lat = [float(x) for x in re.search(r'Lattice="([^"]+)"', lines[1]).group(1).split()]
    atoms = []
    for l in lines[2:2 + n]:
        t = l.split()
        atoms.append([t[0], float(t[1]), float(t[2]), float(t[3])])
    return [lat[0:3], lat[3:6], lat[6:9]], atoms

TEMPLATE = """&GLOBAL
  PROJECT fd
  RUN_TYPE ENERGY_FORCE
  PRINT_LEVEL LOW
&END GLOBAL
&FORCE_EVAL
  METHOD QS
  STRESS_TENSOR ANALYTICAL
  &DFT
    BASIS_SET_FILE_NAME BASIS_MOLOPT
    POTENTIAL_FILE_NAME GTH_POTENTIALS
    {restart}
    &MGRID
      CUTOFF 400
      REL_CUTOFF 60
      NGRIDS 4
    &END MGRID
    &QS
      EPS_DEFAULT 1.0E-12
    &END QS
    &SCF
      SCF_GUESS {guess}
      EPS_SCF 1.0E-8
      MAX_SCF 30
      &OT
        MINIMIZER DIIS
        PRECONDITIONER FULL_ALL
      &END OT
      &OUTER_SCF
        EPS_SCF 1.0E-8
        MAX_SCF 20
      &END OUTER_SCF
    &END SCF
    &XC
      &XC_FUNCTIONAL PBE
      &END XC_FUNCTIONAL
      &VDW_POTENTIAL
        POTENTIAL_TYPE PAIR_POTENTIAL
        &PAIR_POTENTIAL
          TYPE DFTD3
          PARAMETER_FILE_NAME dftd3.dat
          REFERENCE_FUNCTIONAL PBE
          R_CUTOFF [angstrom] 15
        &END PAIR_POTENTIAL
      &END VDW_POTENTIAL
    &END XC
  &END DFT
  &SUBSYS
    &CELL
      A {a}
      B {b}
      C {c}
      &CELL_REF
        A {ra}
        B {rb}
        C {rc}
      &END CELL_REF
    &END CELL
    &COORD
{coords}
    &END COORD
    &KIND Li
      BASIS_SET DZVP-MOLOPT-SR-GTH
      POTENTIAL GTH-PBE
    &END KIND
    &KIND Cl
      BASIS_SET DZVP-MOLOPT-SR-GTH
      POTENTIAL GTH-PBE
    &END KIND
  &END SUBSYS
  &PRINT
    &FORCES ON
      NDIGITS 10
    &END FORCES
    &STRESS_TENSOR ON
    &END STRESS_TENSOR
  &END PRINT
&END FORCE_EVAL
"""

REF_CELL = None  # the unstrained cell: CELL_REF keeps the same grids for every strain (a grid
                 # that changed size between +d and -d would put a jump into the energy difference)

def run(work, name, cell, atoms, restart=None):
    d = os.path.join(work, name)
    os.makedirs(d, exist_ok=True)
    coords = '\n'.join('      %s %.10f %.10f %.10f' % tuple(a) for a in atoms)
    fmt = lambda v: ' '.join('%.10f' % x for x in v)
    inp = TEMPLATE.format(a=fmt(cell[0]), b=fmt(cell[1]), c=fmt(cell[2]), coords=coords,
                          ra=fmt(REF_CELL[0]), rb=fmt(REF_CELL[1]), rc=fmt(REF_CELL[2]),
                          guess='RESTART' if restart else 'ATOMIC',
                          restart=('WFN_RESTART_FILE_NAME %s' % restart) if restart else '')
    open(os.path.join(d, 'in.inp'), 'w').write(inp)
    env = dict(os.environ, OMP_NUM_THREADS='1')
    subprocess.run(['cp2k.psmp', '-i', 'in.inp', '-o', 'out.out'], cwd=d, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    text = open(os.path.join(d, 'out.out')).read()
    if 'NOT converged' in text or 'FAILED to converge' in text:
        sys.exit('SCF not converged in ' + d)
    e = float(re.findall(r'ENERGY\| Total FORCE_EVAL \( QS \) energy \[a\.u\.\]:\s+(\S+)', text)[-1])
    print(name, e, flush=True)
    return e * HARTREE_EV, d, text

def det(m):
    return (m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]))

def main():
    global REF_CELL
    cell, atoms = read_extxyz(os.path.join(FIX, 'licl-rattled.extxyz'))
    REF_CELL = cell
    work = tempfile.mkdtemp(prefix='cp2k-fd-')
    version = subprocess.run(['cp2k.psmp', '--version'], capture_output=True, text=True).stdout
    version = re.search(r'CP2K version\s+(\S+)', version).group(1)
    e0, d0, text0 = run(work, 'base', cell, atoms)
    wfn = os.path.join(d0, 'fd-RESTART.wfn')
    shutil.copy(os.path.join(d0, 'out.out'), os.path.join(FIX, 'licl-fd-base.out'))
    d = 0.002
    V = abs(det(cell))
    stress = []
    for (a, b) in [(0, 0), (0, 1)]:
        es = []
        for sgn in (+1, -1):
            eps = [[0.0] * 3 for _ in range(3)]
            eps[a][b] += sgn * d
            if a != b:
                eps[b][a] += sgn * d
            F = [[(1.0 if r == c else 0.0) + eps[r][c] for c in range(3)] for r in range(3)]
            # row vectors: x' = x F (F symmetric)
            tr = lambda v: [sum(v[k] * F[k][c] for k in range(3)) for c in range(3)]
            cell2 = [tr(v) for v in cell]
            atoms2 = [[s[0]] + tr(s[1:]) for s in atoms]
            es.append(run(work, 's%s%s%s' % ('xyz'[a], 'xyz'[b], '+' if sgn > 0 else '-'), cell2, atoms2, wfn)[0])
        # dE = V sigma_ab de_ab summed over ab and ba: for a shear both e_ab and e_ba move.
        mult = 1 if a == b else 2
        stress.append({'component': 'xyz'[a] + 'xyz'[b], 'stressEvA3': (es[0] - es[1]) / (2 * d) / (V * mult)})
    h = 0.005
    forces = []
    for i, comp in [(0, 0), (0, 1), (4, 2)]:
        es = []
        for sgn in (+1, -1):
            moved = [list(a) for a in atoms]
            moved[i][1 + comp] += sgn * h
            es.append(run(work, 'a%d%s%s' % (i, 'xyz'[comp], '+' if sgn > 0 else '-'), cell, moved, wfn)[0])
        forces.append({'atom': i + 1, 'component': 'xyz'[comp], 'forceEvA': -(es[0] - es[1]) / (2 * h)})
    out = {
        'what': 'finite differences of CP2K energies on the rattled 8-atom LiCl cell (licl-rattled.extxyz)',
        'cp2k': version,
        'date': datetime.date.today().isoformat(),
        'settings': 'PBE, D3 zero damping, DZVP-MOLOPT-SR-GTH, GTH-PBE, 400 Ry, REL_CUTOFF 60, EPS_SCF 1e-8, EPS_DEFAULT 1e-12, Gamma, CELL_REF = the unstrained cell',
        'displacementA': h,
        'strain': d,
        'baseEnergyEv': e0,
        'forces': forces,
        'stress': stress,
        'baseOutput': 'licl-fd-base.out',
    }
    json.dump(out, open(os.path.join(FIX, 'licl-fd.json'), 'w'), indent=1)
    shutil.rmtree(work)
    print(json.dumps(out, indent=1))

main()
