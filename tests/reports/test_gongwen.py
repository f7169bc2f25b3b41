"""Notices in 公文 form (GB/T 9704-2012), read off the paper: word boxes with poppler, red ink from pixels."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from app.reports import gongwen
from app.reports.compliance_notice import build_compliance_notice
from app.reports.gongwen import G
from app.reports.notice import build_notice
from app.services.kernel import settings

from .conftest import flat, font_report, pdf_pages
from .paper import pages, problems

MM = 72 / 25.4
LEFT, RIGHT, TOP, FOOT = 28, 28 + 156, 37, 37 + 225  # 版心, mm from the page's left / top


def _mm(v: float) -> float:
    return v / MM


def _red_and_black_rows(path: Path, page: int = 1, dpi: int = 144) -> tuple[list[tuple[float, float, float]], list[float]]:
    """Rows (mm from the top) holding red ink — with the leftmost and rightmost red pixel — and rows of black ink."""
    stem = path.with_name(f"{path.stem}-px")
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", str(path),
                    str(stem)], check=True)
    im = Image.open(f"{stem}.png").convert("RGB")
    px, (w, h), per_mm = im.load(), im.size, dpi / 25.4
    red, black = [], []
    for y in range(h):
        xs = [x for x in range(w) if px[x, y][0] > 150 and px[x, y][1] < 90 and px[x, y][2] < 90]
        if xs:
            red.append((y / per_mm, xs[0] / per_mm, xs[-1] / per_mm))
        if any(sum(px[x, y]) < 250 for x in range(0, w, 2)):
            black.append(y / per_mm)
    return red, black


@pytest.fixture(scope="module")
def warning_notice(tmp_path_factory, demo_file: Path) -> Path:
    """The demo's issued 2026 Q2 warning notice (its 文号 was given when it was issued)."""
    from tests.conftest import _open

    lg = _open(demo_file)
    try:
        path = tmp_path_factory.mktemp("gw") / "notice.pdf"
        build_notice(lg, 2026, 2, path)
    finally:
        lg.close()
    return path


def test_masthead_geometry(warning_notice: Path):
    red, black = _red_and_black_rows(warning_notice)
    mark = [r for r in red if r[0] < 100]
    rule = [r for r in red if r[0] > 100]
    # 发文机关标志: red, its top 35 mm below the top of the 版心, centred.
    assert abs(mark[0][0] - (TOP + 35)) <= 1
    left, right = min(r[1] for r in mark), max(r[2] for r in mark)
    assert abs((left + right) / 2 - (LEFT + RIGHT) / 2) <= 1.5
    # The red rule: the width of the 版心, about 4 mm under the 文号's characters.
    assert all(abs(r[1] - LEFT) <= 1 and abs(r[2] - RIGHT) <= 1 for r in rule)
    number_ink = [y for y in black if mark[-1][0] + 5 < y < rule[0][0]]
    assert number_ink and 3 <= rule[0][0] - number_ink[-1] <= 5
    words = pages(warning_notice)[0][2]
    number = next(w for w in words if "〔2026〕" in w.text)
    assert number.text == "青开党工〔2026〕8号"
    assert abs(_mm(number.x0 + number.x1) / 2 - (LEFT + RIGHT) / 2) <= 1.5
    # 标题 two lines under the rule, centred, broken after a phrase; 主送 flush left with a full-width colon.
    title = [w for w in words if w.y0 > number.y1 and w.y1 < _mm_to_pt(160)][:2]
    assert [w.text for w in title] == ["关于2026年第二季度基层党组织", "党建积分预警情况的通报"]
    assert all(abs(_mm(w.x0 + w.x1) / 2 - (LEFT + RIGHT) / 2) <= 1.5 for w in title)
    assert 15 <= _mm(title[0].y0) - rule[0][0] <= 24
    to = next(w for w in words if w.text == "各基层党组织：")
    assert abs(_mm(to.x0) - LEFT) <= 0.5


def _mm_to_pt(v: float) -> float:
    return v * MM


def test_body_block_page_numbers_and_signature(warning_notice: Path):
    doc = pages(warning_notice)
    for n, (_w, _h, words) in enumerate(doc, 1):
        number = [w for w in words if _mm(w.y0) > FOOT]
        body = [w for w in words if w not in number]
        # Every word inside the 版心 (天头 37 mm, 订口 28 mm, 156 × 225 mm).
        assert all(_mm(w.x0) >= LEFT - 0.5 and _mm(w.x1) <= RIGHT + 0.5 for w in body), n
        assert all(_mm(w.y0) >= TOP - 0.5 and _mm(w.y1) <= FOOT + 0.5 for w in body), n
        # "— n —" 7 mm below the 版心, one character in from the outer edge: right on odd pages, left on even.
        assert "".join(w.text for w in number) == f"—{n}—"
        if n % 2:
            assert abs(_mm(number[-1].x1) - (RIGHT - 14 / MM)) <= 1
        else:
            assert abs(_mm(number[0].x0) - (LEFT + 14 / MM)) <= 1
        # (a word's box starts at the font's ascent, some 2 mm above the dash 7 mm under the 版心)
        assert all(4 <= _mm(w.y0) - FOOT <= 8 for w in number)
    last = doc[-1][2]
    signer = next(w for w in last if w.text == "青山经济开发区党工委")
    when = next(w for w in last if w.text.endswith("日") and w.text.startswith("2026年"))
    # 成文日期 right-indented four characters (of 3号), the organ's name centred over it, a line apart.
    assert abs(_mm(when.x1) - (RIGHT - 4 * 15.75 / MM)) <= 1
    assert abs((signer.x0 + signer.x1) / 2 - (when.x0 + when.x1) / 2) <= 2
    body_end = max(w.y1 for w in last if w.y1 < signer.y0)
    assert _mm(signer.y0 - body_end) >= 15  # room for the seal above the name
    assert problems(warning_notice) == [] and all(font_report(warning_notice).values())


