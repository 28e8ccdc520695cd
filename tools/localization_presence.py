"""How well can per-second event/background be told apart on the AVE features? (issue 13)

Prototype measurements behind the README's localization section, on the same seeded split as a
vidkit localization run (its split/ directory): a per-second detector (input projection, ReLU,
dropout, bidirectional GRU) over both modalities' standardized features, trained with BCE on the
annotated event seconds, beside a clip classifier (MLP on mean- and max-pooled features). Reports
the detector's AUC and accuracy, and the segment accuracy of several decodings: threshold 0.5 with
the argmax class, the Bayes decision over 29 labels (P(class c at t) = P(c) P(event t | c), P(bg)
= the rest), one contiguous interval per clip (maximum-sum subarray of the event log-odds), and the
thresholded seconds with the true class (oracle). Debian's python3-torch, by hand, never in CI:

    /usr/bin/python3 tools/localization_presence.py runs/localization-RUN > tools/localization_presence.txt
"""
import csv
import sys

import numpy as np
import torch

torch.set_num_threads(1)
DATA = '../shared/data/std2022/train'
RUN = sys.argv[1]
CLASSES = 28
rows = {r['id']: r for r in csv.DictReader(open(DATA + '/labels.csv'))}
train_ids = open(RUN + '/split/train-ids.txt').read().split()
val_ids = open(RUN + '/split/validation-ids.txt').read().split()


def load(ids):
    v = np.stack([np.load(f'{DATA}/vfeat/{i}.npy') for i in ids]).astype(np.float32)
    a = np.stack([np.load(f'{DATA}/afeat/{i}.npy') for i in ids]).astype(np.float32)
    y = np.array([int(rows[i]['label']) for i in ids])
    e = np.zeros((len(ids), 10), np.float32)
    for k, i in enumerate(ids):
        e[k, int(rows[i]['start_s']):int(rows[i]['end_s'])] = 1
    return v, a, y, e


Vt, At, yt, Et = load(train_ids)
Vv, Av, yv, Ev = load(val_ids)
mv, sv = Vt.reshape(-1, Vt.shape[2]).mean(0), Vt.reshape(-1, Vt.shape[2]).std(0) + 1e-6
ma, sa = At.reshape(-1, At.shape[2]).mean(0), At.reshape(-1, At.shape[2]).std(0) + 1e-6
Vt, Vv, At, Av = (Vt - mv) / sv, (Vv - mv) / sv, (At - ma) / sa, (Av - ma) / sa


def features(v, a, deviation):
    x = [v, a]
    if deviation:
        x += [v - v.mean(1, keepdims=True), a - a.mean(1, keepdims=True)]
    return torch.tensor(np.concatenate(x, 2))


class Detector(torch.nn.Module):
    def __init__(self, dim, conditional, hidden=128):
        super().__init__()
        self.inp = torch.nn.Sequential(torch.nn.Linear(dim, hidden), torch.nn.ReLU(), torch.nn.Dropout(0.5))
        self.gru = torch.nn.GRU(hidden, hidden // 2, batch_first=True, bidirectional=True)
        self.event = torch.nn.Linear(hidden, CLASSES if conditional else 1)
        self.clip = torch.nn.Sequential(torch.nn.Linear(2 * dim, 256), torch.nn.ReLU(), torch.nn.Dropout(0.5),
                                        torch.nn.Linear(256, CLASSES))

    def forward(self, x):
        h, _ = self.gru(self.inp(x))
        return self.event(h), self.clip(torch.cat([x.mean(1), x.max(1).values], 1))


def auc(score, label):
    order = np.argsort(score)
    rank = np.empty(len(order))
    rank[order] = np.arange(len(order))
    p = label.sum()
    n = len(label) - p
    return (rank[label == 1].sum() - p * (p - 1) / 2) / (p * n)


def contiguous(log_odds):
    best, span = -1e18, (0, 1)
    for s in range(len(log_odds)):
        total = 0.0
        for e in range(s, len(log_odds)):
            total += log_odds[e]
            if total > best:
                best, span = total, (s, e + 1)
    out = np.zeros(len(log_odds))
    out[span[0]:span[1]] = 1
    return out


def segment_accuracy(labels):
    truth = np.where(Ev == 1, yv[:, None], CLASSES)
    return (labels == truth).mean()


print(f'validation: {len(val_ids)} clips, event share of seconds {Ev.mean():.4f}')
for deviation, conditional in [(False, False), (True, False), (False, True)]:
    torch.manual_seed(0)
    Xt, Xv = features(Vt, At, deviation), features(Vv, Av, deviation)
    net = Detector(Xt.shape[2], conditional)
    opt = torch.optim.AdamW(net.parameters(), 1e-3, weight_decay=1e-3)
    events, labels = torch.tensor(Et), torch.tensor(yt)
    for epoch in range(30):
        net.train()
        perm = torch.randperm(len(Xt))
        for b in range(0, len(perm), 64):
            i = perm[b:b + 64]
            e, c = net(Xt[i] + 0.1 * torch.randn_like(Xt[i]))
            e = e.gather(2, labels[i][:, None, None].expand(-1, 10, 1)).squeeze(-1) if conditional else e.squeeze(-1)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(e, events[i]) \
                + torch.nn.functional.cross_entropy(c, labels[i])
            opt.zero_grad()
            loss.backward()
            opt.step()
        if epoch % 5 != 4:
            continue
        net.eval()
        with torch.no_grad():
            e, c = net(Xv)
        pc = torch.softmax(c, 1).numpy()
        pe = torch.sigmoid(e).numpy()
        pe = pe if conditional else np.repeat(pe, CLASSES, 2)
        cls = pc.argmax(1)
        top = pe[np.arange(len(cls)), :, cls]
        truth_top = pe[np.arange(len(yv)), :, yv]
        threshold = np.where(top > 0.5, cls[:, None], CLASSES)
        joint = np.concatenate([pc[:, None, :] * pe, (pc[:, None, :] * (1 - pe)).sum(2, keepdims=True)], 2)
        bayes = joint.argmax(2)
        interval = np.stack([contiguous(np.log(t + 1e-6) - np.log(1 - t + 1e-6)) for t in top])
        interval = np.where(interval == 1, cls[:, None], CLASSES)
        oracle = np.where(truth_top > 0.5, yv[:, None], CLASSES)
        always = np.repeat(cls[:, None], 10, 1)
        name = ('clip deviation + ' if deviation else '') + ('class-conditional' if conditional else 'one event head')
        print(f'{name:40s} epoch {epoch + 1:2d}: detector AUC {auc(truth_top.ravel(), Ev.ravel()):.4f}, '
              f'accuracy {((truth_top > 0.5) == Ev).mean():.4f}; clip class {(cls == yv).mean():.4f}; segment accuracy: '
              f'threshold {segment_accuracy(threshold):.4f}, Bayes {segment_accuracy(bayes):.4f}, '
              f'one interval {segment_accuracy(interval):.4f}, always event {segment_accuracy(always):.4f}, '
              f'true class {segment_accuracy(oracle):.4f}', flush=True)
