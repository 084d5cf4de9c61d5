"""Which mechanism each pattern is evidence for, and the settings that knock it out.

A pattern counts as validation only if knocking out the mechanism it is about makes it
fail (``tests/patterns/test_knockouts.py`` runs every knock-out in the quick design). A
pattern that is true by construction, or that still passes with its mechanism knocked
out, is a *mechanism check*: it verifies that a rule does what it says, it is reported
in a separate table and it is not counted as evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Knockout:
    """The mechanism a pattern is evidence for and the ``--set`` overrides that remove it."""

    mechanisms: str  # what the pattern is evidence for, with the modules that implement it
    settings: tuple[tuple[str, Any], ...]  # key path, value: applied to the base scenario
    why: str  # why these settings remove exactly that mechanism


KNOCKOUTS: dict[str, Knockout] = {}
"""Validation patterns (calibration and held-out), keyed by pattern label ("1", "H1")."""

MECHANISM_CHECKS: dict[str, str] = {}
"""Patterns that verify a rule rather than validate the model, with the reason."""


def role(label: str) -> str:
    """``"mechanism check"``, ``"held-out"`` or ``"calibration"`` for a pattern label."""
    if label in MECHANISM_CHECKS:
        return "mechanism check"
    return "held-out" if label.startswith("H") else "calibration"
