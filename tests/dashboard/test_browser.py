"""The dashboard in a real browser (Playwright driving Debian's Chromium), served offline.

Starts ``python -m sim.cli.dashboard_cmd`` on a free port, then: the page loads with no
request leaving the machine; Step, a slider and a shock change the badge and the charts;
a second browser context is a session of its own; side by side works; Play's speed
is measured in the browser (months drawn per second, printed, never asserted); and the
presentation layout (``?present=1``) at 1280x720 and 1920x1080 keeps the badges and
the key charts on the first screen, with text of at least 16 CSS px and no regime
colour on any control. Screenshots go to the test's ``tmp_path`` and are copied to
``results/dashboard_screenshots/``. Skipped when Chromium or Playwright is missing.

How text size is measured: the charts are ECharts canvases, so the test asks ECharts
(the copy the page loaded) for every piece of text it drew: the font size of each text
span, times the span's own scale (its transform) and the canvas's CSS scale (its width
on the page over ECharts' own width). That product is the text's size in CSS px as
displayed; page text is measured by its computed ``font-size``.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np
import pytest

from tests.chromium import CHROMIUM, HEADLESS

ARGS = HEADLESS
ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "results" / "dashboard_screenshots"
VIEWPORT = {"width": 1920, "height": 1080}
TIMEOUT_MS = 20_000

if not CHROMIUM.exists():
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytest.importorskip("solara", reason="the dashboard extra (solara) is not installed")

from sim.core.regimes import REGIMES  # noqa: E402
from sim.viz import palette  # noqa: E402

# Counts the distinct months the page shows, as the browser draws them.
COUNT_MONTHS = """() => {
  window.__months = [];
  const seen = () => {
    const el = document.querySelector('.month-counter');
    if (!el) return;
    const m = parseInt(el.textContent.split(' ')[1]);
    const last = window.__months[window.__months.length - 1];
    if (!last || last[1] !== m) window.__months.push([performance.now(), m]);
  };
  new MutationObserver(seen).observe(document.body,
    {subtree: true, childList: true, characterData: true});
  seen();
}"""


SCROLL_TO_TOP = """() => {
  for (const el of [document.scrollingElement, ...document.querySelectorAll('*')]) {
    if (el && el.scrollTop > 0) el.scrollTop = 0;
  }
}"""


# Every text ECharts drew in the charts of the page, with its size in CSS px as shown.
CHART_TEXT = """() => {
  const key = Object.keys(requirejs.s.contexts._.defined).find(k => k.includes('echarts@'));
  const echarts = requirejs(key);
  const out = [];
  for (const el of document.querySelectorAll('.pdash-main .solara-echarts')) {
    const inst = echarts.getInstanceByDom(el);
    if (!inst) continue;
    const box = el.closest('.pdash-chart');
    const name = [...box.classList].find(c => c.startsWith('chart-'));
    const column = el.closest('.pdash-column').className.match(/column-(\\w)/)[1];
    const rect = el.getBoundingClientRect();
    const css = rect.width / inst.getWidth();
    for (const d of inst.getZr().storage.getDisplayList(true)) {
      if (d.invisible || !d.style || typeof d.style.text !== 'string') continue;
      if (!d.style.text.trim()) continue;
      const m = /(\\d+(?:\\.\\d+)?)px/.exec(d.style.font || '');
      const t = d.transform;
      const scale = t ? Math.sqrt(Math.abs(t[0] * t[3] - t[1] * t[2])) : 1;
      out.push({chart: name, column: column, text: d.style.text,
                px: m ? parseFloat(m[1]) * scale * css : 0, top: rect.top,
                bottom: rect.bottom});
    }
  }
  return out;
}"""

# The computed font size of every piece of page text inside the viewport.
PAGE_TEXT = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.querySelector('.pdash'),
                                           NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    if (el.closest('.pdash-drawer, .pdash-glossary, .v-menu__content, style, script')) continue;
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || r.bottom <= 0 || r.top >= innerHeight) continue;
    out.push({text: node.textContent.trim().slice(0, 40),
              px: parseFloat(getComputedStyle(el).fontSize)});
  }
  return out;
}"""

