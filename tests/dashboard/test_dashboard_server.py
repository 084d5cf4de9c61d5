"""Serving the dashboard: the command's checks, the environment Solara reads, the local
copy of every web asset Solara's page asks for, and the guard that lets only this
machine's names reach the page (no browser; the guard's tests start a small local server)."""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sim.cli import dashboard_cmd
from sim.cli.options import scenario_path
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
    assert scenario_path("baseline") == ROOT / "scenarios" / "baseline.yaml"
    assert scenario_path("scenarios/high_churn.yaml").name == "high_churn.yaml"
    with pytest.raises(ScenarioError):
        scenario_path("no_such_scenario")
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


# -- only this machine's names reach the page (no DNS rebinding, no cross-site websocket) --


async def _hello(scope: dict, receive: Any, send: Any) -> None:
    """A stand-in for the Solara app: 'ok' over http, accept-then-close over a websocket."""
    if scope["type"] == "http":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})
    elif scope["type"] == "websocket":
        await receive()  # websocket.connect
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.close", "code": 1000})


@pytest.fixture(scope="module")
def guarded() -> Iterator[int]:
    """A real uvicorn server on a free loopback port, serving the stand-in app behind the
    dashboard's guard; yields the port."""
    uvicorn = pytest.importorskip("uvicorn")
    with socket.socket() as sock:
        sock.bind((server.HOST, 0))
        port = sock.getsockname()[1]
    app = server.LoopbackOnly(_hello, server.HOST, port)
    config = uvicorn.Config(app, host=server.HOST, port=port, log_level="error", lifespan="off")
    live = uvicorn.Server(config)
    thread = threading.Thread(target=live.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not live.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert live.started, "the test server did not start"
    yield port
    live.should_exit = True
    thread.join(timeout=5)


def _status(port: int, request: str) -> str:
    """Send a raw HTTP/1.1 request to the test server; return its status line."""
    with socket.create_connection((server.HOST, port), timeout=5) as sock:
        sock.sendall(request.encode("ascii"))
        return sock.recv(4096).split(b"\r\n", 1)[0].decode("ascii")


def _get(port: int, host: str, origin: str | None = None) -> str:
    extra = f"Origin: {origin}\r\n" if origin else ""
    return _status(port, f"GET / HTTP/1.1\r\nHost: {host}\r\n{extra}Connection: close\r\n\r\n")


def _upgrade(port: int, host: str, origin: str | None) -> str:
    extra = f"Origin: {origin}\r\n" if origin else ""
    return _status(
        port,
        f"GET /jupyter/api/kernels/k/channels HTTP/1.1\r\nHost: {host}\r\n{extra}"
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
    )


@pytest.mark.parametrize("name", ["localhost", "127.0.0.1", "[::1]"])
def test_loopback_names_with_the_port_are_served(guarded: int, name: str) -> None:
    assert _get(guarded, f"{name}:{guarded}").split()[1] == "200"


@pytest.mark.parametrize(
    "host",
    ["evil.example:{port}", "evil.example", "localhost:1", "127.0.0.1.evil.example:{port}", ""],
    ids=["rebound-name", "no-port", "other-port", "lookalike", "empty"],
)
def test_any_other_host_header_is_refused(guarded: int, host: str) -> None:
    status = _get(guarded, host.format(port=guarded)).split()[1]
    assert status == "400"


def test_a_request_from_another_site_is_refused(guarded: int) -> None:
    assert _get(guarded, f"localhost:{guarded}", "http://evil.example").split()[1] == "403"
    assert _get(guarded, f"localhost:{guarded}", f"http://127.0.0.1:{guarded}").split()[1] == "200"


def test_a_websocket_from_another_site_is_refused(guarded: int) -> None:
    host = f"127.0.0.1:{guarded}"
    assert _upgrade(guarded, host, "http://evil.example").split()[1] == "403"
    assert _upgrade(guarded, host, "null").split()[1] == "403"
    rebound = f"evil.example:{guarded}"
    assert _upgrade(guarded, rebound, f"http://{rebound}").split()[1] == "403"
    assert _upgrade(guarded, host, f"http://localhost:{guarded}").split()[1] == "101"


def test_serve_wraps_the_page_in_the_guard(monkeypatch: pytest.MonkeyPatch) -> None:
    uvicorn = pytest.importorskip("uvicorn")
    monkeypatch.setattr(os, "environ", dict(os.environ))
    served: dict[str, Any] = {}
    monkeypatch.setattr(server, "solara_app", lambda: _hello)
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: served.update(app=app, **kw))
    with socket.socket() as sock:
        sock.bind((server.HOST, 0))
        port = sock.getsockname()[1]
    server.serve(ROOT / "scenarios" / "baseline.yaml", port)
    assert isinstance(served["app"], server.LoopbackOnly)
    assert served["app"].app is _hello
    assert served["app"].allowed == {f"{n}:{port}" for n in ("localhost", "127.0.0.1", "[::1]")}
