"""Reference curves from scikit-learn for test/metrics/pr-curve.test.ts.

Reads {"curves": [{"y_true", "scores"}], "confusion": [{"y_true", "y_pred"}]} (indicator rows)
as JSON on stdin; writes precision_recall_curve, average_precision_score and
multilabel_confusion_matrix of each case as JSON on stdout.
"""
import json
import sys
import warnings

import numpy as np
from sklearn import metrics as m

warnings.simplefilter("ignore")  # "no positive class" is one of the cases

cases = json.load(sys.stdin)
curves = []
for c in cases["curves"]:
    t = np.array(c["y_true"], dtype=int)
    s = np.array(c["scores"], dtype=float)
    p, r, th = m.precision_recall_curve(t, s)
    curves.append({"precision": p.tolist(), "recall": r.tolist(), "thresholds": th.tolist(), "ap": float(m.average_precision_score(t, s))})
confusion = [
    m.multilabel_confusion_matrix(np.array(c["y_true"], dtype=int), np.array(c["y_pred"], dtype=int)).tolist()
    for c in cases["confusion"]
]
json.dump({"curves": curves, "confusion": confusion}, sys.stdout)
