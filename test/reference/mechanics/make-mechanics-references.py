#!/usr/bin/python3
"""LAMMPS references for oligolyte's minimiser and 0 K elastic constants (issue 27).

For three structures with the default force field (laoc-v4) -- crystalline LiCl (rock salt, 8
atoms), crystalline LiAlCl4 (P21/c, 2x2x1 cell, 96 atoms) and a packed LAOC^0b glass (8 trimers, 128 atoms,
glass-start.data) -- oligolyte writes the LAMMPS data file and force-field commands
(`oligolyte lammps export`), and LAMMPS (`lmp`, the Debian package) then:

1. minimises the atoms at the fixed cell, with min_style fire and with min_style cg
   (minimize 0 1e-8 100000 1000000): the final potential energies;
2. relaxes the atoms and the cell to zero normal stresses (fix box/relax aniso 0.0; min_style cg,
   twice, as the fix's documentation advises) and
   writes the relaxed structure, <name>-relaxed.data (committed: both engines start the elastic
   constants from it);
3. from the relaxed structure, the stiffness matrix by finite strains in the manner of LAMMPS's
   examples/ELASTIC (our own input): for each Voigt direction (xx yy zz yz xz xy) the cell is
   strained by +up and -up (change_box ... remap: lengths by up L0; tilts yz, xz by up Lz0, xy by
   up Ly0, i.e. engineering shear strain up), the atoms are relaxed (cg, ftol 1e-10), and
   C_ij = -(P_i(+j) - P_i(-j)) / (2 up), the pressure tensor in atm converted to GPa.

Writes lammps-mechanics.json beside this script. Run from anywhere:
    /usr/bin/python3 test/reference/mechanics/make-mechanics-references.py
"""
import datetime
import json
import os
import random
import re
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
ATM_IN_GPA = 1.01325e-4
UP = 1e-3
STRUCTURES = {
    'licl': {
        'file': 'test/fixtures/shared/structures/LiCl_rocksalt.cif',
        'read': [],
        'relax': 'aniso',
    },
    # A 2x2x1 supercell (96 atoms): in the 24-atom cell some 1-3 pairs (Cl-Al-Cl) come close to
    # half an edge; once the cell tilts (a strain, a relaxation), LAMMPS may scale an image other
    # than the bonded one, and oligolyte refuses such a cell (forcefield/special-images.ts).
    'lialcl4': {
        'file': 'test/reference/mechanics/lialcl4-221.data',
        'read': ['--type-map', 'Al,Cl,Li'],
        # aniso, not tri: a tri relaxation leans the cell to xz = -lx, where LAMMPS's minimum
        # image of the bonds (exact only for small tilts) is no longer the nearest one.
        'relax': 'aniso',
    },
    'glass': {
        'file': 'test/reference/mechanics/glass-start.data',
        'read': ['--type-map', 'Al,O,Cl,Li'],
        'relax': 'aniso',
    },
}
VOIGT = ['xx', 'yy', 'zz', 'yz', 'xz', 'xy']


def oligolyte(*args):
    subprocess.run(['node', '--import', 'tsx', os.path.join(REPO, 'src/cli/main.ts'), *args], check=True, cwd=REPO)


