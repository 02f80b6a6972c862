"""One owner of each job, checked on the source: the keys of the linked records' nodes are made
in dhrkg.graph.records only (the API's row scope reads its prefixes there), and FalkorDBStore's
private parts are touched inside dhrkg.graph.falkordb only; text is laid out for a terminal
(wrapped at 80 columns) by dhrkg.terminal only."""

from __future__ import annotations

import re
from pathlib import Path

from support.layering import REPO, package_folders


def sources() -> dict[str, Path]:
    """Every Python file of the distribution, by the module it is installed as."""
    return {f"{package}.{path.stem}": path for package, folder in package_folders().items()
            for path in sorted(folder.glob("*.py"))}


def offenders(pattern: str, allowed) -> list[str]:
    found = []
    for module, path in sources().items():
        if allowed(module):
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(pattern, line):
                found.append(f"{path.relative_to(REPO)}:{n}: {line.strip()}")
    return found


#: a key of a linked record's node written out: "incident/...", "contact/...", "ID-..." (in an
#: f-string or as a prefix to match)
LINKED_KEY = r"""f["'](incident|contact)/|["'](incident|contact)/["']|f["']ID-\{|["']ID-["']|\(["']incident["'], ["']contact["']\)"""


def test_the_keys_of_linked_records_are_made_in_graph_records_only():
    assert offenders(LINKED_KEY, lambda m: m == "dhrkg.graph.records") == []


def test_the_pattern_finds_a_key_made_elsewhere():
    assert re.search(LINKED_KEY, '''key = f"incident/{row['incident_id']}"''')
    assert re.search(LINKED_KEY, 'return f"ID-{self.ids[k]}"')
    assert re.search(LINKED_KEY, 'OUTSIDE_REVIEWS = ("incident", "contact")')
    assert not re.search(LINKED_KEY, "identity_key(str(root))")


#: FalkorDBStore's connection and graph handle, reached from outside its own package
FALKORDB_PRIVATES = r"\._(graph|redis)\b"


def test_falkordb_store_privates_are_used_inside_graph_falkordb_only():
    assert offenders(FALKORDB_PRIVATES, lambda m: m.startswith("dhrkg.graph.falkordb.")) == []


def test_the_pattern_finds_a_private_reached_into():
    assert re.search(FALKORDB_PRIVATES, "store._graph.delete()")
    assert re.search(FALKORDB_PRIVATES, "bulk_insert(store._redis, name, streams)")
    assert not re.search(FALKORDB_PRIVATES, "store.graph_name, self._graphviz")


#: text wrapped by hand rather than by dhrkg.terminal (the one layout of terminal text)
WRAPPING = r"^\s*(import textwrap|from textwrap import)"


def test_terminal_text_is_wrapped_in_dhrkg_terminal_only():
    assert offenders(WRAPPING, lambda m: m == "dhrkg.terminal") == []


def test_the_pattern_finds_a_wrapper_of_its_own():
    assert re.search(WRAPPING, "    import textwrap")
    assert re.search(WRAPPING, "from textwrap import fill")
    assert not re.search(WRAPPING, "from dhrkg.terminal import wrapped")


#: a file put in place by hand (a temporary file renamed) rather than by dhrkg.outputs
RENAMING = r"\bos\.(replace|rename)\(|\b(tmp|temp|part)\.(replace|rename)\("


def test_files_are_put_in_place_by_dhrkg_outputs_only():
    assert offenders(RENAMING, lambda m: m == "dhrkg.outputs") == []


def test_the_pattern_finds_a_rename_by_hand():
    assert re.search(RENAMING, "    os.replace(tmp, self.path)")
    assert re.search(RENAMING, "    tmp.replace(path)")
    assert not re.search(RENAMING, 'text.replace("a", "b")')
