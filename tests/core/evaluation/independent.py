"""Independent implementations the evaluation is checked against: textbook formulas written out with explicit
matrices and loops, slow and plain, sharing no code with vertrouwen.core.evaluation."""

import itertools

import numpy as np
from scipy import optimize


def hc2_covariance(y: np.ndarray, x: np.ndarray, weights: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(W)LS coefficients and their HC2 covariance (MacKinnon and White 1985): the sandwich with each squared
    residual divided by 1 - h_ii, h the hat matrix."""
    w = np.ones(len(y)) if weights is None else weights
    xw, yw = x * np.sqrt(w)[:, None], y * np.sqrt(w)
    bread = np.linalg.inv(xw.T @ xw)
    beta = bread @ xw.T @ yw
    residual = yw - xw @ beta
    hat = xw @ bread @ xw.T
    meat = xw.T @ np.diag(residual**2 / (1 - np.diag(hat))) @ xw
    return beta, bread @ meat @ bread


def logistic_mle(y: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Maximum likelihood by a general-purpose optimizer on the log-likelihood."""
    def negative_log_likelihood(beta):
        eta = x @ beta
        return float(np.sum(np.logaddexp(0, eta) - y * eta))

    def gradient(beta):
        return x.T @ (1 / (1 + np.exp(-(x @ beta))) - y)

    result = optimize.minimize(negative_log_likelihood, np.zeros(x.shape[1]), jac=gradient, method="BFGS",
                               options={"gtol": 1e-10, "maxiter": 10_000})
    return result.x


def logistic_hc2(y: np.ndarray, x: np.ndarray, beta: np.ndarray) -> np.ndarray:
    """HC2 for the logistic model with the explicit weighted hat matrix W^1/2 X (X'WX)^-1 X' W^1/2."""
    mu = 1 / (1 + np.exp(-(x @ beta)))
    w = np.diag(mu * (1 - mu))
    bread = np.linalg.inv(x.T @ w @ x)
    root = np.sqrt(w)
    hat = root @ x @ bread @ x.T @ root
    meat = sum(((y[i] - mu[i]) ** 2 / (1 - hat[i, i])) * np.outer(x[i], x[i]) for i in range(len(y)))
    return bread @ meat @ bread


def exact_permutation_p(y: np.ndarray, treated: np.ndarray, strata: np.ndarray) -> float:
    """The exact randomization p-value: every assignment that keeps the number treated in each stratum."""
    observed = abs(y[treated].mean() - y[~treated].mean())
    per_stratum = []
    for s in np.unique(strata):
        members = np.flatnonzero(strata == s)
        per_stratum.append([set(c) for c in itertools.combinations(members, int(treated[members].sum()))])
    extreme = total = 0
    for choice in itertools.product(*per_stratum):
        chosen = set().union(*choice)
        labels = np.array([i in chosen for i in range(len(y))])
        total += 1
        extreme += abs(y[labels].mean() - y[~labels].mean()) >= observed - 1e-12
    return extreme / total


def nearest_within_caliper(logit: np.ndarray, treated: np.ndarray, caliper: float) -> tuple[np.ndarray, int]:
    """Matching with replacement by brute force: for each treated person every reference person is tried; the
    nearest ones (within 1e-9 of the nearest distance) share its weight."""
    weights = np.zeros(len(logit))
    unmatched = 0
    controls = np.flatnonzero(~treated)
    for i in np.flatnonzero(treated):
        distances = np.abs(logit[controls] - logit[i])
        best = controls[np.flatnonzero(distances <= distances.min() + 1e-9)]
        if distances.min() <= caliper:
            weights[i] = 1
            weights[best] += 1 / len(best)
        else:
            unmatched += 1
    return weights, unmatched