# The colours every control paints with (filled backgrounds and borders, not its text).
CONTROL_COLOURS = """() => {
  const out = [];
  const sel = '.v-btn, .v-input--switch__track, .v-input--switch__thumb, ' +
              '.v-slider__thumb, .v-slider__track-fill, .v-btn-toggle, .v-select__slot';
  for (const el of document.querySelectorAll(sel)) {
    const s = getComputedStyle(el);
    for (const prop of ['backgroundColor', 'borderTopColor']) {
      const c = s[prop];
      if (!c || c === 'transparent' || /rgba\\(.*,\\s*0\\)$/.test(c)) continue;
      if (prop === 'borderTopColor' && parseFloat(s.borderTopWidth) === 0) continue;
      out.push({control: (el.className.baseVal ?? el.className).slice(0, 60), prop, colour: c});
    }
  }
  return out;
}"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The dashboard on a free loopback port, as a subprocess; yields its address."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "sim.cli.dashboard_cmd", "baseline", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail(f"the dashboard exited early:\n{proc.stdout.read()}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("the dashboard did not answer within 60 s")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def shots(tmp_path: Path) -> Iterator[Any]:
    """``shot(page, name)`` saves a screenshot (the whole dashboard, not just the window)."""
    taken: list[Path] = []

    def shot(page: Any, name: str, height: int = 1080) -> None:
        page.set_viewport_size({"width": VIEWPORT["width"], "height": height})
        page.evaluate(SCROLL_TO_TOP)
        page.wait_for_timeout(600)  # let the charts redraw at the new size
        path = tmp_path / f"{name}.png"
        page.screenshot(path=str(path))
        page.set_viewport_size(VIEWPORT)
        taken.append(path)

    yield shot
    SHOTS.mkdir(parents=True, exist_ok=True)
    for path in taken:
        shutil.copy(path, SHOTS / path.name)


def open_page(browser: Any, url: str) -> tuple[Any, Any, list[str]]:
    """A new browser context (a new session) on the dashboard; returns the context, the
    page and the list that collects any request for an address off this machine, any
    failed request and any error response (a web asset missing from the local copy)."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    outside: list[str] = []

    def check(request: Any) -> None:
        host = urlparse(request.url).hostname
        if request.url.startswith("http") and host not in ("127.0.0.1", "localhost"):
            outside.append(request.url)

    page.on("request", check)
    page.on("requestfailed", lambda r: outside.append(f"failed: {r.url}"))
    page.on(
        "response", lambda r: outside.append(f"{r.status}: {r.url}") if r.status >= 400 else None
    )
    page.goto(url)
    page.wait_for_selector("text=Month 0 of", timeout=60_000)
    page.wait_for_selector(".chart-joint canvas", timeout=TIMEOUT_MS)
    return context, page, outside


def month(page: Any) -> int:
    return int(page.locator(".month-counter").inner_text().split()[1])


def step(page: Any, times: int = 1) -> None:
    start = month(page)
    for _ in range(times):
        page.locator(".btn-step").click()
    page.wait_for_selector(f"text=Month {start + times} of", timeout=TIMEOUT_MS)
    page.wait_for_timeout(300)  # charts are drawn just after the counter


def chart(page: Any, name: str, column: str = "A") -> bytes:
    return page.locator(f".column-{column} .chart-{name}").screenshot()


def badge(page: Any, column: str = "A") -> str:
    return page.locator(f".column-{column} .pdash-badge").inner_text()


def choose(page: Any, label: str, option: str) -> None:
    """Pick ``option`` in the drop-down labelled ``label``."""
    page.locator(".v-select", has_text=label).click()
    page.locator(".v-menu__content .v-list-item", has_text=option).first.click()