def test_twenty_two_lines_of_twenty_eight_characters(tmp_path: Path):
    who = gongwen.Issuer("测试党工委", "测试党工委", "测党")
    story = [*gongwen.masthead(who, who.number(2026, 3)), *gongwen.heading("关于测试的通报", "各党支部"),
             G("党" * 1500), gongwen.closing(G("特此通报。"), who.signer, date(2026, 4, 10))]
    path = tmp_path / "g.pdf"
    gongwen.build_gongwen(story, path, title="测试", author=who.signer)
    page_two = subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", "2", "-l", "2", str(path), "-"],
                              capture_output=True, text=True, check=True).stdout
    lines = [line for line in page_two.splitlines() if set(line) == {"党"}]
    assert len(lines) == 22 and {len(line) for line in lines} == {28}


def test_number_and_issuer_come_from_settings(ledger, tmp_path: Path):
    assert gongwen.normal_number("青开党工[2026]08号") == "青开党工〔2026〕8号"
    assert gongwen.normal_number("青开党工（2026）12号") == "青开党工〔2026〕12号"
    assert gongwen.default_prefix("测试经开区党工委") == "测试经开区党发"
    path = tmp_path / "c.pdf"
    build_compliance_notice(ledger, 2025, 2, path)
    whole = flat("".join(pdf_pages(path)))
    assert "—1—测试经开区党工委测试经开区党发〔2025〕号关于" in whole  # the serial is left to be written in
    settings.set_value(ledger, "doc_issuer", "中共测试经开区工作委员会")
    settings.set_value(ledger, "doc_prefix", "测开党工")
    build_compliance_notice(ledger, 2025, 2, path, notice_no="测开党工〔2025〕012号")
    whole = flat("".join(pdf_pages(path)))
    assert "—1—中共测试经开区工作委员会测开党工〔2025〕12号关于" in whole
    assert "测试经开区党工委2026年" in whole  # 落款: the unit's full name over the date


@pytest.mark.parametrize("build", [build_notice, build_compliance_notice])
def test_an_unfinished_quarter_is_only_a_marked_draft(ledger, tmp_path: Path, build):
    path = tmp_path / "draft.pdf"
    build(ledger, 2026, 4, path)  # the test ledger's today is in 2026, before Q4 ends
    texts = [flat(p) for p in pdf_pages(path)]
    assert texts and all("草稿（季度未结束）" in t for t in texts)


def test_long_mark_fits_one_line_and_mirrored_pages_swap_the_binding(tmp_path: Path):
    mark = "中共青山𠮷野家新材料科技产业园区联合工作委员会文件"
    who = gongwen.Issuer(mark, "中共青山𠮷野家新材料科技产业园区联合工作委员会", "青园党工")
    story = [*gongwen.masthead(who, who.number(2026, 1)), *gongwen.heading("关于测试的通报", "各党支部"),
             G("党" * 1200), gongwen.closing(G("特此通报。"), who.signer, date(2026, 4, 10))]
    path = tmp_path / "m.pdf"
    gongwen.build_gongwen(story, path, title="测试", author=who.signer, mirror=True)
    doc = pages(path)
    first = doc[0][2][0]
    assert first.text == mark and _mm(first.x1 - first.x0) <= 156  # shrunk to one line, inside the 版心
    for n, (_w, _h, words) in enumerate(doc, 1):
        body = [w for w in words if _mm(w.y0) < FOOT]
        assert abs(_mm(min(w.x0 for w in body)) - (LEFT if n % 2 else 210 - RIGHT)) <= 0.5, n
    assert "青园党工〔2026〕1号" in flat(pdf_pages(path)[0])


def test_banji_sits_on_the_last_lines_of_the_last_page(ledger, tmp_path: Path):
    """版记: 抄送 and 印发机关 / 印发日期 between rules at the foot of the 版心 of the last page (GB/T 9704
    10.1), the organ one character in from the left, the date one character in from the right."""
    settings.set_value(ledger, "doc_cc", "县委组织部，县委宣传部")
    path = tmp_path / "b.pdf"
    build_compliance_notice(ledger, 2025, 2, path)
    doc = pages(path)
    last = doc[-1][2]
    printer = next(w for w in last if w.text == "测试经开区党工委办公室")
    printed = next(w for w in last if w.text.endswith("印发"))
    cc = next(w for w in last if w.text.startswith("抄送"))
    assert _mm(printer.y1) > FOOT - 8 and _mm(printer.y1) <= FOOT + 0.5  # on the 版心's last line
    assert _mm(cc.y1) < _mm(printer.y0)  # 抄送 above
    assert abs(_mm(printer.x0) - (LEFT + 14 / MM)) <= 1 and abs(_mm(printed.x1) - (RIGHT - 14 / MM)) <= 1
    for _w, _h, words in doc[:-1]:
        assert not any(w.text.endswith("印发") for w in words)  # only on the last page
    _red, black = _red_and_black_rows(path, page=len(doc))
    assert any(abs(y - FOOT) <= 1 for y in black)  # the heavy rule closes the 版心
    assert problems(path) == []
