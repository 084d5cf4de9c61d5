"""Debian's Chromium as the browser tests start it: headless, offline, no sandbox."""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
HEADLESS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
"""Flags every test passes (no network, no GPU, no shared memory)."""