def test_step_slider_and_shock_change_badge_and_charts(
    server: str, browser: Any, shots: Any
) -> None:
    context, page, outside = open_page(browser, server)
    assert "STARTING" in badge(page).upper()
    shots(page, "01_month_0")
    before = {name: chart(page, name) for name in ("joint", "formal", "value", "outcome")}
    step(page, 6)
    assert "STARTING" not in badge(page).upper()
    for name, picture in before.items():
        assert chart(page, name) != picture, name

    # a slider, moved with the keyboard as a facilitator might
    thumb = page.locator(".column-A .v-input", has_text="Formality").locator(
        ".v-slider__thumb-container"
    )
    thumb.focus()
    for _ in range(6):
        page.keyboard.press("ArrowRight")
    page.wait_for_selector("text=Formality of the board: 0.80", timeout=TIMEOUT_MS)
    step(page)
    assert "formality 0.8" in page.locator(".column-A .pdash-markers").inner_text()

    # a shock: the marker is drawn; the badge names a regime and says why
    trust_before = chart(page, "trust")
    page.locator(".btn-shock-reorganise").click()
    page.wait_for_selector("text=A reorganisation in month 8", timeout=TIMEOUT_MS)
    step(page, 2)
    assert "reorganisation" in page.locator(".column-A .pdash-markers").inner_text()
    regime, reason = badge(page).split("\n", 1)
    assert regime.strip().lower() in REGIMES and reason.strip()
    assert chart(page, "trust") != trust_before
    shots(page, "02_after_slider_and_reorganisation", height=1900)

    # a bad seed is refused with a message; the run goes on
    seed = page.get_by_label("Seed (a whole number; Enter to apply)")
    seed.fill("twelve")
    seed.press("Enter")
    page.wait_for_selector("text=Seed not changed", timeout=TIMEOUT_MS)
    assert month(page) == 9
    assert not outside, f"requests left the machine or failed: {outside}"
    context.close()


def test_two_browser_sessions_are_independent(server: str, browser: Any) -> None:
    ctx_one, one, _ = open_page(browser, server)
    ctx_two, two, _ = open_page(browser, server)
    step(one, 5)
    assert month(two) == 0
    step(two)
    assert (month(one), month(two)) == (5, 1)
    ctx_one.close()
    ctx_two.close()


def test_side_by_side_with_shared_targets_in_b(server: str, browser: Any, shots: Any) -> None:
    context, page, _ = open_page(browser, server)
    step(page, 12)
    page.get_by_text("Side by side (A and B)").click()
    page.wait_for_selector(".column-B .chart-joint canvas", timeout=TIMEOUT_MS)
    page.get_by_role("button", name="B only").click()
    page.locator(".btn-shock-shared_targets").click()
    page.wait_for_selector(
        ".column-B >> text=Shared targets (share of targets): 0.60", timeout=TIMEOUT_MS
    )
    page.locator(".column-A", has_text="Shared targets (share of targets): 0.10").wait_for()
    step(page, 24)
    assert "shared targets 0.6" in page.locator(".column-B .pdash-markers").inner_text()
    assert chart(page, "outcome", "A") != chart(page, "outcome", "B")
    assert chart(page, "value", "A") != chart(page, "value", "B")
    page.get_by_role("button", name="staff").click()
    page.wait_for_timeout(500)
    shots(page, "03_side_by_side_staff_network", height=2400)
    context.close()


def measure_play(page: Any, seconds: float) -> tuple[float, float]:
    """Press Play, watch the month counter for up to ``seconds`` (or until the horizon),
    press Pause; return months simulated per second and redraws per second, as the
    browser showed them."""
    page.evaluate(COUNT_MONTHS)
    page.locator(".btn-play").click()
    end = time.monotonic() + seconds
    while time.monotonic() < end and month(page) < 120:
        page.wait_for_timeout(200)
    if page.locator(".btn-play", has_text="Pause").count():
        page.locator(".btn-play").click()
    shown = page.evaluate("window.__months")  # the first entry: the month before Play
    seen = [(t, m) for t, m in shown if m > 0]
    if len(seen) == 1:  # the whole horizon in one redraw: count from the press of Play
        seen = shown[:1] + seen
    if len(seen) < 2:
        return 0.0, 0.0
    (t0, m0), (t1, m1) = seen[0], seen[-1]
    elapsed = (t1 - t0) / 1000.0
    return (m1 - m0) / elapsed, (len(seen) - 1) / elapsed


