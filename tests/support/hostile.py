"""The hostile-input corpus: files made by code (nothing big is committed), the command a user
would run on them, and the exact outcome expected (exit status and a piece of the message).

``CASES`` is data: each case writes its files into a folder and names the `dhrkg` arguments,
with ``{d}`` for that folder. tests/security/test_hostile_corpus.py runs them all in one subprocess
whose address space is capped (RLIMIT_AS), so a case that grows without bound fails there
instead of swapping the machine.
"""

from __future__ import annotations

import codecs
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

Files = dict[str, bytes]

HEADER = "record_id,source,force_area,forename,surname,date_of_birth,sex,postcode_district\n"
ROW_A = "A,police,West Mercia,Bob,Smith,1980-01-02,M,WR1\n"
ROW_B = "B,police,West Mercia,Robert,Smith,1980-01-02,M,WR1\n"
CASE_HEAD = "format: dhr-case/1\nreview: {id: r1}\n"


@dataclass(frozen=True)
class Case:
    name: str
    files: Callable[[], Files]
    args: tuple[str, ...]
    exit_code: int
    expect: str  # a piece of the output (stdout and stderr)
    notes: str = ""
    absent: tuple[str, ...] = field(default=("Traceback",))


def text(**files: str) -> Callable[[], Files]:
    return lambda: {k.replace("__", "/").replace("_dot_", "."): v.encode("utf-8") for k, v in files.items()}


def raw(**files: bytes) -> Callable[[], Files]:
    return lambda: {k.replace("__", "/").replace("_dot_", "."): v for k, v in files.items()}


# --------------------------------------------------------------------------- case files

def billion_laughs() -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    return CASE_HEAD + "\n".join(lines) + "\n"


def persons(n: int) -> str:
    return "persons:\n" + "".join(f"  - {{id: p{i}, name: Person {i}}}\n" for i in range(n))


def parent_cycle(n: int) -> str:
    rels = "".join(f"  - {{type: parent, from: p{i}, to: p{(i + 1) % n}}}\n" for i in range(n))
    return CASE_HEAD + persons(n) + "relationships:\n" + rels


def parent_chain(n: int) -> str:
    """p0 is the child of p1, the child of p2 ...: the youngest sorts first, so a recursive
    check would go n deep."""
    rels = "".join(f"  - {{type: parent, from: p{i + 1}, to: p{i}}}\n" for i in range(n - 1))
    return CASE_HEAD + persons(n) + "relationships:\n" + rels


def big_case_file(mb: int) -> bytes:
    one = "  - {id: pXXXXXXX, name: A person with a long enough name to fill the file, notes: padding padding}\n"
    n = mb * 1024 * 1024 // len(one) + 1
    return (CASE_HEAD + "persons:\n" + "".join(one.replace("XXXXXXX", f"{i:07d}") for i in range(n))).encode()


def nested_block(depth: int) -> str:
    return CASE_HEAD + "x:\n" + "".join("  " * i + "k:\n" for i in range(1, depth)) + "  " * depth + "k: 1\n"


VALID = CASE_HEAD + "persons:\n  - {id: v, name: Victim, sex: female}\n  - {id: p, name: Perp, sex: male}\n"

