"""The partnership model: a Mesa model whose monthly step follows a fixed table.

Step order (one step is one month; ``docs/odd.md`` section 3 quotes this table):

==  ==========================  ===========================================================
 #  module                      what happens
==  ==========================  ===========================================================
 1  ``timeline.py``             interventions due this month (lever changes, shocks);
                                staff capacity under the current austerity
 2  ``churn.py``                reorganisation and turnover replace posts; structures reset
 3  ``leadership.py``           chair appointed or vacant; strength; facilitative brokering
 4  ``targets.py``              felt target pressure and its pull on joint work
 5  ``board.py``                formality: meetings, clarity, monitoring, delay, commitments
 6  ``frontline.py``            joint work offered, done and scored; champions; goodwill
 7  ``trust.py``                ties updated from this month's joint work; fade; forgetting
 8  ``alignment.py``            vertical alignment; commitments delivered or lapsed
 9  ``users.py``                service users: seamless or re-assessed; assessment load
10  ``needs.py``                strategic focus; silo and joint effort split across issues
11  ``outcomes.py``             need responds to effort with a lag; outcome index
12  ``monitoring.py``           meaningful monitoring teaches; target-chasing adds pressure
13  ``lifecycle.py``            commitment to the partnership; dissolution
14  ``model.py``                process overhead share; tenure + 1
==  ==========================  ===========================================================

The same model builds three worlds (``world``), which draw the very same random numbers
for the processes they share (``sim/core/streams.py``):

* ``"partnership"``: the partnership as the scenario sets it;
* ``"boardless"``: the same area, staff and luck with no board, chair, shared targets or
  information-sharing protocol; practitioners still work across agencies with the
  colleagues they trust (referrals, casework, champions), as seed 003 found frontline
  work going on "regardless of" the strategy;
* ``"none"``: no joint working at all (no cross-agency ties or joint work).

Before month 1 each world runs ``dynamics.start.spin_up_months`` unreported months under
the scenario's starting levers: no interventions, need held at its month-0 level, no
dissolution. Trust, commitment, pressure and the effort lag settle, so the reported
months start from a state the levers sustain rather than from arbitrary initial values.
Two things are the partnership's history rather than its levers and are set at month 0:
cross-agency trust is scaled toward a mean of ``staff.initial_trust`` (the trust a history
of cooperation or conflict leaves; ``dynamics.start.trust_history_share``), and the
members' enthusiasm (``sim/core/lifecycle.py``) starts draining only from month 1.
"""

from __future__ import annotations

from typing import Literal

import mesa
import networkx as nx
import numpy as np
from numba import njit

from sim.core import (
    alignment,
    board,
    churn,
    frontline,
    leadership,
    lifecycle,
    monitoring,
    needs,
    outcomes,
    targets,
    timeline,
    trust,
    users,
)
from sim.core.agents import Agency, Staff
from sim.core.network import build_staff, build_ties, empty_ties, to_networkx
from sim.core.numerics import mean
from sim.core.record import Recorder
from sim.core.state import AgencyState, BoardState, PopulationState, TieState, shared_array
from sim.core.streams import Streams
from sim.core.world import PARAMS, STATE, fill_params, scalar
from sim.core.world import World as Compiled
from sim.core.world import build as build_world
from sim.scenario.schema import Scenario

World = Literal["partnership", "boardless", "none"]
WORLDS: tuple[World, ...] = ("partnership", "boardless", "none")


@njit(cache=True)
def scale_to_mean(values: np.ndarray, target: float, iterations: int = 60) -> np.ndarray:
    """``values`` (in [0, 1], some positive) times the factor that makes the mean of the
    result, clipped to [0, 1], equal ``target`` (as near as clipping allows)."""
    smallest = np.inf
    for v in values:
        if 0.0 < v < smallest:
            smallest = v
    lo, hi = 0.0, 1.0 / smallest  # at hi every positive value is clipped to 1
    scaled = np.empty(values.size)
    for _ in range(iterations):  # the clipped mean rises with the factor: bisect
        mid = 0.5 * (lo + hi)
        for i in range(values.size):
            scaled[i] = min(max(values[i] * mid, 0.0), 1.0)
        if mean(scaled) < target:
            lo = mid
        else:
            hi = mid
    factor = 0.5 * (lo + hi)
    for i in range(values.size):
        scaled[i] = min(max(values[i] * factor, 0.0), 1.0)
    return scaled


