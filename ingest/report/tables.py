"""The table pass: action-plan and chronology tables, in any of their common layouts.

A header row (a table row whose cells ``rules/tables.yaml`` names: Recommendation,
Scope, Action, Lead agency, Target date ...; or Date, Agency, Event) opens a table;
the rows after it are its items, one per row, until the next header or three blocks
that are not table rows, or a heading of another part of the report. A header row repeated on every page is skipped; a row whose
item cell is empty carries on the item above (another action for the same
recommendation). In the other layout, one small table per item, every row has two
cells, a header and its value (``Lead agency | X Police``), and an item starts at
each ``Recommendation`` row. Text, PDF and DOCX readers all give table rows as cells,
so the pass is the same for the three formats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from .dates import find_dates
from .document import Block, Document
from .rules import load_rules

TableKind = Literal["action_plan", "chronology"]

#: how many blocks that are not table rows a table survives (a running page header between its rows)
_GAP = 3
_LEADING_NUMBER = re.compile(r"^\s*(?:recommendation\s*)?(?:no\.?\s*)?(\d{1,3}(?:\.\d{1,3})?|[A-Z]?\d{1,3})[.):]?\s+(?=\S)", re.I)
_NUMBER_ONLY = re.compile(r"^\s*(?:recommendation\s*)?(?:no\.?\s*)?(\d{1,3}(?:\.\d{1,3})?)[.):]?\s*$", re.I)


@dataclass
class TableItem:
    """One item of a table: its values by column role, and the blocks it was read from."""

    values: dict[str, str]
    blocks: list[Block] = field(default_factory=list)
    number: str | None = None
    rules: list[str] = field(default_factory=list)   # the column rules that named its cells

    @property
    def first(self) -> Block:
        return self.blocks[0]


@dataclass
class Table:
    kind: TableKind
    layout: Literal["rows", "one_per_item"]
    header: Block
    items: list[TableItem] = field(default_factory=list)


def column_role(header_cell: str) -> tuple[str, str] | None:
    """(role, rule id) of a header cell, or None."""
    text = header_cell.strip(" :*")
    if not text or len(text) > 80:
        return None
    rule = load_rules("tables").first(text)
    return (rule.assigns["role"], rule.id) if rule else None


def _header(cells: list[str]) -> list[tuple[str, str] | None] | None:
    """The roles of a header row's columns, or None when the row is not a header."""
    roles = [column_role(c) if len(c) <= 80 and not re.search(r"\d{4}", c) else None for c in cells]
    named = [r for r in roles if r]
    if len(named) < 2 or len(named) < len([c for c in cells if c]) - 1:
        return None
    return roles


def _kind(roles: list[tuple[str, str] | None]) -> TableKind | None:
    have = {r[0] for r in roles if r}
    if "recommendation" in have and have & {"action", "agency", "scope", "target_date", "outcome", "milestones",
                                            "number"}:
        return "action_plan"
    if "date" in have and have & {"event", "agency"}:
        return "chronology"
    return None


def read_tables(doc: Document) -> list[Table]:
    """Every action-plan and chronology table of the document."""
    tables: list[Table] = []
    current: Table | None = None
    roles: list[tuple[str, str] | None] = []
    gap = 0
    blocks = doc.blocks
    for k, b in enumerate(blocks):
        if b.kind != "table_row" or not b.cells:
            gap += 1
            if current is not None and (gap > _GAP or _new_part(current, b)):
                current = None
            continue
        gap = 0
        cells = b.cells
        head = _header(cells)
        if head is not None and _kind(head):
            if current is not None and current.layout == "rows" and [r and r[0] for r in head] == \
                    [r and r[0] for r in roles]:
                continue  # the header repeated on a new page
            roles = head
            current = Table(_kind(head), "rows", b)
            tables.append(current)
            continue
        if current is None and _date_cell(cells[0]) and len(cells) >= 2:
            # a chronology table without a header row: "12/03/2018 | Police | Officers attended ..."
            roles = _implicit_roles(cells)
            current = Table("chronology", "rows", b)
            tables.append(current)
        pair = _pair(cells)
        if pair is not None and (current is None or current.layout == "one_per_item"):
            current = _add_pair(tables, current, b, pair)
            continue
        if current is None or current.layout != "rows":
            continue
        _add_row(current, roles, b)
    return [t for t in tables if t.items]


