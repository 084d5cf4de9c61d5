"""The spread across plausible assumptions: where a live copy would be in other plausible
versions of the model, drawn as a faint band behind its lines.

A live copy's :class:`Plan` is what the facilitator has given it: the scenario with the
lever settings it started from, and every live lever change and shock since, with the
month it was made in. :func:`drawn_series` replays the plan in ``draws`` versions of the
model whose uncertain constants are drawn within their plausible ranges
(:func:`~sim.experiment.assumptions.drawn_scenarios`, the design seeded by the
scenario's seed), each on the dashboard's replicate 0 to the horizon, applying each change
in the month it was made exactly as the live copy did (``set_levers`` on every world, or
an intervention appended to every world's timeline). So the band answers: these levers
and these events, in other plausible versions of the model. The added value is measured
with the live copy's regime window, so that the band and the line it surrounds are the
same measure; with every range a point (``uncertainty.scale: 0``) every draw is the live
run and the band is the line.

:func:`band` is the 10th to 90th percentile across draws, month by month, of the series in
:data:`BANDED`. :class:`SpreadWorker` computes bands off the play loop, in a thread of its
own: the latest request for a copy wins, and a computation whose copy has changed since is
dropped at its next draw and started again with the new plan.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.core.run import TwinRun
from sim.core.timeline import set_levers
from sim.experiment.assumptions import drawn_scenarios
from sim.scenario.schema import Regimes, Scenario

DRAWS = 8  # versions of the model in a band
LOW, HIGH = 10.0, 90.0  # percentiles across draws
BANDED = ("added_value_window", "outcome_index")  # the series the band surrounds
LABEL = "plausible versions of the model (10-90%, {n} draws)"
HELP = (
    "the same levers in {n} plausible versions of the model's uncertain constants: "
    "how sure the model is"
)


@dataclass(frozen=True)
class Change:
    """A live change made when the copy had run ``month`` months: lever values set at
    once (``levers``) or an intervention due the next month (``event``)."""

    month: int
    levers: dict[str, Any] | None = None
    event: Any = None


@dataclass(frozen=True, eq=False)
class Plan:
    """What a live copy has been given: ``start`` (the scenario with the lever settings it
    started from at month 0) and its live ``changes`` in the order they were made.

    Compared by identity: a copy makes a new plan whenever it changes, so a band made for
    a plan that is no longer the copy's is out of date.
    """

    start: Scenario
    changes: tuple[Change, ...] = ()

    def then(self, change: Change) -> Plan:
        """This plan with one more change."""
        return Plan(self.start, (*self.changes, change))

    @property
    def months(self) -> int:
        """The horizon."""
        return self.start.months


@dataclass(frozen=True, eq=False)
class Band:
    """The 10-90% band of each series of :data:`BANDED` across ``draws`` versions of the
    model, for ``plan``; ``low[key]`` and ``high[key]`` hold one value per month."""

    plan: Plan
    draws: int
    low: dict[str, np.ndarray]
    high: dict[str, np.ndarray]

    @property
    def label(self) -> str:
        """The legend's words for the band."""
        return LABEL.format(n=self.draws)


class Cancelled(Exception):
    """Raised inside a computation whose plan is no longer wanted."""


def replay(
    scenario: Scenario,
    changes: tuple[Change, ...],
    months: int,
    cancelled: Callable[[], bool] | None = None,
) -> TwinRun:
    """Run ``scenario`` (replicate 0) to ``months``, applying ``changes`` in the months they
    were made, as the live copy applied them."""
    run = TwinRun(scenario, 0, with_agents=False)
    for change in changes:
        if cancelled is not None and cancelled():
            raise Cancelled
        run.run_to(change.month)
        if change.levers is not None:
            for world in run.worlds:
                set_levers(world, change.levers)
        if change.event is not None:
            for world in run.worlds:
                world.timeline.events.append(change.event)
    run.run_to(months)
    return run


def measured(run: TwinRun, thresholds: Regimes) -> dict[str, np.ndarray]:
    """The banded series of a finished run, the window measures under ``thresholds``."""
    series = run.series()
    windows = run.regimes(thresholds)
    return {key: windows[key] if key in windows else series[key] for key in BANDED}


def drawn_series(
    plan: Plan, draws: int, cancelled: Callable[[], bool] | None = None
) -> dict[str, np.ndarray]:
    """Each banded series in each of ``draws`` versions of the model: ``out[key][d]`` is
    draw ``d``'s series to the horizon. Raises :class:`Cancelled` when ``cancelled()``
    turns true."""
    _, (versions,) = drawn_scenarios([plan.start], draws)
    rows: dict[str, list[np.ndarray]] = {key: [] for key in BANDED}
    for version in versions:
        if cancelled is not None and cancelled():
            raise Cancelled
        run = replay(version, plan.changes, plan.months, cancelled)
        for key, values in measured(run, plan.start.regimes).items():
            rows[key].append(values)
    return {key: np.vstack(rows[key]) for key in BANDED}