class PartnershipModel(mesa.Model):
    """One local partnership, or one of its twins, for one replicate.

    ``scenario`` is a resolved :class:`~sim.scenario.schema.Scenario`; ``replicate``
    selects the replicate's random streams; ``world`` picks the partnership or a twin
    (module docstring). ``with_agents=False`` skips the Mesa agent views (used by the
    twins and benchmarks). ``network``: the initial trust network, if the caller has
    built it already (:func:`initial_network`; the model takes it over). The model is
    built already spun up: month 0 is the first reported state.
    """

    def __init__(
        self,
        scenario: Scenario,
        replicate: int = 0,
        world: World = "partnership",
        with_agents: bool = True,
        network: TieState | None = None,
    ):
        if world not in WORLDS:
            raise ValueError(f"world must be one of {WORLDS}, not {world!r}")
        self.streams = Streams(scenario.seed, replicate)
        super().__init__(rng=self.streams["mesa"])
        self._s = np.zeros(1, STATE)  # scalar state, shared with the compiled world
        self._p = np.zeros(1, PARAMS)  # parameters, refilled when the levers change
        self._arrays: dict[str, np.ndarray] = {}
        self.spec = scenario  # resolved scenario (Mesa reserves `scenario`)
        self.levers = scenario
        self.replicate = replicate
        self.world = world
        self.partnership = world != "none"  # joint working on the ground
        self.dyn = scenario.dynamics
        self.month = 0
        self.warming = False
        self.issue_names = scenario.issue_names()
        self.n_issues = len(self.issue_names)
        self.n_agencies = len(scenario.agencies)
        self._issue_arrays(scenario)
        self._build(scenario, network)
        extra = [f"outcome_index_{name}" for name in self.issue_names]
        self.spin_up = self.dyn.start.spin_up_months
        self.recorder = Recorder(scenario.months, extra, self.spin_up, state=self._s)
        self.timeline = timeline.Timeline(scenario.interventions)
        self._attach_world()
        self._spin_up()
        self.with_agents = with_agents
        if with_agents:
            self.agency_agents = [
                Agency(self, k, a.name, a.sector) for k, a in enumerate(scenario.agencies)
            ]
            self.staff_agents = [Staff(self, i) for i in range(self.staff.n)]

    # -- state shared with the compiled world ------------------------------------------
    month = scalar("month")
    warming = scalar("warming")
    partnership = scalar("partnership")
    enthusiasm = scalar("enthusiasm")
    decision_delay = scalar("decision_delay")
    meeting_intensity = scalar("meeting_intensity")
    vertical_alignment = scalar("vertical_alignment")
    # per-issue and per-post arrays the model owns (assignment writes into the buffer)
    trend = shared_array("trend")
    noise_sd = shared_array("noise_sd")
    lag_months = shared_array("lag_months")
    efficacy = shared_array("efficacy")
    users_per_month = shared_array("users_per_month")
    agencies_per_user = shared_array("agencies_per_user")
    log_core = shared_array("log_core")
    target_base = shared_array("target_base")
    silo_effort = shared_array("silo_effort")
    joint_effort = shared_array("joint_effort")
    assessment_load = shared_array("assessment_load")

    @property
    def levers(self) -> Scenario:
        """The levers in force (the scenario as changed by the timeline so far)."""
        return self._levers

    @levers.setter
    def levers(self, value: Scenario) -> None:
        self._levers = value
        fill_params(self._p, value)

    @property
    def episodes(self) -> np.ndarray:
        """Episodes of joint work on each tie slot this month."""
        return self.ties.episodes

    @episodes.setter
    def episodes(self, value: np.ndarray) -> None:
        self.ties.episodes[...] = value

    @property
    def successes(self) -> np.ndarray:
        """Successful episodes on each tie slot this month."""
        return self.ties.successes

    @successes.setter
    def successes(self, value: np.ndarray) -> None:
        self.ties.successes[...] = value

    def _attach_world(self) -> None:
        """Build the compiled view of this model's state (``sim/core/world.py``)."""
        s, t, ag, b, pop = self.staff, self.ties, self.agencies, self.board, self.population
        arrays = {
            "agency": s.agency, "frontline": s.frontline, "capacity": s.capacity,
            "tenure": s.tenure, "goodwill": s.goodwill, "role_clarity": s.role_clarity,
            "alignment": s.alignment, "champion": s.champion, "joint_share": s.joint_share,
            "joint_done": s.joint_done, "joint_output": s.joint_output,
            "overhead": s.overhead,
            "tie_a": t.a, "tie_b": t.b, "trust": t.trust, "tie_alive": t.alive,
            "tie_cross": t.cross, "tie_age": t.age, "tie_kind": t.kind,
            "episodes": t.episodes, "successes": t.successes,
            "power": ag.power, "priorities": ag.priorities, "pressure": ag.pressure,
            "pull": ag.pull, "commitment": ag.commitment, "focus": ag.focus,
            "first": ag.first, "size": ag.size,
            "pending": b.pending, "commitment_effort": b.commitment_effort,
            "need": pop.need, "need0": pop.need0, "noise": pop.noise,
            "lagged_effort": pop.lagged_effort, "reference_effort": pop.reference_effort,
            "effort": pop.effort, "users": pop.users,
            "rec_issue": self.recorder.rec_issue,
            **self._arrays,
        }  # fmt: skip
        self.w = build_world(arrays, self._p, self._s, self.recorder.rec, self.streams)
        t.world = self.w

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state["w"] = None  # the compiled view is rebuilt over the copied buffers
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.ties.world = None
        self._attach_world()

    # -- construction ------------------------------------------------------------------
    def _issue_arrays(self, sc: Scenario) -> None:
        self.trend = np.array([i.trend_per_year for i in sc.issues], float)
        self.noise_sd = np.array([i.noise_sd for i in sc.issues], float)
        self.lag_months = np.array([i.lag_months for i in sc.issues], float)
        self.efficacy = np.array([i.efficacy for i in sc.issues], float)
        self.users_per_month = np.array([i.users_per_month for i in sc.issues], float)
        self.agencies_per_user = np.array([i.agencies_per_user for i in sc.issues], float)
        self.log_core = np.zeros(self.n_issues)

    def _build(self, sc: Scenario, network: TieState | None = None) -> None:
        dyn = self.dyn
        staff, first, sizes = build_staff(sc)
        init = self.streams["init"]
        staff.capacity[:] = 1.0 - sc.environment.austerity
        staff.tenure[:] = init.uniform(0, dyn.start.initial_tenure_months, staff.n)
        staff.goodwill[:] = dyn.frontline.goodwill_base
        staff.role_clarity[:] = dyn.board.initial_role_clarity
        staff.alignment[:] = dyn.alignment.base_alignment
        staff.champion[:] = staff.frontline & (init.random(staff.n) < sc.staff.champions)
        staff.joint_share[:] = np.where(
            staff.frontline, dyn.start.initial_joint * dyn.frontline.max_joint_share, 0.0
        )
        self.staff = staff
        issues = self.issue_names
        pr = np.array([[a.priorities.get(i, 0.0) for i in issues] for a in sc.agencies])
        pr = pr / pr.sum(axis=1, keepdims=True)
        n_ag = self.n_agencies
        self.agencies = AgencyState(
            power=np.array([a.power for a in sc.agencies]),
            priorities=pr,
            pressure=np.full(
                n_ag, sc.environment.target_pressure * dyn.start.initial_pressure_share
            ),
            pull=np.zeros(n_ag),
            commitment=np.full(n_ag, dyn.lifecycle.initial_commitment),
            focus=pr.copy(),
            first=first,
            size=sizes,
        )
        # the twin has no partnership working, so it needs no trust network
        if not self.partnership:
            self.ties = empty_ties(frontline=staff.frontline)
        elif network is not None:
            self.ties = network
        else:
            self.ties = build_ties(sc, staff, sizes, self.streams["network"])
        has_board = self.world == "partnership"
        self.board = BoardState(
            self._s,
            alive=has_board,
            goal_clarity=dyn.board.base_clarity if has_board else 0.0,
            monitoring=0.0,
            reform_left=0.0,
            pending=np.zeros(dyn.board.commitment_horizon, np.int64),
            commitment_effort=np.zeros(self.n_issues),
        )
        need0 = np.array([i.initial_need for i in sc.issues], float)
        # business as usual: the whole workforce at full capacity on its own targets
        reference = np.bincount(staff.agency, minlength=n_ag).astype(float) @ pr
        self.population = PopulationState(
            need=need0.copy(),
            need0=need0,
            noise=np.zeros(self.n_issues),
            lagged_effort=np.ones(self.n_issues),
            reference_effort=reference,
            effort=np.ones(self.n_issues),
            users=np.zeros(self.n_issues),
            _s=self._s,
        )
        staff.share()
        self.agencies.share()
        self.assessment_load = np.zeros(staff.n)
        # members' enthusiasm beyond what the partnership gives and costs them; lapsed
        # commitments drain it from month 1 (``sim/core/lifecycle.py``)
        self.enthusiasm = dyn.lifecycle.initial_enthusiasm if has_board else 0.0
        self.decision_delay = 0.0
        self.meeting_intensity = 0.0
        self.vertical_alignment = 0.0
        self.silo_effort = np.zeros(self.n_issues)
        self.joint_effort = np.zeros(self.n_issues)
        self.target_base = need0.copy()
        if has_board:
            leadership.appoint(self, established=True)

    def _spin_up(self) -> None:
        """Run the unreported spin-up months, then start need and noise at month 0."""
        self.warming = True
        if self.spin_up > 0:
            self._pull(run_months(self.w, self.spin_up, 0, False))
        self.warming = False
        pop = self.population
        pop.need = pop.need0.copy()
        pop.noise[:] = 0.0
        self.log_core[:] = 0.0
        self.board.low_commitment_months = 0
        if self.spin_up > 0:
            self._trust_at_month_0()

    def _trust_at_month_0(self) -> None:
        """Scale the settled cross-agency trust toward a mean of ``staff.initial_trust``.

        The spin-up settles trust at the level the levers sustain; the area's history of
        cooperation or conflict leaves the trust the scenario states at month 0. Every live
        cross tie keeps its trust relative to the others (who trusts whom is the spin-up's);
        ``dynamics.start.trust_history_share`` says how far the level moves (0: not at all).
        """
        share = self.dyn.start.trust_history_share
        t = self.ties
        cross = t.live(-1)
        if share <= 0 or cross.size == 0:
            return
        settled = t.trust[cross]
        mean = float(settled.mean())
        if mean <= 0:
            return
        scaled = scale_to_mean(settled, self.spec.staff.initial_trust)
        t.trust[cross] = settled + share * (scaled - settled)

    # -- state helpers -----------------------------------------------------------------
    @property
    def board_active(self) -> bool:
        """True while the partnership exists and has a board."""
        return self.partnership and self.board.alive

    @property
    def board_cost(self) -> float:
        """Convex process cost of the current formality (0 without a board)."""
        return board.process_cost(self) if self.board_active else 0.0

    def record(self, name: str, value: float) -> None:
        """Record this month's value of output ``name``."""
        self.recorder.record(name, value)

    def recorded(self, name: str) -> float:
        """This month's recorded value of output ``name`` (recorded earlier in the step)."""
        return self.recorder.get(name)

    def trust_graph(self) -> nx.Graph:
        """The current trust network as a networkx graph."""
        return to_networkx(self.staff, self.ties)

    # -- the monthly step --------------------------------------------------------------
    def step(self) -> None:
        """Advance one month, following the step table in the module docstring (Mesa's
        step: Mesa also advances its clock)."""
        self.advance_month()

    def advance_month(self) -> None:
        """Advance one month without Mesa's clock (what :class:`~sim.core.run.TwinRun`
        calls for worlds without agents: Mesa's clock costs more than the month)."""
        horizon = self.spec.months
        month = self.month
        if month >= horizon:
            self.running = False
            return
        month += 1
        self.month = month
        self.recorder.month = self.spin_up + month - 1
        self._advance(self.timeline.apply(self))  # 1
        if month >= horizon:
            self.running = False

    def advance_to(self, horizon: int) -> None:
        """Advance to month ``horizon`` (at most the scenario's): the months in which the
        timeline changes nothing run in one compiled call, the others one by one."""
        horizon = min(horizon, self.spec.months)
        while self.month < horizon:
            change = self.timeline.next_change(self.month + 1)
            if change == self.month + 1:
                self.advance_month()
                continue
            stop = horizon if change is None else min(horizon, change - 1)
            self._pull(run_months(self.w, stop - self.month, self.spin_up + self.month, True))
        if self.month >= self.spec.months:
            self.running = False

    def _advance(self, forced: float | None) -> None:
        """Steps 1 (capacity) to 14 of the table, after the timeline has been applied."""
        self._pull(month_kernel(self.w, -1.0 if forced is None else float(forced)))

    def _pull(self, slots: int) -> None:
        """Re-read the tie pool if a kernel grew it to ``slots`` slots."""
        if slots != self.ties.a.size:
            self.ties.pull()

    def run(self) -> None:
        """Run to the scenario's horizon."""
        while self.running and self.month < self.spec.months:
            self.step()


