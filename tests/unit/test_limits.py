"""Job-size estimates: they grow with the job, match a measured small run, and
``check_job`` refuses exactly above the limits with the estimate and the way out."""

from __future__ import annotations

import dataclasses
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim import limits
from sim.limits import LIFT_FLAG, JobSize, check_job, scenario_job
from sim.scenario.loader import ScenarioError, load_scenario

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "baseline.yaml"
SMALL = JobSize(runs=20, months=120, staff=143, issues=4)
GB = 1_000_000_000


def estimates(size: JobSize) -> tuple[int, int, float]:
    return size.memory_bytes(), size.output_bytes(), size.seconds()


@pytest.mark.parametrize("field", ["runs", "months", "staff"])
def test_estimates_grow_with_runs_months_and_staff(field: str) -> None:
    bigger = dataclasses.replace(SMALL, **{field: getattr(SMALL, field) * 10})
    small, large = estimates(SMALL), estimates(bigger)
    assert all(b >= a for a, b in zip(small, large, strict=True))
    assert large[0] > small[0] and large[2] > small[2]
    if field != "staff":  # staff changes the model, not the series written
        assert large[1] > small[1]


def test_more_workers_take_less_time_and_more_memory() -> None:
    assert SMALL.seconds(2) < SMALL.seconds(1)
    assert SMALL.memory_bytes(2) > SMALL.memory_bytes(1)


def test_a_sweep_holding_a_few_runs_needs_less_memory_than_holding_all() -> None:
    held = dataclasses.replace(SMALL, runs=10_000, runs_in_memory=8)
    assert held.memory_bytes() < dataclasses.replace(held, runs_in_memory=None).memory_bytes()


def test_the_scenario_job_counts_staff_issues_and_every_series() -> None:
    scenario = load_scenario(BASELINE, {"replicates": 3, "months": 6})
    size = scenario_job(scenario)
    assert (size.runs, size.months, size.staff, size.issues) == (3, 6, 143, 4)
    from sim.core.run import simulate

    assert size.series == len(simulate(scenario, 0).series)


MEASURE = """
import resource, sys, time
from pathlib import Path
from sim.cli.main import main
import sim.experiment.runner, sim.experiment.compare, sim.experiment.folder
t = time.process_time()  # CPU time: a busy machine must not fail the estimate
code = main(["run", sys.argv[1], "--replicates", "4", "--months", "120", "--no-figures",
             "--quiet", "--out", sys.argv[2]])
try:  # this process's own peak: ru_maxrss also counts the parent's pages before exec
    status = Path("/proc/self/status").read_text()
    peak = int(next(x for x in status.splitlines() if x.startswith("VmHWM")).split()[1]) * 1024
except (OSError, StopIteration):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(code, time.process_time() - t, peak)
"""


def test_the_estimates_are_within_a_factor_of_two_of_a_measured_run(tmp_path: Path) -> None:
    """A small ``partnersim run`` in a fresh process: its peak memory, its CPU time and
    its Parquet file against the estimate (a factor of 2 either way). The run is one
    process, so on an idle machine its CPU time is its wall time; CPU time keeps the
    check true when other jobs share the machine. Wall-time targets live in
    ``benchmarks/``."""
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(BASELINE), str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=True,
    )
    code, seconds, peak = done.stdout.split()[-3:]
    assert code == "0"
    size = scenario_job(load_scenario(BASELINE, {"replicates": 4, "months": 120}))
    written = (out / "timeseries.parquet").stat().st_size
    for measured, estimated in (
        (int(peak), size.memory_bytes()),
        (written, size.output_bytes()),
        (float(seconds), size.seconds()),
    ):
        assert estimated / 2 <= measured <= estimated * 2, (measured, estimated)


@pytest.fixture
def machine(monkeypatch: pytest.MonkeyPatch) -> int:
    """A machine of 24 GB, all of it free."""
    monkeypatch.setattr(limits, "machine_memory_bytes", lambda: 24 * GB)
    monkeypatch.setattr(limits, "available_memory_bytes", lambda: 24 * GB)
    return 24 * GB