CASEFILES = [
    Case("yaml-billion-laughs", lambda: {"c.yaml": billion_laughs().encode()}, ("validate", "{d}/c.yaml"), 2,
         "more than 500,000 values"),
    Case("yaml-too-large", lambda: {"c.yaml": big_case_file(12)}, ("validate", "{d}/c.yaml"), 2,
         "too large for a case file"),
    Case("yaml-nested-flow-50000", text(c_dot_yaml=CASE_HEAD + "x: " + "[" * 50000 + "]" * 50000 + "\n"),
         ("validate", "{d}/c.yaml"), 2, "nested more than 100 levels deep"),
    Case("yaml-nested-block-2000", text(c_dot_yaml=nested_block(2000)), ("validate", "{d}/c.yaml"), 2,
         "nested more than 100 levels deep"),
    Case("json-nested-50000", text(c_dot_json='{"x": ' + "[" * 50000 + "]" * 50000 + "}"),
         ("validate", "{d}/c.json"), 2, "nested"),
    Case("yaml-5000-digit-int", text(c_dot_yaml=CASE_HEAD + "persons: [{id: p, age: " + "9" * 5000 + "}]\n"),
         ("validate", "{d}/c.yaml"), 2, "a number of 5000 characters"),
    Case("json-5000-digit-int", text(c_dot_json='{"format": "dhr-case/1", "x": ' + "9" * 5000 + "}"),
         ("validate", "{d}/c.json"), 2, "number is too long"),
    Case("yaml-100-digit-float", text(c_dot_yaml=CASE_HEAD + "x: " + "1" * 100 + ".5\n"),
         ("validate", "{d}/c.yaml"), 2, "a number of 102 characters"),
    Case("yaml-2000-aliases", text(c_dot_yaml=CASE_HEAD + "a: &a x\nb: [" + ", ".join(["*a"] * 2000) + "]\n"),
         ("validate", "{d}/c.yaml"), 2, "more than 1,000 aliases"),
    Case("parent-cycle-3000", text(c_dot_yaml=parent_cycle(3000)), ("validate", "{d}/c.yaml"), 1,
         "parent cycle: p0 -> p1 -> p2 -> ... (3000 people)"),
    Case("parent-chain-2000-generations", text(c_dot_yaml=parent_chain(2000)), ("validate", "{d}/c.yaml"), 0,
         "valid"),
    Case("own-parent", text(c_dot_yaml=VALID + "relationships: [{type: parent, from: v, to: v}]\n"),
         ("validate", "{d}/c.yaml"), 1, "'v' cannot be their own parent"),
    Case("nul-in-name", text(c_dot_yaml=CASE_HEAD + 'persons: [{id: p, name: "Ann\\0e"}]\n'),
         ("validate", "{d}/c.yaml"), 1, "persons[0].name: contains a control character (U+0000)"),
    Case("nul-in-json", text(c_dot_json='{"format": "dhr-case/1", "review": {"id": "r", "title": "a\\u0000"}}'),
         ("validate", "{d}/c.json"), 1, "review.title: contains a control character (U+0000)"),
    Case("escape-sequence-in-notes", text(c_dot_yaml=CASE_HEAD + 'persons: [{id: p, notes: "\\e[2J\\e[31m"}]\n'),
         ("validate", "{d}/c.yaml"), 1, "control character (U+001B) at character 1"),
    Case("zero-width-space-in-review-id", text(c_dot_yaml='format: dhr-case/1\nreview: {id: "r1\\u200b"}\n'),
         ("validate", "{d}/c.yaml"), 1, "review.id: contains an invisible character (U+200B)"),
    Case("newline-in-id", text(c_dot_yaml='format: dhr-case/1\nreview: {id: "r\\nx"}\n'),
         ("validate", "{d}/c.yaml"), 1, "review.id: contains a line break (U+000A)"),
    Case("bidi-override-in-member", text(c_dot_yaml=VALID + 'households: [{id: h, members: ["v\\u202e"]}]\n'),
         ("validate", "{d}/c.yaml"), 1, "households[0].members[0]: contains an invisible character"),
    Case("nbsp-in-person-ref", text(c_dot_yaml=VALID + 'relationships: [{type: partner, from: v, to: "p\\u00a0"}]\n'),
         ("validate", "{d}/c.yaml"), 1, "an unusual space (U+00A0)"),
    Case("utf8-bom-valid", lambda: {"c.yaml": codecs.BOM_UTF8 + VALID.encode()}, ("validate", "{d}/c.yaml"), 0,
         "valid"),
    Case("utf16-case-file", lambda: {"c.yaml": VALID.encode("utf-16")}, ("validate", "{d}/c.yaml"), 2,
         "not UTF-8 text"),
    Case("binary-case-file", lambda: {"c.yaml": bytes(range(256)) * 8}, ("validate", "{d}/c.yaml"), 2,
         "not UTF-8 text"),
    Case("empty-case-file", raw(c_dot_yaml=b""), ("validate", "{d}/c.yaml"), 2, "the file is empty"),
    Case("dev-zero-case-file", lambda: {}, ("validate", "/dev/zero"), 2, "too large for a case file"),
    Case("directory-as-case-file", lambda: {"sub/x": b""}, ("validate", "{d}/sub"), 2, "is a directory"),
    Case("python-name-tag", text(c_dot_yaml=CASE_HEAD + "x: !!python/name:os.system ''\n"),
         ("validate", "{d}/c.yaml"), 2, "not valid YAML/JSON"),
    Case("python-object-apply-tag-is-plain-data", text(c_dot_yaml=CASE_HEAD + "x: !!python/object/apply:os.system [touch pwned]\n"),
         ("validate", "{d}/c.yaml"), 1, "x: unknown field"),
    Case("undefined-alias", text(c_dot_yaml=CASE_HEAD + "x: *nowhere\n"), ("validate", "{d}/c.yaml"), 2,
         "not valid YAML/JSON"),
    Case("duplicate-key", text(c_dot_yaml=CASE_HEAD + "persons: []\npersons: []\n"), ("validate", "{d}/c.yaml"), 1,
         "duplicate key 'persons'"),  # a problem with its line; every other rule still runs
    Case("json-list-not-mapping", text(c_dot_json="[1, 2]"), ("validate", "{d}/c.json"), 1, "must be a mapping"),
]


