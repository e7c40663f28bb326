#!/usr/bin/env python3
"""Reference values for Student's t quantiles (test/core/statistics.test.ts).

Run with Debian's python3 (python3-mpmath 1.2.1, python3-scipy 1.10.1):
    /usr/bin/python3 test/reference/make-t-quantiles.py > test/reference/t-quantiles.json
    npx biome format --write test/reference/t-quantiles.json   # the repository's JSON layout

"exact": the root t of 0.5 I_{df/(df+t^2)}(df/2, 1/2) = min(p, 1-p) (the t distribution's tail as
the regularised incomplete beta function), solved with mpmath.findroot at 40 significant digits,
the sign taken from p - 1/2; p and df are the doubles written in the file, converted exactly.
"scipy": scipy.stats.t.ppf(p, df), for comparison; it is accurate to ~1e-9 relative only.
Also mpmath values of the incomplete beta function and of ln Gamma for the helper functions.
"""
import json

import mpmath as mp
import scipy
from scipy.stats import t as student

mp.mp.dps = 40

DFS = [1, 2, 3, 4, 5, 10, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 40, 60, 100, 1000, 10000, 1e6, 2.5]
PS = [0.975, 0.995, 0.9, 0.6, 0.5000001, 0.3, 0.025, 1e-10]


def quantile(p, df):
    p, df = mp.mpf(p), mp.mpf(df)
    q = 1 - p if p > 0.5 else p
    tail = lambda t: 0.5 * mp.betainc(df / 2, mp.mpf(1) / 2, 0, df / (df + t * t), regularized=True) - q
    start = abs(student.ppf(float(p), float(df)))
    root = mp.findroot(tail, mp.mpf(start))
    return root if p > 0.5 else -root


rows = []
for df in DFS:
    for p in PS:
        rows.append({"p": p, "df": df, "exact": float(quantile(p, df)), "scipy": float(student.ppf(p, df))})

beta = []
for x, a, b in [(0.3, 2.0, 3.0), (0.9, 0.5, 10.0), (0.01, 50.0, 0.5), (0.999, 500.0, 0.5), (0.5, 7.25, 7.25)]:
    beta.append({"x": x, "a": a, "b": b, "value": float(mp.betainc(a, b, 0, x, regularized=True))})

log_gamma = [{"x": x, "value": float(mp.loggamma(x))} for x in [0.5, 1.0, 2.5, 10.0, 100.5, 12345.0]]

meta = {
    "script": "test/reference/make-t-quantiles.py",
    "mpmath": mp.__version__,
    "scipy": scipy.__version__,
    "exact": "mpmath.findroot on 0.5 * mpmath.betainc(df/2, 1/2, 0, df/(df+t^2), regularized=True) = min(p, 1-p), 40 digits",
    "scipy_call": "scipy.stats.t.ppf(p, df)",
}
# One entry a line, so that a diff shows which value changed (the layout Biome's formatter keeps).
lines = lambda xs: ",\n".join("    " + json.dumps(x) for x in xs)
print("{")
print('  "_generated_with": ' + json.dumps(meta, indent=2).replace("\n", "\n  ") + ",")
print(f'  "quantiles": [\n{lines(rows)}\n  ],')
print(f'  "incompleteBeta": [\n{lines(beta)}\n  ],')
print(f'  "logGamma": [\n{lines(log_gamma)}\n  ]')
print("}")