def with_memory(target: int) -> JobSize:
    """A job whose estimated memory is ``target`` bytes, give or take one run's series."""
    per_run = SMALL.kept_values_per_run * limits.BYTES_PER_SERIES_VALUE
    fixed = dataclasses.replace(SMALL, runs=0).memory_bytes()
    return dataclasses.replace(SMALL, runs=(target - fixed) // per_run)


def test_memory_refused_just_above_the_share_and_accepted_just_below(machine: int) -> None:
    below = with_memory(int(limits.MEMORY_SHARE * machine) - GB // 100)
    above = dataclasses.replace(below, runs=below.runs + 2 * GB // 100 // 1000)
    assert below.memory_bytes() <= limits.MEMORY_SHARE * machine < above.memory_bytes()
    check_job(below, where="a.yaml", allow_large=False)
    with pytest.raises(ScenarioError) as exc:
        check_job(above, where="a.yaml", allow_large=False)
    (problem,) = exc.value.problems
    assert problem.file == "a.yaml"
    assert problem.message.startswith("job too big: ")
    assert "60% of this machine's 24 GB of memory" in problem.message
    assert f"or {LIFT_FLAG} to run it anyway" in problem.message
    check_job(above, where="a.yaml", allow_large=True)  # the flag lifts the soft limit


def test_memory_free_now_is_a_soft_limit_too(machine: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "available_memory_bytes", lambda: 2 * GB)
    job = with_memory(3 * GB)
    with pytest.raises(ScenarioError, match=r"the 2\.0 GB of memory free now"):
        check_job(job, where="a.yaml", allow_large=False)
    check_job(job, where="a.yaml", allow_large=True)


def test_the_machine_memory_is_a_hard_limit(machine: int) -> None:
    job = with_memory(machine + GB)
    with pytest.raises(ScenarioError) as exc:
        check_job(job, where="a.yaml", allow_large=True)
    message = exc.value.problems[0].message
    assert message.startswith("job too big for this machine: ")
    assert f"{LIFT_FLAG} cannot lift this" in message
    assert "GB of memory" in message


# one run of each job is small on every count but one
ONE_RUN = {
    "runs": JobSize(runs=1, months=1, staff=4, series_kept=1, runs_in_memory=1),
    "output": JobSize(runs=1, months=1200, staff=4, series_kept=1000, runs_in_memory=1),
    "time": JobSize(runs=1, months=1200, staff=100_000, writes_series=False, runs_in_memory=1),
}
PER_RUN = {
    "runs": lambda size: 1,
    "output": JobSize.output_bytes,
    # the time of a job is a fixed start-up plus its runs' time
    "time": lambda size: size.seconds() - limits.SECONDS_PER_PROCESS,
}
LIMIT = {
    "runs": limits.MAX_RUNS,
    "output": limits.MAX_OUTPUT_BYTES,
    "time": limits.MAX_JOB_SECONDS - limits.SECONDS_PER_PROCESS,
}


@pytest.mark.parametrize("name", ["runs", "output", "time"])
def test_runs_output_and_time_refused_above_their_limit(machine: int, name: str) -> None:
    one = ONE_RUN[name]
    at = int(LIMIT[name] // PER_RUN[name](one))
    ok = dataclasses.replace(one, runs=at)
    over = dataclasses.replace(one, runs=at + 1)
    check_job(ok, where="a.yaml", allow_large=False)
    with pytest.raises(ScenarioError, match=f"job too big: {over.runs:,} runs") as exc:
        check_job(over, where="a.yaml", allow_large=False)
    assert exc.value.problems[0].message.count("(limits: ") == 1
    check_job(over, where="a.yaml", allow_large=True)


def test_the_dashboard_refuses_more_staff_than_it_can_draw(machine: int) -> None:
    drawn = JobSize(runs=1, months=120, staff=limits.MAX_DASHBOARD_STAFF, drawn=True)
    check_job(drawn, where="a.yaml", allow_large=False)
    more = dataclasses.replace(drawn, staff=drawn.staff + 1)
    with pytest.raises(ScenarioError, match="1,000 staff drawn"):
        check_job(more, where="a.yaml", allow_large=False)
    check_job(more, where="a.yaml", allow_large=True)


def test_the_message_is_one_short_line_with_the_estimate_and_the_hint(machine: int) -> None:
    job = JobSize(runs=100_000, months=1200, staff=143, issues=4)
    with pytest.raises(ScenarioError) as exc:
        check_job(job, where="baseline.yaml", allow_large=False, hint="fewer --replicates")
    text = str(exc.value)
    assert "\n" not in text and len(text) < 400
    assert "100,000 runs x 1,200 months x 143 staff" in text
    assert "GB of output" in text and "GB of memory" in text
    assert text.endswith("use fewer --replicates")


def test_checking_is_quick_and_allocates_nothing() -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.process_time()
    with pytest.raises(ScenarioError):
        check_job(JobSize(runs=10**12, months=1200, staff=10**9), where="a", allow_large=True)
    assert time.process_time() - start < 1.0
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 10_000  # KB
