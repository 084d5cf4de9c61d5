"""The dashboard's per-session controller: live partnerships, their levers and shocks.

Pure Python, no Solara: the page (``app.py``) holds one :class:`Controller` per browser
session and renders the :class:`View` snapshots it returns.

A :class:`LiveRun` is one copy of the partnership and its two twins, the same area
without a board and with no joint working (:class:`~sim.core.run.TwinRun`), with the
dashboard's lever settings and the markers of what happened to it. Lever changes and
shocks are applied to all three worlds (``TwinRun.worlds``), exactly as a scenario file's
``interventions`` are, so a session could be written down as a scenario. The area's
levers (churn, target pressure, champions) and shocks act in every world; the board's
levers (formality, chair, shared targets, information sharing, mandate) are read only
while a board exists, so the twins, which have none, ignore them:

- a lever change at month 0 rebuilds the copy with the new value (setup-time effects,
  such as the first champions, then apply too); later it is applied at once with
  :func:`~sim.core.timeline.set_levers` and marked on the plots from the next month (a
  live change: it outlasts a scenario window already in force, see
  docs/scenario-reference.md);
- a shock (:class:`Shock`) is appended to every world's timeline as an intervention due
  next month, so ``Timeline.apply`` runs it at the start of that month's step, as it
  would a scenario's event (a reorganisation is then forced by ``churn.step``).

Side-by-side mode adds a second copy "B" branched from "A" where it stands: a deep copy,
so both go on from the same history on the same random numbers and differ only by what
the user changes in one of them. Every public method takes the controller's lock, so a
Play thread and button clicks can share it.

Each copy keeps a :class:`~sim.dashboard.spread.Plan` of the settings it started from and
its live changes, so that, with the spread across assumptions shown, a
:class:`~sim.dashboard.spread.SpreadWorker` can replay them in other plausible versions of
the model in a thread of its own; the views carry the latest band of each copy and
whether it is out of date.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sim.core.run import TwinRun
from sim.core.timeline import set_levers
from sim.dashboard.explain import Reason, explain, judgements
from sim.dashboard.levers import (
    LEVERS,
    SHARED_TARGETS_SHOCK,
    Shock,
    event_label,
    lever_label,
    lever_value,
)
from sim.dashboard.network import Network, pair_trust, snapshot, staff_layout
from sim.dashboard.spread import DRAWS, Band, Change, Plan, SpreadWorker
from sim.scenario.interventions import ChampionLeaves, LeaderLeaves, Reorganise, SetLevers
from sim.scenario.levers import apply_changes
from sim.scenario.loader import load_scenario
from sim.scenario.schema import Regimes, Scenario

REPLICATE = 0  # the dashboard shows replicate 0 of the chosen seed
SEED_MAX = 2**63 - 1  # the schema's largest seed


class DashboardError(ValueError):
    """A user action the dashboard rejects; the message says why, in plain words."""


@dataclass(frozen=True)
class Marker:
    """Something that happened, drawn at the first month it acts (1-based)."""

    month: int
    label: str
    key: str = ""  # markers with the same month and key replace each other


@dataclass(frozen=True, eq=False)
class RunView:
    """A snapshot of one copy for rendering: series, markers, reason, levers, network."""

    label: str
    month: int
    months: int
    series: dict[str, np.ndarray]
    markers: tuple[Marker, ...]
    reason: Reason
    levers: dict[str, Any]  # values in force now, for every path in LEVERS
    network: Network
    band: Band | None = None  # the spread across assumptions, when shown and made
    band_stale: bool = False  # the band was made before the latest change
    reorganisations: tuple[int, ...] = ()  # months of the area's own reorganisations
    chair: str = ""  # the chair's post now, in words (see LiveRun.chair)
    chair_vacant: bool = False  # the board exists and its chair's post is vacant


@dataclass(frozen=True, eq=False)
class View:
    """A snapshot of the whole session."""

    scenario: str
    description: str
    seed: int
    month: int
    months: int
    finished: bool
    runs: tuple[RunView, ...]
    thresholds: Regimes  # the regime settings the badges and charts use
    spread: bool = False  # the spread across assumptions is shown
    spread_note: str = ""  # why a band is missing (computing, or could not be made)


class LiveRun:
    """One copy of the partnership (with its twins) as the dashboard runs it.

    ``overrides`` (key path -> value) are the dashboard's lever settings on top of
    ``scenario``; :meth:`rebuild` starts the copy again at month 0 with them. ``plan``
    (:class:`~sim.dashboard.spread.Plan`) records the settings it started from and every
    live change since, so the spread across assumptions can replay them; it is a new
    object after every change.
    """

    def __init__(self, scenario: Scenario, label: str, overrides: dict[str, Any] | None = None):
        self.scenario = scenario
        self.label = label
        self.overrides: dict[str, Any] = dict(overrides or {})
        self.rebuild()

    def rebuild(self) -> None:
        """Start again at month 0 from the scenario with the current overrides."""
        start = apply_changes(self.scenario, self.overrides) if self.overrides else self.scenario
        self.run = TwinRun(start, REPLICATE, with_agents=False)
        self.plan = Plan(start)
        self.markers: list[Marker] = []
        self.centres, self.positions = staff_layout(self.run.model)
        trust, _ = pair_trust(self.run.model)
        self.pair_scale = float(max(trust.max(), 1e-9))

    @property
    def month(self) -> int:
        """Months simulated so far."""
        return self.run.month

    @property
    def months(self) -> int:
        """The horizon."""
        return self.run.model.spec.months

    def step(self) -> None:
        """Advance one month (the caller checks the horizon) and mark the scenario's own
        interventions of that month."""
        self.run.step()
        month = self.run.month
        for k, event in enumerate(self.scenario.interventions):
            if event.first_month() == month:
                self.mark(month, event_label(event), f"scenario:{k}")
            elif (
                isinstance(event, SetLevers)
                and event.until is not None
                and event.until + 1 == month
            ):
                self.mark(month, "end: " + event_label(event), f"scenario-end:{k}")

    def mark(self, month: int, label: str, key: str = "") -> None:
        """Add a marker; one with the same month and non-empty key is replaced."""
        if key:
            self.markers = [m for m in self.markers if not (m.month == month and m.key == key)]
        self.markers.append(Marker(month, label, key))

    def set_lever(self, path: str, value: Any) -> None:
        """Change a lever now (see the module docstring); raises :class:`DashboardError`."""
        try:
            apply_changes(self.run.model.levers, {path: value})
        except ValueError as exc:
            raise DashboardError(str(exc)) from None
        self.overrides[path] = value
        if self.run.month == 0:
            self.rebuild()
            return
        for world in self.run.worlds:
            set_levers(world, {path: value})
        self.plan = self.plan.then(Change(self.run.month, levers={path: value}))
        self.mark(self.run.month + 1, lever_label(path, value), f"lever:{path}")

    def schedule(self, event: Any) -> None:
        """Append an intervention to every world's timeline (it must be due next month)."""
        for world in self.run.worlds:
            world.timeline.events.append(event)
        self.plan = self.plan.then(Change(self.run.month, event=event))
        self.mark(self.run.month + 1, event_label(event), f"shock:{type(event).__name__}")

    def shock(self, kind: Shock) -> str:
        """Apply a shock from next month; return what was done, or raise
        :class:`DashboardError` when it cannot apply to this copy now."""
        model = self.run.model
        nxt = self.run.month + 1
        if kind is Shock.REORGANISE:
            self.schedule(Reorganise(action="reorganise", at=nxt))
            return f"a reorganisation in month {nxt}"
        if kind is Shock.LEADER_LEAVES:
            if not model.board_active:
                raise DashboardError("the board has dissolved; there is no chair to leave")
            if model.board.leader < 0:
                raise DashboardError("the chair's post is already vacant")
            self.schedule(LeaderLeaves(action="leader_leaves", at=nxt))
            return f"the chair leaves in month {nxt}"
        if kind is Shock.CHAMPION_LEAVES:
            if not model.staff.champion.any():
                raise DashboardError("no local champions are in post")
            self.schedule(ChampionLeaves(action="champion_leaves", at=nxt, count=1))
            return f"a champion leaves in month {nxt}"
        path = "partnership.shared_targets"
        now = float(lever_value(model.levers, path))
        if now >= SHARED_TARGETS_SHOCK:
            raise DashboardError(f"shared targets are already at {now:g}")
        self.set_lever(path, SHARED_TARGETS_SHOCK)
        return f"shared targets {SHARED_TARGETS_SHOCK:g} from month {nxt}"

    def series(self) -> dict[str, np.ndarray]:
        """The run's series so far, with what the regime badge needs
        (:func:`~sim.dashboard.explain.judgements`) and the board-less twin's joint work
        (``boardless_joint_work_share``)."""
        series = self.run.series()
        series.update(judgements(self.run))
        series["boardless_joint_work_share"] = self.run.boardless.recorder.reported(
            "joint_work_share", self.run.month
        )
        return series

    def reorganisations(self, series: dict[str, np.ndarray]) -> tuple[int, ...]:
        """Months (1-based) in which the partnership's area was reorganised by its own
        churn (the ``reorganisation`` column), leaving out those a shock or the
        scenario's timeline forced, which carry a marker of their own."""
        forced = {m.month for m in self.markers if "reorganisation" in m.label}
        flagged = np.flatnonzero(series["reorganisation"] >= 0.5) + 1
        return tuple(int(m) for m in flagged if int(m) not in forced)

    def chair(self, series: dict[str, np.ndarray]) -> tuple[str, bool]:
        """The chair's post now in words (after "Chair: "), and whether it is vacant:
        ``"directive, in post"``, ``"vacant since month 14"``, ``"none (style absent)"``
        or ``"no board"``; empty at month 0."""
        model = self.run.model
        if self.run.month == 0:
            return "", False
        if not model.board_active:
            return "no board", False
        style = lever_value(model.levers, "partnership.leadership.style")
        if int(model.board.leader) >= 0:
            if style == "absent":
                return "none (style absent)", False
            return f"{style}, in post", False
        present = np.flatnonzero(series["leader_present"] >= 0.5)
        since = f"month {int(present[-1]) + 2}" if present.size else "before month 1"
        return f"vacant since {since}", True

    def view(self, band: Band | None = None, band_stale: bool = False) -> RunView:
        """A snapshot for rendering (arrays are copies), with the spread ``band`` if any."""
        model = self.run.model
        series = self.series()
        network = snapshot(model, self.centres, self.positions, self.pair_scale)
        chair, vacant = self.chair(series)
        return RunView(
            label=self.label,
            month=self.run.month,
            months=self.months,
            series=series,
            markers=tuple(sorted(self.markers, key=lambda m: m.month)),
            reason=explain(series, model.levers),
            levers={lever.path: lever_value(model.levers, lever.path) for lever in LEVERS},
            network=network,
            band=band,
            band_stale=band_stale,
            reorganisations=self.reorganisations(series),
            chair=chair,
            chair_vacant=vacant,
        )


