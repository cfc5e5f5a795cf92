"""Fitting the linker's weights on gold links (used by ``scripts/fit_link.py``).

Two small regularised models, fitted with L-BFGS (scipy, imported only
when fitting; scoring needs numpy alone):

- ``fit_grouped_softmax``: a conditional logit. Rows come in groups (the
  candidate documents of one commitment, the sentences of one document);
  each positive row should score above every negative row of its group.
  The loss of a positive ``p`` is ``-log softmax`` of ``p`` among itself
  and the group's negatives, so a group with several positives (a
  commitment with several gold documents) does not pit them against each
  other. This is what the linker needs: an order within a group, not a
  probability across groups.
- ``fit_softmax_regression``: multinomial logistic regression (status from
  the evidence sentence).

Features are standardised before fitting (so one L2 penalty suits them
all) and the weights are mapped back to the raw scale: the returned
weights apply to raw feature values.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Standardiser:
    mean: np.ndarray
    scale: np.ndarray

    @classmethod
    def fit(cls, x: np.ndarray) -> "Standardiser":
        scale = x.std(axis=0)
        scale[scale < 1e-9] = 1.0
        return cls(x.mean(axis=0), scale)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return (x - self.mean) / self.scale

    def raw(self, w: np.ndarray, b: float | np.ndarray = 0.0) -> tuple[np.ndarray, float | np.ndarray]:
        """Weights and bias on standardised features -> the same on raw ones."""
        w_raw = (w.T / self.scale).T
        return w_raw, b - self.mean @ w_raw


def grouped_softmax_loss(w: np.ndarray, x: np.ndarray, y: np.ndarray, group: np.ndarray,
                         l2: float, weight: np.ndarray | None = None) -> tuple[float, np.ndarray]:
    """Loss and gradient of ``fit_grouped_softmax`` (rows sorted by group);
    ``weight`` (per row, read at the positives) scales each positive's term."""
    if weight is None:
        weight = np.ones(len(y))
    s = x @ w
    n_groups = int(group.max()) + 1 if len(group) else 0
    top = np.full(n_groups, -np.inf)
    np.maximum.at(top, group, s)
    e = np.exp(s - top[group])
    neg_sum = np.zeros(n_groups)
    np.add.at(neg_sum, group, np.where(y, 0.0, e))
    pos = np.flatnonzero(y)
    denom = e[pos] + neg_sum[group[pos]]
    wp = weight[pos]
    loss = float(np.sum(wp * (-(s[pos] - top[group[pos]]) + np.log(denom))))
    grad_s = np.zeros_like(s)
    grad_s[pos] = -wp * neg_sum[group[pos]] / denom
    inv = np.zeros(n_groups)
    np.add.at(inv, group[pos], wp / denom)
    neg = ~y
    grad_s[neg] = e[neg] * inv[group[neg]]
    return loss + l2 * float(w @ w), x.T @ grad_s + 2 * l2 * w


def fit_grouped_softmax(x: np.ndarray, y: np.ndarray, group: np.ndarray, l2: float = 1.0,
                        weight: np.ndarray | None = None) -> np.ndarray:
    """Weights (raw feature scale) of a conditional logit: within each group
    (``group``: one id per row), positives (``y`` true) above negatives.
    Groups without a positive or without a negative teach nothing and are
    ignored by the loss. ``l2`` penalises the standardised weights;
    ``weight`` (one per row, read at the positives; default 1) weighs each
    positive's term."""
    from scipy.optimize import minimize

    x, y, group = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=bool), np.asarray(group)
    weight = None if weight is None else np.asarray(weight, dtype=np.float64)
    _, group = np.unique(group, return_inverse=True)
    std = Standardiser.fit(x)
    xs = std(x)
    res = minimize(grouped_softmax_loss, np.zeros(x.shape[1]), args=(xs, y, group, l2, weight), jac=True,
                   method="L-BFGS-B")
    w, _ = std.raw(res.x)
    return w


def fit_softmax_regression(x: np.ndarray, labels: list[str], classes: list[str],
                           l2: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression: weights (features x classes) and
    biases (classes), both on the raw feature scale; ``l2`` penalises the
    standardised weights (not the biases), summed over rows as the loss is."""
    from scipy.optimize import minimize

    x = np.asarray(x, dtype=np.float64)
    std = Standardiser.fit(x)
    xs = std(x)
    n, d = xs.shape
    k = len(classes)
    target = np.zeros((n, k))
    target[np.arange(n), [classes.index(c) for c in labels]] = 1.0

    def loss(theta):
        w, b = theta[: d * k].reshape(d, k), theta[d * k:]
        z = xs @ w + b
        z -= z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        p = np.exp(logp)
        g = p - target
        value = -float((target * logp).sum()) + l2 * float((w * w).sum())
        return value, np.concatenate([(xs.T @ g + 2 * l2 * w).ravel(), g.sum(axis=0)])

    res = minimize(loss, np.zeros(d * k + k), jac=True, method="L-BFGS-B", options={"maxiter": 2000})
    w, b = res.x[: d * k].reshape(d, k), res.x[d * k:]
    return std.raw(w, b)


def fit_platt(scores: np.ndarray, labels: np.ndarray, l2: float = 1e-3) -> tuple[float, float]:
    """``a, b`` with ``sigmoid(a * score + b)`` the probability of a label:
    turns a within-group score into one comparable across groups."""
    from scipy.optimize import minimize

    s, t = np.asarray(scores, dtype=np.float64), np.asarray(labels, dtype=np.float64)

    def loss(theta):
        z = theta[0] * s + theta[1]
        p = 1.0 / (1.0 + np.exp(-z))
        value = float(np.sum(np.logaddexp(0.0, z) - t * z)) + l2 * theta[0] ** 2
        g = p - t
        return value, np.array([g @ s + 2 * l2 * theta[0], g.sum()])

    res = minimize(loss, np.array([1.0, 0.0]), jac=True, method="L-BFGS-B")
    return float(res.x[0]), float(res.x[1])


def fit_temperature(logits: list[np.ndarray], gold: list[np.ndarray], bounds: tuple[float, float] = (0.05, 20.0)) -> float:
    """The temperature ``T`` maximising the likelihood of the gold sentences
    under ``softmax(logits / T)`` within each group (one group per right
    document: its sentences' logits and which of them overlap the gold
    span; the probability of a group is the sum over its gold sentences).
    Groups without a gold sentence are skipped; 1.0 when none is left."""
    from scipy.optimize import minimize_scalar

    groups = [(np.asarray(lg, dtype=np.float64), np.asarray(g, dtype=bool))
              for lg, g in zip(logits, gold) if np.any(g) and len(lg) > 1]
    if not groups:
        return 1.0

    def nll(log_t: float) -> float:
        t = np.exp(log_t)
        total = 0.0
        for lg, g in groups:
            z = lg / t
            top = z.max()
            log_norm = top + np.log(np.exp(z - top).sum())
            total -= np.log(np.exp(z[g] - top).sum()) + top - log_norm
        return float(total)

    res = minimize_scalar(nll, bounds=(np.log(bounds[0]), np.log(bounds[1])), method="bounded")
    return float(np.exp(res.x))
