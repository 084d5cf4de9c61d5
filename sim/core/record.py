"""The monthly outputs a run records: names, units and meanings, and their store."""

from __future__ import annotations

import numpy as np

# name: (unit, meaning). Per-issue outcome columns (outcome_index_<issue>) are added per
# scenario. Regime columns are derived by ``sim/core/regimes.py``.
OUTPUTS: dict[str, tuple[str, str]] = {
    "reorganisation": ("flag", "a reorganisation happened this month"),
    "staff_replaced": ("staff", "posts that changed hands this month"),
    "leader_present": ("flag", "the chair's post is filled (and the style is not absent)"),
    "leader_strength": ("index 0-1", "effective strength of the chair"),
    "ties_brokered": ("ties", "introductions a facilitative chair made"),
    "target_pressure": ("index 0-1", "mean felt target pressure over agencies"),
    "target_pull": ("share", "mean share of joint work pulled back to the silo"),
    "initiatives": ("count", "new central initiatives this month"),
    "goal_clarity": ("index 0-1", "clarity of the partnership's goals"),
    "role_clarity": ("index 0-1", "mean role clarity of staff"),
    "monitoring_quality": ("index 0-1", "quality of monitoring the structure buys"),
    "meeting_intensity": ("index 0-1", "board meetings held, times attendance"),
    "decision_delay": ("months", "delay formal decision-making adds"),
    "commitments_made": ("count", "commitments the board made this month"),
    "formal_activity": ("index 0-1", "meetings held and commitments made"),
    "reforming": ("flag", "the board is re-forming after a reorganisation"),
    "joint_work_share": ("share", "mean share of frontline capacity spent in joint work"),
    "joint_success": ("share", "share of joint-work episodes that succeeded"),
    "goodwill": ("index 0-1", "mean goodwill of staff"),
    "champions": ("staff", "local champions in post"),
    "ties_made": ("ties", "cross-agency ties practitioners made: champions, joint work, casework"),
    "ties_made_at_board": ("ties", "cross-agency ties managers made at board meetings"),
    "reporting_overhead": ("FTE", "frontline time spent reporting on joint work"),
    "trust_within": ("index 0-1", "mean trust on ties within agencies"),
    "trust_across": ("index 0-1", "mean trust on ties across agencies"),
    "trust_across_strategic": ("index 0-1", "mean cross-agency trust between managers"),
    "trust_across_frontline": ("index 0-1", "mean cross-agency trust between practitioners"),
    "ties_across_per_staff": ("ties", "cross-agency ties per staff member"),
    "trust_across_capital": ("trust per staff", "summed cross-agency trust per staff member"),
    "alignment_vertical": ("index 0-1", "mean alignment of practitioners with the strategy"),
    "commitments_delivered": ("count", "commitments delivered this month"),
    "commitments_lapsed": ("count", "commitments that lapsed undelivered this month"),
    "commitments_open": ("count", "open commitments in the register"),
    "users": ("users", "service users with multi-agency needs arriving"),
    "seamless_share": ("share", "share of users given one joined-up assessment"),
    "reassessments_per_user": ("assessments", "extra assessments per user"),
    "assessment_load": ("FTE", "frontline time spent assessing users"),
    "need_target_alignment": ("index 0-1", "match between strategic focus and real need"),
    "silo_effort": ("FTE", "effort in silo work"),
    "joint_effort": ("FTE", "successful joint work, directed to issues"),
    "outcome_index": ("% fall in need", "mean over issues of the fall in need since month 0"),
    "effort_index": ("index", "effort relative to business as usual (1)"),
    "effort_value": (
        "% of need per year",
        "need this month's effort averts a year, once its lag has passed",
    ),
    "learning": ("index 0-1", "how far the board's focus has moved to what works"),
    "joint_efficiency": ("multiplier", "effectiveness of joint work from learning"),
    "chase_pressure": ("index 0-1", "pressure added by target-chasing monitoring"),
    "commitment": ("index 0-1", "mean commitment of agencies to the partnership"),
    "board_alive": ("flag", "the partnership board exists"),
    "process_overhead_share": ("share", "share of all capacity spent on meetings and reporting"),
}


RECORD = np.dtype([(name, "f8") for name in OUTPUTS], align=True)


class Recorder:
    """Preallocated monthly store: ``record(name, value)`` writes the current month.

    The first ``spin_up`` rows hold the unreported spin-up months; ``reported(name)`` is
    the rest. The outputs of :data:`OUTPUTS` are the fields of the record array ``rec``
    (one row per month), the ``extra`` per-issue columns those of ``rec_issue``; compiled
    kernels write the same arrays (``sim/core/world.py``). ``state`` is the model's state
    record, whose ``row`` is the current month's row (a fresh one if not given).
    """

    def __init__(
        self,
        months: int,
        extra: list[str],
        spin_up: int = 0,
        state: np.ndarray | None = None,
    ):
        self.names = [*OUTPUTS, *extra]
        self.spin_up = spin_up
        rows = spin_up + months
        self.extra = list(extra)
        self.rec = np.zeros(rows, RECORD)
        self.rec_issue = np.zeros((rows, len(extra)))
        self._views()
        if state is None:
            from sim.core.world import STATE

            state = np.zeros(1, STATE)
        self._s = state

    def _views(self) -> None:
        """``data``: a view of each output's column (the kernels write ``rec``)."""
        self.data = {name: self.rec[name] for name in OUTPUTS}
        self.data.update({name: self.rec_issue[:, k] for k, name in enumerate(self.extra)})

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        del state["data"]  # a copy of a view is not a view: rebuilt from the copied arrays
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._views()

    @property
    def month(self) -> int:
        """Row of the current month (0-based; spin-up months first)."""
        return int(self._s[0]["row"])

    @month.setter
    def month(self, row: int) -> None:
        self._s[0]["row"] = row

    def reported(self, name: str, months: int) -> np.ndarray:
        """The first ``months`` reported (post-spin-up) values of ``name``, as a copy."""
        return self.data[name][self.spin_up : self.spin_up + months].copy()

    def record(self, name: str, value: float) -> None:
        """Store ``value`` for ``name`` in the current month (0-based index)."""
        self.data[name][self.month] = value

    def get(self, name: str) -> float:
        """This month's value of ``name``."""
        return float(self.data[name][self.month])

    def upto(self, name: str) -> np.ndarray:
        """``name`` from month 1 to the current month."""
        return self.data[name][: self.month + 1]
