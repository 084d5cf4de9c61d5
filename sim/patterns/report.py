"""The pattern report, in Markdown and HTML, with one figure per pattern.

Three tables: **calibration** patterns (patterns 1-11, used while the model was built),
**held-out** patterns (H1-H7, ``docs/held-out-patterns.md``) and **mechanism checks**
(patterns true by construction or passing with their mechanism knocked out; not counted
as evidence). Which table a pattern goes to is :func:`sim.patterns.knockouts.role`; the
headline counts the validation patterns (calibration and held-out) only.
"""

from __future__ import annotations

import base64
import html
import io
import json
import time
from collections.abc import Sequence
from pathlib import Path

from sim.experiment.io import atomic_write, package_versions
from sim.patterns.base import PatternResult, Settings
from sim.patterns.knockouts import KNOCKOUTS, MECHANISM_CHECKS, role

TABLES = (  # role, heading, what the table is
    (
        "calibration",
        "Calibration patterns",
        "Patterns of the model brief, used while the model was built, that are not true by "
        "construction: evidence, but a model can be made to reproduce them.",
    ),
    (
        "held-out",
        "Held-out patterns",
        "Stated in docs/held-out-patterns.md from passages no calibration pattern uses, "
        "before any mechanism change, and run on replicates 1000 upward.",
    ),
    (
        "mechanism check",
        "Mechanism checks",
        "True by construction, or passing with their mechanism knocked out: they show a "
        "rule does what it says and are not counted as evidence.",
    ),
)


def figure_name(r: PatternResult) -> str:
    """File name of a pattern's figure: ``pattern_09.png``, ``pattern_H1.png``."""
    return f"pattern_{int(r.label):02d}.png" if r.label.isdigit() else f"pattern_{r.label}.png"


def _png(result: PatternResult) -> bytes:
    buf = io.BytesIO()
    result.figure.savefig(buf, format="png", dpi=110)
    return buf.getvalue()


def _verdict(r: PatternResult) -> str:
    if r.verdict == "pass":
        return "pass"
    if not r.expected_failure:
        return "fail"
    found = role(r.label) == "held-out"
    return "fail (found: see notes)" if found else "fail (known: see notes)"


def knockout_text(label: str) -> str:
    """The knock-out of a validation pattern as ``key=value`` settings, or a dash."""
    ko = KNOCKOUTS.get(label)
    return ", ".join(f"{k}={v}" for k, v in ko.settings) if ko else "—"


def _role_note(label: str) -> str:
    """What the role column says: the role, and for a mechanism check why."""
    r = role(label)
    if r == "mechanism check":
        return f"mechanism check (not counted): {MECHANISM_CHECKS[label]}"
    return f"{r} (validation)"


def headline(results: Sequence[PatternResult]) -> str:
    """'k of n validation patterns pass (...); m of c mechanism checks pass (not counted)'."""
    counts = {name: [0, 0] for name, _, _ in TABLES}
    for r in results:
        c = counts[role(r.label)]
        c[0] += r.verdict == "pass"
        c[1] += 1
    (kc, nc), (kh, nh), (km, nm) = (counts[name] for name, _, _ in TABLES)
    return (
        f"{kc + kh} of {nc + nh} validation patterns pass ({kc} of {nc} calibration, {kh} "
        f"of {nh} held-out); {km} of {nm} mechanism checks pass (not counted)"
    )


def _groups(results: Sequence[PatternResult]) -> list[tuple[str, str, list[PatternResult]]]:
    """(heading, description, results) for each table with at least one pattern."""
    out = []
    for name, heading, what in TABLES:
        rows = [r for r in results if role(r.label) == name]
        if rows:
            out.append((heading, what, rows))
    return out


