"""GRAPH.BULK's value packing (dhrkg.graph.falkordb.bulk_insert): a list of texts packed in one
go (Person.find_text's pieces, dozens a person) is byte for byte the list packed value by value,
and a NUL character in any of its texts is refused, naming where."""

from __future__ import annotations

import random

import pytest

from dhrkg.graph.falkordb.bulk_insert import ARRAY, BulkInsertError, _LONG, pack_value

ALPHABET = "abcÉéñ’李 '\"\\x<>"


def value_by_value(values: list) -> bytes:
    return _LONG(ARRAY, len(values)) + b"".join(pack_value(v, "w") for v in values)


def test_a_list_of_texts_is_packed_as_its_values_one_by_one():
    rng = random.Random(5)
    lists = [[], [""], ["a"], ["<abc>", "<é’x>"], ["x" * 60] * 3]
    lists += [["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 7))) for _ in range(rng.randint(0, 6))]
              for _ in range(300)]
    for values in lists:
        assert pack_value(values, "w") == value_by_value(values)
        assert pack_value(tuple(values), "w") == value_by_value(values)


@pytest.mark.parametrize("values", [["a\0b"], ["ok", "\0"], ["\0", ""]])
def test_a_nul_in_a_list_of_texts_is_refused(values):
    with pytest.raises(BulkInsertError, match="Person, row 3: a text value holds a NUL character"):
        pack_value(values, "Person, row 3")
