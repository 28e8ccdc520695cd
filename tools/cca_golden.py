#!/usr/bin/python3
"""Golden values for vidkit's CcaModel (CcaModelGoldenTest), computed independently with numpy.

Data: ../shared/data/std2022/train, the first 240 clip ids in sorted order, frames 0..4 only
(video [240, 5, 512], audio [240, 5, 128], raw values as float64, no normalization); scored on the
next 5 clips. Method: the textbook whitening route (Cxx^{-1/2} Cxy Cyy^{-1/2} = U S V^T, a = Cxx^{-1/2} u,
b = Cyy^{-1/2} v), not the route vidkit takes (inverse of the larger covariance + two eigen-
decompositions of the smaller side). Ridge: C + r * trace(C)/p * I with r = 0.1; k = 8 directions;
codes multiplied by rho^(1/2) on both sides (correlationPower 1), then unit length; score = cosine.

A second part does the same at frame level (the seconds are the samples; see the end).

Run by hand with Debian's python3 (python3-numpy); output committed as tools/cca_golden.txt.
"""
import os
import numpy as np

D = os.path.join(os.path.dirname(__file__), '..', '..', 'shared', 'data', 'std2022', 'train')
ids = sorted(f[:-4] for f in os.listdir(os.path.join(D, 'afeat')) if f.endswith('.npy'))
fit_ids, score_ids = ids[:240], ids[240:245]


def load(sel, modality):
    return np.stack([np.load(os.path.join(D, modality, i + '.npy'))[:5] for i in sel]).astype(np.float64).reshape(len(sel), -1)


X, Y = load(fit_ids, 'vfeat'), load(fit_ids, 'afeat')
n = len(X)
mx, my = X.mean(0), Y.mean(0)
Xc, Yc = X - mx, Y - my


def ridge(c, r=0.1):
    return c + r * np.trace(c) / len(c) * np.eye(len(c))


def inv_sqrt(c):
    w, u = np.linalg.eigh(c)
    return u @ np.diag(w ** -0.5) @ u.T


Wx, Wy = inv_sqrt(ridge(Xc.T @ Xc / n)), inv_sqrt(ridge(Yc.T @ Yc / n))
U, s, Vt = np.linalg.svd(Wx @ (Xc.T @ Yc / n) @ Wy)
k = 8
A, B, rho = Wx @ U[:, :k], Wy @ Vt.T[:, :k], s[:k]


def codes(Z, mean, P):
    z = (Z - mean) @ P * np.sqrt(rho)
    return z / np.linalg.norm(z, axis=1, keepdims=True)


S = codes(load(score_ids, 'vfeat'), mx, A) @ codes(load(score_ids, 'afeat'), my, B).T
print('ids', ' '.join(score_ids))
print('rho', ' '.join('%.6f' % r for r in rho))
for row in S:
    print('score', ' '.join('%.6f' % v for v in row))

# Frame level: the 240 clips' 1,200 seconds are the samples ([1200, 512] and [1200, 128]); same
# ridge, k and weighting; a clip pair's score is the mean over its 5 seconds of the per-second cosines.
Xf, Yf = X.reshape(-1, 512), Y.reshape(-1, 128)
mx, my = Xf.mean(0), Yf.mean(0)
Xc, Yc = Xf - mx, Yf - my
nf = len(Xf)
Wx, Wy = inv_sqrt(ridge(Xc.T @ Xc / nf)), inv_sqrt(ridge(Yc.T @ Yc / nf))
U, s, Vt = np.linalg.svd(Wx @ (Xc.T @ Yc / nf) @ Wy)
A, B, rho = Wx @ U[:, :k], Wy @ Vt.T[:, :k], s[:k]


def frame_codes(Z, dim, mean, P):
    z = (Z.reshape(len(Z), 5, dim) - mean) @ P * np.sqrt(rho)
    return z / np.linalg.norm(z, axis=2, keepdims=True)


S = np.einsum('itk,jtk->ij', frame_codes(load(score_ids, 'vfeat'), 512, mx, A),
              frame_codes(load(score_ids, 'afeat'), 128, my, B)) / 5
print('frame rho', ' '.join('%.6f' % r for r in rho))
for row in S:
    print('frame score', ' '.join('%.6f' % v for v in row))
