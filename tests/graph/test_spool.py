"""The bulk loader's spool: the rows of many reviews in nameless files (case data is never left
in a directory, whatever ends the process; tests/cli/test_bulk_load_user.py kills a load with
kill -9 and finds its TMPDIR empty), read back whole by each reader."""

from __future__ import annotations

import tempfile
from pathlib import Path

from dhrkg.graph.bulk import Spool, _read_lines
from dhrkg.graph.schema import case_rows
from dhrkg.model import load_case

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ROWS = [{"key": f"r/{i}", "name": "Zoë Ångström " * (i % 7), "aliases": ["Ł", "😀" * i]} for i in range(300)]


def a_file(rows: list[dict]):
    import json

    fh = tempfile.TemporaryFile()
    fh.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8"))
    fh.flush()
    return fh


def test_rows_come_back_whole_whatever_the_chunk_cuts():
    """Chunks that cut a row, and a character of several bytes, in two."""
    with a_file(ROWS) as fh:
        for chunk in (1, 5, 64, 1 << 20):
            assert list(_read_lines(fh, chunk)) == ROWS


def test_two_readers_of_one_file_do_not_move_each_other():
    with a_file(ROWS) as fh:
        first, second = _read_lines(fh, 64), _read_lines(fh, 64)
        assert [next(first) for _ in range(10)] == ROWS[:10]
        assert list(second) == ROWS
        assert list(first) == ROWS[10:]


def test_a_spool_leaves_no_file_in_its_directory(tmp_path):
    with Spool(tmp_path) as spool:
        for f in sorted(EXAMPLES.glob("*.yaml")):
            spool.add(case_rows(load_case(f)))
        assert not list(tmp_path.iterdir())
        streams = spool.streams()
        assert sum(len(list(s.rows)) for s in streams if s.kind == "node") == spool.rows("node")
        again = spool.streams()  # asked for again: read from the start
        assert sum(len(list(s.rows)) for s in again if s.kind == "edge") == spool.rows("edge")
    assert not list(tmp_path.iterdir())