def test_play_speed_in_the_browser(server: str, browser: Any, shots: Any) -> None:
    context, page, _ = open_page(browser, server)
    rates = {}
    rates["one partnership at '10 months a second'"] = measure_play(page, 10)
    shots(page, "04_after_play", height=1900)
    page.locator(".btn-reset").click()
    page.wait_for_selector("text=Month 0 of", timeout=TIMEOUT_MS)
    choose(page, "Play speed", "as fast as possible")
    rates["one partnership 'as fast as possible'"] = measure_play(page, 10)
    page.locator(".btn-reset").click()
    page.wait_for_selector("text=Month 0 of", timeout=TIMEOUT_MS)
    page.get_by_text("Side by side (A and B)").click()
    page.wait_for_selector(".column-B .chart-joint canvas", timeout=TIMEOUT_MS)
    choose(page, "Play speed", "10 months a second")
    rates["side by side at '10 months a second'"] = measure_play(page, 10)
    page.locator(".btn-reset").click()
    page.wait_for_selector("text=Month 0 of", timeout=TIMEOUT_MS)
    choose(page, "Play speed", "20 months a second")
    rates["side by side at '20 months a second'"] = measure_play(page, 10)
    print()
    for what, (months, redraws) in rates.items():
        print(
            f"Play in the browser, {what}: {months:.1f} months a second, "
            f"{redraws:.1f} redraws a second"
        )
    assert all(months > 0 for months, _ in rates.values())  # Play moves; no wall-time target
    context.close()


def changed(page: Any, name: str, picture: bytes, seconds: float = 60.0) -> bool:
    """Whether chart ``name`` of copy A comes to look different from ``picture`` within
    ``seconds`` (a band is made in its own thread, in about half a second)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        page.wait_for_timeout(250)
        if chart(page, name) != picture:
            return True
    return False


def spread_settled(page: Any) -> None:
    """Wait until the page no longer says it is working out the spread."""
    page.wait_for_function(
        "() => !document.querySelector('.pdash-spread-note')?.textContent.trim()",
        timeout=60_000,
    )
    page.wait_for_timeout(400)  # charts are drawn just after


def test_spread_band_in_the_browser(server: str, browser: Any, shots: Any) -> None:
    """The spread switch: its help on hover, the band drawn behind the lines and taken
    away again, and Play's speed with the band on (printed, never asserted)."""
    context, page, _ = open_page(browser, server)
    switch = page.get_by_text("Show spread across assumptions")
    switch.hover()
    page.wait_for_selector("text=how sure the model is", timeout=TIMEOUT_MS)
    step(page, 24)
    without = {name: chart(page, name) for name in ("value", "outcome")}
    switch.click()
    for name, picture in without.items():
        assert changed(page, name, picture), name  # the band is drawn
    spread_settled(page)
    page.mouse.move(900, 20)  # away from the switch, so its help does not cover the panel
    shots(page, "05_spread_across_assumptions", height=1100)
    page.locator(".btn-reset").click()
    page.wait_for_selector("text=Month 0 of", timeout=TIMEOUT_MS)
    months, redraws = measure_play(page, 6.5)  # about 60 months at 10 a second
    print(
        f"\nPlay in the browser with the spread shown, one partnership at "
        f"'10 months a second': {months:.1f} months a second, {redraws:.1f} redraws a second"
    )
    assert months > 0
    spread_settled(page)
    at = month(page)
    banded = chart(page, "value")
    switch.click()
    assert changed(page, "value", banded)  # the band is gone
    assert month(page) == at
    context.close()


ECHARTS = (
    Path(sys.prefix) / "share" / "solara" / "cdn" / "echarts@5.4.0" / "dist" / "echarts.min.js"
)
# the value and the lower value ECharts stacked each band point at, per band series
STACKED = """() => {
  const out = [];
  echarts.getInstanceByDom(document.getElementById('chart')).getModel().eachSeries(s => {
    if (!s.get('stack')) return;
    const d = s.getData();
    const top = d.getCalculationInfo('stackResultDimension');
    const over = d.getCalculationInfo('stackedOverDimension');
    const rows = [];
    for (let i = 0; i < d.count(); i++) rows.push([d.get(top, i), d.get(over, i)]);
    out.push(rows);
  });
  return out;
}"""


