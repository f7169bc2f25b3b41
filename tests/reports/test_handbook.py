"""The 党支部工作手册: content, fonts, page counts that follow the data, long text, determinism."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest

from app.reports.handbook import build_handbook
from app.services.book import records
from app.services.kernel import settings
from app.services.register import members

from .conftest import flat, font_report, pdf_pages

SECTION_TITLES = ("填写说明", "目录", "一、基本情况", "1.1支部基本信息", "1.2支部委员会成员", "1.3党员花名册",
                  "二、三会一课", "2.2支部委员会会议", "三、主题党日", "四、学习教育", "五、组织生活会与民主评议",
                  "六、党员发展与管理", "七、作用发挥与宣传", "八、积分制管理记录表", "九、组织生活落实情况", "十、结对共建",
                  "十一、书记项目与重点任务", "十二、年度考核定级")


def _meeting(ledger, day: str, topic: str, content: str = "研究部署本月工作。", type_code: str = "2.2"):
    return records.add_record(ledger, "B1", type_code, {
        "date": day, "topic": topic, "content": content, "place": "三楼会议室", "host": "王书记",
        "recorder": "李委员", "attendance": "5/5",
    })


def test_demo_handbook_has_org_sections_and_every_topic(demo_ledger, out_dir: Path):
    path = out_dir / "hb.pdf"
    pages = build_handbook(demo_ledger, "QS0101", 2026, path)
    texts = pdf_pages(path)
    assert len(texts) == pages > 20
    whole = flat("".join(texts))
    assert "党政办公室党支部" in whole
    for title in SECTION_TITLES:
        assert flat(title) in whole, title
    recs = records.list_records(demo_ledger, "QS0101", 2026)
    assert recs
    for r in recs:
        assert flat(r.topic) in whole, r.topic
    # Header with organisation and year, footer with page x of y.
    assert "党政办公室党支部·2026年度党支部工作手册" in flat(texts[5])
    assert f"第{pages}页共{pages}页" in flat(texts[-1])


def test_every_font_is_embedded_truetype(demo_ledger, out_dir: Path):
    path = out_dir / "hb.pdf"
    build_handbook(demo_ledger, "QS0101", 2026, path)
    fonts = font_report(path)
    assert fonts, "no fonts found"
    assert all(fonts.values()), fonts
    assert not any("Helvetica" in name or "STSong" in name for name in fonts)


def test_table_of_contents_points_at_the_right_pages(demo_ledger, out_dir: Path):
    path = out_dir / "hb.pdf"
    build_handbook(demo_ledger, "QS0101", 2026, path)
    texts = pdf_pages(path)
    toc = next(t for t in texts if "目" in t and "录" in t and "基本情况" in t)
    entries = re.findall(r"([^\n.]+?)\s*\.{3,}\s*(\d+)", toc)
    assert len(entries) >= 20
    for title, page in entries:
        heading = flat(re.sub(r"（\d+ 次）$", "", title))
        assert heading in flat(texts[int(page) - 1]), (title, page)


def test_pages_follow_records_and_blank_page_setting(ledger, out_dir: Path):
    members.save_committee_member(ledger, "B1", name="王书记", role="书记")
    base = build_handbook(ledger, "B1", 2026, out_dir / "a.pdf")
    for m in range(1, 7):
        _meeting(ledger, f"2026-{m:02d}-10", f"第{m}次支委会专题研究")
    more = build_handbook(ledger, "B1", 2026, out_dir / "b.pdf")
    assert more > base
    whole = flat("".join(pdf_pages(out_dir / "b.pdf")))
    for m in range(1, 7):
        assert f"第{m}次支委会专题研究" in whole
    settings.set_value(ledger, "blank_pages_per_form", 0)
    none = build_handbook(ledger, "B1", 2026, out_dir / "c.pdf")
    settings.set_value(ledger, "blank_pages_per_form", 3)
    three = build_handbook(ledger, "B1", 2026, out_dir / "d.pdf")
    record_types = [t for t in records.record_types(ledger) if t.source == "record"]
    assert three - none == 3 * len(record_types)
    assert "（空白记录页3）" in flat("".join(pdf_pages(out_dir / "d.pdf")))
    assert "（空白记录页1）" not in flat("".join(pdf_pages(out_dir / "c.pdf")))


def test_very_long_content_appears_whole(ledger, out_dir: Path):
    sentences = [f"第{i:03d}条意见要求党员同志认真对照检查并抓好整改落实。" for i in range(1, 241)]
    content = "".join(sentences)
    assert len(content) >= 6000
    _meeting(ledger, "2026-03-05", "长篇会议记录", content)
    path = out_dir / "long.pdf"
    build_handbook(ledger, "B1", 2026, path)
    whole = flat("".join(pdf_pages(path)))
    # Every sentence, in order (page headers and footers come between the pages' parts).
    positions = [whole.find(x) for x in sentences]
    assert -1 not in positions
    assert positions == sorted(positions)


def test_user_text_with_markup_characters_prints_as_typed(ledger, out_dir: Path):
    _meeting(ledger, "2026-04-01", "学习<党章>与“两学一做”&交流", "内容含 <b>标记</b> & 符号")
    path = out_dir / "m.pdf"
    build_handbook(ledger, "B1", 2026, path)
    whole = flat("".join(pdf_pages(path)))
    assert "学习<党章>与“两学一做”&交流" in whole
    assert "内容含<b>标记</b>&符号" in whole


def test_same_input_same_output(demo_ledger, out_dir: Path):
    a, b = out_dir / "a.pdf", out_dir / "b.pdf"
    build_handbook(demo_ledger, "QS0201", 2026, a)
    build_handbook(demo_ledger, "QS0201", 2026, b)
    assert pdf_pages(a) == pdf_pages(b)
    assert a.read_bytes() == b.read_bytes()


def test_pages_are_a4_with_the_cover_first(demo_ledger, out_dir: Path):
    path = out_dir / "hb.pdf"
    build_handbook(demo_ledger, "QS0101", 2026, path)
    reader = pypdf.PdfReader(str(path))
    for page in reader.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(w), round(h)) == (595, 842)
    cover = flat(reader.pages[0].extract_text())
    assert "党支部工作手册" in cover and "2026年度" in cover and "页" not in cover


def test_unknown_org_is_a_clear_error(ledger, out_dir: Path):
    from app.errors import NotFoundError

    with pytest.raises(NotFoundError, match="NOPE"):
        build_handbook(ledger, "NOPE", 2026, out_dir / "x.pdf")
    assert not (out_dir / "x.pdf").exists()


def test_very_long_one_line_fields_split_instead_of_overflowing(ledger, out_dir: Path):
    materials = "".join(f"学习材料第{i:03d}篇" for i in range(1, 201))  # 2,000 characters, one field
    records.add_record(ledger, "B1", "4.1", {
        "date": "2026-06-01", "topic": "集中学习" * 40, "materials": materials,
        "absentees": "张三（出差）、" * 270, "content": "无标点的长段落" * 900, "attendance": "8/7",
    })
    path = out_dir / "wide.pdf"
    build_handbook(ledger, "B1", 2026, path)  # a cell taller than a page would raise LayoutError
    whole = flat("".join(pdf_pages(path)))
    for i in (1, 100, 200):
        assert f"学习材料第{i:03d}篇" in whole


def test_a_field_added_to_the_form_template_is_printed(ledger, out_dir: Path, monkeypatch):
    from dataclasses import replace

    from app.forms import FormField, form_template
    from app.reports import handbook_records

    meeting = form_template("meeting")
    extended = replace(meeting, fields=(*meeting.fields, FormField("resolution", "会议决议事项", "multiline", rows=3,
                                                                   width=2)))
    monkeypatch.setattr(handbook_records, "form_template", lambda name: extended if name == "meeting" else
                        form_template(name))
    _meeting(ledger, "2026-02-02", "研究决议")
    path = out_dir / "f.pdf"
    build_handbook(ledger, "B1", 2026, path)
    whole = flat("".join(pdf_pages(path)))
    assert "会议决议事项" in whole