def band(plan: Plan, draws: int = DRAWS, cancelled: Callable[[], bool] | None = None) -> Band:
    """The 10-90% band across ``draws`` versions of the model for ``plan`` (see
    :func:`drawn_series`)."""
    if draws < 2:
        raise ValueError(f"a band needs at least 2 draws, got {draws}")
    drawn = drawn_series(plan, draws, cancelled)
    low = {key: np.percentile(v, LOW, axis=0) for key, v in drawn.items()}
    high = {key: np.percentile(v, HIGH, axis=0) for key, v in drawn.items()}
    return Band(plan, draws, low, high)


@dataclass
class _Slot:
    """A copy's wanted plan and its latest finished band."""

    wanted: Plan
    done: Band | None = None
    error: str = ""  # why the band of ``failed`` could not be made
    failed: Plan | None = None


@dataclass
class SpreadWorker:
    """Computes bands in a background thread; ``on_ready()`` is called (in that thread)
    after each band is stored.

    :meth:`request` names the plan wanted for a copy (by label); :meth:`band` returns the
    latest band for it and whether it is out of date. The thread starts on the first
    request and ends on :meth:`close`.
    """

    draws: int = DRAWS
    on_ready: Callable[[], None] | None = None
    _slots: dict[str, _Slot] = field(default_factory=dict, init=False)
    _lock: threading.Condition = field(default_factory=threading.Condition, init=False)
    _busy: bool = field(default=False, init=False)
    _closed: bool = field(default=False, init=False)
    _thread: threading.Thread | None = field(default=None, init=False)

    def request(self, label: str, plan: Plan) -> None:
        """Want a band for copy ``label`` under ``plan`` (a newer request wins)."""
        with self._lock:
            if self._closed:
                return
            slot = self._slots.get(label)
            if slot is not None and slot.wanted is plan:
                return
            if slot is None:
                slot = self._slots[label] = _Slot(plan)
            slot.wanted = plan
            for other in self._slots.values():  # a copy branched from another: same history
                if other.done is not None and other.done.plan is plan:
                    slot.done = other.done
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._work, name="dashboard-spread", daemon=True
                )
                self._thread.start()
            self._lock.notify_all()

    def forget(self, label: str) -> None:
        """Drop copy ``label`` (it has gone)."""
        with self._lock:
            self._slots.pop(label, None)
            self._lock.notify_all()

    def band(self, label: str, plan: Plan) -> tuple[Band | None, bool]:
        """The latest band for copy ``label`` and whether it is out of date (made for an
        earlier state of ``plan``: the same start, fewer changes). A band made from
        another start (another scenario or seed, or before a Reset) is not returned: it
        would describe another run."""
        with self._lock:
            slot = self._slots.get(label)
            if slot is None or slot.done is None or slot.done.plan.start is not plan.start:
                return None, False
            return slot.done, slot.done.plan is not plan

    def error(self, label: str) -> str:
        """Why the latest band of ``label`` could not be made ("" when it could)."""
        with self._lock:
            slot = self._slots.get(label)
            return slot.error if slot is not None and slot.failed is slot.wanted else ""

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until every wanted band is made or could not be (or ``timeout`` seconds
        pass); return whether it is."""
        with self._lock:
            return self._lock.wait_for(
                lambda: self._closed or (not self._busy and self._next() is None), timeout
            )

    def close(self) -> None:
        """Stop the thread (a computation under way is dropped at its next draw)."""
        with self._lock:
            self._closed = True
            self._lock.notify_all()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=10)

    def _next(self) -> tuple[str, Plan] | None:
        """The first copy whose wanted band is not made (caller holds the lock)."""
        for label, slot in sorted(self._slots.items()):
            made = slot.done is not None and slot.done.plan is slot.wanted
            if not made and slot.failed is not slot.wanted:
                return label, slot.wanted
        return None

    def _work(self) -> None:
        while True:
            with self._lock:
                self._lock.wait_for(lambda: self._closed or self._next() is not None)
                if self._closed:
                    return
                wanted = self._next()
                if wanted is None:
                    continue
                label, plan = wanted
                self._busy = True

            def cancelled(label: str = label, plan: Plan = plan) -> bool:
                slot = self._slots.get(label)
                return self._closed or slot is None or slot.wanted is not plan

            made: Band | None = None
            failure = ""
            try:
                made = band(plan, self.draws, cancelled)
            except Cancelled:
                pass
            except Exception as exc:  # a draw the model refuses: said on the page, which goes on
                failure = f"the spread could not be computed ({type(exc).__name__}: {exc})"
            with self._lock:
                self._busy = False
                slot = self._slots.get(label)
                if slot is not None and slot.wanted is plan:
                    if made is not None:
                        slot.done, slot.error, slot.failed = made, "", None
                    elif failure:
                        slot.error, slot.failed = failure, plan
                self._lock.notify_all()
            if (made is not None or failure) and self.on_ready is not None:
                self.on_ready()
