"""The workshop dashboard page (Solara): controls on the left, the partnership on the right.

Each browser session gets its own :class:`~sim.dashboard.state.Controller`, made by
``solara.use_memo`` inside :func:`Page`; nothing about a model lives at module level.
The controller is changed only through its methods; after each change the page
publishes a new :class:`~sim.dashboard.state.View` snapshot into a reactive variable,
which only :func:`~sim.dashboard.components.Main` reads, so a month is one render pass.
The lever panels read a separate reactive holding the lever values, so Play does not
redraw them unless a lever moves.

Play runs in a worker thread (``solara.lab.use_task``) that steps the controller at the
chosen speed and publishes a snapshot after a month, at most ``REDRAWS_PER_SECOND`` times
a second (``REDRAWS_SIDE_BY_SIDE`` side by side; faster speeds skip months between
redraws, so the browser never falls behind).
"Show spread across assumptions" (off by default: the room first plays the partnership;
the facilitator brings in how sure the model is when it helps) asks the controller for
each copy's band across plausible versions of the model; the band is computed in a thread
of its own (:class:`~sim.dashboard.spread.SpreadWorker`), never in the Play loop, and a
finished band is published at once when paused, or with Play's next redraw.
The page is served by ``server.py``, which also names the starting scenario in the
environment variable ``PARTNERSIM_DASHBOARD_SCENARIO`` (default:
``scenarios/baseline.yaml``).

The presentation layout (the *Present* switch, or ``?present=1`` in the address) is for
a projector at 1280x720 or 1920x1080: the control panel folds into a bar of the actions
used while presenting (Step, Play, Reset, the shocks) and a drawer holding every control
and the levers; the badges and the added-value and outcome charts fill the first screen
(their height follows the window: ``--top-h`` in :data:`CSS`) and the other charts
follow below. Controls are neutral greys (no regime colour); shocks carry an icon.
"""

from __future__ import annotations

import html
import os
import time
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import solara

from sim.dashboard.components import LeverPanel, Main
from sim.dashboard.glossary import GLOSSARY
from sim.dashboard.levers import Shock
from sim.dashboard.server import SCENARIO_ENV
from sim.dashboard.spread import HELP
from sim.dashboard.state import Controller, DashboardError
from sim.scenario.loader import ScenarioError

SPEEDS: dict[str, float] = {  # label -> months a second (0: as fast as it goes)
    "1 month a second": 1.0,
    "2 months a second": 2.0,
    "5 months a second": 5.0,
    "10 months a second": 10.0,
    "20 months a second": 20.0,
    "as fast as possible": 0.0,
}
DEFAULT_SPEED = "10 months a second"
# Play redraws the page at most this often; faster speeds skip months between redraws.
# Side by side the browser draws sixteen charts a redraw: fewer redraws leave the machine
# the time to keep Play's speed (a redraw then shows one or two months)
REDRAWS_PER_SECOND = 11.0
REDRAWS_SIDE_BY_SIDE = 7.0
NETWORK_VIEWS = ("agencies", "staff")
SHOCK_TARGETS = {"both": ("A", "B"), "A only": ("A",), "B only": ("B",)}
START = "Press Step or Play to start."  # shown until the first month is run
SHOCK_ICONS = {  # shocks are told apart by icon and words, not by colour
    Shock.REORGANISE: "mdi-sitemap",
    Shock.LEADER_LEAVES: "mdi-account-arrow-right",
    Shock.CHAMPION_LEAVES: "mdi-account-minus",
    Shock.SHARED_TARGETS: "mdi-bullseye-arrow",
}
SHOCK_SHORT = {  # the presentation bar's shorter labels
    Shock.REORGANISE: "Reorganise",
    Shock.LEADER_LEAVES: "Leader leaves",
    Shock.CHAMPION_LEAVES: "Champion leaves",
    Shock.SHARED_TARGETS: "Shared targets",
}
BUTTON = "blue-grey darken-3"  # Step and Play: a neutral dark grey (Vuetify colour)

