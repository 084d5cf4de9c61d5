"""Serving the dashboard: the command's checks, the environment Solara reads, and the
local copy of every web asset Solara's page asks for (no browser, no server started)."""

from __future__ import annotations

import os
import re
import socket
from pathlib import Path

import pytest

from sim.cli import dashboard_cmd
from sim.dashboard import server
from sim.scenario.loader import ScenarioError

ROOT = Path(__file__).resolve().parents[2]


def test_configure_keeps_solara_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "environ", dict(os.environ))
    settings = server.configure(ROOT / "scenarios" / "baseline.yaml")
    assert os.environ["SOLARA_APP"] == "sim.dashboard.app:Page"
    assert os.environ["SOLARA_ASSETS_PROXY"] == "true"
    assert os.environ["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "false"
    assert Path(settings[server.SCENARIO_ENV]).is_absolute()


def test_a_taken_port_is_reported() -> None:
    with socket.socket() as sock:
        sock.bind((server.HOST, 0))
        sock.listen()
        port = sock.getsockname()[1]
        assert not server.port_free(port)
        assert dashboard_cmd.main(["baseline", "--port", str(port)]) == 2


def test_scenario_names_and_files_resolve() -> None:
    assert dashboard_cmd.resolve("baseline") == ROOT / "scenarios" / "baseline.yaml"
    assert dashboard_cmd.resolve("scenarios/high_churn.yaml").name == "high_churn.yaml"
    with pytest.raises(ScenarioError):
        dashboard_cmd.resolve("no_such_scenario")
    assert dashboard_cmd.main(["no_such_scenario"]) == 2


def test_bad_port_is_an_argument_error() -> None:
    with pytest.raises(SystemExit) as exc:
        dashboard_cmd.main(["--port", "80"])
    assert exc.value.code == 2


def test_every_asset_the_page_asks_for_is_on_the_machine() -> None:
    pytest.importorskip("solara", reason="the dashboard extra (solara) is not installed")
    pytest.importorskip("solara_assets", reason="solara-assets is not installed")
    import solara.server.settings as settings

    template = Path(settings.__file__).parent / "templates" / "solara.html.j2"
    wanted = set(re.findall(r"\{\{cdn\}\}/(@?[\w./-]+@[\d.]+)/", template.read_text()))
    echarts = Path(settings.__file__).parents[1] / "components" / "echarts.vue"
    version = re.search(r'const version = "([\d.]+)"', echarts.read_text())
    assert wanted and version
    wanted.add(f"echarts@{version.group(1)}")
    wanted.add(settings.assets.fontawesome_path.strip("/").split("/")[0])
    cache = settings.assets.proxy_cache_dir
    # the Vuetify 3 variant of the page is not used (ipyvuetify < 3)
    missing = sorted(n for n in wanted if "vuetify3" not in n and not (cache / n).is_dir())
    assert not missing, f"not in {cache}: {missing} (solara and solara-assets out of step)"
