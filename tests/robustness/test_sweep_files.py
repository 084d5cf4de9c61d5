"""Bad sweep files are refused before any run starts: exit 2, one clear first line, no
traceback, no file contents echoed, and nothing written into ``--out``.

Each case is a sweep file and the expected first line (a substring) of its error. The
huge designs are never built: on code without the up-front estimate they would fill the
memory or run for years.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.robustness.conftest import SCENARIOS, assert_refused, run_cli

BASE = SCENARIOS / "baseline.yaml"

GOOD = f"""\
name: corpus
base: {BASE}
parameters:
  environment.policy_churn: {{levels: [0.0, 1.0]}}
  partnership.formality: {{low: 0.0, high: 1.0, steps: 3}}
design: {{kind: grid}}
replicates: 2
months: 12
"""

RANGES = """\
parameters:
  environment.policy_churn: {low: 0.0, high: 2.0}
  partnership.formality: {low: 0.0, high: 1.0}
"""


def sampled(design: str, extra: str = "") -> str:
    """The good sweep with ranges instead of levels and another design."""
    head, _, _ = GOOD.partition("parameters:")
    return head + RANGES + f"design: {design}\nreplicates: 2\nmonths: 12\n" + extra


def swap(old: str, new: str) -> str:
    assert old in GOOD, old
    return GOOD.replace(old, new)


GRID_1E9 = swap(
    "  partnership.formality: {low: 0.0, high: 1.0, steps: 3}\n",
    "  partnership.formality: {low: 0.0, high: 1.0, steps: 1000}\n"
    "  environment.target_pressure: {low: 0.0, high: 1.0, steps: 1000}\n"
    "  staff.initial_trust: {low: 0.1, high: 0.7, steps: 500}\n",
)

# (id, sweep file text, expected first line of the error)
CASES = [
    # job size (item 8): refused from the spec, before any design table is built
    ("grid-1e9-points", GRID_1E9, "job too big"),
    ("grid-steps-1e9", swap("steps: 3", "steps: 1000000000"), "job too big"),
    ("lhs-1e12-samples", sampled("{kind: lhs, samples: 1000000000000}"), "job too big"),
    ("sobol-2-to-the-40", sampled("{kind: sobol, base_samples: 1099511627776}"), "job too big"),
    ("morris-1e12-trajectories", sampled("{kind: morris, trajectories: 1000000000000}"), "job too"),
    ("replicates-1e12", swap("replicates: 2", "replicates: 1000000000000"), "job too big"),
    # misspelt keys (item 16): the valid keys are listed, the file is not printed
    ("top-level-typo", swap("replicates: 2", "replicate: 2"), "unknown key 'replicate'"),
    (
        "typo-inside-design",
        sampled("{kind: lhs, sampels: 10}"),
        "design: unknown key 'sampels'; valid keys: kind, samples, seed",
    ),
    ("typo-inside-parameter", swap("{levels: [0.0, 1.0]}", "{level: [0.0, 1.0]}"), "'level'"),
    ("parameters-misspelt", swap("parameters:", "paramters:"), "unknown key 'paramters'"),
    ("unknown-design-kind", swap("{kind: grid}", "{kind: factorial}"), "unknown design kind"),
    ("design-without-kind", swap("{kind: grid}", "{samples: 10}"), "design: missing 'kind'"),
    # fixed and swept (item 16)
    (
        "fixed-and-swept",
        GOOD + "fixed: {partnership.formality: 0.3}\n",
        "fixed.partnership.formality: is also swept",
    ),
    # levers and their values
    ("unknown-lever", swap("partnership.formality:", "partnership.formalty:"), "not a lever"),
    ("fixed-unknown-lever", GOOD + "fixed: {partnership.nope: 1.0}\n", "not a lever"),
    (
        "level-out-of-range",
        swap("{levels: [0.0, 1.0]}", "{levels: [0.0, 99.0]}"),
        "parameters.environment.policy_churn",
    ),
    ("levels-in-a-sampled-design", swap("{kind: grid}", "{kind: lhs, samples: 4}"), "low/high"),
    (
        "low-not-below-high",
        swap("{low: 0.0, high: 1.0, steps: 3}", "{low: 1.0, high: 0.0}"),
        "below",
    ),
    ("one-step", swap("steps: 3", "steps: 1"), "parameters.partnership.formality.steps"),
    ("sobol-not-a-power-of-2", sampled("{kind: sobol, base_samples: 6}"), "power of 2"),
    (
        "no-parameters",
        swap(GOOD[GOOD.index("parameters:") : GOOD.index("design:")], "parameters: {}\n"),
        "parameters",
    ),
    ("parameter-not-a-mapping", swap("{levels: [0.0, 1.0]}", "0.5"), "environment.policy_churn"),
    ("replicates-zero", swap("replicates: 2", "replicates: 0"), "replicates"),
    ("months-1e9", swap("months: 12", "months: 1000000000"), "months"),
    # series (item 6): checked when the file is read, not in every run
    ("series-key-typo", GOOD + "series: {every: 3, keys: [outcome_idx]}\n", "series.keys"),
    ("series-every-zero", GOOD + "series: {every: 0}\n", "series.every"),
    # the base scenario
    ("base-not-found", swap(f"base: {BASE}", "base: no_such_file.yaml"), "file not found"),
    ("base-is-a-folder", swap(f"base: {BASE}", f"base: {SCENARIOS}"), "is a directory"),
    ("file-is-a-list", "- name: corpus\n- base: x\n", "mapping"),
    ("empty-file", "", "corpus"),
]


@pytest.mark.parametrize(("text", "first_line"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_sweep_files_are_refused_before_any_run(
    tmp_path: Path, text: str, first_line: str
) -> None:
    secret = "do-not-echo-" + "z" * 300
    path = tmp_path / "corpus.yaml"
    path.write_text(text + (f"# {secret}\n" if text else ""), encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("sweep", path, "--out", out, "--quiet", "--workers", "1")
    assert_refused(result, first_line)
    assert "do-not-echo" not in result.err
    assert not (out / "parts").exists(), "a run started"


def test_the_good_file_of_the_corpus_is_accepted(tmp_path: Path) -> None:
    """The cases differ from a sweep that runs (so each refusal is about its own change)."""
    from sim.experiment.sweepfile import load_sweep

    path = tmp_path / "corpus.yaml"
    path.write_text(GOOD, encoding="utf-8")
    assert load_sweep(path).spec.replicates == 2
    for design in ("{kind: lhs, samples: 4}", "{kind: sobol, base_samples: 4}"):
        path.write_text(sampled(design), encoding="utf-8")
        load_sweep(path)


def test_allow_large_cannot_lift_this_machines_memory(tmp_path: Path) -> None:
    path = tmp_path / "corpus.yaml"
    path.write_text(GRID_1E9, encoding="utf-8")
    result = run_cli("sweep", path, "--out", tmp_path / "out", "--allow-large", "--quiet")
    assert_refused(result, "job too big for this machine")
    assert "--allow-large" not in result.err
    assert not (tmp_path / "out").exists()
