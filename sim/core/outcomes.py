"""Mechanism 10, outcomes: need responds to silo and joint work with a lag.

Reads: ``issues[]`` (trend, noise, lag, efficacy), ``dynamics.outcomes.joint_synergy``,
``dynamics.outcomes.noise_autocorrelation``. Owns: need per issue, the lagged effort
index, population noise. Records: ``outcome_index`` and ``outcome_index_<issue>``,
``effort_index``, ``effort_value``.

The effort index is silo effort plus successful joint work (worth ``joint_synergy`` silo
units on a wicked issue) plus delivered commitments, relative to the silo effort of the
whole workforce at month 0 (1 = business as usual). Log need follows the secular trend,
falls with effort above business as usual after a first-order lag, and carries
autocorrelated noise around that path. The outcome index is the percentage fall of need
since month 0. ``effort_value`` is what this month's effort does to need once its lag has
passed, in % of need a year below the trend (efficacy times effort above business as
usual, mean over issues); the difference between two worlds' ``effort_value`` is the rate
at which one averts the other's need. During the spin-up need stays at its month-0
level while the effort lag settles. Evidence: seed 003 (wicked issues; attribution
"impossible"); seed 002.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numba import njit

from sim.core.draws import normal
from sim.core.numerics import total
from sim.core.world import World

if TYPE_CHECKING:
    from sim.core.model import PartnershipModel


def step(m: PartnershipModel) -> None:
    """Advance need on every issue by one month."""
    kernel(m.w)


@njit(cache=True)
def kernel(w: World) -> None:
    """:func:`step` on the compiled world (``sim/core/world.py``)."""
    p, s = w.p[0], w.s[0]
    row = s.row
    r = w.rec[row]
    n = w.need.size
    synergy = p.outcomes_joint_synergy * s.efficiency
    for i in range(n):
        joint = synergy * w.joint_effort[i]
        w.effort[i] = (w.silo_effort[i] + joint) / w.reference_effort[i] + w.commitment_effort[i]
        w.lagged_effort[i] += (w.effort[i] - w.lagged_effort[i]) / w.lag_months[i]
    shock = np.empty(n)
    for i in range(n):
        shock[i] = normal(w.rng_population)
    # what this month's effort does to need once its lag has passed: % a year below trend
    value = np.empty(n)
    for i in range(n):
        value[i] = w.efficacy[i] * (w.effort[i] - 1.0)
    r.effort_value = 100.0 * (total(value) / n)
    if not s.warming:  # during the spin-up the effort lag settles but need stays put
        for i in range(n):
            w.noise[i] = p.outcomes_noise_autocorrelation * w.noise[i] + w.noise_sd[i] * shock[i]
            w.log_core[i] += w.trend[i] / 12.0 - w.efficacy[i] / 12.0 * (w.lagged_effort[i] - 1.0)
            w.need[i] = w.need0[i] * np.exp(w.log_core[i] + w.noise[i])
    index = np.empty(n)
    for i in range(n):
        index[i] = 100.0 * (1.0 - w.need[i] / w.need0[i])
        w.rec_issue[row, i] = index[i]
    r.outcome_index = total(index) / n
    r.effort_index = total(w.effort) / n