def _new_part(table: Table, b: Block) -> bool:
    """A heading of another part of the report ends a table ("Recommendations" after the chronology table)."""
    return b.kind == "heading" and bool(b.part) and bool(table.header.part) and b.part != table.header.part


#: a cell with words in it (not a page number, a dash or "Page 31")
_WORDS = re.compile(r"[A-Za-z]{2,}(?:\W+[A-Za-z]{2,}){2,}")


def _date_cell(cell: str) -> bool:
    """A cell that is a date and nothing else ("12/03/2018", "3rd March 2018", "March 2018")."""

    cell = cell.strip()
    if not cell or len(cell) > 30:
        return False
    found = find_dates(cell)
    return bool(found) and len(found[0].text) >= len(cell) - 8


def _implicit_roles(cells: list[str]) -> list[tuple[str, str] | None]:
    """Column roles of a headerless chronology row: the date, the longest cell as the entry, a short
    cell before it as the agency."""
    event = max(range(1, len(cells)), key=lambda i: len(cells[i]))
    roles: list[tuple[str, str] | None] = [None] * len(cells)
    roles[0] = ("date", "col.implicit-date")
    roles[event] = ("event", "col.implicit-event")
    if event > 1 and len(cells[event - 1]) <= 80:
        roles[event - 1] = ("agency", "col.implicit-agency")
    return roles


def _pair(cells: list[str]) -> tuple[str, str, str] | None:
    """(role, rule id, value) of a row "header | value" of a one-item table."""
    filled = [c for c in cells if c]
    if len(cells) > 3 or not filled or (len(cells) > 1 and cells[1] and not _WORDS.search(cells[1])):
        return None
    found = column_role(re.sub(r"\s*(?:no\.?\s*)?\d{1,3}(?:\.\d{1,3})?\s*$", "", cells[0], flags=re.I))
    if found is None:
        return None
    value = " ".join(c for c in cells[1:] if c)
    return found[0], found[1], value


def _add_pair(tables: list[Table], current: Table | None, b: Block, pair: tuple[str, str, str]) -> Table | None:
    role, rule, value = pair
    if role == "recommendation":
        if current is None:
            current = Table("action_plan", "one_per_item", b)
            tables.append(current)
        number = re.search(r"(\d{1,3}(?:\.\d{1,3})?)\s*$", b.cells[0])
        item = TableItem({"recommendation": value}, [b], number.group(1) if number else None, [rule])
        _number_from_text(item)
        current.items.append(item)
        return current
    if current is not None and current.items:
        item = current.items[-1]
        if role not in item.values and value:
            item.values[role] = value
            item.rules.append(rule)
        item.blocks.append(b)
    return current


def _add_row(table: Table, roles: list[tuple[str, str] | None], b: Block) -> None:
    values: dict[str, str] = {}
    rules: list[str] = []
    for role, cell in zip(roles, b.cells):
        if role and cell and role[0] not in values:
            values[role[0]] = cell
            rules.append(role[1])
    main = "recommendation" if table.kind == "action_plan" else "event"
    if not values or not any(_WORDS.search(v) or re.search(r"\d", v) for v in values.values()):
        return  # an empty row, or a row of dashes
    text = values.get(main, "")
    if table.items and text[:1].islower() and not values.get("number") and not values.get("date"):
        last = table.items[-1]   # the cell going on after a page break
        last.values[main] = f"{last.values.get(main, '')} {text}".strip()
        last.blocks.append(b)
        return
    if not values.get(main) and table.items and (table.kind == "action_plan" or not values.get("date")):
        # another action of the recommendation above, or the entry going on over a page break
        last = table.items[-1]
        last.blocks.append(b)
        if table.kind == "chronology" and values.get("event"):
            last.values["event"] = f"{last.values['event']} {values['event']}"
        return
    item = TableItem(values, [b], values.get("number"), rules)
    _number_from_text(item)
    table.items.append(item)


def _number_from_text(item: TableItem) -> None:
    """"1. Police should ..." in the recommendation cell: the number, and the text without it."""
    text = item.values.get("recommendation")
    if not text:
        return
    only = _NUMBER_ONLY.match(text)
    if only:
        return
    m = _LEADING_NUMBER.match(text)
    if m:
        item.number = item.number or m.group(1)
        item.values["recommendation"] = text[m.end():]
    if item.number:
        item.number = _NUMBER_ONLY.sub(r"\1", item.number)
