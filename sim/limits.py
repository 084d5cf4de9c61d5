"""Every limit on what partnersim accepts, held in one place.

Each limit has a reason and a way to lift it; ``docs/limits.md`` lists them all. Input
limits protect the loader from files that are not scenarios (devices, pipes, huge or
deeply nested YAML); job limits refuse, up front and with an estimate, work too big for
the machine.
"""

from __future__ import annotations

# -- input files: scenario files, sweep files and every file an ``extends:`` chain reads --

MAX_INPUT_FILE_BYTES = 1_048_576
"""Largest scenario or sweep file read (bytes). The library's files are under 10 KB."""

MAX_YAML_DEPTH = 64
"""Deepest nesting of mappings and lists in a YAML file. The schema needs at most 6."""

MAX_YAML_NODES = 200_000
"""Most values a YAML file may expand to, aliases included (stops alias bombs)."""

MAX_EXTENDS_CHAIN = 32
"""Longest ``extends:`` chain. The library's longest is 2."""

MAX_ECHO_CHARS = 80
"""Longest excerpt of an offending value echoed in an error message."""
