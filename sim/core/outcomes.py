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

if TYPE_CHECKING:
    from sim.core.model import PartnershipModel


def step(m: PartnershipModel) -> None:
    """Advance need on every issue by one month."""
    pop, dyn = m.population, m.dyn.outcomes
    joint = dyn.joint_synergy * m.board.efficiency * m.joint_effort
    effort = (m.silo_effort + joint) / pop.reference_effort + m.board.commitment_effort
    pop.effort = effort
    pop.lagged_effort += (effort - pop.lagged_effort) / m.lag_months
    shock = m.streams["population"].standard_normal(m.n_issues)
    # what this month's effort does to need once its lag has passed: % a year below trend
    m.record("effort_value", float(100.0 * np.mean(m.efficacy * (effort - 1.0))))
    if not m.warming:  # during the spin-up the effort lag settles but need stays put
        pop.noise = dyn.noise_autocorrelation * pop.noise + m.noise_sd * shock
        m.log_core += m.trend / 12.0 - m.efficacy / 12.0 * (pop.lagged_effort - 1.0)
        pop.need = pop.need0 * np.exp(m.log_core + pop.noise)
    index = 100.0 * (1.0 - pop.need / pop.need0)
    for name, value in zip(m.issue_names, index, strict=True):
        m.record(f"outcome_index_{name}", float(value))
    m.record("outcome_index", float(index.mean()))
    m.record("effort_index", float(effort.mean()))