def test_echarts_draws_the_band_between_its_bounds(browser: Any, tmp_path: Path) -> None:
    """The band's option drawn by the ECharts the dashboard ships: the filled series
    reaches the 90th percentile from the 10th, month by month (both axes hold values,
    where ECharts stacks the first number of a point; negative bounds included)."""
    if not ECHARTS.exists():
        pytest.skip(f"no ECharts at {ECHARTS}")
    from sim.dashboard import plots
    from sim.dashboard.state import Controller

    c = Controller(ROOT / "scenarios" / "baseline.yaml")
    c.show_spread(True)
    c.step(12)
    assert c.worker.wait(60)
    view = c.view()
    c.close()
    run = view.runs[0]
    for key, option in (
        ("added_value_window", plots.value_chart(run, plots.value_axes(view.runs), 12)),
        ("outcome_index", plots.outcome_chart(run, plots.outcome_range(view.runs))),
    ):
        page_file = tmp_path / f"{key}.html"
        page_file.write_text(
            "<html><body><div id='chart' style='width:800px;height:330px'></div>"
            f"<script>{ECHARTS.read_text(encoding='utf-8')}</script><script>"
            "echarts.init(document.getElementById('chart')).setOption("
            f"{json.dumps(option)}, true);</script></body></html>",
            encoding="utf-8",
        )
        page = browser.new_page()
        page.goto(page_file.as_uri())
        low, filled = page.evaluate(STACKED)
        page.close()
        band = run.band
        assert band is not None
        if key == "added_value_window":
            assert band.low[key].min() < 0  # a negative base is stacked on as well
        np.testing.assert_allclose([r[0] for r in low], band.low[key], atol=2e-4)
        np.testing.assert_allclose([r[1] for r in filled], band.low[key], atol=2e-4)
        np.testing.assert_allclose([r[0] for r in filled], band.high[key], atol=2e-4)


PRESENT_SIZES = [(1280, 720), (1920, 1080)]
KEY_CHARTS = ("value", "outcome")  # what the partnership adds, and the outcome
MIN_PX = 16.0  # smallest text on a projector, in CSS px


def inside(page: Any, selector: str) -> None:
    """The element lies wholly inside the window (no scrolling needed to see it)."""
    box = page.locator(selector).bounding_box()
    size = page.viewport_size
    assert box is not None, selector
    assert box["x"] >= 0 and box["y"] >= 0, (selector, box)
    assert box["x"] + box["width"] <= size["width"] + 0.5, (selector, box, size)
    assert box["y"] + box["height"] <= size["height"] + 0.5, (selector, box, size)


def shown_colour(css: str) -> str:
    """A computed CSS colour as painted on white: ``rgba(r, g, b, a)`` composited."""
    parts = [float(p) for p in css[css.index("(") + 1 : css.index(")")].split(",")]
    alpha = parts[3] if len(parts) == 4 else 1.0
    r, g, b = (alpha * c + (1 - alpha) * 255 for c in parts[:3])
    return f"rgb({r:.0f}, {g:.0f}, {b:.0f})"


def text_sizes(page: Any, charts: tuple[str, ...]) -> list[tuple[str, str, float]]:
    """(where, text, CSS px) of the text of the named charts and of the page's text,
    inside the window."""
    height = page.viewport_size["height"]
    drawn = page.evaluate(CHART_TEXT)
    sizes = [
        (f"{d['column']}:{d['chart']}", d["text"], d["px"])
        for d in drawn
        if d["chart"].removeprefix("chart-") in charts and d["bottom"] <= height + 0.5
    ]
    assert {where.split(":")[1] for where, _, _ in sizes} >= {f"chart-{c}" for c in charts}
    sizes += [("page", d["text"], d["px"]) for d in page.evaluate(PAGE_TEXT)]
    return sizes


