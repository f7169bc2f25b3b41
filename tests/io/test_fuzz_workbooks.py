"""Fuzzed workbooks (issue 15.6): thousands of malformed score files — damaged zips, altered sheet XML,
formulas, merges, huge numbers, dates, wrong headers, missing parts, zip bombs, non-xlsx renamed .xlsx.
Each is either read or refused with a Chinese message (never a traceback), and a refused import leaves
the database's bytes unchanged."""

from __future__ import annotations

import re
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.errors import LedgerError
from app.io.score_import import parse_scores
from app.io.template import export_template
from app.services.imports import batches

from ..conftest import _open
from .conftest import db_bytes, zip_bytes

EXAMPLES = 1700  # per fuzzed test below: 5,100 workbooks (with test_fuzz_packages, over 10,000 inputs)
CJK = re.compile(r"[\u4e00-\u9fff]")
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """The small test ledger and a March template of it, made once for the module."""
    from app.services.opening import setup
    from app.services.register import orgs

    folder = tmp_path_factory.mktemp("fuzzwb")
    lg = _open(folder / "ledger.sqlite")
    setup.initialize(lg, "测试经开区党工委")
    orgs.add_org(lg, code="P1", name="测试机关党委", sector="机关事业单位", kind="党委", parent="00")
    orgs.add_org(lg, code="B1", name="财政局党支部", sector="机关事业单位", parent="P1", category="B", year=2026)
    tpl = export_template(lg, 2026, folder / "tpl.xlsx", month=3)
    with zipfile.ZipFile(tpl) as z:
        members = {n: z.read(n) for n in z.namelist()}
    yield lg, members, folder
    lg.close()


def _try(base, data: bytes) -> None:
    lg, _members, folder = base
    path = folder / "fuzz.xlsx"
    path.write_bytes(data)
    before = db_bytes(lg)
    try:
        result = batches.apply_scores(lg, parse_scores(lg, path))
    except LedgerError as e:
        assert CJK.search(str(e)), f"not a Chinese message: {e!r}"
        assert db_bytes(lg) == before, "a refused import changed the database"
        return
    # Read (and perhaps written): only a valid template with valid values gets here; put it back.
    if result.cells:
        from app.services.imports import undo

        undo.undo_last(lg)


def _sheet(members: dict[str, bytes]) -> str:
    """The month's sheet: the one holding the branch code B1 in column A."""
    return next(n for n in members if n.startswith("xl/worksheets/") and b"<t>B1</t>" in members[n])


cell_values = st.one_of(
    st.integers(min_value=-10**40, max_value=10**40).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["1.5", "2", "abc", "0.05", "-1", "1e400", "NaN", "", "２", "1,5", "3.0", "99999999999999999999"]),
    st.text(max_size=12),
)


@FUZZ
@given(value=cell_values, kind=st.sampled_from(["n", "str", "f", "d", "b", "e"]), col=st.sampled_from("ABCDEFGHJ"),
       row=st.integers(min_value=1, max_value=6))
def test_altered_cells(base, value, kind, col, row):
    members = dict(base[1])
    name = _sheet(members)
    xml = members[name].decode("utf-8")
    esc = value.replace("&", "&amp;").replace("<", "&lt;")
    cell = (f'<c r="{col}{row}"><f>{esc}</f></c>' if kind == "f" else
            f'<c r="{col}{row}" t="inlineStr"><is><t>{esc}</t></is></c>' if kind == "str" else
            f'<c r="{col}{row}" t="{kind}"><v>{esc}</v></c>')
    xml = re.sub(rf'<c r="{col}{row}"[^>]*?(/>|>.*?</c>)', "", xml, count=1)
    xml = re.sub(rf'(<row r="{row}"[^>]*>)', lambda m: m.group(1) + cell, xml, count=1)
    members[name] = xml.encode("utf-8")
    _try(base, zip_bytes(members))


@FUZZ
@given(data=st.data())
def test_damaged_zips_and_members(base, data):
    members = dict(base[1])
    blob = zip_bytes(members)
    how = data.draw(st.sampled_from(["truncate", "flip", "drop", "garble", "meta", "header", "merge", "rename"]))
    if how == "truncate":
        blob = blob[: data.draw(st.integers(min_value=0, max_value=len(blob) - 1))]
    elif how == "flip":
        at = data.draw(st.integers(min_value=0, max_value=len(blob) - 1))
        blob = blob[:at] + bytes([blob[at] ^ data.draw(st.integers(1, 255))]) + blob[at + 1:]
    else:
        name = data.draw(st.sampled_from(sorted(members)))
        if how == "drop":
            del members[name]
        elif how == "garble":
            raw = members[name]
            at = data.draw(st.integers(min_value=0, max_value=max(0, len(raw) - 1)))
            members[name] = raw[:at] + data.draw(st.binary(max_size=40)) + raw[at + 1:]
        elif how == "meta":  # the hidden sheet that names the year and scheme
            sheet = _sheet(members)
            others = [n for n in members if n.startswith("xl/worksheets/") and n != sheet]
            if others:
                members[others[-1]] = members[others[-1]].replace(b"2026", data.draw(st.sampled_from(
                    [b"1999", b"3000", b"20x6", b""])))
        elif how == "header":
            sheet = _sheet(members)
            header = (b'<c r="C3" t="inlineStr"><is><t>' + data.draw(st.text(max_size=10)).encode()
                      .replace(b"&", b"&amp;").replace(b"<", b"&lt;") + b"</t></is></c>")
            members[sheet] = re.sub(rb'<c r="C3"[^>]*?(/>|>.*?</c>)', lambda _m: header, members[sheet], count=1)
        elif how == "merge":
            sheet = _sheet(members)
            merge = b'<mergeCells count="1"><mergeCell ref="' + data.draw(st.sampled_from(
                [b"A4:C4", b"C3:D5", b"A1:Z9", b"B4:B4"])) + b'"/></mergeCells>'
            members[sheet] = members[sheet].replace(b"</sheetData>", b"</sheetData>" + merge, 1)
        else:
            members[name + data.draw(st.sampled_from(["x", "/../../evil", ".bak"]))] = members.pop(name)
        blob = zip_bytes(members)
    _try(base, blob)


@FUZZ
@given(data=st.binary(min_size=0, max_size=600), head=st.sampled_from([b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
                                                                      b"<?xml", b"\xef\xbb\xbf"]))
def test_files_that_are_not_workbooks(base, data, head):
    _try(base, head + data)


@pytest.mark.parametrize("where", ["sheet", "shared", "extra"])
@pytest.mark.parametrize("mb", [20, 270])  # a ratio bomb under the size limit, and one over it
def test_zip_bombs_and_oversized_parts(base, where, mb):
    members = dict(base[1])
    big = b"0" * (mb * 1024 * 1024)  # a few hundred KB once packed
    target = {"sheet": _sheet(members), "shared": "xl/sharedStrings.xml", "extra": "xl/bomb.bin"}[where]
    members[target] = big
    lg, _m, folder = base
    path = folder / "bomb.xlsx"
    path.write_bytes(zip_bytes(members))
    with pytest.raises(LedgerError, match="压缩炸弹|超过 256 MB 的上限"):
        parse_scores(lg, path)