def parse_seed(text: str | int) -> int:
    """A seed from user input: a whole number from 0 to 2**63 - 1, else
    :class:`DashboardError` with a message saying what is allowed."""
    raw = str(text).strip()
    try:
        seed = int(raw)
    except ValueError:
        raise DashboardError(f"the seed must be a whole number such as 42, got {raw!r}") from None
    if seed < 0:
        raise DashboardError(f"the seed must be 0 or more, got {seed}")
    if seed > SEED_MAX:
        raise DashboardError(f"the seed must be at most 2**63 - 1 ({SEED_MAX}), got {seed}")
    return seed


def library(folder: Path) -> dict[str, Path]:
    """The scenario files directly in ``folder``, by name (file stem)."""
    return {p.stem: p for p in sorted(folder.glob("*.yaml")) if p.is_file()}


class Controller:
    """One browser session's dashboard: the scenario, the seed and one or two copies.

    ``scenario_path`` is the scenario to start with; the page offers the scenarios of
    ``library_folder`` (default: the scenario's folder). Raises
    :class:`~sim.scenario.loader.ScenarioError` when the scenario cannot be loaded.

    With the spread shown (:meth:`show_spread`), every change asks a
    :class:`~sim.dashboard.spread.SpreadWorker` for each copy's band in ``draws``
    versions of the model; ``on_spread()`` is called from its thread when a band is
    ready. :meth:`close` stops that thread.
    """

    def __init__(
        self,
        scenario_path: Path,
        library_folder: Path | None = None,
        draws: int = DRAWS,
        on_spread: Callable[[], None] | None = None,
    ):
        self.lock = threading.RLock()
        self.library = library(library_folder or scenario_path.parent)
        self.library.setdefault(scenario_path.stem, scenario_path)
        self.spread = False
        self.on_spread = on_spread
        self.worker = SpreadWorker(draws, on_ready=self._spread_ready)
        self._load(scenario_path)

    # -- session settings --------------------------------------------------------------
    def _load(self, path: Path) -> None:
        scenario = load_scenario(path)  # raises before anything changes
        self.path = path
        self.scenario = scenario
        self.seed = self.scenario.seed
        self.runs = [LiveRun(self.scenario, "A")]
        self._want_spread()

    # -- the spread across assumptions -------------------------------------------------
    def show_spread(self, on: bool) -> None:
        """Show (and compute, off the caller's thread) or hide the spread across
        assumptions."""
        with self.lock:
            self.spread = on
            self._want_spread()

    def _want_spread(self) -> None:
        """Ask for the band of every copy as it now stands (when shown)."""
        if not self.spread:
            return
        for live in self.runs:
            self.worker.request(live.label, live.plan)
        if not self.side_by_side:
            self.worker.forget("B")

    def _spread_ready(self) -> None:
        if self.on_spread is not None:
            self.on_spread()

    def close(self) -> None:
        """Stop computing bands (the session has ended)."""
        self.worker.close()

    @property
    def name(self) -> str:
        """Name of the scenario in use."""
        return self.scenario.name

    @property
    def side_by_side(self) -> bool:
        """True when a second copy runs beside the first."""
        return len(self.runs) == 2

    @property
    def month(self) -> int:
        """Months simulated so far (all copies step together)."""
        return self.runs[0].month

    @property
    def months(self) -> int:
        """The horizon in months."""
        return self.runs[0].months

    @property
    def finished(self) -> bool:
        """True once the horizon is reached."""
        return self.month >= self.months

    def run(self, label: str) -> LiveRun:
        """The copy labelled ``label`` ("A" or "B")."""
        for live in self.runs:
            if live.label == label:
                return live
        raise DashboardError(f"no partnership {label!r} (side-by-side mode is off)")

    def choose_scenario(self, name: str) -> None:
        """Switch to a library scenario by name: its levers, its seed, month 0. Side-by-side
        mode stays on, with B a fresh copy of A."""
        with self.lock:
            if name not in self.library:
                raise DashboardError(f"unknown scenario {name!r}; allowed: {sorted(self.library)}")
            both = self.side_by_side
            self._load(self.library[name])
            if both:
                self.set_side_by_side(True)

    def set_seed(self, text: str | int) -> int:
        """Set the seed from user input and start again at month 0; raises
        :class:`DashboardError` for a bad value (nothing changes then)."""
        seed = parse_seed(text)
        with self.lock:
            self.seed = seed
            self.scenario = self.scenario.model_copy(update={"seed": seed})
            for live in self.runs:
                live.scenario = self.scenario
                live.rebuild()
            self._want_spread()
        return seed

    def set_side_by_side(self, on: bool) -> None:
        """Turn side-by-side mode on (B branches from A as it stands) or off (B goes)."""
        with self.lock:
            if on and not self.side_by_side:
                twin = copy.deepcopy(self.runs[0])
                twin.label = "B"
                twin.plan = self.runs[0].plan  # the same history so far (plans never change)
                self.runs.append(twin)
            elif not on:
                self.runs = self.runs[:1]
            self._want_spread()

    # -- running -----------------------------------------------------------------------
    def step(self, months: int = 1) -> int:
        """Advance every copy up to ``months`` months (stopping at the horizon); return
        how many months were simulated."""
        done = 0
        with self.lock:
            while done < months and not self.finished:
                for live in self.runs:
                    live.step()
                done += 1
        return done

    def reset(self) -> None:
        """Start every copy again at month 0 with its current lever settings."""
        with self.lock:
            for live in self.runs:
                live.rebuild()
            self._want_spread()

    def set_lever(self, label: str, path: str, value: Any) -> None:
        """Change a lever of copy ``label``; raises :class:`DashboardError` when the value
        is not allowed."""
        with self.lock:
            self.run(label).set_lever(path, value)
            self._want_spread()

    def shock(self, kind: Shock, labels: Sequence[str] = ("A", "B")) -> str:
        """Apply a shock to the copies ``labels`` (those present) from next month; return
        what was done. Raises :class:`DashboardError` at the horizon, or when it applies
        to none of them."""
        with self.lock:
            if self.finished:
                raise DashboardError("the run has reached its horizon: press Reset first")
            done, refused = [], []
            for live in self.runs:
                if live.label not in labels:
                    continue
                try:
                    done.append(self._say(live, live.shock(kind)))
                except DashboardError as exc:
                    refused.append(self._say(live, str(exc)))
            if not done:
                raise DashboardError("; ".join(refused) or "no partnership chosen")
            self._want_spread()
            return "; ".join(done + refused)

    def _say(self, live: LiveRun, text: str) -> str:
        """``text`` about one copy: named when side by side, as a sentence otherwise."""
        return f"{live.label}: {text}" if self.side_by_side else text[:1].upper() + text[1:]

    def view(self) -> View:
        """A snapshot of the session for rendering."""
        with self.lock:
            runs, notes = [], []
            for live in self.runs:
                band, stale = (
                    self.worker.band(live.label, live.plan) if self.spread else (None, False)
                )
                runs.append(live.view(band, stale))
                if self.spread:
                    notes.append(self._spread_note(live, band, stale))
            return View(
                scenario=self.name,
                description=" ".join(self.scenario.description.split()),
                seed=self.seed,
                month=self.month,
                months=self.months,
                finished=self.finished,
                runs=tuple(runs),
                thresholds=self.scenario.regimes,
                spread=self.spread,
                spread_note=" ".join(dict.fromkeys(n for n in notes if n)),
            )

    def _spread_note(self, live: LiveRun, band: Band | None, stale: bool) -> str:
        """Why copy ``live`` shows no up-to-date band ("" when it does)."""
        error = self.worker.error(live.label)
        if error:
            return error[:1].upper() + error[1:] + "."
        if band is None or stale:
            return f"Working out the spread across {self.worker.draws} versions of the model..."
        return ""
