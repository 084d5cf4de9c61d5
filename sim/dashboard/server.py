"""Serve the dashboard page with Solara's ASGI app under uvicorn, offline.

Solara loads its web assets (Vuetify app, RequireJS, ECharts, fonts) from a CDN unless
its assets proxy finds them in its cache folder. The ``solara-assets`` package installs
those files into that folder (``<prefix>/share/solara/cdn``), so :func:`configure` keeps
the proxy on (``SOLARA_ASSETS_PROXY=true``) and the page never leaves the machine. It
also switches off Solara's usage telemetry, which would call out, and names the page
(``SOLARA_APP``) and the scenario a new session starts with.
"""

from __future__ import annotations

import os
import socket
import warnings
from pathlib import Path

APP = "sim.dashboard.app:Page"
SCENARIO_ENV = "PARTNERSIM_DASHBOARD_SCENARIO"  # the scenario a new session starts with
HOST = "127.0.0.1"
DEFAULT_PORT = 8765


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
    print(f"partnersim dashboard: http://{host}:{port}/  (Ctrl-C to stop)", flush=True)
    uvicorn.run("solara.server.starlette:app", host=host, port=port, log_level="warning")
