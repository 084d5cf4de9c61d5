"""A change of model output fails here until the baseline is stored again on purpose.

The fixed case is the baseline scenario, 3 replicates x 60 months. If this test fails
after a deliberate change of the model, run ``tests/regression/update_baseline.py`` and
flag the change with **[output]** in CHANGELOG.md.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from regression_case import compute, output_flags, stored

HINT = (
    "model output changed: if on purpose, run tests/regression/update_baseline.py and flag "
    "the change with [output] in CHANGELOG.md"
)


def _flatten(data, prefix=""):
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _flatten(v, f"{prefix}{k}.")
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _flatten(v, f"{prefix}{i}.")
    else:
        yield prefix.rstrip("."), data


def _differs(now, then) -> bool:
    if isinstance(then, bool) or not isinstance(then, int | float) or then is None:
        return now != then
    return now != pytest.approx(then, rel=1e-9, abs=1e-12, nan_ok=True)


def test_model_output_matches_the_stored_baseline() -> None:
    base = stored()
    assert base.pop("changelog_output_flags") == output_flags(), (
        "CHANGELOG.md flags a change of model output the stored baseline does not know of "
        "(or the reverse): run tests/regression/update_baseline.py"
    )
    now = dict(_flatten(json.loads(json.dumps(compute()))))
    then = dict(_flatten(base))
    assert now.keys() == then.keys(), HINT
    changed = [
        f"{k}: stored {then[k]!r}, now {now[k]!r}" for k in sorted(now) if _differs(now[k], then[k])
    ]
    assert not changed, HINT + "\n" + "\n".join(changed[:20])
