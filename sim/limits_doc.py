"""``docs/limits.md``, generated from :mod:`sim.limits` and the rules the loaders enforce.

Every constant of ``sim/limits.py`` that has a docstring (a string right after its
assignment) becomes a row of its section's table, the section being the ``# -- title --``
comment above it, with the comment block under that title as the section's introduction.
The rules that are not numbers (regular files only, no NaN, refused destinations, folder
kinds, the writer's lock) are described in :data:`RULES`, each naming the module that
enforces it. ``python -m sim.limits_doc`` rewrites the document;
``python -m sim.limits_doc --check`` writes nothing and exits 1 when it is out of date.
"""

from __future__ import annotations

import argparse
import ast
import inspect
import itertools
import re
import sys
import types
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sim import limits
from sim.experiment.destinations import MAX_NAME_CHARS
from sim.experiment.lockfile import LOCK
from sim.scenario.schema import Agency, Scenario

DOC = Path(__file__).resolve().parents[1] / "docs" / "limits.md"
REGENERATE = "python -m sim.limits_doc"
SECTION = re.compile(r"^# -- (?P<title>.+?) --\s*$")


@dataclass
class Entry:
    """One documented constant: its name, its value and its docstring."""

    name: str
    value: object
    doc: str


@dataclass
class Section:
    """A ``# -- title --`` block of ``sim/limits.py`` and the constants under it."""

    title: str
    intro: str
    line: int
    entries: list[Entry] = field(default_factory=list)


@dataclass(frozen=True)
class Rule:
    """A limit that is a rule rather than a number: what, why, how to lift, where."""

    title: str
    text: str
    module: str


def _most(model: type, name: str) -> str:
    """The schema's upper bound (``le``) of ``model.name``, formatted."""
    bound = next(m.le for m in model.model_fields[name].metadata if hasattr(m, "le"))
    return f"{bound:,}"


RULES = [
    Rule(
        "Scenario ranges",
        "Every scenario key has a range (docs/scenario-reference.md); those that bound a "
        f"job's size are `months` (at most {_most(Scenario, 'months')}), `replicates` (at "
        f"most {_most(Scenario, 'replicates')}), and each agency's `strategic` (at most "
        f"{_most(Agency, 'strategic')}) and `frontline` (at most "
        f"{_most(Agency, 'frontline')}) staff. They are checked on the numbers, before "
        "anything is built; what a combination of them costs is the job-size check's "
        "business. Lifted by editing the schema.",
        "sim/scenario/schema.py",
    ),
    Rule(
        "Regular files only",
        "A scenario file, every file of its `extends:` chain and a sweep file must be a "
        "regular file (symlinks are followed). Devices (`/dev/zero`), pipes, sockets, folders "
        "and symlink loops are refused before they are opened, each with its own message. "
        "Why: reading a device or a pipe never ends. Not lifted.",
        "sim/scenario/yamlfile.py",
    ),
    Rule(
        "Strict YAML",
        "Duplicate keys, a list or mapping used as a key and `<<` merge keys are refused "
        "(`extends:` is the way to reuse a scenario). Why: each would silently change what "
        "the file means. Not lifted.",
        "sim/scenario/yamlfile.py",
    ),
    Rule(
        "No NaN or infinity",
        "No `.nan`, `.inf` or `-.inf` anywhere in a scenario, whatever the key's range. Why: "
        "a run cannot use them, and `check` must refuse what `run` cannot run. Not lifted.",
        "sim/scenario/loader.py",
    ),
    Rule(
        "Safe output folder names",
        "A folder name made from a scenario name keeps letters, digits, `_`, `.` and `-`, "
        f"drops leading dots and dashes, is at most {MAX_NAME_CHARS} characters and never "
        "empty. Why: `name: ../../x` must not write outside `results/`. Not lifted.",
        "sim/experiment/destinations.py",
    ),
    Rule(
        "Refused destinations",
        "`--out` may not be the filesystem root, your home folder, the project's own folders "
        "(its root, `sim/`, `scenarios/`, `tests/`, `docs/`, `notebooks/`, `benchmarks/`, "
        "`.ci/`, `.git/`, `results/` itself), anything inside `.git/` or `sim/`, or anything "
        "under `/proc`, `/sys` or `/dev`; nor a folder path that is a file or lies under one. "
        "Why: a results folder is cleared and rewritten. Not lifted: choose another folder.",
        "sim/experiment/destinations.py",
    ),
    Rule(
        "One kind of result per folder",
        "A results folder holds one kind of result (`run`, `compare`, `sweep`, `patterns`, "
        "written as `kind` in `manifest.json`); a command refuses a folder that holds another "
        "kind, naming it. Readers (`report`, `export`, `analyse`) refuse a folder whose "
        "manifest is missing, unreadable, not `complete: true` or of a kind they do not read. "
        "Why: a folder must never claim to be something it is not. Not lifted.",
        "sim/experiment/folder.py",
    ),
    Rule(
        "One writer at a time",
        f"A command writing a results folder holds its lock file `{LOCK}` (PID, host, "
        "command, start time); another command refuses the folder while that process lives, "
        "naming its PID. A lock left by a dead process on this machine is taken over with a "
        "notice. Why: two writers at once leave a manifest that does not describe the data. "
        "Lifted by ending the other process, or by deleting a lock left by a process on "
        "another machine.",
        "sim/experiment/lockfile.py",
    ),
]


