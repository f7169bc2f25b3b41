"""Filed records read from the paper (issue 14.5): meeting pages name their type and carry every field a filed
record needs, 党费 is a per-member table in yuan to the fen, signature lines are there, a 2,000-character
发言摘要 prints whole, and the printed form and the entry dialog come from one definition."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from app.forms import form_template
from app.reports.handbook import build_handbook
from app.services.book import records
from app.services.register import members

from .paper import flat, problems, text

NAMES = ("张三", "李四", "王五", "赵六", "刘䶮", "𠮷野家", "王鿍", "李㐂", "欧阳建国", "司马晓燕")
SPEECH = ("刘䶮：传达学习了上级关于加强基层党组织建设的文件精神，要求全体党员对照检查、立行立改。"
          "𠮷野家：建议结合“三会一课”制度，把党员教育管理和服务群众结合起来，逐项明确责任人和完成时限（2026年3月31日前）。"
          "王鿍：同意以上意见，补充提出发展党员工作要严格程序、严把质量关，确保不出问题。") * 12
SPEECH = SPEECH[:2000]
RESOLUTION = "一、同意确定欧阳建国为入党积极分子；二、三月主题党日赴红色教育基地开展，由李㐂负责联系。"


@pytest.fixture
def filed(ledger):
    for name in NAMES:
        members.save_member(ledger, "B1", {"name": name, "gender": "男", "joined_on": "2010-07-01"})
    records.add_record(ledger, "B1", "2.2", {
        "date": "2026-03-05", "topic": "研究三月份支部工作", "place": "三楼党员活动室", "host": "刘䶮", "recorder": "李㐂",
        "attendance": {"present": list(NAMES[:8]), "absent": [{"name": "欧阳建国", "reason": "病假"},
                                                            {"name": "司马晓燕", "reason": "外出参加业务培训"}]},
        "observers": "经开区党工委组织办 周干事", "agenda": "一、传达学习上级文件；二、研究发展党员工作；三、安排主题党日。",
        "content": SPEECH, "resolution": RESOLUTION, "vote": "7/0/1"})
    records.add_record(ledger, "B1", "2.1", {"date": "2026-03-20", "topic": "一季度党员大会", "attendance": "12/11",
                                           "absentees": "司马晓燕（出差）"})
    dues = [[n, "6000.00" if i % 2 else "", "1500" if i == 0 else "23.45", "1500" if i == 0 else "23.45",
             "2026-03-05"] for i, n in enumerate(NAMES)]
    dues += [[f"党员{k:02d}", "", "0.5", "", ""] for k in range(40)]  # a long table runs onto the next page
    records.add_record(ledger, "B1", "6.2", {"date": "2026-03-06", "topic": "2026年3月党费收缴", "recorder": "王五",
                                           "dues": dues})
    return ledger


@pytest.fixture
def pdf(filed, tmp_path) -> Path:
    """The branch's handbook (its record pages and blank forms); kept at /tmp/x when looked at by hand."""
    path = tmp_path / "hb.pdf"
    build_handbook(filed, "B1", 2026, path)
    return path


def _pages(path: Path) -> list[str]:
    return text(path).split("\f")


def _has(page: str, s: str) -> bool:
    """Every character of ``s`` on the page (a wrapped cell interleaves with its neighbours' lines)."""
    return not (Counter(flat(s)) - Counter(flat(page)))


def test_meeting_record_prints_every_field_whole(pdf):
    pages = _pages(pdf)
    start = next(i for i, p in enumerate(pages) if "支部委员会会议记录（第 1 次）" in p)
    body = "".join(pages[start:start + 3])
    assert "会议记录（第" not in "".join(p for p in pages if "支部" not in p)  # no bare, nameless 会议记录
    for s in (SPEECH, RESOLUTION, *NAMES, "病假", "外出参加业务培训", "经开区党工委组织办 周干事", "三楼党员活动室",
              "应到 10 人，实到 8 人，缺席 2 人", "赞成 7 票，反对 0 票，弃权 1 票", "主持人（签字）", "记录人（签字）"):
        assert _has(body, s), s[:20]
    labels = [f.label for f in form_template("meeting").fields] + ["出席人员", "缺席人员及原因"]
    assert all(_has(body, label) for label in labels)
    assert "支部党员大会记录（第 1 次）" in text(pdf)


def test_old_counts_only_record_still_prints(pdf):
    page = next(p for p in _pages(pdf) if "支部党员大会记录（第 1 次）" in p)
    assert "应到12人，实到11人，缺席1人" in flat(page)
    assert _has(page, "司马晓燕（出差）")


def test_dues_is_a_per_member_table_in_yuan_to_the_fen(pdf):
    pages = _pages(pdf)
    start = next(i for i, p in enumerate(pages) if "党费收缴记录（第 1 次）" in p)
    body = "".join(pages[start:start + 3])
    assert "应到" not in body and "实到" not in body  # the bug: a 党费 form printed 应到/实到
    for head in ("姓名", "缴费基数（元）", "应缴（元）", "实缴（元）", "缴纳日期", "经办人（签字）"):
        assert _has(body, head), head
    assert "1,500.00" in body and "23.45" in body and "0.50" in body
    assert "1,711.05" in body and "1,731.05" in body  # 实缴 1500 + 9 × 23.45; 应缴 adds 40 × 0.50
    assert "应缴 50 人，实缴 10 人" in body
    assert all(_has(body, n) for n in NAMES) and all(f"党员{k:02d}" in body for k in range(40))
    assert sum("姓名" in p and "缴费基数" in p for p in pages[start:start + 3]) >= 2  # header repeats on the next page


def test_no_overlap_outside_or_bad_line_starts(pdf):
    assert problems(pdf) == []


def test_paper_and_dialog_share_one_definition(filed, tmp_path):
    """Every field of every record form is printed on its blank page, and the dialog has a widget for each."""
    path = tmp_path / "blank.pdf"
    build_handbook(filed, "B1", 2026, path)
    pages = _pages(path)
    for t in records.record_types(filed):
        if t.source != "record":
            continue
        tpl = form_template(t.form)
        page = next(p for p in pages if f"{tpl.title_for(t.name)}（空白记录页 1）" in p)
        for f in tpl.fields:
            assert _has(page, f.label), (t.name, f.label)
        for role in tpl.signatures:
            assert f"{role}（签字）" in page, (t.name, role)


def test_continued_parts_are_marked(pdf):
    """A field that runs onto the next page carries "标签（续）" in its label cell there, and any other
    table's continued part a "（续表）" line (issue 14.2): a filed page never looks complete when it is not."""
    pages = [flat(p) for p in _pages(pdf)]
    speech = [i for i, p in enumerate(pages) if "刘䶮：传达学习了上级" in p]
    assert len(speech) > 1, "the 2,000-character 发言摘要 should run onto a second page"
    for i in speech[1:]:
        assert "发言摘要（续）" in pages[i]
    assert "发言摘要（续）" not in pages[speech[0]]
    dues = [i for i, p in enumerate(pages) if "党员39" in p]
    assert dues and "（续表）" in pages[dues[0]] and "党员00" not in pages[dues[0]]