@pytest.mark.parametrize(("width", "height"), PRESENT_SIZES)
def test_presentation_layout_on_a_projector(
    server: str, browser: Any, width: int, height: int, tmp_path: Path
) -> None:
    """At 1280x720 and 1920x1080 the presentation layout shows the regime badge and the
    added-value and outcome charts without scrolling (side by side: both badges and both
    added-value charts, and at 1920x1080 both outcome charts too); every text there is
    at least 16 CSS px; the bar of actions fits; no control paints in a regime colour;
    the start hint goes once a month has run; a vacant chair shows on the badge."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(server + "?present=1")
    page.wait_for_selector("text=Month 0 of", timeout=60_000)
    page.wait_for_selector(".column-A .chart-value canvas", timeout=TIMEOUT_MS)
    assert page.locator(".pdash-bar").is_visible()
    assert not page.locator(".pdash-controls").count()  # the side panel is folded away
    bar = page.evaluate(
        "() => { const b = document.querySelector('.pdash-bar');"
        " return [b.scrollWidth, b.clientWidth]; }"
    )
    assert bar[0] <= bar[1], f"the bar of actions overflows: {bar}"
    step(page, 20)
    # four markers, so that their list is long (it must not push the key charts down)
    for shock in ("champion_leaves", "reorganise", "shared_targets"):
        page.locator(f".btn-bar-shock-{shock}").click()
        step(page)
    step(page)
    page.locator(".btn-bar-shock-leader_leaves").click()
    step(page)
    assert page.locator(".column-A .pdash-markers b").count() == 4
    assert page.locator(".column-A .pdash-chair-vacant").is_visible()
    assert "vacant since month 25" in page.locator(".column-A .pdash-badge").inner_text()
    # the area's own reorganisations are listed (dotted grey lines on the charts)
    assert "own churn" in page.locator(".column-A .pdash-markers").inner_text()
    page.mouse.move(width - 5, height - 5)
    page.wait_for_timeout(600)  # charts redrawn at this size
    for selector in (".column-A .pdash-badge", *(f".column-A .chart-{c}" for c in KEY_CHARTS)):
        inside(page, selector)
    small = [s for s in text_sizes(page, KEY_CHARTS) if s[2] < MIN_PX]
    assert not small, f"text below {MIN_PX} px: {small[:10]}"
    name = f"06_present_{width}x{height}"
    page.screenshot(path=str(tmp_path / f"{name}.png"))

    # side by side: the drawer holds the switch; both badges and key charts on screen
    page.locator(".btn-drawer").click()
    page.wait_for_selector(".pdash-drawer", timeout=TIMEOUT_MS)
    page.locator(".pdash-drawer").get_by_text("Side by side (A and B)").click()
    page.wait_for_selector(".column-B .chart-value canvas", timeout=TIMEOUT_MS)
    colours = page.evaluate(CONTROL_COLOURS)  # the drawer is open: every control shows
    assert len(colours) > 10
    for c in colours:
        seen = shown_colour(c["colour"])
        for regime, rc in palette.REGIME_COLOURS.items():
            assert palette.delta_e(seen, rc) >= 20.0, (c, regime)
    page.wait_for_timeout(500)
    page.locator(".btn-drawer").click()
    page.wait_for_selector(".pdash-drawer", state="detached", timeout=TIMEOUT_MS)
    page.mouse.move(width - 5, height - 5)
    page.wait_for_timeout(800)
    on_screen = KEY_CHARTS if height >= 1000 else KEY_CHARTS[:1]
    for column in ("A", "B"):
        inside(page, f".column-{column} .pdash-badge")
        for c in on_screen:
            inside(page, f".column-{column} .chart-{c}")
    small = [s for s in text_sizes(page, on_screen) if s[2] < MIN_PX]
    assert not small, f"text below {MIN_PX} px: {small[:10]}"
    side = f"07_present_side_by_side_{width}x{height}"
    page.screenshot(path=str(tmp_path / f"{side}.png"))
    SHOTS.mkdir(parents=True, exist_ok=True)
    for shot in (name, side):
        shutil.copy(tmp_path / f"{shot}.png", SHOTS / f"{shot}.png")
    context.close()


def test_start_hint_goes_and_words_are_explained(server: str, browser: Any) -> None:
    """The start hint goes at the first Step; the charts and the badge explain their
    terms on hover; the words panel lists them; the churn lever says how often."""
    context, page, _ = open_page(browser, server)
    assert page.locator("text=Press Step or Play to start.").count() == 1
    step(page)
    assert page.locator("text=Press Step or Play to start.").count() == 0
    value = page.locator(".column-A .chart-value").get_attribute("title") or ""
    assert "points" in value and "% of need" in value
    outcome = page.locator(".column-A .chart-outcome").get_attribute("title") or ""
    assert "Counterfactual" in outcome
    formal = page.locator(".column-A .chart-formal").get_attribute("title") or ""
    assert "index from 0 to 1" in formal
    assert "once every two years" in page.locator(".column-A .pdash-levers").inner_text()
    page.locator(".btn-glossary").click()
    panel = page.locator(".pdash-glossary")
    panel.wait_for(timeout=TIMEOUT_MS)
    for word in ("Counterfactual", "Formal activity", "% of need", "Reorganisation"):
        assert word in panel.inner_text()
    context.close()
