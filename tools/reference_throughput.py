#!/usr/bin/python3
"""Reference timings: vidkit's twotower and localmix models, written again in PyTorch.

Run by hand with Debian's python3-torch (never in CI):

    /usr/bin/python3 tools/reference_throughput.py > tools/reference_throughput.txt

Measures, on random features of the course data's shapes ([batch, 10, 512] video, [batch, 10, 128]
audio), the median time of a training step (forward, loss, backward, AdamW update) and of scoring
N x N pairs (encoders once per item, then the fusion per pair), with the same thread count as
`./vidkit --threads T bench`. The architectures follow vidkit's defaults (see nn/*Config.java).
"""
import math
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

FRAMES, VDIM, ADIM = 10, 512, 128


class TemporalConv(nn.Module):
    """Kernel-k temporal convolution over [batch, frames, dim], zero-padded (vidkit's local layer)."""

    def __init__(self, din, dout, k=3):
        super().__init__()
        self.conv = nn.Conv1d(din, dout, k, padding=k // 2)

    def forward(self, x):
        return self.conv(x.transpose(1, 2)).transpose(1, 2)


class Tower(nn.Module):
    def __init__(self, din, hidden=256, emb=128, layers=2, att=64, drop=0.3):
        super().__init__()
        self.convs = nn.ModuleList([TemporalConv(din if i == 0 else hidden, hidden) for i in range(layers)])
        self.proj, self.score = nn.Linear(hidden, att), nn.Linear(att, 1, bias=False)
        self.out, self.drop = nn.Linear(hidden, emb), drop

    def forward(self, x):
        x = F.dropout(x, self.drop, self.training)
        for c in self.convs:
            x = F.dropout(F.relu(c(x)), self.drop, self.training)
        a = torch.softmax(self.score(torch.tanh(self.proj(x))).squeeze(-1), 1).unsqueeze(-1)
        return F.normalize(self.out((x * a).sum(1)), dim=1)


class TwoTower(nn.Module):
    def __init__(self):
        super().__init__()
        self.v, self.a = Tower(VDIM), Tower(ADIM)
        self.log_scale = nn.Parameter(torch.tensor([math.log(1 / 0.07)]))

    def loss(self, v, a):
        s = self.v(v) @ self.a(a).T * self.log_scale.clamp(-4.6, 4.6).exp()
        y = torch.arange(len(v))
        return (F.cross_entropy(s, y) + F.cross_entropy(s.T, y)) / 2

    def score(self, v, a):
        return self.v(v) @ self.a(a).T * self.log_scale.exp()


def scaled_tanh(x):
    return 1.7159 * torch.tanh(2 * x / 3)


class BiGru(nn.Module):
    """Three bidirectional GRU layers (PyTorch's own bidirectional=True)."""

    def __init__(self, din, hidden=64, layers=3):
        super().__init__()
        self.gru = nn.GRU(din, hidden, layers, batch_first=True, bidirectional=True)

    def forward(self, x):
        return self.gru(x)[0]


class LocalMix(nn.Module):
    def __init__(self, hidden=128, chunk=5, drop=0.2):
        super().__init__()
        self.vl = nn.ModuleList([TemporalConv(VDIM, hidden), TemporalConv(hidden, hidden)])
        self.al = nn.ModuleList([TemporalConv(ADIM, hidden), TemporalConv(hidden, hidden)])
        self.gru, self.m1, self.m2 = BiGru(ADIM), nn.Linear(128, hidden), nn.Linear(hidden, hidden)
        self.head, self.product = nn.Linear(hidden, 1), nn.Linear(hidden, 1, bias=False)
        self.hidden, self.chunk, self.drop = hidden, chunk, drop

    def local(self, layers, x):
        for i, l in enumerate(layers):
            if i > 0:
                x = F.dropout(scaled_tanh(x), self.drop, self.training)
            x = l(x)
        return x

    def enc_v(self, v):
        return self.local(self.vl, F.dropout(v, self.drop, self.training))

    def enc_a(self, a):
        a = F.dropout(a, self.drop, self.training)
        r = self.m2(F.dropout(scaled_tanh(self.m1(self.gru(a))), self.drop, self.training))
        return self.local(self.al, a) + r

    def fuse(self, v, a):
        h = F.dropout(scaled_tanh(v + a), self.drop, self.training)
        p = torch.sigmoid((self.head(h) + self.product(v * a / math.sqrt(self.hidden))).squeeze(-1))
        chunks = [p[..., s:s + self.chunk].amax(-1) for s in range(0, p.shape[-1], self.chunk)]
        return torch.stack(chunks, -1).mean(-1)

    def loss(self, v, a):
        ev, ea = self.enc_v(v), self.enc_a(a)
        b = len(v)
        offsets = torch.randint(1, b, (2,)).tolist()
        vs = torch.cat([ev] * 3)
        as_ = torch.cat([ea] + [torch.roll(ea, -o, 0) for o in offsets])
        p = self.fuse(vs, as_).clamp(1e-6, 1 - 1e-6)
        y = torch.cat([torch.ones(b), torch.zeros(2 * b)])
        pt = y * p + (1 - y) * (1 - p)
        return (-(1 - pt) ** 2 * torch.log(pt)).mean()

    def score(self, v, a):
        ev, ea = self.enc_v(v), self.enc_a(a)
        rows = []
        for r in range(0, len(ev), 256):
            rows.append(self.fuse(ev[r:r + 256].unsqueeze(1), ea.unsqueeze(0)))
        return torch.cat(rows)


def median_time(fn, repeats):
    fn()
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main():
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    n, batch = 1000, 128
    print(f"torch {torch.__version__}, threads {threads}, batch {batch}, N = M = {n}")
    print(f"{'model':10s} {'training samples/s':>20s} {'scoring pairs/s':>18s}")
    for name, model in (("twotower", TwoTower()), ("localmix", LocalMix())):
        opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=1e-4)
        v, a = torch.randn(batch, FRAMES, VDIM), torch.randn(batch, FRAMES, ADIM)

        def step():
            model.train()
            opt.zero_grad()
            model.loss(v, a).backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()

        train_s = median_time(step, 20)
        vn, an = torch.randn(n, FRAMES, VDIM), torch.randn(n, FRAMES, ADIM)

        def score():
            model.eval()
            with torch.no_grad():
                model.score(vn, an)

        score_s = median_time(score, 5)
        print(f"{name:10s} {batch / train_s:20.0f} {n * n / score_s:18.0f}")


if __name__ == "__main__":
    main()
