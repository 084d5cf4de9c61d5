"""The model core: state, mechanisms and their compiled kernels.

numba caches a compiled kernel on disk and checks only the kernel's own source file for
changes, not the modules whose functions it calls. So the cache lives in a folder named
after a hash of every source file of this package (``kernels-<hash>``, under
``NUMBA_CACHE_DIR`` if set, else this package's ``__pycache__``): any change of the model's
code starts a fresh cache, and a stale kernel is never loaded. Worker processes compute
the same name and share the cache. Caches of other versions of the code untouched for a
day are removed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

import numba


def _cache_dir() -> Path:
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(here.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    root = Path(os.environ.get("NUMBA_CACHE_DIR") or here / "__pycache__")
    return root / f"kernels-{digest.hexdigest()[:16]}"


def _prune(current: Path, age_s: float = 86_400.0) -> None:
    """Remove the caches of other versions of the code not used for ``age_s`` seconds."""
    try:
        for old in current.parent.glob("kernels-*"):
            if old != current and time.time() - old.stat().st_mtime > age_s:
                shutil.rmtree(old, ignore_errors=True)
    except OSError:  # a read-only or vanished folder: nothing to tidy
        pass


_CACHE = _cache_dir()
numba.config.CACHE_DIR = str(_CACHE)
_prune(_CACHE)