# --------------------------------------------------------------------------- records (import-records)

def records_dir(people: bytes, **others: bytes) -> Callable[[], Files]:
    return lambda: {"rec/people_records.csv": people, **{f"rec/{k}.csv": v for k, v in others.items()}}


GOOD_PEOPLE = (HEADER + ROW_A + ROW_B).encode()
CONTACTS_HEAD = "contact_id,source,force_area,date,record_id,type\n"
IMPORT = ("import-records", "{d}/rec", "--data-dir", "{d}/data")

RECORDS = [
    Case("records-latin1", records_dir((HEADER + ROW_A + "B,police,WM,J\xf6rg,M\xfcller,1980,M,WR1\n").encode("latin-1")),
         IMPORT, 1, "people_records.csv:3: not UTF-8 text (byte 0xf6)"),
    Case("records-utf16", records_dir((HEADER + ROW_A).encode("utf-16")), IMPORT, 1, "UTF-16 text; save it as UTF-8"),
    Case("records-binary", records_dir(bytes(range(128, 256)) * 40), IMPORT, 1, "not UTF-8 text"),
    Case("records-nul-in-contacts", records_dir(GOOD_PEOPLE, contacts=(CONTACTS_HEAD + "c1,gp,WM,2020-01-01,A,vi\x00sit\n").encode()),
         IMPORT, 1, "contacts.csv:2: field 6 contains a control character (U+0000)"),
    Case("records-field-over-131072", records_dir((HEADER + "A,police,WM," + "x" * 140_000 + ",S,1980,M,WR1\n").encode()),
         IMPORT, 1, "people_records.csv:2: a field longer than 131,072 characters"),
    Case("records-ragged-row", records_dir((HEADER + ROW_A + "B,police,WM\n").encode()), IMPORT, 1,
         "people_records.csv:3: 3 fields where the header has 8"),
    Case("records-bom-header", records_dir(codecs.BOM_UTF8 + (HEADER + "A,police,WM,Bob,Smith,1980,Q,WR1\n").encode()),
         IMPORT, 1, "people_records.csv:2: sex 'Q' is not M, F, U or empty"),
    Case("records-sex-q", records_dir((HEADER + "A,police,WM,Bob,Smith,1980,Q,WR1\n").encode()), IMPORT, 1,
         "sex 'Q' is not M, F, U or empty"),
    Case("records-own-parent", records_dir(GOOD_PEOPLE, relationships=b"source,record_id,relationship,related_record_id\n"
                                                                        b"police,A,parent,A\n"),
         IMPORT, 1, "relationships.csv:2: record 'A' cannot be its own parent"),
    Case("records-zero-width-id", records_dir((HEADER + ROW_A.replace("A,", "A\u200b,", 1)).encode()), IMPORT, 1,
         "record_id contains an invisible character (U+200B)"),
    Case("records-no-people-file", lambda: {"rec/contacts.csv": CONTACTS_HEAD.encode()}, IMPORT, 1,
         "no such file (a records folder holds people_records.csv)"),
]


# --------------------------------------------------------------------------- link

def link(records: str, *extra: str) -> tuple[str, ...]:
    return ("link", "--records", "{d}/" + records, "--no-graph", "--data-dir", "{d}/data", "--threads", "1", *extra)


