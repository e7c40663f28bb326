"""
Reference numbers from impedance.py (ECSHackWeek/impedance.py, MIT) for oligolyte's experiment layer:
what its readers return for every shipped sample, its Lin-KK test (Schoenleber et al. 2014, c = 0.85,
fit_type 'real') on every sample, and its CustomCircuit.fit (scipy curve_fit) on a set of
circuits, with the sum of squares of each fit by impedance.py's own residual definition
(the stacked real and imaginary residuals, divided by |Z| when weighted by modulus).

Run (no pip here: impedance.py's package from a checkout on PYTHONPATH, Debian's scipy/numpy):
  PYTHONPATH=/path/to/impedance.py /usr/bin/python3 test/reference/impedance/make-impedance-references.py
It writes test/fixtures/impedance/impedance-py.json. Plotting modules (altair, matplotlib) are
replaced by empty stand-ins: nothing here draws.
"""
import json
import os
import subprocess
import sys
import types

for name in ('altair', 'matplotlib', 'matplotlib.pyplot', 'matplotlib.ticker'):
    sys.modules.setdefault(name, types.ModuleType(name))
sys.modules['matplotlib.ticker'].ScalarFormatter = object

import numpy as np  # noqa: E402
import scipy  # noqa: E402
import impedance  # noqa: E402
from impedance.preprocessing import readFile, ignoreBelowX  # noqa: E402
from impedance.validation import linKK  # noqa: E402
from impedance.models.circuits import CustomCircuit  # noqa: E402
from impedance.models.circuits.fitting import wrapCircuit  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
EIS = os.path.join(REPO, 'test', 'fixtures', 'shared', 'eis')
OUT = os.path.join(REPO, 'test', 'fixtures', 'impedance', 'impedance-py.json')

SAMPLES = [
    ('exampleData.csv', None),
    ('Circuit1_EIS_1.z', 'zplot'),
    ('Circuit2_EIS_1.z', 'zplot'),
    ('Circuit3_EIS_1.z', 'zplot'),
    ('exampleDataZPlot.z', 'zplot'),
    ('exampleDataBioLogic.mpt', 'biologic'),
    ('exampleDataGamry.DTA', 'gamry'),
    ('exampleDataGamryABORT.DTA', 'gamry'),
    ('exampleDataAutolab.txt', 'autolab'),
    ('exampleDataCHInstruments.txt', 'chinstruments'),
    ('exampleDataParstat.txt', 'parstat'),
]

# (sample, circuit, initial guess, weight by modulus, drop points with Im(Z) >= 0 first)
FITS = [
    ('exampleData.csv', 'R0-p(R1,C1)-p(R2-Wo1,C2)', [0.01, 0.01, 100, 0.01, 0.05, 100, 1], False, True),
    ('exampleData.csv', 'R0-p(R1,CPE1)-p(R2,CPE2)', [0.01, 0.005, 0.1, 0.9, 0.01, 10, 0.8], False, True),
    ('exampleData.csv', 'R0-p(R1,CPE1)-p(R2,CPE2)', [0.01, 0.005, 0.1, 0.9, 0.01, 10, 0.8], True, True),
    ('Circuit1_EIS_1.z', 'R0-p(R1,C1)', [10, 50, 1e-6], False, False),
    ('Circuit2_EIS_1.z', 'R0-p(R1,C1)', [100, 500, 1e-7], False, False),
    ('Circuit3_EIS_1.z', 'R0-p(R1,C1)', [100, 5000, 1e-8], False, False),
    ('Circuit3_EIS_1.z', 'R0-p(R1,CPE1)', [100, 5000, 1e-8, 0.9], True, False),
    ('exampleDataZPlot.z', 'R0-p(R1,CPE1)', [100, 500, 1e-7, 0.9], False, False),
    ('exampleDataGamry.DTA', 'R0-p(R1,CPE1)-W1', [100, 1000, 1e-6, 0.8, 100], False, False),
    ('exampleDataCHInstruments.txt', 'R0-p(R1,CPE1)-CPE2', [100, 100, 1e-6, 0.9, 1e-5, 0.8], False, False),
    ('exampleDataBioLogic.mpt', 'R0-p(R1,CPE1)', [50, 20, 1e-4, 0.8], False, False),
    ('exampleDataAutolab.txt', 'R0-p(R1,CPE1)-W1', [0.01, 0.02, 1, 0.7, 0.01], False, True),
    ('exampleDataParstat.txt', 'R0-p(R1,CPE1)-CPE2', [0.02, 0.01, 1, 0.8, 10, 0.8], True, False),
    ('exampleDataGamryABORT.DTA', 'R0-p(R1,CPE1)-CPE2', [100, 3000, 1e-9, 0.9, 1e-4, 0.5], True, False),
    ('Circuit2_EIS_1.z', 'R0-p(R1,CPE1)', [100, 500, 1e-7, 0.9], True, False),
]


