#!/usr/bin/env bash
# Create or refresh the project's virtual environment in .venv.
#   bash .ci/bootstrap.sh            runtime + test dependencies
#   bash .ci/bootstrap.sh --browser  also Debian's chromium, where apt-get is allowed
# Finds a Python >= 3.12 by itself (PYTHON, python3.13, python3.12, python3, pyenv versions).
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=0
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=1 ;;
    *) echo "bootstrap: unknown option '$arg' (allowed: --browser)" >&2; exit 2 ;;
  esac
done

is_ok_python() {
  [ -n "$1" ] && [ -x "$(command -v "$1" 2>/dev/null || echo "$1")" ] &&
    "$1" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null
}

find_python() {
  local c
  for c in "${PYTHON:-}" python3.13 python3.12 python3 python; do
    if [ -n "$c" ] && is_ok_python "$c"; then command -v "$c" || echo "$c"; return 0; fi
  done
  local root="${PYENV_ROOT:-$HOME/.pyenv}"
  if command -v pyenv >/dev/null 2>&1; then root="$(pyenv root)"; fi
  for c in $(ls -d "$root"/versions/3.1[2-9]* 2>/dev/null | sort -Vr); do
    for exe in "$c"/bin/python3.1[2-9] "$c"/bin/python3; do
      if is_ok_python "$exe"; then echo "$exe"; return 0; fi
    done
  done
  return 1
}

if [ -x .venv/bin/python ] && ! is_ok_python .venv/bin/python; then
  echo "bootstrap: .venv holds a Python older than 3.12; recreating it" >&2
  rm -rf .venv
fi

if [ ! -x .venv/bin/python ]; then
  if ! py="$(find_python)"; then
    echo "bootstrap: partnersim needs Python >= 3.12 and none was found." >&2
    echo "  Looked at \$PYTHON, python3.13, python3.12, python3, python and pyenv versions." >&2
    echo "  Install Python 3.12 or newer, or point PYTHON at one: PYTHON=/path/to/python3.12 make run" >&2
    exit 1
  fi
  echo "bootstrap: creating .venv with $py ($("$py" --version 2>&1))" >&2
  "$py" -m venv .venv
fi

stamp=.venv/.partnersim-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "bootstrap: installing partnersim and its dependencies into .venv" >&2
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
  touch "$stamp"
fi
# compile the model's kernels into numba's disk cache once (seconds; a no-op when cached)
.venv/bin/python -m sim.core.warmup >&2

if [ "$want_browser" = 1 ] && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "bootstrap: installing Debian's chromium for the browser tests" >&2
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "bootstrap: chromium is not installed and apt-get is not available to root here;" \
         "browser tests will be skipped" >&2
  fi
fi