CSS = """
.pdash { font-size: 18px; color: #1d1d1d; }
.pdash .v-btn { font-size: 17px !important; letter-spacing: 0.02em; text-transform: none; }
.pdash .v-label, .pdash .v-input input, .pdash .v-select__selection { font-size: 17px !important; }
.pdash-controls { width: 330px; min-width: 330px; padding: 12px 14px; background: #f4f5f7;
  border-right: 1px solid #d8d8d8; position: sticky; top: 0; height: 100vh;
  overflow-y: auto; }
.pdash-controls > * { flex: 0 0 auto !important; }
.pdash-controls h3 { font-size: 19px; margin: 14px 0 6px 0; color: #333; }
.pdash-main { flex: 1; padding: 10px 16px; min-width: 0; }
.pdash-header { display: flex; align-items: baseline; gap: 18px; flex-wrap: wrap; }
.pdash-title { font-size: 28px; font-weight: 700; }
.pdash-month { font-size: 28px; font-weight: 700; color: #1f4e99; margin-left: auto; }
.pdash-description { font-size: 17px; color: #444; margin: 2px 0 8px 0; }
.pdash-columns { display: flex; gap: 18px; }
.pdash-column { flex: 1; min-width: 0; }
.pdash-badge { border-radius: 8px; padding: 10px 16px; margin-bottom: 8px; }
.pdash-badge-pair { min-height: 124px; }
.pdash-badge-regime { font-size: 30px; font-weight: 800; text-transform: uppercase;
  letter-spacing: 0.04em; }
.pdash-badge-label { font-size: 22px; font-weight: 700; margin-right: 12px; }
.pdash-badge-reason { font-size: 21px; line-height: 1.3; }
.pdash-keys { display: flex; flex-wrap: wrap; align-items: baseline; gap: 2px 22px;
  margin: 0 0 6px 62px; min-height: 24px; }
.pdash-markers { font-size: 16px; color: #222; }
.pdash-markers b { display: inline-block; min-width: 22px; text-align: center; color: #fff;
  background: #3c4650; border-radius: 9px; margin-right: 4px; }
.pdash-markers span { margin-right: 16px; white-space: nowrap; }
.pdash-markers .pdash-reorg i { display: inline-block; width: 0; height: 16px; margin-right: 6px;
  border-left: 3px dotted #6b6b6b; vertical-align: -2px; }
.pdash-chair { margin-left: auto; font-size: 19px; font-weight: 600; }
.pdash .pdash-chair-vacant { background: #fff; color: #111; border: 2px dashed #111;
  border-radius: 6px; padding: 0 8px; }
.pdash-charts { display: grid; gap: 8px; grid-template-columns: repeat(2, minmax(0, 1fr)); }
.pdash-charts-1 { grid-template-columns: minmax(0, 1fr); }
.pdash-charts .chart-network { grid-row: span 2; }
.pdash-charts-2 .chart-value { grid-column: span 2; }
.pdash-chart { background: #fff; border: 1px solid #e2e2e2; border-radius: 6px; padding: 4px; }
.pdash-levers { display: grid; gap: 2px 22px;
  grid-template-columns: repeat(auto-fill, minmax(330px, 1fr));
  background: #fafafa; border: 1px solid #e2e2e2; border-radius: 6px; padding: 6px 12px;
  margin-bottom: 8px; }
.pdash-rate { font-size: 16px; color: #555; }
.pdash-lever-note { font-size: 16px; color: #444; display: block; margin: 6px 0 -14px 0; }
.pdash-shocks { display: flex; flex-direction: column; gap: 6px; }
.pdash .pdash-shock { height: 42px !important; width: 100%; justify-content: flex-start;
  background: #fff !important; color: #222 !important; border-color: #8a8f98 !important; }
.pdash .pdash-shock .v-icon { margin-right: 8px; }
.pdash-legend { display: flex; gap: 14px; font-size: 16px; }
.pdash-legend span { display: inline-flex; align-items: center; gap: 5px; }
.pdash-legend i { display: inline-block; width: 16px; height: 16px; border-radius: 3px; }
.pdash .v-slider__thumb-label { font-size: 14px; }
.pdash-spread-note { font-size: 16px; color: #555; margin: 0 0 6px 0; }
.pdash-spread-note:empty { margin: 0; }
.pdash .v-btn.pdash-neutral { background: #fff !important; color: #222 !important;
  border-color: #8a8f98 !important; }
.pdash-glossary { position: fixed; top: 0; right: 0; bottom: 0; width: 470px; z-index: 30;
  overflow-y: auto; background: #fff; box-shadow: -4px 0 18px rgba(0,0,0,0.25);
  padding: 14px 18px; font-size: 16px; }
.pdash-glossary dt { font-weight: 700; font-size: 18px; margin-top: 10px; }
.pdash-glossary dd { margin: 2px 0 0 0; line-height: 1.35; }
/* the presentation layout: a bar on top, a drawer, the key charts on the first screen */
.pdash-present { flex-direction: column; --top-h: clamp(300px, calc(100vh - 350px), 620px); }
.pdash-present.pdash-pair { --top-h: clamp(280px, calc((100vh - 390px) / 2), 440px); }
@media (max-height: 820px) {
  .pdash-present.pdash-pair { --top-h: clamp(260px, calc(100vh - 370px), 440px); }
}
.pdash-bar { display: flex; align-items: center; gap: 8px; padding: 6px 12px;
  background: #f4f5f7; border-bottom: 1px solid #d8d8d8; position: sticky; top: 0;
  z-index: 25; flex-wrap: nowrap; white-space: nowrap; }
.pdash-bar .v-btn { height: 40px !important; padding: 0 10px !important;
  font-size: 16px !important; }
.pdash-bar .pdash-shock { width: auto; }
.pdash-bar .v-btn .v-icon { margin-right: 4px; }
.pdash-bar-gap { flex: 1; }
.pdash-drawer { position: fixed; top: 53px; left: 0; bottom: 0; width: 420px; z-index: 20;
  overflow-y: auto; background: #f4f5f7; box-shadow: 4px 0 18px rgba(0,0,0,0.25);
  padding: 12px 14px; }
.pdash-drawer > * { flex: 0 0 auto !important; }
.pdash-drawer h3 { font-size: 19px; margin: 14px 0 6px 0; color: #333; }
.pdash-drawer .pdash-levers { grid-template-columns: minmax(0, 1fr); }
.pdash-present .pdash-main { padding: 6px 14px; }
.pdash-present .pdash-title, .pdash-present .pdash-month { font-size: 22px; line-height: 1.2; }
.pdash-present .pdash-header { margin-top: 2px; }
.pdash-present .pdash-badge { padding: 6px 14px; margin-bottom: 4px; min-height: 100px; }
.pdash-present .pdash-keys { margin-left: 8px; }
.pdash-keys-below { margin-bottom: 8px; }
.pdash-present .pdash-badge-regime { font-size: 26px; }
.pdash-present .pdash-badge-label { font-size: 20px; }
.pdash-present .pdash-badge-reason { font-size: 19px; line-height: 1.25; }
.pdash-present .pdash-badge-pair { min-height: 112px; }
.pdash-present .pdash-badge-pair .pdash-badge-reason { font-size: 18px; }
.pdash-present .pdash-chair { font-size: 18px; }
.pdash-top { display: grid; gap: 8px; grid-template-columns: repeat(2, minmax(0, 1fr));
  margin-bottom: 8px; }
.pdash-top-1 { grid-template-columns: minmax(0, 1fr); }
"""


