"""Read one YAML input file safely: a regular file of bounded size, bounded YAML.

Scenario files, every file of an ``extends:`` chain and sweep files are read here. A
path must be a regular file (symlinks are followed; devices, pipes, sockets and folders
are refused before they are opened, so a FIFO cannot hang the reader) of at most
:data:`~sim.limits.MAX_INPUT_FILE_BYTES`. The YAML is safe YAML 1.1 with:

- duplicate keys refused (instead of the last one silently winning);
- keys that are plain values only (a list or mapping as a key is refused);
- ``<<`` merge keys refused (``extends:`` is the way to reuse a scenario);
- nesting capped at :data:`~sim.limits.MAX_YAML_DEPTH` and the number of values, aliases
  expanded, at :data:`~sim.limits.MAX_YAML_NODES`; both are checked while the node graph
  is composed, before any Python object is built, so an alias bomb never expands;
- a scalar YAML resolves but cannot build (``0x_``, ``2020-02-30``) reported with its line.

Every problem is a :class:`~sim.scenario.problems.ScenarioError`; a file's contents are
never echoed beyond a short excerpt.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError

from sim import limits
from sim.scenario.problems import Problem, ScenarioError, excerpt


class UnreadableFile(ScenarioError):
    """The path is not a readable regular file of allowed size (its YAML was not read).

    ``reason`` says why, without the file's name, so that an ``extends:`` can report it
    against the file that named the path.
    """

    def __init__(self, name: str, reason: str):
        self.reason = reason
        super().__init__([Problem(name, "", reason)])


_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
)


def _not_regular(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    kind = next((text for test, text in _KINDS if test(mode)), "not a file")
    return f"is {kind}, not a regular file; expected a .yaml file"


def _os_reason(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "is a symlink loop; expected a .yaml file"
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        if os.path.islink(path):
            return "is a symlink to a missing file; expected a .yaml file"
        return "file not found"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "cannot be read: permission denied"
    return f"cannot be read: {exc.strerror or type(exc).__name__}"


def read_text(path: Path) -> str:
    """The UTF-8 text of ``path``, a regular file of at most MAX_INPUT_FILE_BYTES.

    The type and size are checked with ``stat`` before opening; the file is opened
    without blocking, its type checked again on the open descriptor, and at most the cap
    plus one byte read (files under ``/proc`` report size 0). Raises
    :class:`UnreadableFile`.
    """
    name = str(path)
    cap = limits.MAX_INPUT_FILE_BYTES
    too_big = f"allowed: at most {cap:,} bytes (sim.limits.MAX_INPUT_FILE_BYTES)"
    try:
        info = os.stat(path)
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        reason = _os_reason(path, exc) if isinstance(exc, OSError) else "file not found"
        raise UnreadableFile(name, reason) from None
    if reason := _not_regular(info.st_mode):
        raise UnreadableFile(name, reason)
    if info.st_size > cap:
        raise UnreadableFile(name, f"is {info.st_size:,} bytes; {too_big}")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise UnreadableFile(name, _os_reason(path, exc)) from None
    try:
        with os.fdopen(fd, "rb") as fh:
            if reason := _not_regular(os.fstat(fh.fileno()).st_mode):  # swapped since stat
                raise UnreadableFile(name, reason)
            data = fh.read(cap + 1)
    except OSError as exc:
        raise UnreadableFile(name, _os_reason(path, exc)) from None
    if len(data) > cap:
        raise UnreadableFile(name, f"is more than {cap:,} bytes; {too_big}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        reason = f"is not UTF-8 text (byte {exc.start + 1:,}); expected a .yaml file"
        raise UnreadableFile(name, reason) from None


_MERGE_TAG = "tag:yaml.org,2002:merge"
_WHAT = {
    "tag:yaml.org,2002:int": "a whole number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:timestamp": "a date",
    "tag:yaml.org,2002:binary": "base64 data",
}


class _BoundedLoader(yaml.SafeLoader):
    """Safe YAML loader with the limits and refusals listed in the module docstring."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._level = 0  # nesting level of the node being composed (root: 1)
        self._deepest = 0  # deepest level reached inside the node being composed
        self._nodes = 0  # values composed so far, aliases counted at their full size
        self._sizes: dict[int, tuple[int, int]] = {}  # id(anchored node) -> (values, height)

    def _count(self, values: int, mark: yaml.Mark) -> None:
        self._nodes += values
        if self._nodes > limits.MAX_YAML_NODES:
            raise ComposerError(
                None,
                None,
                f"the file expands to more than {limits.MAX_YAML_NODES:,} values (aliases "
                f"included); allowed: at most {limits.MAX_YAML_NODES:,} "
                "(sim.limits.MAX_YAML_NODES)",
                mark,
            )

    def _reach(self, level: int, mark: yaml.Mark) -> None:
        if level > limits.MAX_YAML_DEPTH:
            raise ComposerError(
                None,
                None,
                f"values are nested deeper than {limits.MAX_YAML_DEPTH} levels; allowed: at "
                f"most {limits.MAX_YAML_DEPTH} (sim.limits.MAX_YAML_DEPTH)",
                mark,
            )
        self._deepest = max(self._deepest, level)

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            target = self.anchors.get(event.anchor)
            if target is not None:
                if id(target) not in self._sizes:
                    raise ComposerError(
                        None,
                        None,
                        f"alias *{excerpt(event.anchor)[1:-1]} refers to a value that contains it",
                        event.start_mark,
                    )
                values, height = self._sizes[id(target)]
                self._count(values, event.start_mark)
                self._reach(self._level + height, event.start_mark)
            return super().compose_node(parent, index)
        self._level += 1
        outer_deepest, self._deepest = self._deepest, self._level
        self._reach(self._level, event.start_mark)
        self._count(1, event.start_mark)
        first = self._nodes
        node = super().compose_node(parent, index)
        if getattr(event, "anchor", None) is not None:
            self._sizes[id(node)] = (self._nodes - first + 1, self._deepest - self._level + 1)
        self._deepest = max(outer_deepest, self._deepest)
        self._level -= 1
        return node

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, OverflowError):
            what = _WHAT.get(node.tag, "a value")
            shown = excerpt(node.value) if isinstance(node, yaml.ScalarNode) else "this value"
            raise ConstructorError(
                None, None, f"cannot read {shown} as {what}", node.start_mark
            ) from None


