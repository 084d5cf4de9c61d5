"""Serve the dashboard page with Solara's ASGI app under uvicorn, offline.

Solara loads its web assets (Vuetify app, RequireJS, ECharts, fonts) from a CDN unless
its assets proxy finds them in its cache folder. The ``solara-assets`` package installs
those files into that folder (``<prefix>/share/solara/cdn``), so :func:`configure` keeps
the proxy on (``SOLARA_ASSETS_PROXY=true``) and the page never leaves the machine. It
also switches off Solara's usage telemetry, which would call out, and names the page
(``SOLARA_APP``) and the scenario a new session starts with.

The page is served on the loopback address only, and :class:`LoopbackOnly` answers only
requests that name this machine: a ``Host`` header of ``localhost``, ``127.0.0.1`` or
``[::1]`` with the port (else 400), and no ``Origin`` of another site (else 403, and a
websocket is refused before it opens). A web page elsewhere therefore cannot reach the
dashboard by DNS rebinding (a name of its own resolving to 127.0.0.1) nor open its
websocket from the user's browser.
"""

from __future__ import annotations

import os
import socket
import warnings
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

APP = "sim.dashboard.app:Page"
SCENARIO_ENV = "PARTNERSIM_DASHBOARD_SCENARIO"  # the scenario a new session starts with
HOST = "127.0.0.1"
DEFAULT_PORT = 8765
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class LoopbackOnly:
    """ASGI middleware: pass on only requests addressed to this machine's names.

    ``allowed`` holds ``name:port`` for the loopback names (and for ``host`` itself when
    it is not a loopback address). An http request or a websocket whose ``Host`` header
    is not one of them gets 400; one carrying an ``Origin`` whose host and port are not
    one of them (``null`` included) gets 403. Requests without ``Origin`` (not from a
    browser page) pass on the ``Host`` check alone. Lifespan events pass through.
    """

    def __init__(self, app: ASGIApp, host: str, port: int):
        self.app = app
        names = set(LOOPBACK_NAMES)
        if host not in ("127.0.0.1", "::1", "localhost"):
            names.add(f"[{host}]" if ":" in host else host)
        self.allowed = {f"{name}:{port}" for name in names}

    def refusal(self, scope: Scope) -> tuple[int, str] | None:
        """``(status, reason)`` when the request must be refused, else ``None``."""
        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        host = headers.get(b"host", b"").decode("latin-1").lower()
        if host not in self.allowed:
            return 400, "this dashboard answers only to localhost, 127.0.0.1 and [::1]"
        origin = headers.get(b"origin")
        if origin is not None:
            parts = urlsplit(origin.decode("latin-1").lower())
            if parts.scheme not in ("http", "https") or parts.netloc not in self.allowed:
                return 403, "requests from other sites are refused"
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        refused = self.refusal(scope)
        if refused is None:
            await self.app(scope, receive, send)
        elif scope["type"] == "websocket":
            await receive()  # websocket.connect; closing before accepting answers 403
            await send({"type": "websocket.close", "code": 1008})
        else:
            status, reason = refused
            body = reason.encode("ascii") + b"\n"
            headers = [(b"content-type", b"text/plain"), (b"content-length", b"%d" % len(body))]
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})


def configure(scenario: Path) -> dict[str, str]:
    """Set the environment Solara reads when it is first imported; return what was set.

    Must run before anything imports ``solara`` (which reads its settings on import).
    Side effect: ``os.environ``.
    """
    settings = {
        "SOLARA_APP": APP,
        "SOLARA_ASSETS_PROXY": "true",  # serve CDN files from the local cache (solara-assets)
        "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false",
        "SOLARA_MODE": "production",  # no hot reload, no file watchers
        "SOLARA_THEME_SHOW_BANNER": "false",  # no "runs on Solara" corner over the plots
        "SOLARA_THEME_TITLE": "partnersim workshop",
        SCENARIO_ENV: str(scenario.resolve()),
    }
    os.environ.update(settings)
    return settings


def port_free(port: int, host: str = HOST) -> bool:
    """True when ``host:port`` can be bound now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # as uvicorn does, so that connections of a server just stopped do not count
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def serve(scenario: Path, port: int = DEFAULT_PORT, host: str = HOST) -> None:
    """Start the dashboard on ``host:port`` and block until interrupted (Ctrl-C).

    Prints the address once the port is known to be free. Raises ``OSError`` when it is
    taken.
    """
    if not port_free(port, host):
        raise OSError(f"port {port} on {host} is in use; choose another with --port")
    configure(scenario)
    import uvicorn  # after configure: Solara reads the environment when first imported

    # Solara warns that session cookies cannot be SameSite=None over plain http; on the
    # loopback address that is expected and harmless.
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https")
    app = LoopbackOnly(solara_app(), host, port)
    print(f"partnersim dashboard: http://{host}:{port}/  (Ctrl-C to stop)", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def solara_app() -> ASGIApp:
    """Solara's ASGI app (imports Solara: call after :func:`configure`)."""
    from solara.server.starlette import app

    return app
