"""Run the hostile corpus in this process under an address-space cap; print one JSON line per case.

    python -m support.hostile_runner FOLDER [NAME ...]   (from tests/, as the test does)
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

MEMORY_CAP = 3 * 1024**3  # bytes of address space for the whole run


def main(argv: list[str]) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
    from typer.testing import CliRunner

    from dhrkg.cli import app
    from support.hostile import CASES, write_case

    root, names = Path(argv[0]), set(argv[1:])
    runner = CliRunner()
    for case in CASES:
        if names and case.name not in names:
            continue
        folder = root / case.name
        folder.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        try:
            args = write_case(case, folder)
            result = runner.invoke(app, args, env={"COLUMNS": "80"})
            exc = result.exception if not isinstance(result.exception, SystemExit) else None
            out = {"exit_code": result.exit_code, "output": result.output,
                   "exception": f"{type(exc).__name__}: {exc}"[:300] if exc else None}
        except BaseException as exc:  # MemoryError writing the files, ...
            out = {"exit_code": None, "output": "", "exception": f"{type(exc).__name__}: {exc}"[:300]}
        out.update(name=case.name, seconds=round(time.monotonic() - started, 2))
        print(json.dumps(out), flush=True)
        if out["exception"]:
            sys.exit(3)  # what it left in memory must not fail the next case


if __name__ == "__main__":
    main(sys.argv[1:])