def _construct_mapping(loader: _BoundedLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        if key_node.tag == _MERGE_TAG:
            raise ConstructorError(
                None,
                None,
                "'<<' merge keys are not supported; write the keys out (or reuse a whole "
                "scenario with 'extends:')",
                key_node.start_mark,
            )
        if not isinstance(key_node, yaml.ScalarNode):
            kind = "list" if isinstance(key_node, yaml.SequenceNode) else "mapping"
            raise ConstructorError(
                None, None, f"a key must be text, not a {kind}", key_node.start_mark
            )
        key = loader.construct_object(key_node, deep=deep)
        if key in mapping:
            raise ConstructorError(
                None, None, f"duplicate key {excerpt(str(key))}", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


_BoundedLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _cut(text: str) -> str:
    cap = 2 * limits.MAX_ECHO_CHARS
    return text if len(text) <= cap else text[: cap - 3] + "..."


def parse_yaml(text: str, name: str) -> Any:
    """The value of the single YAML document in ``text`` (``name`` labels problems)."""
    try:
        loader = _BoundedLoader(text)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        what = exc.problem or str(exc.context or "")
        if exc.problem and exc.context:
            what = f"{exc.problem} ({exc.context})"
        if "'\\t'" in what:
            what += "; indent with spaces, not tabs"
        raise ScenarioError([Problem(name, "", f"invalid YAML at {line}{_cut(what)}")]) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        char = exc.character if isinstance(exc.character, int) else 0
        problem = f"invalid YAML at line {line}: character #x{char:04x} is not allowed"
        raise ScenarioError([Problem(name, "", problem)]) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([Problem(name, "", f"invalid YAML: {_cut(str(exc))}")]) from None


def read_yaml(path: Path) -> dict[str, Any]:
    """The top-level mapping of the YAML file ``path`` (empty file: ``{}``).

    Raises :class:`UnreadableFile` when the path is not a readable regular file of
    allowed size, and :class:`~sim.scenario.problems.ScenarioError` for bad YAML.
    """
    name = str(path)
    data = parse_yaml(read_text(path), name)
    if data is None:
        return {}
    if not isinstance(data, dict):
        kind = type(data).__name__
        problem = f"top level is a {kind}; expected a mapping of keys"
        raise ScenarioError([Problem(name, "", problem)])
    return data