def write_report(
    results: Sequence[PatternResult], out: Path, settings: Settings, seconds: float
) -> dict[str, Path]:
    """Write ``patterns.md``, ``patterns.html``, ``patterns.json`` and ``figures/`` to ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    figs = out / "figures"
    figs.mkdir(exist_ok=True)
    images = {}
    for r in results:
        data = _png(r)
        images[r.label] = data
        atomic_write(figs / figure_name(r), lambda tmp, d=data: tmp.write_bytes(d))
    mode = "quick" if settings.quick else "full"
    runs = sum(r.runs for r in results)
    head = (
        f"{headline(results)}. {mode.capitalize()} run: {runs} model runs, "
        f"{seconds / 60:.1f} minutes, {settings.workers} worker(s), generated "
        f"{time.strftime('%Y-%m-%d')}; {settings.describe()}."
    )
    md = _markdown(results, head)
    page = _html(results, head, images)
    atomic_write(out / "patterns.md", lambda tmp: tmp.write_text(md, encoding="utf-8"))
    atomic_write(out / "patterns.html", lambda tmp: tmp.write_text(page, encoding="utf-8"))
    record = {
        "mode": mode,
        "base": str(settings.base),
        "overrides": {k: v for k, v in settings.overrides},
        "headline": headline(results),
        "runs": runs,
        "seconds": round(seconds, 1),
        "versions": package_versions(),
        "patterns": [
            {
                "number": r.number,
                "label": r.label,
                "role": role(r.label),
                "knockout": (
                    {k: v for k, v in KNOCKOUTS[r.label].settings} if r.label in KNOCKOUTS else None
                ),
                "mechanism_check": MECHANISM_CHECKS.get(r.label),
                "title": r.title,
                "source": r.source,
                "design": r.design,
                "verdict": r.verdict,
                "expected_failure": r.expected_failure,
                "checks": [c.__dict__ for c in r.checks],
                "notes": r.notes,
            }
            for r in results
        ],
    }
    text = json.dumps(record, indent=2, default=bool)
    atomic_write(out / "patterns.json", lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return {"markdown": out / "patterns.md", "html": out / "patterns.html"}


def _markdown(results: Sequence[PatternResult], head: str) -> str:
    lines = ["# Evidence patterns", "", head]
    for heading, what, rows in _groups(results):
        lines += ["", f"## {heading}", "", what, ""]
        lines += [
            "| # | pattern | role | knock-out | source | statistic | expected | observed | "
            "verdict |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for r in rows:
            for k, c in enumerate(r.checks):
                first = k == 0
                cells = (
                    [r.label, r.title, _role_note(r.label), knockout_text(r.label), r.source]
                    if first
                    else [""] * 5
                )
                verdict = ("pass" if c.passed else "fail") + (
                    f" → **{_verdict(r)}**" if k == len(r.checks) - 1 else ""
                )
                lines.append(
                    "| " + " | ".join([*cells, c.statistic, c.expected, c.observed, verdict]) + " |"
                )
    for r in results:
        lines += ["", f"## {r.label}. {r.title}", "", f"*Role:* {_role_note(r.label)}", ""]
        if r.label in KNOCKOUTS:
            lines += [f"*Knock-out:* {knockout_text(r.label)}", ""]
        lines += [f"*Source:* {r.source}", "", f"*Design:* {r.design}", ""]
        lines += [f"*Verdict:* **{_verdict(r)}**", ""]
        if r.expected_failure:
            lines += [f"*Why it does not emerge:* {r.expected_failure}", ""]
        lines += [f"- {n}" for n in r.notes]
        lines += ["", f"![pattern {r.label}](figures/{figure_name(r)})"]
    return "\n".join(lines) + "\n"


CSS = """
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;width:100%;font-size:0.9em}
td,th{border:1px solid #ccc;padding:4px 6px;vertical-align:top}
th{background:#f0f0f0}.pass{color:#176f2c;font-weight:bold}.fail{color:#b00020;font-weight:bold}
img{max-width:100%}section{margin-top:2em;border-top:1px solid #ddd}
"""

HEADER = "".join(
    f"<th>{h}</th>"
    for h in (
        "#",
        "pattern",
        "role",
        "knock-out",
        "source",
        "statistic",
        "expected",
        "observed",
        "check",
        "verdict",
    )
)


def _rows(rows: Sequence[PatternResult]) -> str:
    e = html.escape
    out = []
    for r in rows:
        for k, c in enumerate(r.checks):
            first = k == 0
            span = f' rowspan="{len(r.checks)}"' if first else ""
            cells = (
                "".join(
                    f"<td{span}>{e(text)}</td>"
                    for text in (
                        r.label,
                        r.title,
                        _role_note(r.label),
                        knockout_text(r.label),
                        r.source,
                    )
                )
                if first
                else ""
            )
            cls = "pass" if c.passed else "fail"
            verdict = f'<td{span} class="{r.verdict}">{e(_verdict(r))}</td>' if first else ""
            out.append(
                f"<tr>{cells}<td>{e(c.statistic)}</td><td>{e(c.expected)}</td>"
                f'<td>{e(c.observed)}</td><td class="{cls}">{cls}</td>{verdict}</tr>'
            )
    return "".join(out)


def _html(results: Sequence[PatternResult], head: str, images: dict[str, bytes]) -> str:
    e = html.escape
    tables = "".join(
        f"<h2>{e(heading)}</h2><p>{e(what)}</p><table><tr>{HEADER}</tr>{_rows(rows)}</table>"
        for heading, what, rows in _groups(results)
    )
    sections = []
    for r in results:
        img = base64.b64encode(images[r.label]).decode()
        why = (
            f"<p><b>Why it does not emerge:</b> {e(r.expected_failure)}</p>"
            if r.expected_failure
            else ""
        )
        ko = f"<p><b>Knock-out:</b> {e(knockout_text(r.label))}</p>" if r.label in KNOCKOUTS else ""
        notes = "".join(f"<li>{e(n)}</li>" for n in r.notes)
        sections.append(
            f'<section id="p{e(r.label)}"><h2>{e(r.label)}. {e(r.title)}</h2>'
            f"<p><b>Role:</b> {e(_role_note(r.label))}</p>{ko}"
            f"<p><b>Source:</b> {e(r.source)}</p><p><b>Design:</b> {e(r.design)}</p>"
            f'<p><b>Verdict:</b> <span class="{r.verdict}">{e(_verdict(r))}</span></p>{why}'
            f"<ul>{notes}</ul>"
            f'<img alt="pattern {e(r.label)}" src="data:image/png;base64,{img}"></section>'
        )
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Evidence patterns</title>"
        f"<style>{CSS}</style></head><body><h1>Evidence patterns</h1><p>{e(head)}</p>"
        + tables
        + "".join(sections)
        + "</body></html>\n"
    )
