"""Every limit on what partnersim accepts, held in one place.

Each limit has a reason and a way to lift it; ``docs/limits.md`` lists them all. Input
limits protect the loader from files that are not scenarios (devices, pipes, huge or
deeply nested YAML); job limits refuse, up front and with an estimate, work too big for
the machine.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# -- input files: scenario files, sweep files and every file an ``extends:`` chain reads --

MAX_INPUT_FILE_BYTES = 262_144
"""Largest scenario or sweep file read (bytes; 256 KiB), checked with ``stat`` before
reading and again while reading (files under ``/proc`` report size 0). The library's
largest file is 2.3 KB. Bounds the parse time: the YAML reader is pure Python and took
about 1 s per 256 KiB of its slowest text (blank lines, long plain strings) on a shared
2-core machine. Lift by editing this constant."""

MAX_YAML_DEPTH = 64
"""Deepest nesting of mappings and lists in a YAML file (levels, aliases expanded). The
schema needs at most 6; the library's deepest file has 5. Stops deeply nested files
from exhausting the parser's recursion (a traceback) before any check runs."""

MAX_YAML_NODES = 20_000
"""Most values a YAML file may hold (keys, values and list items), aliases counted at
their expanded size. Checked while the file is parsed, before any value is built, so an
alias bomb never expands. The library's largest file holds 219; composing 20,000 took
about 1.5 s on a shared 2-core machine (200,000 took 15 s)."""

MAX_EXTENDS_CHAIN = 32
"""Longest ``extends:`` chain (files, the scenario itself included). The library's
longest is 2. Stops a runaway chain of generated files before it exhausts recursion."""

MAX_ECHO_CHARS = 80
"""Longest excerpt of an offending value echoed in an error message (characters); a
longer value is cut and its full length given. Keeps every message one readable line
and never prints a file's contents."""

# -- job size: runs, memory, output and time of run, compare, library, sweep, dashboard --
#
# A job is estimated before anything runs or is written: the runs it makes, the memory
# one process needs at its peak, the bytes it writes and the time it takes. Soft limits
# (output, runs, time, dashboard staff) are lifted by LIFT_FLAG; the hard limit, physical
# memory, is never lifted, because a job that cannot fit dies part-way. The per-unit
# constants below were measured on a 2-core, 24 GB Linux machine (Python 3.13, numpy 2)
# with the default 9 ties per staff member; every figure they give is an estimate, good to
# about a factor of 2.

LIFT_FLAG = "--allow-large"
"""The option that lifts the soft job-size limits (output, runs, time, dashboard staff)."""

MAX_OUTPUT_BYTES = 5_000_000_000
"""Largest estimated output of one command: 5 GB (bytes). Soft: ``--allow-large`` lifts it.
Why: the library's jobs write under 50 MB; 5 GB is a disk-filling mistake, not a study."""

MAX_RUNS = 1_000_000
"""Most runs (replicates x scenarios or design points x draws of the constants) in one
command: 1,000,000. Soft: ``--allow-large`` lifts it. Why: beyond any analysis the tool
makes (a Sobol study of every lever needs about 50,000 runs)."""

MAX_JOB_SECONDS = 24 * 3600
"""Longest estimated wall time of one command, at its worker count: 24 hours (seconds).
Soft: ``--allow-large`` lifts it. Why: a job that would run for days is usually a typo
(``--months 12000`` for 1200, a grid with too many levels)."""

MEMORY_SHARE = 0.6
"""Share of this machine's memory one command may be estimated to need: 60%; nor may it
need more than the memory free when it starts (``MemAvailable``). Soft: ``--allow-large``
lifts both, up to all of physical memory, the hard limit, which nothing lifts (a job that
cannot fit dies part-way). Why: the rest is for the operating system, other programs and
the estimate's error."""

MAX_DASHBOARD_STAFF = 1_000
"""Most staff (posts, over all agencies) the dashboard draws: 1,000. Soft:
``--allow-large`` lifts it. Why: it lays out every post when it starts (a spring layout
per agency): 10 s for 1,000 staff, 70 s for 4,000 on the machine measured. The library's
scenarios have under 200."""

BASE_MEMORY_BYTES = 300_000_000
"""Memory of a ``partnersim`` process before it runs anything: 300 MB (bytes; interpreter,
numpy, pandas, pyarrow, numba and the model's compiled kernels loaded from the disk
cache). Estimate; measured as the peak resident set (``resource.getrusage(RUSAGE_SELF)
.ru_maxrss``): 216 MB after importing ``sim.cli.main``, ``sim.experiment.runner`` and
``sim.experiment.compare``, 300 MB after a two-month run has loaded the kernels. Compiling
the kernels (once, at set-up: ``python -m sim.core.warmup``) peaks at about 730 MB."""