# Circuits evaluated by impedance.py (its element definitions and series/parallel rules).
ELEMENT_CASES = [
    ('R0-p(R1,C1)-L1', [5, 200, 3e-6, 1e-7]),
    ('R0-p(R1,CPE1)-CPE2', [5, 200, 3e-6, 0.85, 1e-3, 0.7]),
    ('R0-p(R1-Wo1,C1)-W1', [1, 50, 20, 3, 1e-5, 4]),
    ('p(R1-Ws1,CPE1)', [50, 20, 0.5, 1e-5, 0.9]),
    ('La1-G1-Gs1', [1e-6, 0.8, 30, 0.01, 40, 0.2, 1.7]),
    ('R0-K1-Zarc1', [3, 100, 0.01, 80, 1e-3, 0.8]),
]
ELEMENT_FREQUENCIES = [10 ** (-2 + 0.35 * i) for i in range(24)]


def ssr(model, f, Z, p, by_modulus):
    zf = model.predict(f, use_initial=False) if p is None else None
    r = np.hstack([(zf - Z).real, (zf - Z).imag])
    if by_modulus:
        r = r / np.hstack([np.abs(Z), np.abs(Z)])
    return float(np.sum(r * r))


def main():
    out = {'peer': 'impedance.py', 'version': impedance.__version__, 'numpy': np.__version__,
           'scipy': scipy.__version__, 'readers': {}, 'linKK': {}, 'fits': []}
    try:
        out['commit'] = subprocess.check_output(
            ['git', 'rev-parse', 'HEAD'], cwd=os.environ['PYTHONPATH'].split(':')[0]).decode().strip()
    except Exception:  # an archive rather than a checkout: the commit goes in PROVENANCE.md
        out['commit'] = os.environ.get('IMPEDANCE_COMMIT', 'unknown')
    for name, inst in SAMPLES:
        f, Z = readFile(os.path.join(EIS, name), instrument=inst)
        out['readers'][name] = {'instrument': inst, 'frequencyHz': f.tolist(),
                                'reOhm': Z.real.tolist(), 'imOhm': Z.imag.tolist()}
        M, mu, Zfit, rr, ri = linKK(f, Z, c=0.85, max_M=50, fit_type='real', add_cap=False)
        out['linKK'][name] = {'M': int(M), 'mu': float(mu), 'fitReOhm': Zfit.real.tolist(),
                              'fitImOhm': Zfit.imag.tolist(), 'residualRe': rr.tolist(),
                              'residualIm': ri.tolist()}
    out['circuits'] = []
    for circuit, p in ELEMENT_CASES:
        z = wrapCircuit(circuit, {})(np.array(ELEMENT_FREQUENCIES), *p)
        n = len(ELEMENT_FREQUENCIES)
        out['circuits'].append({'circuit': circuit, 'parameters': p, 'frequencyHz': ELEMENT_FREQUENCIES,
                                'reOhm': z[:n].tolist(), 'imOhm': z[n:].tolist()})
    for name, circuit, guess, by_modulus, below_x in FITS:
        inst = dict(SAMPLES)[name]
        f, Z = readFile(os.path.join(EIS, name), instrument=inst)
        if below_x:
            f, Z = ignoreBelowX(f, Z)
        model = CustomCircuit(circuit, initial_guess=guess)
        model.fit(f, Z, weight_by_modulus=by_modulus)
        out['fits'].append({'file': name, 'circuit': circuit, 'initialGuess': guess,
                            'weightByModulus': by_modulus, 'ignoreBelowX': below_x,
                            'points': int(len(f)), 'parameters': model.parameters_.tolist(),
                            'stdErrors': model.conf_.tolist(),
                            'sumOfSquares': ssr(model, f, Z, None, by_modulus)})
    with open(OUT, 'w') as fh:
        json.dump(out, fh, indent=1)
        fh.write('\n')
    print('wrote', OUT)


main()
