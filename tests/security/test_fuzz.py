"""Property-based fuzzing (hypothesis) of every reader of outside input: the case-file loader,
the chronology importer, the record importer, the report readers and the RDF importer.

The property is the same for each: whatever the bytes, the reader either returns a result or
raises its own clear error (the one the CLI turns into a message and an exit status), never
anything else; and no message carries a raw control character to the terminal. Runs are
derandomised and bounded (a few seconds each) so CI time stays fixed; raise FUZZ_EXAMPLES to
fuzz longer locally.
"""

from __future__ import annotations

import io
import os
import string
import zipfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dhrkg.model import CaseFileInvalid, UnreadableCaseFile, load_case, validate_text

FIXTURES = Path(__file__).parents[1] / "fixtures"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# Text with the characters hostile files use: controls, invisibles, surrogates' neighbours,
# quotes and the separators of every format read here.
HOSTILE_CHARS = st.sampled_from(
    list("\x00\x01\x07\x08\x0b\x0c\x1b\x7f\x85\xa0\u200b\u200d\u202e\u2028\u2029\ufeff\ufffe\U0010ffff")
    + list(",;\t\"'\n\r:{}[]&*!|>-#%@`<\\/ ") + list(string.ascii_letters + string.digits))
HOSTILE_TEXT = st.text(alphabet=st.one_of(HOSTILE_CHARS, st.characters()), max_size=200)


def printable(message: str) -> bool:
    """No character of ``message`` would move the cursor or change the terminal (line breaks aside)."""
    return all(ch.isprintable() or ch in "\n " for ch in message)


# --------------------------------------------------------------------------- case files

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), HOSTILE_TEXT)
TREES = st.recursive(SCALARS, lambda kids: st.one_of(st.lists(kids, max_size=4),
                                                     st.dictionaries(HOSTILE_TEXT, kids, max_size=4)),
                     max_leaves=30)
CASE_KEYS = st.sampled_from(["format", "review", "persons", "relationships", "households", "agencies", "events",
                             "id", "name", "from", "to", "type", "members", "date", "notes"])
CASE_LIKE = st.recursive(SCALARS, lambda kids: st.one_of(st.lists(kids, max_size=4),
                                                         st.dictionaries(CASE_KEYS, kids, max_size=5)),
                         max_leaves=40)


def check_case_text(text: str) -> None:
    try:
        result = validate_text(text, "fuzz.yaml")
    except UnreadableCaseFile as exc:
        assert printable(str(exc)), repr(str(exc))
        return
    for problem in result.problems:
        assert printable(str(problem)), repr(str(problem))


@FUZZ
@given(HOSTILE_TEXT)
def test_case_loader_any_text(text):
    check_case_text(text)


@FUZZ
@given(st.one_of(TREES, CASE_LIKE))
def test_case_loader_any_yaml_data(data):
    check_case_text(yaml.safe_dump(data, allow_unicode=True))


@FUZZ
@given(st.lists(st.tuples(HOSTILE_TEXT, HOSTILE_TEXT), min_size=1, max_size=6))
def test_case_loader_persons_with_hostile_ids_and_names(people):
    data = {"format": "dhr-case/1", "review": {"id": "r"},
            "persons": [{"id": pid, "name": name} for pid, name in people]}
    result = validate_text(yaml.safe_dump(data, allow_unicode=True), "fuzz.yaml")
    if result.ok:  # accepted ids are plainly visible: no control, invisible or line-break characters
        from dhrkg.model.textcheck import bad_character

        assert all(bad_character(p.id, identifier=True) is None for p in result.case.persons)
        assert all(p.name is None or bad_character(p.name) is None for p in result.case.persons)


@FUZZ
@given(st.binary(max_size=400))
def test_case_loader_any_bytes(tmp_path_factory, raw):
    path = tmp_path_factory.mktemp("case") / "fuzz.json"
    path.write_bytes(raw)
    try:
        load_case(path)
    except (UnreadableCaseFile, CaseFileInvalid) as exc:
        assert printable(str(exc).replace("\n  ", " ")), repr(str(exc))


# --------------------------------------------------------------------------- chronology

CSV_CELL = st.one_of(HOSTILE_TEXT, st.sampled_from(["Date", "Agency", "Summary", "Type", "01/02/2010", "Oct-10",
                                                    "2010", "31/02/2010", "Police", "gp", "Time", "25:99"]))


@FUZZ
@given(st.lists(st.lists(CSV_CELL, max_size=5), max_size=8), st.sampled_from(["\r\n", "\n", "\r"]))
def test_chronology_importer_any_csv(tmp_path_factory, rows, newline):
    from dhrkg.ingest.chronology import ChronologyError, import_chronology

    import csv

    buf = io.StringIO()
    csv.writer(buf, lineterminator=newline).writerows([["Date", "Agency", "Summary"]] + rows)
    path = tmp_path_factory.mktemp("chrono") / "c.csv"
    path.write_text(buf.getvalue(), encoding="utf-8", errors="surrogatepass")
    case = load_case(FIXTURES / "casefiles" / "valid-small.yaml")
    try:
        import_chronology(path, case, skip_bad_rows=True)
    except ChronologyError as exc:
        assert printable(str(exc)), repr(str(exc))


