#!/usr/bin/env python3
"""Reference values for the chi-square quantile, the incomplete gamma function and the exact
Poisson (Garwood) interval (test/core/chi-square.test.ts).

Run with python3 (mpmath 1.3.0, scipy 1.17.1 when made):
    python3 test/reference/make-chi2-quantiles.py > test/reference/chi2-quantiles.json
    npx biome format --write test/reference/chi2-quantiles.json   # the repository's JSON layout

"value": the root x of P(df/2, x/2) = p (chi-square distribution function as mpmath's regularised
incomplete gamma), solved with mpmath.findroot (Illinois, bracketing scipy's value) at 40 significant digits;
"scipy": scipy.stats.chi2.ppf(p, df). The incomplete gamma values and the Poisson interval ends
(chi2 quantiles / 2 at 2k and 2k + 2 degrees of freedom) are mpmath's at 40 digits.
"""
import json

import mpmath as mp
import scipy
from scipy.stats import chi2

mp.mp.dps = 40

DFS = [0.5, 1, 2, 3, 4, 10, 20, 50, 100, 1000, 2001]
PS = [1e-10, 1e-4, 0.025, 0.1, 0.5, 0.9, 0.975, 0.9999, 1 - 1e-10]


def quantile(p, df):
    p, a = mp.mpf(p), mp.mpf(df) / 2
    upper = p > 0.5
    f = (lambda x: mp.gammainc(a, x / 2, mp.inf, regularized=True) - (1 - p)) if upper else (
        lambda x: mp.gammainc(a, 0, x / 2, regularized=True) - p)
    # Bracket scipy's value (good to ~1e-12) and refine with the Illinois method.
    v = mp.mpf(chi2.ppf(float(p), float(df)))
    w = mp.mpf(10) ** -9
    while f(v * (1 - w)) * f(v * (1 + w)) > 0:
        w *= 10
    return mp.findroot(f, (v * (1 - w), v * (1 + w)), solver="illinois", tol=mp.mpf(10) ** -70)


out = {
    "provenance": f"mpmath {mp.__version__} at 40 digits, scipy {scipy.__version__}; test/reference/make-chi2-quantiles.py",
    "chi2": [
        {"p": p, "df": df, "value": float(quantile(p, df)), "scipy": float(chi2.ppf(p, df))} for df in DFS for p in PS
    ],
    "gamma": [
        {
            "a": a,
            "x": x,
            "lower": float(mp.gammainc(mp.mpf(a), 0, mp.mpf(x), regularized=True)),
            "upper": float(mp.gammainc(mp.mpf(a), mp.mpf(x), mp.inf, regularized=True)),
        }
        for a in [0.1, 0.5, 1, 2.5, 10, 100, 1000]
        for x in [1e-5, 0.1, 1, 2.5, 9, 11, 50, 100, 1100]
    ],
    "poisson": [
        {"k": k, "low": 0.0 if k == 0 else float(quantile(0.025, 2 * k) / 2), "high": float(quantile(0.975, 2 * k + 2) / 2)}
        for k in [0, 1, 2, 5, 10, 30, 100, 1000]
    ],
}
print(json.dumps(out, indent=1))
