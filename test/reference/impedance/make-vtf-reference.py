"""
Reference VTF fit for oligolyte's fitVtf: scipy.optimize.curve_fit of
ln sigma = ln A - B / (k_B (T - T0)) on a fixed, slightly noisy sigma(T) series (the noise is a fixed
list, so the data are the same on every run). Writes test/fixtures/impedance/vtf-scipy.json.
  /usr/bin/python3 test/reference/impedance/make-vtf-reference.py
"""
import json
import os

import numpy as np
import scipy
from scipy.constants import e, k
from scipy.optimize import curve_fit

KB = k / e
T = np.arange(213.0, 354.0, 15.0)
NOISE = np.array([0.021, -0.013, 0.008, -0.025, 0.017, 0.004, -0.011, 0.019, -0.006, 0.012])
TRUE = (np.log(12.0), 0.075, 175.0)


def model(t, ln_a, b, t0):
    return ln_a - b / (KB * (t - t0))


y = model(T, *TRUE) + NOISE[: T.size]
popt, pcov = curve_fit(model, T, y, p0=(2.0, 0.1, 150.0), maxfev=100000, ftol=1e-15, xtol=1e-15)
res = y - model(T, *popt)
out = {
    'peer': 'scipy.optimize.curve_fit', 'scipy': scipy.__version__, 'numpy': np.__version__,
    'boltzmannEvPerK': KB, 'temperaturesK': T.tolist(), 'sigmaSCm': np.exp(y).tolist(),
    'lnPrefactor': popt[0], 'pseudoActivationEv': popt[1], 't0K': popt[2],
    'std': np.sqrt(np.diag(pcov)).tolist(), 'residualSumOfSquares': float(res @ res),
}
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, '..', '..', 'fixtures', 'impedance', 'vtf-scipy.json'), 'w') as fh:
    json.dump(out, fh, indent=1)
    fh.write('\n')
print(out)