BYTES_PER_STAFF = 150
"""Memory per staff member per world, ties aside: 150 bytes. Estimate; measured from the
peak resident set of one replicate (``simulate``, 2 months) of a 2-agency scenario of
50,000 staff with 9 ties each (417 bytes per staff member and world, ties included)
less 9 x :data:`BYTES_PER_TIE`."""

BYTES_PER_TIE = 30
"""Memory per tie of the trust network per world: 30 bytes. Estimate; measured as for
:data:`BYTES_PER_STAFF` with ``ties_within``/``ties_across`` raised from 6/3 to 50/50
(3,190 bytes per staff member and world, against 417)."""

BYTES_PER_SERIES_VALUE = 36
"""Memory per monthly series value a command holds: 36 bytes (the float64 value, its
copy in the results table, the Parquet writer's buffers). Estimate; measured as the
difference in peak resident set of ``partnersim run --no-figures`` of a 20-staff scenario
at 300 months, 80 against 10 replicates (42 MB over 1.18 million values)."""

BYTES_PER_OUTPUT_VALUE = 4
"""Disk per monthly series value written: 4 bytes (compressed Parquet). Estimate; measured
as the size of ``timeseries.parquet`` of the same two runs over the values it holds
(4.0 bytes a value)."""

SECONDS_PER_WORLD_MONTH = 0.000_04
"""Time to step one world one month, whatever its size: 40 microseconds (seconds), the
mean over a run's three worlds (the twins skip the board's mechanisms). Estimate; measured
as the wall time of ``partnersim run`` of the baseline (154 staff), 20 replicates x 300
months x 3 worlds after a 60-month spin-up (3.55-3.78 s), less that of a one-month run
(2.07-2.24 s: start-up, imports, writing), over its 21,600 world-months (72 microseconds),
less the staff term."""

SECONDS_PER_PROCESS = 0.5
"""Time a process spends once before its first run: loading the model's compiled kernels
from the disk cache (``sim/core/__init__.py``): 0.5 s (seconds). Estimate; measured as the
first baseline replicate in a fresh process less a later one (0.34-0.64 s against
0.035 s, warm cache)."""

SECONDS_PER_STAFF_MONTH = 0.000_000_25
"""Time to step one staff member of one world one month, on top of
:data:`SECONDS_PER_WORLD_MONTH`: 0.25 microseconds (seconds). Estimate; measured as the
difference of ``simulate`` of 20,000 staff over 60 and 2 months (2.37 s against 1.55 s)."""

SECONDS_PER_STAFF_SETUP = 0.000_005
"""Time to build one staff member of one world (posts and initial ties): 5 microseconds
(seconds). Estimate; measured from ``simulate`` of 200,000 staff over 2 months (3.4 s,
less its steps); 20,000 staff gave 2 microseconds."""

BYTES_PER_DRAWN_STAFF = 30_000
"""Memory per staff member of the dashboard's network picture (the networkx graph and the
spring layout): 30 KB (bytes). Estimate; measured from the peak resident set of
``trust_graph`` and ``staff_layout`` for 1,000 staff (27 KB each; 20 KB at 4,000)."""

SERIES_PER_RUN_EXTRA = 13
"""Monthly series a full run records beyond the model's outputs and one outcome per issue
(the twins' outcomes, added and ground value, the total effect, regime code and its
window measures). Counted from ``simulate``."""


def machine_memory_bytes() -> int:
    """This machine's physical memory (bytes), or the container's limit when lower."""
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    try:
        text = Path("/sys/fs/cgroup/memory.max").read_text(encoding="ascii").strip()
    except OSError:
        return total
    return min(total, int(text)) if text.isdigit() else total


def available_memory_bytes() -> int | None:
    """Memory other programs leave free now (bytes; ``MemAvailable`` of ``/proc/meminfo``),
    or ``None`` where the system does not say."""
    try:
        for line in Path("/proc/meminfo").read_text(encoding="ascii").splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