@FUZZ
@given(st.binary(max_size=600))
def test_chronology_importer_any_bytes(tmp_path_factory, raw):
    from dhrkg.ingest.chronology import ChronologyError, import_chronology

    path = tmp_path_factory.mktemp("chrono") / "c.csv"
    path.write_bytes(b"Date,Agency,Summary\n" + raw)
    try:
        import_chronology(path, load_case(FIXTURES / "casefiles" / "valid-small.yaml"))
    except ChronologyError:
        pass


# --------------------------------------------------------------------------- records

PEOPLE_HEADER = b"record_id,source,force_area,forename,surname,date_of_birth,sex,postcode_district\n"


@FUZZ
@given(st.binary(max_size=600), st.binary(max_size=300))
def test_record_importer_any_bytes(tmp_path_factory, people, contacts):
    from dhrkg.ingest.records import RecordsError, read_folder
    from dhrkg.model.textcheck import bad_character

    folder = tmp_path_factory.mktemp("rec")
    (folder / "people_records.csv").write_bytes(PEOPLE_HEADER + people)
    (folder / "contacts.csv").write_bytes(b"contact_id,source,force_area,date,record_id,type\n" + contacts)
    try:
        data = read_folder(folder)
    except RecordsError as exc:
        assert printable(str(exc)), repr(str(exc))
        return
    for rows in data.values():
        for row in rows:
            assert all(bad_character(v) is None for v in row.values() if isinstance(v, str))


@FUZZ
@given(st.lists(st.lists(HOSTILE_TEXT, min_size=8, max_size=9), max_size=6))
def test_record_importer_any_fields(tmp_path_factory, rows):
    import csv

    from dhrkg.ingest.records import RecordsError, read_folder

    folder = tmp_path_factory.mktemp("rec")
    with (folder / "people_records.csv").open("w", encoding="utf-8", errors="surrogatepass", newline="") as f:
        w = csv.writer(f)
        w.writerow(PEOPLE_HEADER.decode().strip().split(","))
        w.writerows(rows)
    try:
        read_folder(folder)
    except RecordsError as exc:
        assert printable(str(exc)), repr(str(exc))


# --------------------------------------------------------------------------- report readers

def docx_bytes(body_xml: str, extra: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                   'officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", body_xml)
        for name, data in extra.items():
            z.writestr(name, data)
    return buf.getvalue()


@FUZZ
@given(st.sampled_from([".txt", ".md", ".pdf", ".docx", ".odt", ""]), st.binary(max_size=800))
def test_report_reader_any_bytes(tmp_path_factory, suffix, raw):
    from dhrkg.ingest.report.readers import UnreadableReport, read_document

    head = {".pdf": b"%PDF-1.4\n", ".docx": b"PK\x03\x04"}.get(suffix, b"")
    path = tmp_path_factory.mktemp("rep") / f"r{suffix}"
    path.write_bytes(head + raw)
    try:
        doc = read_document(path)
    except UnreadableReport:
        return
    from dhrkg.model.textcheck import bad_character

    assert all(bad_character(b.text) is None for b in doc.blocks)  # a draft never carries one


@FUZZ
@given(HOSTILE_TEXT, st.dictionaries(st.sampled_from(["word/footnotes.xml", "word/styles.xml", "x/../../evil"]),
                                     st.binary(max_size=100), max_size=2))
def test_report_reader_any_docx(tmp_path_factory, text, extra):
    from xml.sax.saxutils import escape

    from dhrkg.ingest.report.readers import UnreadableReport, read_document

    body = ('<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body><w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p></w:body></w:document>")
    path = tmp_path_factory.mktemp("rep") / "r.docx"
    path.write_bytes(docx_bytes(body, extra))
    try:
        read_document(path)
    except UnreadableReport:
        pass


# --------------------------------------------------------------------------- RDF

RDF_TOKENS = st.sampled_from([
    "<https://dhrkg.org/ontology#Review>", "<https://dhrkg.org/id/r>", "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>",
    "<https://dhrkg.org/ontology#id>", '"r"', '"\\u0000"', '"x"^^<http://www.w3.org/2001/XMLSchema#integer>',
    "_:b", " ", " .\n", "(", ")", "[", "]", "@prefix d: <https://dhrkg.org/ontology#> .\n", "d:Review", "a",
])


@FUZZ
@given(st.lists(st.one_of(RDF_TOKENS, HOSTILE_TEXT), max_size=30), st.sampled_from(["nt", "ttl", "jsonld", "trig"]))
def test_rdf_importer_any_text(tmp_path_factory, tokens, suffix):
    from dhrkg.ontology.rdf_import import RDFImportError, cases_from_rdf, read_rdf

    path = tmp_path_factory.mktemp("rdf") / f"x.{suffix}"
    path.write_text("".join(tokens), encoding="utf-8", errors="surrogatepass")
    try:
        cases_from_rdf(read_rdf(path))
    except RDFImportError as exc:
        assert isinstance(str(exc), str)


@pytest.mark.parametrize("nesting", [2_000, 20_000])
def test_rdf_importer_deep_nesting_is_an_error(tmp_path, nesting):
    from dhrkg.ontology.rdf_import import RDFImportError, read_rdf

    path = tmp_path / "deep.ttl"
    path.write_text("@prefix e: <http://e/> .\ne:a e:b " + "(" * nesting + ")" * nesting + " .", encoding="utf-8")
    with pytest.raises(RDFImportError, match="not readable as turtle"):
        read_rdf(path)
