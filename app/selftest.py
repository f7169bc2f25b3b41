"""Self-test of an installation, without Qt: database, bundled resources, PDF fonts, Excel.

Support asks a user to run ``dangjian-ledger --self-test`` (or 设置 → 关于 → 自检) and read the
report back. Every check writes only to a temporary folder; a given ledger file is only read.
"""

from __future__ import annotations

import platform
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from . import APP_NAME, __version__
from .paths import font_path, resources_dir

# A sentence with common characters of the ledger, so a font missing CJK glyphs is caught.
SAMPLE_TEXT = "党建积分台账 自检：党组织 积分 预警 定级 一本通"
PDF_FONT_NAME = "SelfTestCJK"


@dataclass
class SelfTestReport:
    lines: list[tuple[bool, str]] = field(default_factory=list)
    workdir: Path | None = None  # where the test PDF and workbook were written

    @property
    def ok(self) -> bool:
        return bool(self.lines) and all(ok for ok, _ in self.lines)

    def add(self, ok: bool, text: str) -> None:
        self.lines.append((bool(ok), text))

    def extend(self, other: SelfTestReport) -> None:
        self.lines.extend(other.lines)

    def render(self) -> str:
        failed = sum(1 for ok, _ in self.lines if not ok)
        out = [
            f"{APP_NAME} {__version__} 自检报告",
            f"时间：{datetime.now():%Y-%m-%d %H:%M}　系统：{platform.platform()}　Python {platform.python_version()}",
            "",
        ]
        out += [f"[{'通过' if ok else '失败'}] {text}" for ok, text in self.lines]
        out.append("")
        out.append("结论：全部通过" if not failed else f"结论：有 {failed} 项未通过，请把本报告发给技术支持")
        return "\n".join(out)


def _guarded(report: SelfTestReport, label: str, check: Callable[[], None]) -> None:
    # A check that crashes is a failed check, not a crashed self-test.
    try:
        check()
    except Exception as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        report.add(False, f"{label}：检查时出错（{type(exc).__name__}: {first_line}）")


def check_resources(report: SelfTestReport) -> None:
    """The files the app loads at run time are present (a broken install often lacks them)."""
    from db.migrate import MIGRATIONS

    from .forms import form_templates

    res = resources_dir()
    missing = [
        name for name in ("yibentong.json", "default_scheme.json", "fonts/wqy-microhei.ttc",
                          "fonts/wqy-microhei.LICENSE-Apache-2.0.txt", "licenses/LGPL-3.0.txt", "icons/app-256.png")
        if not (res / name).is_file()
    ]
    report.add(not missing, f"程序资源齐全（{res}）" if not missing else f"程序资源缺少：{'、'.join(missing)}（{res}）")
    forms = form_templates()
    report.add(bool(forms), f"一本通表单模板 {len(forms)} 个")
    scripts = sorted(p for p in (MIGRATIONS / "versions").glob("*.py") if not p.name.startswith("_"))
    report.add(bool(scripts), f"数据库升级脚本 {len(scripts)} 个（{MIGRATIONS}）")


def _integrity(path: Path) -> tuple[bool, str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()
    if rows == ["ok"]:
        return True, "文件完整"
    return False, "文件损坏：" + "；".join(rows[:3])


def _schema_and_audit(report: SelfTestReport, label: str, path: Path) -> None:
    from sqlalchemy import create_engine, func, select

    from app.services.kernel.audit import verify_chain
    from app.services.kernel.context import Ledger
    from db.engine import Database
    from db.migrate import current_revisions, known_revisions
    from db.models import AuditEntry

    # A read-only SQLite connection: the app's own engine would switch a non-WAL file to WAL.
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    from db.errors import DatabaseError
    from db.keys import seal_key

    try:
        key = seal_key(path, create=False)[0]
    except DatabaseError:
        key = b""
    db = Database(path, engine, read_only=True, seal_key=key)
    try:
        allrevs, heads = known_revisions()
        current = current_revisions(db)
        if current == set(heads):
            report.add(True, f"{label}：结构版本最新（{', '.join(sorted(current))}）")
        elif current - allrevs:
            report.add(False, f"{label}：由更新版本的软件创建（{', '.join(sorted(current))}），请升级本软件")
            return
        else:
            shown = ", ".join(sorted(current)) or "空"
            report.add(False, f"{label}：结构版本 {shown} 不是最新（{', '.join(sorted(heads))}）；"
                              "用本软件打开一次即自动升级（升级前自动备份）")
            return
        with db.read() as s:
            count = s.scalar(select(func.count()).select_from(AuditEntry)) or 0
        if not count:
            report.add(True, f"{label}：尚无审计记录")
            return
        ok, message = verify_chain(Ledger(db))
        report.add(ok, f"{label}：{message}（{count} 条）")
    finally:
        db.dispose()


def check_new_database(report: SelfTestReport, workdir: Path) -> None:
    """Create, migrate and write a fresh ledger in the temp folder: proves the migrations ship."""
    from app.services.opening import setup
    from app.services.opening.setup import open_ledger
    from app.services.register import orgs

    path = workdir / "自检-新建.sqlite"
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)  # a reused folder: start from nothing
    ledger = open_ledger(path)
    try:
        setup.initialize(ledger, "自检单位")
        orgs.add_org(ledger, code="T1", name="自检党支部", sector="机关事业单位", parent="00", category="B",
                     year=ledger.today().year)
    finally:
        ledger.close()
    ok, message = _integrity(path)
    report.add(ok, f"新建数据库：{message}")
    _schema_and_audit(report, "新建数据库", path)