LINK = [
    Case("link-header-only", raw(r_dot_csv=HEADER.encode()), link("r.csv"), 1, "0 record(s); linkage needs at least 2"),
    Case("link-one-row", raw(r_dot_csv=(HEADER + ROW_A).encode()), link("r.csv"), 1, "1 record(s)"),
    Case("link-latin1", raw(r_dot_csv=(HEADER + ROW_A + "B,p,WM,J\xf6rg,S,1980,M,WR1\n").encode("latin-1")),
         link("r.csv"), 1, "r.csv:3: not UTF-8 text"),
    Case("link-utf16", raw(r_dot_csv=(HEADER + ROW_A + ROW_B).encode("utf-16")), link("r.csv"), 1, "UTF-16 text"),
    Case("link-binary", raw(r_dot_csv=bytes(range(128, 256)) * 40), link("r.csv"), 1, "not UTF-8 text"),
    Case("link-ragged", raw(r_dot_csv=(HEADER + ROW_A + ROW_B.strip() + ",extra\n").encode()), link("r.csv"), 1,
         "r.csv:3: 9 fields where the header has 8"),
    Case("link-field-over-131072", raw(r_dot_csv=(HEADER + ROW_A + "B,p,WM," + "x" * 140_000 + ",S,1980,M,WR1\n").encode()),
         link("r.csv"), 1, "r.csv:3: a field longer than 131,072 characters"),
    Case("link-nul", raw(r_dot_csv=(HEADER + ROW_A + "B,p,WM,Bo\x00b,S,1980,M,WR1\n").encode()), link("r.csv"), 1,
         "contains a control character (U+0000)"),
    Case("link-bom-sex-q", raw(r_dot_csv=codecs.BOM_UTF8 + (HEADER + ROW_A + "B,p,WM,Bob,S,1980,Q,WR1\n").encode()),
         link("r.csv"), 1, "sex 'Q' is not M, F, U or empty"),
    Case("link-header-with-sql-quote", raw(r_dot_csv=(HEADER.strip() + ",\"x': 'VARCHAR'}); COPY (SELECT 1) TO 'pwned.csv'; --\"\n"
                                                 + ROW_A.strip() + ",1\n" + ROW_B.strip() + ",2\n").encode()),
         link("r.csv"), 1, "too few similar records to train the model"),
    Case("link-threads-negative", raw(r_dot_csv=(HEADER + ROW_A + ROW_B).encode()),
         ("link", "--records", "{d}/r.csv", "--no-graph", "--data-dir", "{d}/data", "--threads", "-1"), 1,
         "--threads must be from 1 to 1024, not -1"),
    Case("link-too-few-to-train", raw(r_dot_csv=(HEADER + ROW_A + ROW_B).encode()), link("r.csv"), 1,
         "too few similar records to train the model"),
    Case("link-decisions-latin1", raw(r_dot_csv=(HEADER + ROW_A + ROW_B).encode(),
                                      data__linkage__decisions_dot_csv="record_id_l,record_id_r,decision,note\n"
                                                                       "A,B,accept,J\xf6rg\n".encode("latin-1")),
         link("r.csv"), 1, "decisions.csv:2: not UTF-8 text"),
    Case("link-review-binary-decisions", raw(data__linkage__review_dot_csv=b"record_id_l,record_id_r,match_probability,explanation\n",
                                             data__linkage__decisions_dot_csv=bytes(range(128, 256))),
         ("link", "--data-dir", "{d}/data", "review"), 1, "decisions.csv:1: not UTF-8 text"),
]


# --------------------------------------------------------------------------- DOCX

def docx_with(document_xml: Callable[[zipfile.ZipFile], None], extra_parts: int = 0) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"/>')
        document_xml(z)
        for i in range(extra_parts):
            z.writestr(f"word/media/x{i}.txt", "")
    return buf.getvalue()


def bomb_part(megabytes: int) -> Callable[[zipfile.ZipFile], None]:
    def write(z: zipfile.ZipFile) -> None:
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml'
                    b'/2006/main"><w:body><w:p><w:r><w:t>')
            chunk = b"A" * (1024 * 1024)
            for _ in range(megabytes):
                f.write(chunk)
            f.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return write


