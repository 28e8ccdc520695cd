"""How far could class recognition or event timing take audio-visual matching on std2022? (issue 2)

Run by hand with Debian's python3 (numpy + torch), never in CI:
    /usr/bin/python3 tools/matching_limits.py RUN_DIR > tools/matching_limits.txt
RUN_DIR is any matching run on the default split (its split/train-ids.txt and evaluation-ids.txt
name the 2,199 training and 548 validation clips).

1. Frame-level CCA (every second a sample, ridge 0.1 x mean eigenvalue, 64 directions, sqrt(rho)
   weights, score = mean per-second cosine): the same model as vidkit's `cca`, fitted in numpy.
2. Oracles: a bonus b added to the row-z-scored CCA matrix for pairs of the same class, the same
   annotated event segment (start_s, end_s), or both.
3. Per-second event detectors per modality (two kernel-3 temporal convolutions, 29-way per second:
   the clip's class inside its annotated segment, else background), their presence accuracy
   against always answering "event", and the agreement score sum_t log sum_c pv(t,c) pa(t,c).
50-way protocol: 1,000 seeded draws (300 for the sweeps), a row's rank counts ties against it.
"""
import csv
import sys

import numpy as np
import torch
import torch.nn as nn

D = '../shared/data/std2022/train'
R = sys.argv[1]
torch.manual_seed(0)
torch.set_num_threads(2)
tr = [l.strip() for l in open(R + '/split/train-ids.txt') if l.strip()]
va = [l.strip() for l in open(R + '/evaluation-ids.txt') if l.strip()]
lab = {r['id']: r for r in csv.DictReader(open(D + '/labels.csv'))}


def load(ids, m):
    return np.stack([np.load(f'{D}/{m}/{i}.npy') for i in ids]).astype(np.float64)


def stdz(a, b):
    mu = a.mean((0, 1))
    sd = a.std((0, 1)) + 1e-6
    return (a - mu) / sd, (b - mu) / sd


Vtr, Vva = stdz(load(tr, 'vfeat'), load(va, 'vfeat'))
Atr, Ava = stdz(load(tr, 'afeat'), load(va, 'afeat'))


def course(S, draws=1000, n=50, seed=0):
    rng = np.random.default_rng(seed)
    t1 = t5 = 0
    for _ in range(draws):
        idx = rng.choice(S.shape[0], n, replace=False)
        s = S[np.ix_(idx, idx)]
        rank = (s >= np.diag(s)[:, None]).sum(1) - 1
        t1 += (rank < 1).mean()
        t5 += (rank < 5).mean()
    return round(t1 / draws, 3), round(t5 / draws, 3)


def cca(X, Y, r):
    mx, my = X.mean(0), Y.mean(0)
    X, Y = X - mx, Y - my
    n = len(X)

    def isq(C):
        C = C + r * np.trace(C) / len(C) * np.eye(len(C))
        w, U = np.linalg.eigh(C)
        return U @ np.diag(w ** -.5) @ U.T

    Wx, Wy = isq(X.T @ X / n), isq(Y.T @ Y / n)
    U, s, Vt = np.linalg.svd(Wx @ (X.T @ Y / n) @ Wy)
    return mx, my, Wx @ U, Wy @ Vt.T, s


mx, my, A, B, rho = cca(Vtr.reshape(-1, 512), Atr.reshape(-1, 128), 0.1)
k = 64
nv = (Vva - mx) @ A[:, :k] * np.sqrt(rho[:k])
na = (Ava - my) @ B[:, :k] * np.sqrt(rho[:k])
nv /= np.linalg.norm(nv, axis=2, keepdims=True)
na /= np.linalg.norm(na, axis=2, keepdims=True)
S = np.einsum('itk,jtk->ij', nv, na) / 10
print('frame-level CCA', course(S))

cls = np.array([int(lab[i]['label']) for i in va])
seg = np.array([int(lab[i]['start_s']) * 100 + int(lab[i]['end_s']) for i in va])
same_c = (cls[:, None] == cls[None, :]).astype(float)
same_s = (seg[:, None] == seg[None, :]).astype(float)
Sz = (S - S.mean(1, keepdims=True)) / S.std(1, keepdims=True)
for b in [1, 2, 100]:
    print(f'oracle bonus {b}: class', course(Sz + b * same_c), 'segment', course(Sz + b * same_s),
          'class and segment', course(Sz + b * same_c * same_s))
print('validation clips whose event spans all 10 s:', round(float((seg == 10).mean()), 3))


def profile(ids):
    P = np.zeros((len(ids), 10), np.float32)
    for n, i in enumerate(ids):
        P[n, int(lab[i]['start_s']):int(lab[i]['end_s'])] = 1
    return P, np.array([int(lab[i]['label']) for i in ids])


Ptr, Ctr = profile(tr)
Pva, Cva = profile(va)


def detector(Xtr, Xva, epochs=60):
    m = nn.Sequential(nn.Dropout(0.2), nn.Conv1d(Xtr.shape[2], 256, 3, padding=1), nn.ReLU(), nn.Dropout(0.3),
                      nn.Conv1d(256, 256, 3, padding=1), nn.ReLU(), nn.Conv1d(256, 29, 1))
    opt = torch.optim.AdamW(m.parameters(), 1e-3, weight_decay=1e-2)
    X = torch.tensor(Xtr, dtype=torch.float32).transpose(1, 2)
    Y = torch.tensor(np.where(Ptr > 0, Ctr[:, None], 28), dtype=torch.long)
    for _ in range(epochs):
        m.train()
        perm = torch.randperm(len(X))
        for b in range(0, len(X), 64):
            i = perm[b:b + 64]
            loss = nn.functional.cross_entropy(m(X[i] + 0.1 * torch.randn_like(X[i])), Y[i])
            opt.zero_grad()
            loss.backward()
            opt.step()
    m.eval()
    with torch.no_grad():
        return torch.softmax(m(torch.tensor(Xva, dtype=torch.float32).transpose(1, 2)), 1).transpose(1, 2).numpy()


pv, pa = detector(Vtr, Vva), detector(Atr, Ava)
print('seconds inside the event: train', round(float(Ptr.mean()), 3), 'validation', round(float(Pva.mean()), 3),
      '(= accuracy of always answering "event")')
for name, p in [('video', pv), ('audio', pa)]:
    presence = ((1 - p[:, :, 28] > 0.5) == (Pva > 0)).mean()
    clip_class = (p[:, :, :28].sum(1).argmax(1) == Cva).mean()
    print(f'{name} detector: per-second presence accuracy {presence:.3f}, clip class accuracy {clip_class:.3f}')
joint = np.log(np.einsum('itc,jtc->ijt', pv, pa) + 1e-6).sum(2)


def z(M):
    return (M - M.mean(1, keepdims=True)) / (M.std(1, keepdims=True) + 1e-9)


print('detector agreement alone', course(joint))
for w in [0.25, 0.5, 1.0]:
    print(f'CCA + {w} x detector agreement', course(z(S) + w * z(joint)))
