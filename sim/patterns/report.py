"""The pattern report: a table of verdicts and one figure per pattern, in Markdown and HTML."""

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


def _png(result: PatternResult) -> bytes:
    buf = io.BytesIO()
    result.figure.savefig(buf, format="png", dpi=110)
    return buf.getvalue()


def _verdict(r: PatternResult) -> str:
    if r.verdict == "pass":
        return "pass"
    return "fail (known: see notes)" if r.expected_failure else "fail"


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
        images[r.number] = data
        atomic_write(figs / f"pattern_{r.number:02d}.png", lambda tmp, d=data: tmp.write_bytes(d))
    mode = "quick" if settings.quick else "full"
    runs = sum(r.runs for r in results)
    passed = sum(r.verdict == "pass" for r in results)
    head = (
        f"{passed} of {len(results)} patterns pass ({mode} run: {runs} model runs, "
        f"{seconds / 60:.1f} minutes, {settings.workers} worker(s), generated "
        f"{time.strftime('%Y-%m-%d')}; {settings.describe()})."
    )
    md = _markdown(results, head)
    page = _html(results, head, images)
    atomic_write(out / "patterns.md", lambda tmp: tmp.write_text(md, encoding="utf-8"))
    atomic_write(out / "patterns.html", lambda tmp: tmp.write_text(page, encoding="utf-8"))
    record = {
        "mode": mode,
        "base": str(settings.base),
        "overrides": {k: v for k, v in settings.overrides},
        "runs": runs,
        "seconds": round(seconds, 1),
        "versions": package_versions(),
        "patterns": [
            {
                "number": r.number,
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
    lines = [
        "# Evidence patterns",
        "",
        head,
        "",
        "| # | pattern | source | statistic | expected | observed | verdict |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        for k, c in enumerate(r.checks):
            first = k == 0
            lines.append(
                f"| {r.number if first else ''} | {r.title if first else ''} | "
                f"{r.source if first else ''} | {c.statistic} | {c.expected} | {c.observed} | "
                f"{('pass' if c.passed else 'fail')}"
                + (f" → **{_verdict(r)}**" if k == len(r.checks) - 1 else "")
                + " |"
            )
    for r in results:
        lines += ["", f"## {r.number}. {r.title}", "", f"*Source:* {r.source}", ""]
        lines += [f"*Design:* {r.design}", "", f"*Verdict:* **{_verdict(r)}**", ""]
        if r.expected_failure:
            lines += [f"*Why it does not emerge:* {r.expected_failure}", ""]
        lines += [f"- {n}" for n in r.notes]
        lines += ["", f"![pattern {r.number}](figures/pattern_{r.number:02d}.png)"]
    return "\n".join(lines) + "\n"


CSS = """
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;width:100%;font-size:0.9em}
td,th{border:1px solid #ccc;padding:4px 6px;vertical-align:top}
th{background:#f0f0f0}.pass{color:#176f2c;font-weight:bold}.fail{color:#b00020;font-weight:bold}
img{max-width:100%}section{margin-top:2em;border-top:1px solid #ddd}
"""


def _html(results: Sequence[PatternResult], head: str, images: dict[int, bytes]) -> str:
    e = html.escape
    rows = []
    for r in results:
        for k, c in enumerate(r.checks):
            first = k == 0
            span = f' rowspan="{len(r.checks)}"' if first else ""
            cells = (
                f"<td{span}>{r.number}</td><td{span}>{e(r.title)}</td><td{span}>{e(r.source)}</td>"
                if first
                else ""
            )
            cls = "pass" if c.passed else "fail"
            verdict = f'<td{span} class="{r.verdict}">{e(_verdict(r))}</td>' if first else ""
            rows.append(
                f"<tr>{cells}<td>{e(c.statistic)}</td><td>{e(c.expected)}</td>"
                f'<td>{e(c.observed)}</td><td class="{cls}">{cls}</td>{verdict}</tr>'
            )
    sections = []
    for r in results:
        img = base64.b64encode(images[r.number]).decode()
        why = (
            f"<p><b>Why it does not emerge:</b> {e(r.expected_failure)}</p>"
            if (r.expected_failure)
            else ""
        )
        notes = "".join(f"<li>{e(n)}</li>" for n in r.notes)
        sections.append(
            f'<section id="p{r.number}"><h2>{r.number}. {e(r.title)}</h2>'
            f"<p><b>Source:</b> {e(r.source)}</p><p><b>Design:</b> {e(r.design)}</p>"
            f'<p><b>Verdict:</b> <span class="{r.verdict}">{e(_verdict(r))}</span></p>{why}'
            f"<ul>{notes}</ul>"
            f'<img alt="pattern {r.number}" src="data:image/png;base64,{img}"></section>'
        )
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Evidence patterns</title>"
        f"<style>{CSS}</style></head><body><h1>Evidence patterns</h1><p>{e(head)}</p>"
        "<table><tr><th>#</th><th>pattern</th><th>source</th><th>statistic</th>"
        "<th>expected</th><th>observed</th><th>check</th><th>verdict</th></tr>"
        + "".join(rows)
        + "</table>"
        + "".join(sections)
        + "</body></html>\n"
    )