@njit(cache=True)
def month_kernel(w: Compiled, forced: float) -> int:
    """Steps 1 (capacity) to 14 of the step table on the compiled world; ``forced``: the
    severity of a reorganisation the timeline forces this month (negative: none). Returns
    the size of the tie pool (the caller pulls the pool when a kernel grew it)."""
    w.capacity[:] = 1.0 - w.p[0].environment_austerity  # 1: a change acts now
    churn.kernel(w, forced)  # 2
    leadership.kernel(w)  # 3
    targets.kernel(w)  # 4
    board.kernel(w)  # 5
    frontline.kernel(w)  # 6
    trust.kernel(w)  # 7
    alignment.kernel(w)  # 8
    users.kernel(w)  # 9
    needs.kernel(w)  # 10
    outcomes.kernel(w)  # 11
    monitoring.kernel(w)  # 12
    lifecycle.kernel(w)  # 13
    close_month(w)  # 14
    return w.tie_a.size


@njit(cache=True)
def run_months(w: Compiled, months: int, first_row: int, reported: bool) -> int:
    """``months`` months in a row in which the timeline changes nothing, recorded from row
    ``first_row`` on (``reported``: months that count, else spin-up months). Returns the
    size of the tie pool."""
    s = w.s[0]
    for k in range(months):
        s.row = first_row + k
        if reported:
            s.month += 1
        month_kernel(w, -1.0)
    return w.tie_a.size


def initial_network(scenario: Scenario, replicate: int) -> TieState:
    """The initial trust network of ``replicate``, as the model builds it (for a caller
    that builds several worlds of one replicate: the partnership and its board-less twin
    start from the same network)."""
    staff, _, sizes = build_staff(scenario)
    return build_ties(scenario, staff, sizes, Streams(scenario.seed, replicate)["network"])


@njit(cache=True)
def close_month(w: Compiled) -> None:
    """Step 14: record the share of capacity spent on process; everyone's tenure + 1."""
    total = w.capacity.sum()
    share = w.overhead.sum() / total if total else 0.0
    r = w.rec[w.s[0].row]
    r.process_overhead_share = share
    w.tenure += 1.0
