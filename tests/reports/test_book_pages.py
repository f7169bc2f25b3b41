"""Book-quality pages (issue 14.7): mirrored margins for double-sided printing, no heading alone at the foot of
a page, 书记 / 副书记 / 委员 in that order — read off the paper with pdftotext -bbox."""

from __future__ import annotations

from pathlib import Path

from reportlab.platypus import Paragraph, Spacer

from app.cli import main
from app.reports import handbook
from app.reports.data import handbook_data
from app.reports.layout import BINDING, OUTER, build, frame_size
from app.reports.styles import P
from app.services.kernel import settings
from app.services.register import members

from .conftest import flat, pdf_pages
from .paper import left_edges, pages, pages_ending_with_heading

HEADING_STYLES = ("h1", "h2", "h3", "h3_flow")


def heading_texts(ledger, code: str, year: int) -> set[str]:
    story = handbook.story(handbook_data(ledger, code, year))
    return {f.getPlainText() for f in story if isinstance(f, Paragraph) and f.style.name in HEADING_STYLES}


def _footer_centres(path: Path) -> list[float]:
    out = []
    for width, height, words in pages(path):
        foot = [w for w in words if w.y0 > height - 40 and w.text in ("第", "页")]
        out.append((min(w.x0 for w in foot) + max(w.x1 for w in foot)) / 2 - width / 2 if foot else 0.0)
    return out


def test_mirrored_margins_alternate_the_binding_edge(ledger, tmp_path: Path):
    plain, mirrored = tmp_path / "plain.pdf", tmp_path / "mirror.pdf"
    handbook.build_handbook(ledger, "B1", 2026, plain)
    settings.set_value(ledger, "mirror_margins", True)
    handbook.build_handbook(ledger, "B1", 2026, mirrored)  # the setting turns it on
    shift = BINDING - OUTER
    # Page 1 is the cover; from page 2 the header, the text and the footer start at the binding margin.
    for n, (a, b) in enumerate(zip(left_edges(plain), left_edges(mirrored), strict=True), 1):
        if n == 1:
            continue
        assert abs(a - BINDING) < 1
        assert abs(b - (BINDING if n % 2 else OUTER)) < 1, n
    centres = _footer_centres(mirrored)[1:]
    assert all(abs(c - (shift / 2 if n % 2 else -shift / 2)) < 2 for n, c in enumerate(centres, 2))
    # The same text either way: only the margins move.
    assert [flat(p) for p in pdf_pages(plain)] == [flat(p) for p in pdf_pages(mirrored)]


def test_handbook_command_mirror_flags(ledger, tmp_path: Path):
    db = Path(ledger.path)
    ledger.close()
    out = tmp_path / "hb.pdf"
    assert main(["--db", str(db), "handbook", "--org", "B1", "--year", "2026", "-o", str(out), "--mirror"]) == 0
    edges = left_edges(out)
    assert abs(edges[1] - OUTER) < 1 and abs(edges[2] - BINDING) < 1
    assert main(["--db", str(db), "handbook", "--org", "B1", "--year", "2026", "-o", str(out), "--no-mirror"]) == 0
    assert all(abs(e - BINDING) < 1 for e in left_edges(out)[1:])


def test_a_heading_never_ends_a_page(tmp_path: Path):
    """The check itself: a heading without keepWithNext placed at a page's foot is caught; with it, not."""
    _w, h = frame_size()
    found = {}
    for style in ("h3_flow", "h3"):
        path = tmp_path / f"{style}.pdf"
        build([Spacer(1, h - 40), P("会议记录（第 3 次）", style), P("会议内容。" * 120, "body")], path,
              header="测试", title="测试")
        found[style] = pages_ending_with_heading(path, {"会议记录（第 3 次）"})
    assert found == {"h3_flow": [1], "h3": []}


def test_handbook_headings_keep_with_their_text(demo_ledger, tmp_path: Path):
    members.save_committee_member(demo_ledger, "QS0101", name="新委员", role="委员", term_start="2025-01-01")
    for year in (2025, 2026):
        path = tmp_path / f"hb{year}.pdf"
        handbook.build_handbook(demo_ledger, "QS0101", year, path, mirror=True)
        assert pages_ending_with_heading(path, heading_texts(demo_ledger, "QS0101", year)) == []
    # 书记, 副书记, then the 委员 of every kind, on the committee page.
    committee = flat("".join(pdf_pages(path)))
    committee = committee[committee.rindex("1.2支部委员会成员"):committee.rindex("1.3党员花名册")]
    roles = [c.role for c in handbook_data(demo_ledger, "QS0101", 2026).committee]
    assert roles[0] == "书记" and roles[-1] == "委员"
    assert all(r not in ("书记", "副书记") for r in roles[roles.count("书记") + roles.count("副书记"):])
    assert committee.index("书记") < committee.index("新委员")
