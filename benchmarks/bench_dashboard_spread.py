"""Does the spread across assumptions slow the dashboard's Play? The page is rendered by
Solara in this process (as ``tests/dashboard/test_components.py`` does, no browser), the
spread is switched on, and Play runs 60 months of the baseline while a lever moves at
months 10, 25 and 40 (each change makes the band again, in its own thread, during Play)::

    .venv/bin/python benchmarks/bench_dashboard_spread.py
    .venv/bin/python benchmarks/bench_dashboard_spread.py --months 60 --repeats 3

Printed: months a second at "10 months a second" with the band on (target: 10, PASS at
9.8 or more, the allowance for the page's redraw delay; a paced Play that keeps up shows
its speed), the same with the band off, and "as fast as possible" with the band off and
on, for scale; and how long one band takes (8 draws of the baseline to its horizon). The
browser's own drawing is measured by ``tests/dashboard/test_browser.py`` (printed there,
never asserted). Writes no files.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import ipyvuetify as v  # noqa: E402
import ipywidgets  # noqa: E402
import solara  # noqa: E402

from sim.dashboard import app, spread  # noqa: E402
from sim.dashboard.server import SCENARIO_ENV  # noqa: E402
from sim.dashboard.state import LiveRun  # noqa: E402
from sim.scenario.loader import load_scenario  # noqa: E402

BASELINE = ROOT / "scenarios" / "baseline.yaml"
TARGET = 10.0  # months a second at "10 months a second" with the band on
TOLERANCE = 0.02  # a paced Play that keeps up reads 10.0; this allows the clock's grain
LEVER_MONTHS = (10, 25, 40)


def walk(widget: Any) -> Any:
    yield widget
    for child in getattr(widget, "children", []) or []:
        if isinstance(child, ipywidgets.Widget):
            yield from walk(child)


def month(rc: Any) -> int:
    """The month the page shows (read again if a redraw is under way)."""
    for _ in range(1000):
        root = rc.find().widgets[0]
        for w in walk(root):
            own = getattr(w, "class_", "") or ""
            attributes = getattr(w, "attributes", None) or {}
            if "month-counter" in [*own.split(), *str(attributes.get("class", "")).split()]:
                return int(str(w.children[0]).split()[1])
        time.sleep(0.001)
    raise RuntimeError("no month counter")


def formality(rc: Any) -> Any:
    found = [
        w for w in rc.find(v.Slider).widgets if str(w.label).startswith("Formality of the board")
    ]
    return found[0]


def band_names(rc: Any) -> list[str]:
    from solara.components.echarts import EchartsWidget

    return [
        s["name"]
        for w in rc.find(EchartsWidget).widgets
        for s in w.option.get("series", [])
        if str(s.get("name", "")).startswith("plausible")
    ]


def play(speed: str, band: bool, months: int) -> tuple[float, bool]:
    """Play ``months`` months at ``speed`` from month 0, moving a lever at
    :data:`LEVER_MONTHS`; return months a second (the months after the first, over the
    time from pressing Play to the last month shown) and whether the charts drew the band
    made for the last lever move."""
    _, rc = solara.render(app.Page(), handle_error=False)
    try:
        if band:
            rc.find(v.Switch, label="Show spread across assumptions").widget.v_model = True
        rc.find(v.Select, label="Play speed").widget.v_model = speed
        moves = list(LEVER_MONTHS)
        value = 0.5
        start = time.perf_counter()
        rc.find(v.Btn, children=["Play"]).widget.click()
        while (now := month(rc)) < months:
            if moves and now >= moves[0]:
                moves.pop(0)
                value = 0.9 if value == 0.5 else 0.5
                formality(rc).v_model = value
            time.sleep(0.002)
        elapsed = time.perf_counter() - start
        pause = rc.find(v.Btn, children=["Pause"]).widgets
        if pause:  # not at the horizon yet
            pause[0].click()
        fresh = bool(band_names(rc)) and not any(n.endswith(" - updating") for n in band_names(rc))
        # Play shows month 1 at once and month k at (k - 1) / speed seconds
        return (now - 1) / elapsed, fresh
    finally:
        rc.close()


def band_seconds(repeats: int) -> float:
    live = LiveRun(load_scenario(BASELINE), "A")
    spread.band(live.plan)  # compile and warm
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        spread.band(live.plan)
        times.append(time.perf_counter() - t)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    os.environ[SCENARIO_ENV] = str(BASELINE)
    print(f"one band (8 draws, baseline, 120 months): {band_seconds(args.repeats):.2f} s")
    paced, fresh = [], []
    for _ in range(args.repeats):
        rate, up_to_date = play("10 months a second", True, args.months)
        paced.append(rate)
        fresh.append(up_to_date)
    paced_off = [play("10 months a second", False, args.months)[0] for _ in range(args.repeats)]
    off = [play("as fast as possible", False, args.months)[0] for _ in range(args.repeats)]
    on = [play("as fast as possible", True, args.months)[0] for _ in range(args.repeats)]
    worst = min(paced)
    verdict = "PASS" if worst >= TARGET * (1 - TOLERANCE) else "MISS"
    print(
        f"Play {args.months} months at '10 months a second' with the band on, levers moved "
        f"at months {', '.join(map(str, LEVER_MONTHS))}: "
        + ", ".join(f"{r:.2f}" for r in paced)
        + f" months a second (worst {worst:.2f}; target {TARGET:g}): {verdict}; "
        f"an up-to-date band drawn at the end: {sum(fresh)} of {len(fresh)}"
    )
    print(
        "Play at '10 months a second' with the band off, for comparison: "
        + ", ".join(f"{r:.2f}" for r in paced_off)
        + " months a second"
    )
    print(
        "Play 'as fast as possible': band off "
        + ", ".join(f"{r:.1f}" for r in off)
        + f" (median {statistics.median(off):.1f}); band on "
        + ", ".join(f"{r:.1f}" for r in on)
        + f" (median {statistics.median(on):.1f}) months a second"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
