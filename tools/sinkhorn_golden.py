"""Golden values for vidkit's Sinkhorn score normalization (eval/ScoreNormalization.SINKHORN).

Independent route: plain (not log-domain) matrix scaling with numpy in float64, on the
standardized matrix Z = (S - mean) / (std * tau) over all entries (population std).
Rows are normalized first, then columns, 20 times; columns are scaled to sum rows/cols.
Run with Debian's python3: /usr/bin/python3 tools/sinkhorn_golden.py > tools/sinkhorn_golden.txt
"""
import numpy as np


def sinkhorn(S, tau, iterations=20):
    S = np.asarray(S, dtype=np.float64)
    Z = (S - S.mean()) / (S.std() * tau)
    K = np.exp(Z)
    rows, cols = K.shape
    for _ in range(iterations):
        K = K / K.sum(axis=1, keepdims=True)
        K = K / K.sum(axis=0, keepdims=True) * (rows / cols)
    return K


cases = {
    "hub 3x3 tau 0.3": ([[0.9, 0.1, 0.2], [0.85, 0.8, 0.3], [0.8, 0.2, 0.7]], 0.3),
    "2x3 tau 1": ([[1.0, 0.0, 0.5], [0.2, 0.9, 0.4]], 1.0),
}
for name, (S, tau) in cases.items():
    out = sinkhorn(S, tau)
    print(name)
    print(", ".join("%.6ff" % v for v in out.ravel()))
