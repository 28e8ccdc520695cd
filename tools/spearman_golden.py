"""Golden values for vidkit.eval.SimilarityMetrics.spearman: scipy.stats.spearmanr (average ranks for
ties) on fixed series, including many ties (scores on a 0.05 grid, as the pair scores are).

    /usr/bin/python3 tools/spearman_golden.py > eval/src/test/resources/spearman/golden.txt
"""
import numpy as np
from scipy.stats import spearmanr

rng = np.random.default_rng(3)
cases = []
truth = np.round(rng.random(50) * 20) / 20
pred = truth + 0.3 * rng.standard_normal(50)
cases.append((pred, truth))
a = np.array([1, 2, 2, 3, 3, 3, 4, 5, 5, 6], dtype=float)
b = np.array([2, 1, 4, 3, 3, 6, 5, 5, 8, 7], dtype=float)
cases.append((a, b))
x = rng.random(200)
cases.append((x, -x ** 3 + 0.1 * rng.standard_normal(200)))
for p, t in cases:
    rho = spearmanr(p, t).correlation
    print(len(p))
    print(' '.join(repr(float(v)) for v in p))
    print(' '.join(repr(float(v)) for v in t))
    print(repr(float(rho)))
