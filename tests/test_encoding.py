"""Text encodings are decided, not guessed: UTF-8, or Windows-1252 that reads as Norwegian.
A UTF-8 file with stray bytes is refused with the line and the byte, in tables and report
exports alike; names already garbled by a wrong decoding (`SÃ¸lvtindberg`) are a finding."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from klynge import quality, queries
from klynge.encoding import LETTERS, MOJIBAKE, PLAUSIBLE, SIGNS, decode_text, line_at, mojibake
from klynge.reports.export import parse_report_bytes
from klynge.reports.model import Problem, RejectedInput
from klynge.store.importer import count_rows, import_paths
from klynge.tables import read_table
from klynge.ui.catalogue_en import EN
from klynge.ui.catalogue_nb import NB
from tests.factories import master_data

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE = FIXTURES / "example-report-arena-kystmat-2023.txt"
NAMES = ["Sølvtindberg AS", "Ærfugl Øst og Åsen SA", "Müller – «Blå» Konsult", "Café Señor’s Bakeri", "Straße 5 °C ½ AS"]
STRAY = "not valid UTF-8 (byte 0xF8); save the file as UTF-8"


def rejected(data: bytes, file: str = "f.csv") -> list[Problem]:
    with pytest.raises(RejectedInput) as caught:
        decode_text(data, file)
    return caught.value.problems


# ---------------------------------------------------------------- the decision

@pytest.mark.parametrize("data, text", [
    ("Sølvtindberg\n".encode("utf-8"), "Sølvtindberg\n"),
    (b"\xef\xbb\xbf" + "Sølvtindberg\n".encode("utf-8"), "Sølvtindberg\n"),
    ("\n".join(NAMES).encode("cp1252"), "\n".join(NAMES)),
    ("Blå\xa0hav, Oslo–Bergen, Ola’s".encode("cp1252"), "Blå\xa0hav, Oslo–Bergen, Ola’s"),
    # Windows-1252 pairs that happen to be UTF-8 for letters Norwegian text does not use.
    ("«BLÅ» og BLÅ\xa0HAV".encode("cp1252"), "«BLÅ» og BLÅ\xa0HAV"),
    (b"plain ASCII\r\n", "plain ASCII\r\n"),
], ids=["utf-8", "utf-8 with BOM", "windows-1252", "no-break space, dash, apostrophe in words", "accidental UTF-8 pairs", "ascii"])
def test_what_is_accepted_and_as_what(data, text):
    assert decode_text(data, "f.csv") == text


def test_utf8_with_one_stray_byte_is_refused_at_its_line_and_byte():
    data = ("navn\n" + "Sølvtindberg AS\n" * 410).encode("utf-8") + b"S\xf8r AS\n" + "Ås AS\n".encode("utf-8")
    assert rejected(data) == [Problem("f.csv", 412, None, STRAY)]


@pytest.mark.parametrize("ending", [b"\n", b"\r\n", b"\r"], ids=["lf", "crlf", "cr"])
def test_the_line_counts_every_kind_of_line_end(ending):
    data = ending.join(["Sølv".encode("utf-8"), b"a", b"", b"S\xf8r"])
    assert rejected(data)[0].line == 4
    assert line_at(b"a\r\nb\rc\nd", 7) == 4


def test_a_utf8_byte_order_mark_makes_the_file_utf8_even_without_other_letters():
    assert rejected(b"\xef\xbb\xbfnavn\nS\xf8r\n") == [Problem("f.csv", 2, None, STRAY)]


def test_utf8_dashes_and_quotes_count_as_utf8_too():
    data = "Kyst – «mat»\n".encode("utf-8") + b"Bl\xe5b\xe6r\n"
    assert rejected(data) == [Problem("f.csv", 2, None, "not valid UTF-8 (byte 0xE5); save the file as UTF-8")]


@pytest.mark.parametrize("text, line, byte, shown", [
    ("ok\nPris 5 ¤\n", 2, 0xA4, "'¤', which Norwegian text does not use"),
    ("ok\n¿Qué?\n", 2, 0xBF, "'¿', which Norwegian text does not use"),
    ("ok\nok\nN‘ring\n", 3, 0x91, "'‘' inside a word"),
], ids=["currency sign", "inverted question mark", "quote inside a word"])
def test_windows_1252_with_implausible_characters_is_refused(text, line, byte, shown):
    assert rejected(text.encode("cp1252")) == [Problem(
        "f.csv", line, None, f"not valid UTF-8 (byte 0x{byte:02X}), and as Windows-1252 it is {shown}; save the file as UTF-8")]


@pytest.mark.parametrize("codec, byte", [("cp865", 0x9B), ("cp850", 0x9B), ("mac-roman", 0xBF)])
def test_norwegian_text_in_dos_and_mac_code_pages_is_refused(codec, byte):
    found = rejected("Fiskeri\nSjømat på Blåbærøy\n".encode(codec))
    assert [(p.line, p.message.split(")")[0]) for p in found] == [(2, f"not valid UTF-8 (byte 0x{byte:02X}")]


def test_a_byte_undefined_in_windows_1252_is_refused():
    assert rejected(b"Fiskeri\nS\x81r\n") == [
        Problem("f.csv", 2, None, "not valid UTF-8 (byte 0x81), nor Windows-1252; save the file as UTF-8")]


@pytest.mark.parametrize("data, message", [
    ("navn\nhei\n".encode("utf-16"), "the file is UTF-16 text; save the file as UTF-8"),
    ("navn\nhei\n".encode("utf-32"), "the file is UTF-32 text; save the file as UTF-8"),
    (b"navn\n\x00hei\n", "not a text file (it holds NUL bytes)"),
    (bytes(range(0x80, 0x100)) * 4, "not a text file (164 of its 512 bytes are neither UTF-8 nor Windows-1252 text)"),
])
def test_wide_encodings_and_binary_files_are_refused_as_a_whole(data, message):
    assert rejected(data) == [Problem("f.csv", None, None, message)]


def test_the_character_sets_are_windows_1252_and_leave_out_the_mojibake_letters():
    assert all(len(c.encode("cp1252")) == 1 for c in PLAUSIBLE) and not LETTERS & SIGNS
    assert not set("ÃãÂâ¤¿¡¸¨") & PLAUSIBLE


# ---------------------------------------------------------------- through the importer

def members_csv(folder: Path, encoding: str, names: list[str]) -> list[dict]:
    """Rewrite the members of `master_data(folder)` under `names` (in turn), in `encoding`."""
    path = folder / "members.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    for index, row in enumerate(rows):
        row["name"] = f"{names[index % len(names)]} {index}"
    out = io.StringIO()
    writer = csv.DictWriter(out, list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))
    return rows


def test_a_utf8_members_file_with_one_stray_byte_is_refused_and_nothing_is_written(engine, tmp_path):
    folder = master_data(tmp_path / "master")
    members_csv(folder, "utf-8", NAMES)
    path = folder / "members.csv"
    lines = path.read_bytes().split(b"\n")
    lines[6] = lines[6].replace("ø".encode("utf-8"), b"\xf8", 1)  # line 7 of the file: Sølvtindberg AS 5
    assert b"S\xf8lvtindberg AS 5" in lines[6]
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(RejectedInput) as caught:
        import_paths(engine, [folder])
    assert caught.value.problems == [Problem(str(path), 7, None, STRAY)]
    assert set(count_rows(engine).values()) == {0}


def test_a_windows_1252_members_file_with_norwegian_names_is_read_right(engine, tmp_path):
    folder = master_data(tmp_path / "master")
    rows = members_csv(folder, "cp1252", NAMES)
    with pytest.raises(UnicodeDecodeError):
        (folder / "members.csv").read_bytes().decode("utf-8")
    import_paths(engine, [folder])
    stored = queries.member_register(engine, queries.Filter(years=(2020, 2030)))
    assert sorted(stored["name"]) == sorted(row["name"] for row in rows)
    assert not quality.garbled_names(queries.clusters(engine), stored, 2030).shape[0]


def test_a_windows_1252_members_file_with_implausible_characters_is_refused(engine, tmp_path):
    folder = master_data(tmp_path / "master")
    members_csv(folder, "cp1252", ["Sølvtindberg AS", "Pris ¤ AS"])
    with pytest.raises(RejectedInput) as caught:
        import_paths(engine, [folder])
    assert [(p.file, p.line, p.field) for p in caught.value.problems] == [(str(folder / "members.csv"), 3, None)]
    assert "byte 0xA4" in caught.value.problems[0].message
    assert set(count_rows(engine).values()) == {0}


def test_a_semicolon_table_in_windows_1252_reads_as_before(tmp_path):
    path = tmp_path / "clusters.csv"
    path.write_bytes("cluster_id;name\n1;Blåbær Øst\n".encode("cp1252"))
    assert read_table(path).rows == [(2, {"cluster_id": "1", "name": "Blåbær Øst"})]


def test_a_byte_order_mark_does_not_stick_to_a_quoted_first_column(tmp_path):
    path = tmp_path / "clusters.csv"
    path.write_bytes(b'\xef\xbb\xbf"cluster_id","name"\n1,"S\xc3\xb8r"\n')
    table = read_table(path)
    assert table.header == ["cluster_id", "name"] and table.rows == [(2, {"cluster_id": "1", "name": "Sør"})]


# ---------------------------------------------------------------- report exports

def test_a_report_export_with_a_stray_byte_is_refused_at_its_line_not_as_missing_fields(engine, tmp_path):
    data = EXAMPLE.read_bytes()
    lines = data.split(b"\n")
    at = next(i for i, line in enumerate(lines) if i > 100 and "ø".encode("utf-8") in line)
    lines[at] = lines[at].replace("ø".encode("utf-8"), b"\xf8", 1)
    damaged = b"\n".join(lines)
    with pytest.raises(RejectedInput) as caught:
        parse_report_bytes(damaged, "report.txt")
    problems = caught.value.problems
    assert len(problems) == 1 and problems[0].line == at + 1 and problems[0].field is None
    assert problems[0].message == STRAY
    assert not any("missing" in p.message for p in problems)
    path = tmp_path / "report.txt"
    path.write_bytes(damaged)
    with pytest.raises(RejectedInput) as caught:
        import_paths(engine, [master_data(tmp_path / "master"), path])
    assert [(p.file, p.line) for p in caught.value.problems] == [(str(path), at + 1)]
    assert set(count_rows(engine).values()) == {0}


def test_a_windows_1252_report_export_still_parses():
    text = EXAMPLE.read_text(encoding="utf-8").replace("\ufffd", "ø")
    report = parse_report_bytes(text.encode("cp1252"), "report.txt")
    assert report.cluster_name == "Arena Kystmat"


# ---------------------------------------------------------------- names already garbled

@pytest.mark.parametrize("text, found", [
    ("SÃ¸lvtindberg", ("Ã¸", "ø")), ("BlÃ¥bÃ¦r", ("Ã¥", "å")), ("Ã†rfugl", ("Ã†", "Æ")), ("Ã˜st", ("Ã˜", "Ø")),
    ("Ã…sen", ("Ã…", "Å")), ("CafÃ©", ("Ã©", "é")), ("Kyst â€“ mat", ("â€“", "–")), ("Ola â€™s", ("â€™", "’")),
    ("SÃƒÂ¸r", ("ÃƒÂ¸", "ø")),  # twice over
    ("Sølvtindberg", None), ("«BLÅ» Åsen", None), ("Blå\xa0hav", None),
])
def test_mojibake_is_told_from_norwegian(text, found):
    assert mojibake(text) == found


def test_every_mojibake_sequence_is_one_no_correct_norwegian_name_holds():
    for sequence in MOJIBAKE:
        assert sequence[0] in "ÃÂâ" and not all(c < "\x80" or c in PLAUSIBLE for c in sequence)
    assert set(MOJIBAKE.values()) == PLAUSIBLE


def test_garbled_cluster_and_member_names_are_findings(engine, tmp_path):
    folder = master_data(tmp_path / "master")
    clusters = folder / "clusters.csv"
    clusters.write_text(clusters.read_text(encoding="utf-8").replace("Fjellhelse", "FjellhelsÃ¦"), encoding="utf-8")
    rows = members_csv(folder, "utf-8", ["SÃ¸lvtindberg AS", "Ørn AS", "Ørn AS", "Ørn AS"])
    import_paths(engine, [folder])
    found = quality.findings(engine, queries.Filter(years=(2023, 2023)))
    garbled = found[found["code"].isin(["mojibake_cluster", "mojibake_member"])]
    assert set(garbled["kind"]) == {"warning"} and set(garbled["report_year"]) == {2023}
    cluster = garbled[garbled["code"] == "mojibake_cluster"]
    assert cluster[["cluster_id", "cluster", "field"]].values.tolist() == [[2, "FjellhelsÃ¦", "cluster_name"]]
    assert cluster["params"].iloc[0] == {"name": "FjellhelsÃ¦", "sequence": "Ã¦", "meant": "æ"}
    members = garbled[garbled["code"] == "mojibake_member"]
    # Every fourth member, among those in the register of 2023 (the first of each cluster left in 2022).
    active = [row["name"] for row in rows if not row["left"] or row["left"] >= "2023"]
    assert sorted(members["params"].map(lambda p: p["name"])) == sorted(name for name in active if "Ã" in name)
    assert len(members) == 4
    assert all(p["sequence"] == "Ã¸" and p["meant"] == "ø" and p["orgnr"] for p in members["params"])
    assert members["message"].iloc[0].startswith("the member name 'SÃ¸lvtindberg AS")
    for catalogue in (NB, EN):
        for row in garbled.itertuples():
            assert "Ã" in catalogue[f"warning.{row.code}"].format(**row.params)