def current_context() -> Any:
    """The Solara kernel context of this session (None outside a server), so that the
    band's thread can publish into this session's page."""
    from solara.server import kernel_context

    return kernel_context.get_current_context() if kernel_context.has_current_context() else None


def start_scenario() -> Path:
    """The scenario a new session starts with: ``$PARTNERSIM_DASHBOARD_SCENARIO``, else
    ``scenarios/baseline.yaml`` in the working folder or beside the package."""
    chosen = os.environ.get(SCENARIO_ENV)
    if chosen:
        return Path(chosen)
    local = Path.cwd() / "scenarios" / "baseline.yaml"
    if local.exists():
        return local
    return Path(__file__).resolve().parents[2] / "scenarios" / "baseline.yaml"


@solara.component
def Page() -> None:
    """The dashboard: one controller per browser session."""
    hooks = solara.use_memo(lambda: {"spread_ready": None}, [])

    def spread_ready() -> None:  # called from the band's thread
        if hooks["spread_ready"] is not None:
            hooks["spread_ready"]()

    controller = solara.use_memo(lambda: Controller(start_scenario(), on_spread=spread_ready), [])
    first = solara.use_memo(controller.view, [])
    view = solara.use_reactive(first)
    levers = solara.use_reactive({run.label: run.levers for run in first.runs})
    playing = solara.use_reactive(False)
    speed = solara.use_reactive(DEFAULT_SPEED)
    rate = solara.use_reactive("")
    message = solara.use_reactive(("info", START))
    side_by_side = solara.use_reactive(False)
    shock_target = solara.use_reactive("both")
    network_view = solara.use_reactive(NETWORK_VIEWS[0])
    show_levers = solara.use_reactive(True)
    seed_text = solara.use_reactive(str(first.seed))
    seed_error = solara.use_reactive("")
    scenario_name = solara.use_reactive(first.scenario)
    show_spread = solara.use_reactive(False)
    router = solara.use_router()
    asked = parse_qs(router.search or "").get("present", ["0"])[-1]
    present = solara.use_reactive(asked.lower() in ("1", "true", "yes", "on"))
    drawer = solara.use_reactive(False)
    glossary = solara.use_reactive(False)
    loop = solara.use_memo(lambda: {"generation": 0}, [])
    context = solara.use_memo(current_context, [])

    def publish() -> None:
        v = controller.view()
        view.value = v
        levers.value = {run.label: run.levers for run in v.runs}
        if v.month > 0 and message.value[1] == START:
            message.value = ("info", "")  # started: the hint has done its job

    def say(kind: str, text: str) -> None:
        message.value = (kind, text)

    def publish_band() -> None:
        """A band is ready: publish it, unless Play is running (its next redraw does)."""
        with context or nullcontext():
            if not playing.value:
                publish()

    hooks["spread_ready"] = publish_band

    def play_loop() -> None:
        if not playing.value:
            return
        loop["generation"] += 1
        me = loop["generation"]
        per_second = SPEEDS[speed.value]
        gap = 1.0 / (REDRAWS_SIDE_BY_SIDE if controller.side_by_side else REDRAWS_PER_SECOND)
        start = last_drawn = time.perf_counter()
        done = drawn = 0
        while playing.value and loop["generation"] == me:
            if controller.step() == 0:
                break
            done += 1
            now = time.perf_counter()
            # draw at most REDRAWS_PER_SECOND times a second, so the browser never lags
            if now - last_drawn >= gap or controller.finished:
                publish()
                last_drawn, drawn = now, done
            if done % 5 == 0 and now > start:
                rate.value = f"{done / (now - start):.1f} months/s"
            if per_second > 0:
                time.sleep(max(0.0, start + done / per_second - time.perf_counter()))
        if loop["generation"] == me:
            if drawn < done:
                publish()  # show the month Play stopped at
            if controller.finished:
                playing.value = False
                say("info", "The run reached its horizon. Reset to start again.")
            elif not playing.value:
                say("info", f"Paused at month {controller.month}.")

    solara.lab.use_task(play_loop, dependencies=[playing.value, speed.value], prefer_threaded=True)

    def stop_on_close() -> Callable[[], None]:
        def cleanup() -> None:
            loop["generation"] = -1  # a running Play loop stops at its next month
            hooks["spread_ready"] = None
            controller.close()

        return cleanup

    solara.use_effect(stop_on_close, [])

    def do_step() -> None:
        playing.value = False
        if controller.step() == 0:
            say("warning", "The run reached its horizon. Reset to start again.")
        publish()

    def do_play() -> None:
        if controller.finished:
            say("warning", "The run reached its horizon. Reset to start again.")
            return
        rate.value = ""
        playing.value = not playing.value
        if playing.value:
            say("info", f"Playing at {speed.value}. Levers and shocks work while it plays.")

    def do_reset() -> None:
        playing.value = False
        controller.reset()
        rate.value = ""
        say("info", "Back to month 0 with the levers as set.")
        publish()

    def do_scenario(name: str) -> None:
        playing.value = False
        try:
            controller.choose_scenario(name)
        except (DashboardError, ScenarioError) as exc:
            say("error", str(exc))
            return
        scenario_name.value = name
        seed_text.value = str(controller.seed)
        seed_error.value = ""
        say("info", f"Scenario {name}: month 0.")
        publish()

    def do_seed(text: str | None) -> None:
        seed_text.value = text or ""
        try:
            playing.value = False
            seed = controller.set_seed(text or "")
        except DashboardError as exc:
            seed_error.value = str(exc)
            say("error", f"Seed not changed: {exc}")
            return
        seed_error.value = ""
        say("info", f"Seed {seed}: back to month 0.")
        publish()

    def do_lever(label: str, path: str, value: Any) -> None:
        try:
            controller.set_lever(label, path, value)
        except DashboardError as exc:
            say("error", str(exc))
            return
        publish()

    def do_shock(kind: Shock) -> None:
        targets = SHOCK_TARGETS[shock_target.value] if side_by_side.value else ("A",)
        try:
            say("info", controller.shock(kind, targets))
        except DashboardError as exc:
            say("error", str(exc))
            return
        publish()

    def do_spread(on: bool) -> None:
        show_spread.value = on
        controller.show_spread(on)
        draws = controller.worker.draws
        say("info", f"The faint band shows {HELP.format(n=draws)}." if on else "Spread hidden.")
        publish()

    def do_side_by_side(on: bool) -> None:
        controller.set_side_by_side(on)
        side_by_side.value = on
        say(
            "info",
            "B is a copy of A from this month on, on the same random numbers: "
            "change B's levers to compare."
            if on
            else "Side by side off.",
        )
        publish()

    def shock_buttons(short: bool) -> None:
        for kind in Shock:
            solara.Button(
                SHOCK_SHORT[kind] if short else kind.value,
                icon_name=SHOCK_ICONS[kind],
                on_click=lambda k=kind: do_shock(k),
                outlined=True,
                classes=[
                    "pdash-shock",
                    f"btn-{'bar-' if short else ''}shock-{kind.name.lower()}",
                ],
            )

    def run_buttons() -> None:
        solara.Button("Step", on_click=do_step, color=BUTTON, dark=True, classes=["btn-step"])
        solara.Button(
            "Pause" if playing.value else "Play",
            on_click=do_play,
            color=BUTTON,
            dark=True,
            classes=["btn-play"],
        )
        solara.Button(
            "Reset", on_click=do_reset, outlined=True, classes=["btn-reset", "pdash-neutral"]
        )

    def controls() -> None:
        """Every control: the left panel, or the drawer of the presentation layout."""
        solara.Select(
            "Scenario",
            values=sorted(controller.library),
            value=scenario_name.value,
            on_value=do_scenario,
        )
        solara.InputText(
            "Seed (a whole number; Enter to apply)",
            value=seed_text.value,
            on_value=do_seed,
            error=seed_error.value or False,
        )
        if not present.value:
            solara.HTML("h3", "Run")
            with solara.Row(gap="6px"):
                run_buttons()
        solara.Select("Play speed", values=list(SPEEDS), value=speed)
        solara.HTML("h3", "Shocks (from next month)")
        if side_by_side.value:
            solara.ToggleButtonsSingle(
                value=shock_target, values=list(SHOCK_TARGETS), dense=True
            ).key("shock-target")  # keys keep each control's state when this one appears
        with solara.Div(classes=["pdash-shocks"]):
            shock_buttons(short=False)
        solara.HTML("h3", "Compare and show")
        solara.Switch(label="Present (projector layout)", value=present).key("present")
        solara.Switch(
            label="Side by side (A and B)",
            value=side_by_side.value,
            on_value=do_side_by_side,
        ).key("side-by-side")
        solara.Switch(label="Show the levers", value=show_levers).key("show-levers")
        with solara.Tooltip(HELP.format(n=controller.worker.draws)), solara.Column(gap="0px"):
            solara.Switch(
                label="Show spread across assumptions",
                value=show_spread.value,
                on_value=do_spread,
            ).key("show-spread")
        with solara.Row(gap="8px", style={"align-items": "center"}):
            solara.Text("Network:")
            solara.ToggleButtonsSingle(value=network_view, values=list(NETWORK_VIEWS), dense=True)
        solara.Button(
            "Words on this page",
            icon_name="mdi-help-circle-outline",
            on_click=lambda: glossary.set(not glossary.value),
            outlined=True,
            classes=["btn-glossary", "pdash-neutral"],
        )
        kind, text = message.value
        if text:
            {"error": solara.Error, "warning": solara.Warning}.get(kind, solara.Info)(
                text, classes=["pdash-message"]
            )

    def words() -> None:
        with solara.Column(gap="0px", classes=["pdash-glossary"]):
            with solara.Row(style={"align-items": "center"}):
                solara.HTML("h3", "Words on this page")
                solara.Button(
                    "Close",
                    on_click=lambda: glossary.set(False),
                    outlined=True,
                    classes=["btn-glossary-close", "pdash-neutral"],
                )
            solara.HTML(
                "dl",
                "".join(
                    f"<dt>{html.escape(term[:1].upper() + term[1:])}</dt>"
                    f"<dd>{html.escape(text)}</dd>"
                    for term, text in GLOSSARY.items()
                ),
            )

    solara.Title("partnersim workshop")
    solara.Style(CSS)
    main = (view, levers, rate, network_view, show_levers, do_lever)
    if present.value:
        pair = ["pdash-pair"] if side_by_side.value else []
        with solara.Column(gap="0px", classes=["pdash", "pdash-present", *pair]):
            with solara.Row(gap="8px", classes=["pdash-bar"]):
                solara.Button(
                    "Controls",
                    icon_name="mdi-menu",
                    on_click=lambda: drawer.set(not drawer.value),
                    outlined=True,
                    classes=["btn-drawer", "pdash-neutral"],
                )
                run_buttons()
                shock_buttons(short=True)
                solara.Div(classes=["pdash-bar-gap"])
                solara.Button(
                    "Words",
                    icon_name="mdi-help-circle-outline",
                    on_click=lambda: glossary.set(not glossary.value),
                    outlined=True,
                    classes=["btn-bar-glossary", "pdash-neutral"],
                )
                solara.Button(
                    "Exit",
                    icon_name="mdi-fullscreen-exit",
                    on_click=lambda: present.set(False),
                    outlined=True,
                    classes=["btn-exit-present", "pdash-neutral"],
                )
            if drawer.value:
                with solara.Column(gap="6px", classes=["pdash-drawer"]):
                    controls()
                    solara.HTML("h3", "Levers")
                    for label in ("A", "B") if side_by_side.value else ("A",):
                        if side_by_side.value:
                            solara.Text(f"Partnership {label}", classes=["pdash-lever-owner"])
                        with solara.Div(classes=[f"drawer-levers-{label}"]):
                            LeverPanel(label, levers, do_lever).key(f"drawer-levers-{label}")
            if glossary.value:
                words()
            with solara.Column(gap="4px", classes=["pdash-main"]):
                Main(*main, present=True)
        return
    with solara.Row(gap="0px", classes=["pdash"], style={"align-items": "stretch"}):
        with solara.Column(gap="6px", classes=["pdash-controls"]):
            controls()
        if glossary.value:
            words()
        with solara.Column(gap="4px", classes=["pdash-main"]):
            Main(*main)