DOCX = [
    Case("report-control-characters-dropped", text(r_dot_txt="Domestic Homicide Review\n\n1.1 Anna\x00 was\x0c seen"
                                                               " by \x1b[31mBob.\n"),
         ("extract", "{d}/r.txt", "-o", "{d}/draft.yaml", "--force"), 0, "wrote"),  # --force: too short to look like a DHR
    Case("docx-bomb-one-text-node", lambda: {"r.docx": docx_with(bomb_part(400))}, ("extract", "{d}/r.docx"), 2,
         "would unpack to 400 MB (at most 300 MB)"),
    Case("docx-ratio-bomb-small", lambda: {"r.docx": docx_with(bomb_part(30))}, ("extract", "{d}/r.docx"), 2,
         "refused as a zip bomb"),
    Case("docx-too-many-parts", lambda: {"r.docx": docx_with(lambda z: None, extra_parts=5_001)},
         ("extract", "{d}/r.docx"), 2, "parts in the archive (at most 5,000)"),
    Case("docx-truncated-zip", raw(r_dot_docx=b"PK\x03\x04" + b"\x00" * 40), ("extract", "{d}/r.docx"), 2,
         "not a readable DOCX file"),
]


# --------------------------------------------------------------------------- queries and parameters

GOOD_QUERY = ("// name: hostile-good\n// title: Count reviews\n// question: How many reviews are loaded?\n"
              "// columns:\n//   n: number of reviews\nMATCH (r:Review) RETURN count(r) AS n\n")
DEEP_HEADER = "// name: hostile-deep\n// title: x\n// question: x\n// columns: " + "[" * 5000 + "]" * 5000 + "\nRETURN 1\n"

def query_files() -> Files:
    return {"q/hostile-good.cypher": GOOD_QUERY.encode(), "q/deep.cypher": DEEP_HEADER.encode()}


QUERIES = [
    Case("query-deep-header-listed-others-kept", query_files,
         ("queries", "--queries-dir", "{d}/q"), 0, "hostile-good"),
    Case("query-deep-header-reported", query_files,
         ("queries", "--check", "--queries-dir", "{d}/q"), 1, "deep.cypher:1: header is nested too deeply"),
    Case("query-huge-header", text(q__big_dot_cypher="// name: big\n// title: " + "x" * 70_000 + "\nRETURN 1\n"),
         ("queries", "--check", "--queries-dir", "{d}/q"), 1, "header is longer than 65,536 characters"),
    Case("cypher-file-dev-zero", lambda: {}, ("cypher", "--file", "/dev/zero"), 2, "/dev/zero: longer than 1024 KB"),
    Case("cypher-file-binary", raw(q_dot_cypher=bytes(range(128, 256))), ("cypher", "--file", "{d}/q.cypher"), 2,
         "not UTF-8 text"),
    Case("cypher-param-29-digits", lambda: {}, ("cypher", "RETURN $x", "--param", "x=" + "9" * 29), 1,
         "--param x: a whole number beyond the engines' 64-bit range"),
    Case("cypher-timeout-negative", lambda: {}, ("cypher", "RETURN 1", "--timeout", "-5"), 2, "--timeout"),
    Case("run-months-huge", lambda: {}, ("run", "contacts-before-death", "r", "--param", "months=" + "9" * 26), 1,
         "parameter months: a number of 26 digits is out of range (0 to 100000)"),
    Case("run-months-negative", lambda: {}, ("run", "contacts-before-death", "r", "--param", "months=-3"), 1,
         "parameter months: -3 is out of range (0 to 100000)"),
    Case("run-timeout-negative", lambda: {}, ("run", "contacts-before-death", "r", "--timeout", "-5"), 2, "--timeout"),
]


# --------------------------------------------------------------------------- chronology and RDF

CHRONO = ("import-chronology", "{d}/c.csv", "--review", "{d}/case.yaml", "--dry-run")
CASE_FOR_CHRONO = CASE_HEAD + "agencies: [{id: pol, name: Police, type: police}]\n"