def lammps(work, name, lines):
    path = os.path.join(work, f'in.{name}')
    with open(path, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    subprocess.run(['nice', '-n', '10', 'lmp', '-in', path, '-log', f'log.{name}', '-screen', 'none'], check=True, cwd=work)
    with open(os.path.join(work, f'log.{name}')) as f:
        return f.read()


def values(log, key):
    """The numbers of every line `KEY a=1 b=2` the input printed (LAMMPS echoes the print
    command itself too, with the unexpanded variables: those lines are skipped)."""
    out = []
    for line in log.splitlines():
        if line.startswith(key + ' ') and '$' not in line:
            out.append({k: float(v) for k, v in re.findall(r'(\w+)=(\S+)', line)})
    return out


THERMO = [
    'thermo_style custom step pe fnorm fmax press pxx pyy pzz pxy pxz pyz vol',
    'thermo_modify format float %.12g',
    'thermo 100',
]
STATE = 'print "{key} pe=$(pe:%.15g) fnorm=$(fnorm:%.6g) fmax=$(fmax:%.6g) vol=$(vol:%.15g) lx=$(lx:%.15g) ly=$(ly:%.15g) lz=$(lz:%.15g) xy=$(xy:%.15g) xz=$(xz:%.15g) yz=$(yz:%.15g) pxx=$(pxx:%.15g) pyy=$(pyy:%.15g) pzz=$(pzz:%.15g) pyz=$(pyz:%.15g) pxz=$(pxz:%.15g) pxy=$(pxy:%.15g)"'


def rattle(path, name):
    """Write <name>-rattled.data beside this script: the atoms of `path` moved by uniform random
    offsets in [-0.1, 0.1] A per coordinate (seed 27); returns its path."""
    rng = random.Random(27)
    with open(path) as f:
        lines = f.read().split('\n')
    start = lines.index('Atoms # full') + 2
    k = start
    while k < len(lines) and lines[k].strip():
        p = lines[k].split()
        for c in (4, 5, 6):
            p[c] = repr(float(p[c]) + rng.uniform(-0.1, 0.1))
        lines[k] = ' '.join(p[:7])
        k += 1
    lines[0] = f'LAMMPS data file: {name} relaxed by LAMMPS, atoms moved by up to 0.1 A (make-mechanics-references.py)'
    out = os.path.join(HERE, f'{name}-rattled.data')
    with open(out, 'w') as f:
        f.write('\n'.join(lines))
    return out


def main():
    version = subprocess.run(['lmp', '-h'], capture_output=True, text=True).stdout
    version = re.search(r'Simulator - (.*)', version).group(1).strip()
    result = {
        'peer': f'LAMMPS {version} (Debian package lammps)',
        'date': datetime.date.today().isoformat(),
        'command': '/usr/bin/python3 test/reference/mechanics/make-mechanics-references.py',
        'forceField': 'laoc-v4',
        'strain': UP,
        'structures': {},
    }
    oligolyte('build', 'supercell', 'test/fixtures/shared/structures/LiAlCl4_COD1004036.cif', '2x2x1', '-o', os.path.join(HERE, 'lialcl4-221.data'))
    for name, s in STRUCTURES.items():
        work = tempfile.mkdtemp(prefix=f'oligolyte-mech-{name}-')
        oligolyte('lammps', 'export', s['file'], *s['read'], '-o', work)
        with open(os.path.join(work, 'in.oligolyte')) as f:
            ff = f.read().split('\n')
        ff = ff[1 : next(i for i, l in enumerate(ff) if l.startswith('thermo_style'))]
        # A relaxed triclinic cell may lean beyond LAMMPS's default tilt limit (half an edge).
        ff_for = lambda data: [
            l.replace('read_data system.data', f'box tilt large\nread_data {data}') for l in ff
        ]
        entry = {'file': s['file'], 'types': [l.split('# ')[1] for l in ff if l.startswith('pair_coeff') and l.split()[1] == l.split()[2]]}
        # 1. Atoms only, fixed cell.
        entry['minimise'] = {}
        for style in ['fire', 'cg']:
            log = lammps(work, f'min-{style}', ff_for('system.data') + THERMO + [
                'run 0',
                STATE.format(key='START'),
                f'min_style {style}',
                'minimize 0 1e-8 100000 1000000',
                STATE.format(key='FINAL'),
            ])
            start, final = values(log, 'START')[0], values(log, 'FINAL')[0]
            iterations = re.findall(r'Iterations, force evaluations\s*=\s*(\d+)\s+(\d+)', log)[-1]
            criterion = re.findall(r'Stopping criterion = (.*)', log)[-1].strip()
            entry['minimise'][style] = {
                'initialPotentialKcalMol': start['pe'],
                'finalPotentialKcalMol': final['pe'],
                'forceNormKcalMolA': final['fnorm'],
                'maxForceKcalMolA': final['fmax'],
                'iterations': int(iterations[0]),
                'stoppingCriterion': criterion,
            }
        # 2. Atoms and cell to zero pressure.
        relaxed = f'{name}-relaxed.data'
        log = lammps(work, 'relax', ff_for('system.data') + THERMO + [
            f'fix relax all box/relax {s["relax"]} 0.0 vmax 0.001',
            'min_style cg',
            'minimize 0 1e-10 100000 1000000',
            'minimize 0 1e-10 100000 1000000',
            'unfix relax',
            STATE.format(key='RELAXED'),
            f'write_data {relaxed} nocoeff',
        ])
        r = values(log, 'RELAXED')[0]
        entry['boxRelax'] = {
            'mode': s['relax'],
            'potentialKcalMol': r['pe'],
            'volumeA3': r['vol'],
            'pressureTensorAtm': [r['pxx'], r['pyy'], r['pzz'], r['pxy'], r['pxz'], r['pyz']],
            'structure': f'test/reference/mechanics/{relaxed}',
        }
        with open(os.path.join(work, relaxed)) as f:
            text = f.read()
        # LAMMPS's first line holds its version and the time of writing: keep the file stable.
        text = re.sub(r'^LAMMPS data file .*\n', f'LAMMPS data file: {name} relaxed by LAMMPS with laoc-v4 (make-mechanics-references.py)\n', text)
        with open(os.path.join(HERE, relaxed), 'w') as f:
            f.write(text)
        # 2b. From the relaxed structure with every atom moved by up to 0.1 A (seeded): both
        # minimisers return to the same minimum, so their final energies must agree closely.
        rattled = rattle(os.path.join(work, relaxed), name)
        entry['rattled'] = {'structure': f'test/reference/mechanics/{name}-rattled.data'}
        for style in ['fire', 'cg']:
            log = lammps(work, f'rattled-{style}', ff_for(rattled) + THERMO + [
                'run 0',
                STATE.format(key='START'),
                f'min_style {style}',
                'minimize 0 1e-8 100000 1000000',
                STATE.format(key='FINAL'),
            ])
            start, final = values(log, 'START')[0], values(log, 'FINAL')[0]
            entry['rattled'][style] = {
                'initialPotentialKcalMol': start['pe'],
                'finalPotentialKcalMol': final['pe'],
                'maxForceKcalMolA': final['fmax'],
            }
        # 3. Stiffness by +-up strains, atoms relaxed at each.
        lines = []
        for d, comp in enumerate(VOIGT):
            for sign in ['+', '-']:
                e = f'{"" if sign == "+" else "-"}{UP}'
                # The homogeneous strain F = I + e e_a (x) e_b applied to every cell vector (LAMMPS
                # rows a = (lx,0,0), b = (xy,ly,0), c = (xz,yz,lz)): a stretch along x also scales
                # the tilts xy and xz, one along y the tilt yz; a shear ab adds e times the b
                # component of each vector to its a component. For an orthogonal cell this is the
                # ELASTIC example's change of one length or one tilt.
                change = {
                    'xx': f'x delta 0 $({e}*lx) xy delta $({e}*xy) xz delta $({e}*xz)',
                    'yy': f'y delta 0 $({e}*ly) yz delta $({e}*yz)',
                    'zz': f'z delta 0 $({e}*lz)',
                    'yz': f'yz delta $({e}*lz)',
                    'xz': f'xz delta $({e}*lz)',
                    'xy': f'xy delta $({e}*ly) xz delta $({e}*yz)',
                }[comp]
                lines += ['clear'] + ff_for(relaxed) + THERMO + [
                    'change_box all triclinic',
                    'run 0',
                    f'change_box all {change} remap units box',
                    'min_style cg',
                    'minimize 0 1e-10 100000 1000000',
                    STATE.format(key=f'STRAIN{d}{"p" if sign == "+" else "m"}'),
                ]
        log = lammps(work, 'elastic', lines)
        C = [[0.0] * 6 for _ in range(6)]
        states = {}
        for d in range(6):
            plus = values(log, f'STRAIN{d}p')[0]
            minus = values(log, f'STRAIN{d}m')[0]
            states[VOIGT[d]] = {'plus': plus, 'minus': minus}
            for i, comp in enumerate(VOIGT):
                C[i][d] = -(plus['p' + comp] - minus['p' + comp]) / (2 * UP) * ATM_IN_GPA
        entry['elastic'] = {'stiffnessGPa': C, 'maxForceKcalMolA': max(max(v['plus']['fmax'], v['minus']['fmax']) for v in states.values())}
        result['structures'][name] = entry
        print(name, json.dumps(entry['minimise']), entry['boxRelax']['potentialKcalMol'])
        for row in C:
            print(' '.join(f'{c:9.3f}' for c in row))
    with open(os.path.join(HERE, 'lammps-mechanics.json'), 'w') as f:
        json.dump(result, f, indent=1)
        f.write('\n')


main()