def check_existing_database(report: SelfTestReport, path: Path) -> None:
    """Read-only checks of the user's ledger file."""
    label = f"数据文件 {path}"
    ok, message = _integrity(path)
    report.add(ok, f"{label}：{message}")
    if ok:
        _schema_and_audit(report, "数据文件", path)


def pdf_font_candidates() -> list[tuple[str, Path, int]]:
    """(name, file, subfont index): the system 宋体/黑体 on Windows when present, and the bundled font."""
    found: list[tuple[str, Path, int]] = []
    if sys.platform == "win32":
        import os

        fonts = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
        for name, file in (("宋体", "simsun.ttc"), ("黑体", "simhei.ttf")):
            if (fonts / file).is_file():
                found.append((name, fonts / file, 0))
    found.append(("文泉驿微米黑（随软件附带）", font_path(), 0))
    return found


def write_test_pdf(target: Path, font_file: Path, subfont: int = 0) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont(PDF_FONT_NAME, str(font_file), subfontIndex=subfont))
    # initialFontName: otherwise reportlab also lists a non-embedded Helvetica in the file.
    c = canvas.Canvas(str(target), pagesize=A4, initialFontName=PDF_FONT_NAME, initialFontSize=12)
    c.setTitle(f"{APP_NAME} 自检")
    c.setFont(PDF_FONT_NAME, 16)
    c.drawString(72, A4[1] - 96, f"{APP_NAME} {__version__}")
    c.setFont(PDF_FONT_NAME, 12)
    c.drawString(72, A4[1] - 128, SAMPLE_TEXT)
    c.drawString(72, A4[1] - 150, f"打印时间：{datetime.now():%Y-%m-%d %H:%M}")
    c.showPage()
    c.save()


def pdf_problems(data: bytes) -> list[str]:
    """What is wrong with a one-page PDF we wrote (empty list = fine); no PDF library needed."""
    problems = []
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-64:]:
        problems.append("文件不完整")
    if data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") + data.count(b"/Type /Page/") < 1:
        problems.append("没有页面")
    if b"/FontFile2" not in data:
        problems.append("字体没有嵌入")
    return problems


def check_pdf(report: SelfTestReport, workdir: Path) -> None:
    from .reports.fonts import BODY, HEAD, register_fonts

    used = register_fonts()
    report.add(True, f"打印使用的字体：正文 {used[BODY].name}，标题 {used[HEAD].name}")
    for name, file, subfont in pdf_font_candidates():
        target = workdir / f"自检-{file.stem}.pdf"
        if not file.is_file():
            report.add(False, f"打印字体 {name}：找不到字体文件 {file}")
            continue
        write_test_pdf(target, file, subfont)
        problems = pdf_problems(target.read_bytes())
        report.add(not problems, f"打印字体 {name}：测试页已生成并嵌入字体（{target}）" if not problems
                   else f"打印字体 {name}：测试页有问题：{'、'.join(problems)}")


def check_workbook(report: SelfTestReport, workdir: Path) -> None:
    from openpyxl import Workbook, load_workbook

    target = workdir / "自检.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "自检"
    ws.append(["党组织", "月份", "积分"])
    ws.append(["自检党支部", 11, Decimal("12.5")])
    wb.save(target)
    back = load_workbook(target, read_only=True)
    try:
        rows = [tuple(r) for r in back["自检"].iter_rows(values_only=True)]
    finally:
        back.close()
    ok = (len(rows) == 2 and rows[0] == ("党组织", "月份", "积分") and rows[1][:2] == ("自检党支部", 11)
          and Decimal(str(rows[1][2])) == Decimal("12.5"))
    report.add(ok, f"Excel 工作簿：写入并读回一致（{target}）" if ok else f"Excel 工作簿：读回内容不一致：{rows!r}")


def run(db_path: Path | None = None, workdir: Path | None = None) -> SelfTestReport:
    """Run every core check; ``db_path`` (if it exists) is the user's ledger, checked read-only.

    Test files go to ``workdir`` (default: a new temporary folder, kept so support can open them).
    """
    workdir = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix="dangjian-selftest-"))
    workdir.mkdir(parents=True, exist_ok=True)
    report = SelfTestReport(workdir=workdir)
    report.add(True, f"测试文件写入：{workdir}")
    _guarded(report, "程序资源", lambda: check_resources(report))
    _guarded(report, "新建数据库", lambda: check_new_database(report, workdir))
    if db_path is not None:
        if Path(db_path).is_file():
            _guarded(report, "数据文件", lambda: check_existing_database(report, Path(db_path)))
        else:
            report.add(True, f"数据文件 {db_path} 尚未创建（首次启动时创建）")
    _guarded(report, "打印字体", lambda: check_pdf(report, workdir))
    _guarded(report, "Excel 工作簿", lambda: check_workbook(report, workdir))
    return report
