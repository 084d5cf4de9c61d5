"""Store the regression baseline again, on purpose, after a change of model output.

Run ``.venv/bin/python tests/regression/update_baseline.py`` and flag the change with
**[output]** in CHANGELOG.md; the regression test fails until both are done.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from regression_case import FLAG, STORED, compute, output_flags, stored


def main() -> None:
    flags = output_flags()
    if STORED.exists() and stored().get("changelog_output_flags", 0) >= flags:
        sys.exit(
            f"CHANGELOG.md flags no new change of model output ({flags} {FLAG} entries, as "
            "when the baseline was last stored): add an entry that says what changed, then "
            "run this again"
        )
    data = compute()
    data["changelog_output_flags"] = flags
    STORED.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {STORED} ({flags} flagged output changes in CHANGELOG.md)")


if __name__ == "__main__":
    main()