OTHER = [
    Case("chronology-nul-in-cell", text(c_dot_csv='Date,Agency,Summary\n01/02/2010,Police,"a\x00b"\n',
                                        case_dot_yaml=CASE_FOR_CHRONO), CHRONO, 1,
         "summary: contains a control character (U+0000)"),
    Case("chronology-binary", raw(c_dot_csv=bytes(range(256)) * 4, case_dot_yaml=CASE_FOR_CHRONO.encode()), CHRONO, 1,
         "no header row found"),
    Case("chronology-field-over-131072", text(c_dot_csv="Date,Agency,Summary\n01/02/2010,Police," + "x" * 140_000 + "\n",
                                              case_dot_yaml=CASE_FOR_CHRONO), CHRONO, 1,
         "c.csv: line 2: not a readable CSV row (field larger than field limit"),
    Case("chronology-xlsx-zip-bomb", lambda: {"c.xlsx": docx_with(bomb_part(30)), "case.yaml": CASE_FOR_CHRONO.encode()},
         ("import-chronology", "{d}/c.xlsx", "--review", "{d}/case.yaml", "--dry-run"), 1, "refused as a zip bomb"),
    Case("chronology-xlsx-truncated", raw(c_dot_xlsx=b"PK\x03\x04garbage", case_dot_yaml=CASE_FOR_CHRONO.encode()),
         ("import-chronology", "{d}/c.xlsx", "--review", "{d}/case.yaml", "--dry-run"), 1, "not a readable xlsx file"),
    Case("rdf-binary", raw(x_dot_nt=bytes(range(128, 256)) * 4), ("import-rdf", "{d}/x.nt"), 2, "not readable as nt"),
    Case("rdf-deep-turtle-list", text(x_dot_ttl="@prefix e: <http://e/> .\ne:a e:b " + "(" * 5000 + ")" * 5000 + " ."),
         ("import-rdf", "{d}/x.ttl"), 2, "not readable as turtle"),
]

def review_nt(identifier: str, title: str) -> Callable[[], Files]:
    r = "<https://w3id.org/dhrkg/id/review/r>"
    return text(x_dot_nt=f"{r} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/dhrkg/ontology#Review> .\n"
                         f'{r} <http://purl.org/dc/terms/identifier> "{identifier}" .\n'
                         f'{r} <http://purl.org/dc/terms/title> "{title}" .\n')


OTHER += [
    Case("rdf-nul-in-title", review_nt("r", "A\\u0000B"), ("import-rdf", "{d}/x.nt"), 1,
         "review.title: contains a control character (U+0000)"),
    Case("rdf-zero-width-review-id", review_nt("r\\u200B", "A title"), ("import-rdf", "{d}/x.nt"), 1,
         "review.id: contains an invisible character (U+200B)"),
]

DHRD = Path(__file__).resolve().parents[2] / "dhrkg" / "data" / "dhrd"


def dhrd_with(victims_edit: Callable[[bytes], bytes]) -> Callable[[], Files]:
    def files() -> Files:
        out = {f"dhrd/{p.name}": p.read_bytes() for p in DHRD.iterdir() if p.is_file()}
        out["dhrd/victims.csv"] = victims_edit(out["dhrd/victims.csv"])
        return out
    return files


OTHER += [
    Case("dhrd-latin1-victims", dhrd_with(lambda b: b.replace(b"White - British", b"White - Brit\xefsh", 1)),
         ("import-dhrd", "{d}/dhrd", "--check"), 1, "victims.csv:2: not UTF-8 text (byte 0xef)"),
    Case("dhrd-nul-in-victims", dhrd_with(lambda b: b.replace(b"White - British", b"White\x00British", 1)),
         ("import-dhrd", "{d}/dhrd", "--check"), 1, "victims.csv:2: field 8 contains a control"),
    Case("dhrd-field-over-131072", dhrd_with(lambda b: b.replace(b"White - British", b"W" * 140_000, 1)),
         ("import-dhrd", "{d}/dhrd", "--check"), 1, "victims.csv:2: a field longer than 131,072 characters"),
]

CASES: list[Case] = CASEFILES + RECORDS + LINK + DOCX + QUERIES + OTHER


def write_case(case: Case, folder: Path) -> list[str]:
    """Write the case's files under ``folder``; return its arguments with ``{d}`` filled in."""
    for rel, data in case.files().items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return [a.replace("{d}", str(folder)) for a in case.args]


def as_json() -> str:
    return json.dumps([c.name for c in CASES])
