#!/usr/bin/python3
"""Golden values for vidkit's YouTube-8M metrics, computed the way the official starter code does.

A numpy transcription of youtube-8m's eval_util.py (calculate_hit_at_one,
calculate_precision_at_equal_recall_rate, top_k_by_class + AveragePrecisionCalculator.ap_at_n for
GAP) and of MeanAveragePrecisionCalculator (one AP per class), on seeded random scores without ties
(ties are broken arbitrarily by the official code; vidkit's tie rule is tested separately).
Run by hand:
    /usr/bin/python3 tools/yt8m_metrics_golden.py eval/src/test/resources/yt8m-metrics
"""
import json
import sys

import numpy as np


def ap_at_n(predictions, actuals, n=None, total_num_positives=None):
    """average_precision_calculator.AveragePrecisionCalculator.ap_at_n (without its shuffle)."""
    predictions = np.asarray(predictions)
    actuals = np.asarray(actuals)
    numpos = int(np.sum(actuals > 0)) if total_num_positives is None else total_num_positives
    if numpos == 0:
        return 0.0
    if n is not None:
        numpos = min(numpos, n)
    delta_recall = 1.0 / numpos
    sortidx = np.argsort(-predictions, kind="stable")
    r = len(sortidx) if n is None else min(len(sortidx), n)
    poscount = 0.0
    ap = 0.0
    for i in range(r):
        if actuals[sortidx[i]] > 0:
            poscount += 1
            ap += poscount / (i + 1) * delta_recall
    return ap


def top_k_by_class(predictions, labels, k):
    num_classes = predictions.shape[1]
    out_predictions = [[] for _ in range(num_classes)]
    out_labels = [[] for _ in range(num_classes)]
    for v in range(predictions.shape[0]):
        kk = min(k, num_classes)
        indices = np.argpartition(predictions[v], -kk)[-kk:]
        for index in indices:
            out_predictions[index].append(predictions[v, index])
            out_labels[index].append(labels[v, index])
    out_true_positives = [int(np.sum(labels[:, i])) for i in range(num_classes)]
    return out_predictions, out_labels, out_true_positives


def gap(predictions, labels, k=20):
    p, l, n = top_k_by_class(predictions, labels, k)
    flat_p = np.concatenate([np.asarray(x, dtype=np.float64) for x in p if len(x)])
    flat_l = np.concatenate([np.asarray(x) for x in l if len(x)])
    return ap_at_n(flat_p, flat_l, None, sum(n))


def hit_at_one(predictions, labels):
    top = np.argmax(predictions, 1)
    return float(np.average(labels[np.arange(labels.shape[0]), top]))


def perr(predictions, labels):
    total = 0.0
    for row in range(predictions.shape[0]):
        num_labels = int(np.sum(labels[row]))
        if num_labels == 0:
            continue
        top = np.argpartition(predictions[row], -num_labels)[-num_labels:]
        total += np.sum(labels[row][top]) / num_labels
    return total / predictions.shape[0]


def per_class_ap(predictions, labels):
    return [ap_at_n(predictions[:, c], labels[:, c]) if labels[:, c].sum() > 0 else None
            for c in range(predictions.shape[1])]


def main(out):
    rng = np.random.default_rng(20261122)
    videos, classes = 300, 50
    popularity = rng.dirichlet(np.full(classes, 0.3))
    labels = np.zeros((videos, classes), dtype=np.uint8)
    for v in range(videos):
        count = rng.poisson(2.0)
        for c in rng.choice(classes, size=min(count, classes), replace=False, p=popularity):
            labels[v, c] = 1
    # scores that know something: positives shifted up, then squashed; all distinct
    latent = rng.normal(size=(videos, classes)) + 1.5 * labels
    ranks = np.argsort(np.argsort(latent, axis=None)).reshape(latent.shape)
    scores = (ranks / latent.size).astype(np.float32)  # distinct by construction
    assert len(np.unique(scores)) == scores.size, "ties would make the official code's order arbitrary"
    np.save(f"{out}/scores.npy", scores)
    np.save(f"{out}/labels.npy", labels)
    s = scores.astype(np.float64)
    aps = per_class_ap(s, labels)
    present = [a for a in aps if a is not None]
    golden = {
        "videos": videos,
        "classes": classes,
        "videos_without_labels": int((labels.sum(1) == 0).sum()),
        "classes_without_positives": int((labels.sum(0) == 0).sum()),
        "gap20": gap(s, labels, 20),
        "gap5": gap(s, labels, 5),
        "map": float(np.mean(present)),
        "map_all_classes": float(np.sum(present) / classes),
        "hit_at_one": hit_at_one(s, labels),
        "perr": perr(s, labels),
        "per_class_ap_first5": [a if a is not None else -1 for a in aps[:5]],
    }
    with open(f"{out}/golden.json", "w") as f:
        json.dump(golden, f, indent=2)
    print(json.dumps(golden, indent=2))


if __name__ == "__main__":
    main(sys.argv[1])