@dataclass(frozen=True)
class JobSize:
    """What one command will do, enough to estimate its cost before it starts.

    ``runs``: runs the command makes; each steps ``worlds_per_run`` worlds (3: the
    partnership and its two twins; the dashboard side by side steps 6) of ``staff`` staff
    (the largest over the job's scenarios) for ``spin_up`` unreported months and then
    ``months`` months.
    ``series_kept``: monthly values kept per run and month (``None``: every series of a
    full run, :func:`full_series` of ``issues``); ``months_kept``: months of series kept
    per run (``None``: all; a sweep keeping one month in ``k`` keeps ``months // k``).
    ``runs_in_memory``: runs whose series one process holds at its peak (``None``: all of
    them, as ``run`` and ``compare`` do; a sweep holds about two chunks per worker;
    ``library`` one scenario's replicates). ``writes_series``: the series are written
    (``library`` and the dashboard write none). ``values_per_run``: values written once
    per run (a sweep's summary row). ``ties_per_staff``: mean ties per staff member.
    ``drawn``: the dashboard draws the network (adds the picture's memory and
    :data:`MAX_DASHBOARD_STAFF`).
    """

    runs: int
    months: int
    staff: int
    worlds_per_run: int = 3
    spin_up: int = 0
    series_kept: int | None = None
    issues: int = 1
    months_kept: int | None = None
    runs_in_memory: int | None = None
    writes_series: bool = True
    values_per_run: int = 0
    ties_per_staff: float = 9.0
    drawn: bool = False

    @property
    def series(self) -> int:
        """Series values kept per run and month."""
        return full_series(self.issues) if self.series_kept is None else self.series_kept

    @property
    def kept_values_per_run(self) -> int:
        """Series values kept per run."""
        months = self.months if self.months_kept is None else self.months_kept
        return months * self.series

    def model_bytes(self) -> int:
        """Memory of the worlds of one run (bytes), without the interpreter."""
        per_world = self.staff * (BYTES_PER_STAFF + self.ties_per_staff * BYTES_PER_TIE)
        drawn = self.staff * BYTES_PER_DRAWN_STAFF if self.drawn else 0
        return int(self.worlds_per_run * per_world + drawn)

    def memory_bytes(self, workers: int = 1) -> int:
        """Estimated peak memory of the command (bytes), over all its processes.

        One process holds the worlds of one run and the series of ``runs_in_memory`` runs;
        with ``workers`` > 1 each worker process adds an interpreter and a run's worlds.
        """
        held = self.runs if self.runs_in_memory is None else min(self.runs, self.runs_in_memory)
        parent = BASE_MEMORY_BYTES + self.model_bytes()
        parent += held * self.kept_values_per_run * BYTES_PER_SERIES_VALUE
        extra = (workers if workers > 1 else 0) * (BASE_MEMORY_BYTES + self.model_bytes())
        return int(parent + extra)

    def output_bytes(self) -> int:
        """Estimated bytes written (series and per-run values)."""
        values = self.values_per_run + (self.kept_values_per_run if self.writes_series else 0)
        return int(self.runs * values * BYTES_PER_OUTPUT_VALUE)

    def seconds(self, workers: int = 1) -> float:
        """Estimated wall time (seconds) of all runs on ``workers`` processes."""
        per_month = SECONDS_PER_WORLD_MONTH + self.staff * SECONDS_PER_STAFF_MONTH
        stepped = self.spin_up + self.months
        per_world = self.staff * SECONDS_PER_STAFF_SETUP + stepped * per_month
        total = self.runs * self.worlds_per_run * per_world
        return total / max(1, min(workers, self.runs)) + SECONDS_PER_PROCESS


def full_series(issues: int) -> int:
    """Monthly series a full run records for a scenario with ``issues`` issues."""
    from sim.core.record import OUTPUTS  # here: the model code need not load with the limits

    return len(OUTPUTS) + issues + SERIES_PER_RUN_EXTRA


def scenario_job(scenario: Any, runs: int | None = None, **fields: Any) -> JobSize:
    """The :class:`JobSize` of ``runs`` runs of ``scenario`` (default: its replicates).

    ``scenario`` is a resolved :class:`~sim.scenario.schema.Scenario`; ``fields``
    override the other :class:`JobSize` fields (e.g. ``runs_in_memory``).
    """
    values: dict[str, Any] = {
        "runs": scenario.replicates if runs is None else runs,
        "months": scenario.months,
        "staff": sum(a.strategic + a.frontline for a in scenario.agencies),
        "issues": len(scenario.issues),
        "ties_per_staff": scenario.staff.ties_within + scenario.staff.ties_across,
        "spin_up": scenario.dynamics.start.spin_up_months,
    }
    return JobSize(**{**values, **fields})


