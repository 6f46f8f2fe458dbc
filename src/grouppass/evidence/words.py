"""How far to trust what officials say: the first word against what happened, learned.

For a disruption of kind ``k`` whose officials named a most likely recovery
``M`` days after the start, the real duration ``D`` is believed to follow

    log D - mu_k = c + b * (log M - mu_k) + noise,

where ``mu_k`` is the outside view's log-median for the kind. ``b`` is how
much the words move the belief away from the outside view (0: not at all;
1: the words alone, shifted by ``c``), ``c`` how late such words run. With
no records of its own the agency gets the reference class's answer: the
officials' word, about 50% late (:func:`~grouppass.evidence.reference.overrun_prior`),
weighed against the outside view by how sure each is, which puts ``b`` near
0.7. Every past disruption of the agency's with an estimate and an ``ended``
date is a point (``log M``, ``log D``) of a Bayesian linear regression
(normal-inverse-gamma), so an agency whose officials turn out to be right
comes to trust them (``b`` towards 1, ``c`` towards 0), and one whose
officials say "next week" whatever happens learns to discount them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from attrs import frozen

from grouppass.evidence.reference import OverrunPrior

__all__ = ["WordModel", "word_model"]

FloatArray = npt.NDArray[np.float64]

PRIOR_SD_OFFSET = 0.3
"""How sure the prior is of the offset ``c`` (log-days), at the prior noise."""
PRIOR_SD_WEIGHT = 0.2
"""How sure the prior is of the weight ``b``."""
PRIOR_NOISE_DOF = 6.0
"""The prior noise counts as this many past disruptions (twice the inverse-gamma shape)."""
TYPICAL_OUTSIDE_SIGMA = 0.9
"""Spread of the outside view used to set the prior weight (between the kinds' 0.6-1.0)."""


@frozen
class WordModel:
    """The regression of real durations on the officials' words (see the module docs)."""

    mean: tuple[float, float]
    """Posterior mean of (c, b)."""
    cov: tuple[tuple[float, float], tuple[float, float]]
    """Posterior V (scaled by the noise variance)."""
    shape: float
    scale: float
    """Inverse-gamma posterior of the noise variance: shape and scale."""
    own: int
    """The agency's own (word, outcome) pairs behind it."""

    @property
    def weight(self) -> float:
        """How far the words move the belief from the outside view (``b``)."""
        return self.mean[1]

    def predict(self, outside_mu: float, said_days: float) -> tuple[float, float]:
        """Log-median and spread (log-days) of the duration, given the words."""
        x = math.log(said_days) - outside_mu
        c, b = self.mean
        v = np.array(self.cov)
        z = np.array([1.0, x])
        noise = self.scale / self.shape
        dof = 2.0 * self.shape
        var = noise * (1.0 + float(z @ v @ z)) * dof / max(dof - 2.0, 1.0)
        return outside_mu + c + b * x, math.sqrt(var)


def word_model(pairs: Sequence[tuple[float, float, float]], reference: OverrunPrior) -> WordModel:
    """The model from (said days, outside-view log-median of its kind, real days) pairs.

    ``reference`` is the overrun prior from the reference class alone.
    """
    sigma_r = reference.sigma
    w0 = (1.0 / sigma_r**2) / (1.0 / sigma_r**2 + 1.0 / TYPICAL_OUTSIDE_SIGMA**2)
    noise0 = 1.0 / (1.0 / sigma_r**2 + 1.0 / TYPICAL_OUTSIDE_SIGMA**2)
    m0 = np.array([w0 * reference.mu, w0])
    v0 = np.diag([PRIOR_SD_OFFSET**2 / noise0, PRIOR_SD_WEIGHT**2 / noise0])
    a0 = PRIOR_NOISE_DOF / 2.0
    b0 = a0 * noise0
    if not pairs:
        return WordModel((float(m0[0]), float(m0[1])), _pair(v0), a0, b0, 0)
    x = np.array([math.log(s) - mu for s, mu, _ in pairs])
    y = np.array([math.log(d) - mu for _, mu, d in pairs])
    design = np.stack([np.ones_like(x), x], axis=1)
    v0_inv = np.linalg.inv(v0)
    vn = np.linalg.inv(v0_inv + design.T @ design)
    mn = vn @ (v0_inv @ m0 + design.T @ y)
    an = a0 + len(pairs) / 2.0
    bn = b0 + 0.5 * float(y @ y + m0 @ v0_inv @ m0 - mn @ np.linalg.inv(vn) @ mn)
    return WordModel((float(mn[0]), float(mn[1])), _pair(vn), an, max(bn, 1e-6), len(pairs))


def _pair(m: FloatArray) -> tuple[tuple[float, float], tuple[float, float]]:
    return ((float(m[0, 0]), float(m[0, 1])), (float(m[1, 0]), float(m[1, 1])))