def sections(module: types.ModuleType = limits) -> list[Section]:
    """The ``# -- title --`` sections of ``module``'s source and their documented constants."""
    return sections_of(inspect.getsource(module), module)


def sections_of(source: str, module: types.ModuleType) -> list[Section]:
    """The sections of ``source`` (the text of ``module``), values read from ``module``."""
    lines = source.splitlines()
    found: list[Section] = []
    for number, text in enumerate(lines, start=1):
        match = SECTION.match(text)
        if match:
            intro = []
            for after in lines[number:]:
                if not after.startswith("#"):
                    break
                intro.append(after.lstrip("#").strip())
            prose = " ".join(" ".join(intro).split())
            found.append(Section(match["title"], prose, number))
    body = ast.parse(source).body
    for node, after in itertools.pairwise(body):
        if not (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            continue
        name = node.targets[0].id
        owner = [s for s in found if s.line < node.lineno]
        if not owner:
            raise ValueError(f"{name} is above every '# -- title --' section of sim/limits.py")
        doc = " ".join(inspect.cleandoc(after.value.value).split())
        owner[-1].entries.append(Entry(name, getattr(module, name), doc))
    return [s for s in found if s.entries]


def _value(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"`{value}`"
    return f"{value:,}" if isinstance(value, int) else f"{value:g}"


def _lift(entry: Entry) -> str:
    if entry.name == "LIFT_FLAG":
        return "—"
    if limits.LIFT_FLAG in entry.doc:
        return f"`{limits.LIFT_FLAG}`"
    if "Estimate" in entry.doc:
        return "an estimate, not a limit"
    return "edit `sim/limits.py`"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("``", "`")


def render(module: types.ModuleType = limits) -> str:
    """The whole of ``docs/limits.md``."""
    out = [
        "# Limits",
        "",
        f"<!-- Generated from sim/limits.py by `{REGENERATE}`; do not edit by hand. -->",
        "",
        "partnersim refuses, quickly and before it writes anything, input and work it cannot "
        "handle: it exits with status 2 and prints one line per problem (the file, the key, "
        "what is wrong and what is allowed), never a traceback. Every numeric limit lives in "
        "`sim/limits.py`, with its reason; this page is generated from it. A limit with no "
        "flag is lifted by editing its value there.",
    ]
    for section in sections(module):
        title = _cell(section.title)
        out += ["", f"## {title[:1].upper()}{title[1:]}", ""]
        if section.intro:
            out += [_cell(section.intro), ""]
        out += ["| limit | value | what and why | lifted by |", "|---|---|---|---|"]
        out += [
            f"| `{e.name}` | {_value(e.value)} | {_cell(e.doc)} | {_lift(e)} |"
            for e in section.entries
        ]
    out += ["", "## Rules that are not numbers", ""]
    out += [f"- **{r.title}** ({'`' + r.module + '`'}). {r.text}" for r in RULES]
    return "\n".join(out) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Rewrite ``docs/limits.md``, or (``--check``) exit 1 when it is out of date."""
    parser = argparse.ArgumentParser(prog=REGENERATE, description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if stale")
    parser.add_argument("--doc", type=Path, default=DOC, help="the document to write")
    args = parser.parse_args(argv)
    wanted = render()
    current = args.doc.read_text(encoding="utf-8") if args.doc.is_file() else None
    if args.check:
        if current != wanted:
            print(f"{args.doc} is out of date with sim/limits.py; run `{REGENERATE}`")
            return 1
        return 0
    if current != wanted:
        args.doc.write_text(wanted, encoding="utf-8")
        print(f"wrote {args.doc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