def _bytes(n: float) -> str:
    for unit, size in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6)):
        if n >= size:
            return f"{n / size:,.0f} {unit}" if n >= 10 * size else f"{n / size:.1f} {unit}"
    return "under 1 MB"


def _duration(seconds: float) -> str:
    for unit, size in (("years", 365 * 86400), ("days", 86400), ("hours", 3600)):
        if seconds >= 2 * size:
            return f"{seconds / size:,.0f} {unit}"
    return f"{seconds / 60:.0f} minutes" if seconds >= 120 else f"{seconds:.0f} s"


def check_job(
    size: JobSize,
    *,
    where: str,
    allow_large: bool,
    key: str = "",
    workers: int = 1,
    hint: str = "fewer --replicates or --months",
) -> None:
    """Refuse a job over the limits, before it starts, with its estimate and the way out.

    Raises ``ScenarioError([Problem(where, key, message)])``, one line: "job too big: ..."
    naming the estimate, the limits exceeded, ``hint`` (what to reduce) and
    :data:`LIFT_FLAG`. Soft limits: :data:`MAX_RUNS`, :data:`MAX_OUTPUT_BYTES`,
    :data:`MAX_JOB_SECONDS`, :data:`MEMORY_SHARE` of the machine's memory and the memory
    free now, and :data:`MAX_DASHBOARD_STAFF` for a drawn job. With ``allow_large`` only
    the hard limit applies: an estimated memory above the machine's physical memory (such
    a job would die part-way). Reads the machine's memory; allocates nothing.
    """
    from sim.scenario.loader import Problem, ScenarioError  # the loader imports this module

    machine = machine_memory_bytes()
    memory, output, seconds = size.memory_bytes(workers), size.output_bytes(), size.seconds(workers)
    what = f"{size.runs:,} runs x {size.months:,} months x {size.staff:,} staff"
    estimate = (
        f"about {_bytes(output)} of output, {_bytes(memory)} of memory and {_duration(seconds)}"
    )
    if memory > machine:
        message = (
            f"job too big for this machine: {what}, {estimate}, more than its "
            f"{_bytes(machine)} of memory ({LIFT_FLAG} cannot lift this); use {hint}"
        )
        raise ScenarioError([Problem(where, key, message)])
    if allow_large:
        return
    over = []
    if size.runs > MAX_RUNS:
        over.append(f"{MAX_RUNS:,} runs")
    if output > MAX_OUTPUT_BYTES:
        over.append(f"{_bytes(MAX_OUTPUT_BYTES)} of output")
    free = available_memory_bytes()
    if memory > MEMORY_SHARE * machine:
        over.append(f"{MEMORY_SHARE:.0%} of this machine's {_bytes(machine)} of memory")
    elif free is not None and memory > free:
        over.append(f"the {_bytes(free)} of memory free now")
    if seconds > MAX_JOB_SECONDS:
        over.append(_duration(MAX_JOB_SECONDS))
    if size.drawn and size.staff > MAX_DASHBOARD_STAFF:
        over.append(f"{MAX_DASHBOARD_STAFF:,} staff drawn")
    if over:
        message = (
            f"job too big: {what}, {estimate} (limits: {', '.join(over)}); use {hint}, "
            f"or {LIFT_FLAG} to run it anyway"
        )
        raise ScenarioError([Problem(where, key, message)])


# -- sweeps: the design table and run index a sweep holds besides its runs --
#
# A sweep's runs are estimated with check_job like any job; on top, the sweep process
# holds its design table (one row per design point) and an index of the runs already
# written (to resume), both proportional to the design's size. They are estimated from
# the sweep file alone, before the design is built; partnersim refuses a sweep whose
# table and index would need more than MEMORY_SHARE of this machine's memory
# (--allow-large lifts this up to all of it).

BYTES_PER_DESIGN_VALUE = 64
"""Memory per value of a sweep's design table (bytes; points x (parameters + 1)). Estimate,
measured as the peak resident memory of building a 1000 x 1000 grid (63 bytes per value;
a sampled design takes 16)."""

BYTES_PER_SWEEP_RUN = 250
"""Memory per run of a sweep's run index (bytes): the set of run keys already written,
read to resume, and the status tally made at the end. Estimate, measured as 115 bytes per
key for a set of a million keys, times two for the tally."""


def sweep_index_bytes(points: int, parameters: int, runs: int) -> int:
    """Estimated memory (bytes) of a sweep's design table and run index, besides its runs."""
    return int(points * (parameters + 1) * BYTES_PER_DESIGN_VALUE + runs * BYTES_PER_SWEEP_RUN)
