"""Reference metrics from scikit-learn for test/metrics/sklearn-agreement.test.ts.

Reads {"single": [...], "multi": [...]} as JSON on stdin and writes the same cases' metrics as
JSON on stdout, with the field names of core/metrics/report.ts. One-error is not in sklearn; it
is computed as the SEN12MS reference code does (numpy argmax).
"""
import json
import sys
import warnings

import numpy as np
from sklearn import metrics as m

warnings.simplefilter("ignore")  # undefined-metric warnings are expected in the edge cases


def single(case):
    t = np.array(case["y_true"])
    p = np.array(case["y_pred"])
    k = case["num_classes"]
    out = {
        "overall_accuracy": m.accuracy_score(t, p),
        "average_accuracy": m.balanced_accuracy_score(t, p),
        "confusion_matrix": m.confusion_matrix(t, p, labels=list(range(k))).tolist(),
    }
    for avg in ("macro", "micro", "weighted"):
        pr, rc, f, _ = m.precision_recall_fscore_support(t, p, average=avg, zero_division=0)
        out[f"precision_{avg}"], out[f"recall_{avg}"], out[f"f1_{avg}"] = pr, rc, f
    pr, rc, f, s = m.precision_recall_fscore_support(t, p, labels=list(range(k)), average=None, zero_division=0)
    out["per_class"] = [
        {"precision": a, "recall": b, "f1": c, "support": int(d)} for a, b, c, d in zip(pr, rc, f, s)
    ]
    sub = case["label_subset"]
    pr, rc, f, _ = m.precision_recall_fscore_support(t, p, labels=sub, average="micro", zero_division=0)
    out["subset_micro"] = {"precision": pr, "recall": rc, "f": f}
    pr, rc, f, _ = m.precision_recall_fscore_support(t, p, labels=sub, average="macro", zero_division=0, beta=2)
    out["subset_macro_f2"] = {"precision": pr, "recall": rc, "f": f}
    out["confusion_matrix_subset"] = m.confusion_matrix(t, p, labels=sub).tolist()
    return out


def multi(case):
    t = np.array(case["y_true"], dtype=int)
    s = np.array(case["scores"], dtype=float)
    p = (s >= case["threshold"]).astype(int)
    out = {
        "jaccard_samples": m.jaccard_score(t, p, average="samples", zero_division=0),
        "subset_accuracy": m.accuracy_score(t, p),
        "hamming_loss": m.hamming_loss(t, p),
        "map_macro": m.average_precision_score(t, s, average="macro"),
        "one_error": float(np.mean(t[np.arange(len(t)), np.argmax(s, axis=1)] == 0)),
        "coverage_error": m.coverage_error(t, s),
        "ranking_loss": m.label_ranking_loss(t, s),
        "label_ranking_average_precision": m.label_ranking_average_precision_score(t, s),
    }
    for avg in ("micro", "macro", "samples"):
        pr, rc, f1, _ = m.precision_recall_fscore_support(t, p, average=avg, zero_division=0)
        out[f"precision_{avg}"], out[f"recall_{avg}"], out[f"f1_{avg}"] = pr, rc, f1
        out[f"f2_{avg}"] = m.fbeta_score(t, p, beta=2, average=avg, zero_division=0)
    pr, rc, f1, sup = m.precision_recall_fscore_support(t, p, average=None, zero_division=0)
    ap = m.average_precision_score(t, s, average=None)
    out["per_class"] = [
        {"precision": a, "recall": b, "f1": c, "support": int(d), "average_precision": e}
        for a, b, c, d, e in zip(pr, rc, f1, sup, ap)
    ]
    return out


def plain(value):
    """numpy scalars to Python numbers so json can write them."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value.item() if hasattr(value, "item") else value


cases = json.load(sys.stdin)
json.dump(
    plain({"single": [single(c) for c in cases["single"]], "multi": [multi(c) for c in cases["multi"]]}),
    sys.stdout,
)
