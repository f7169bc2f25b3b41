"""Demo 书记项目, 重点任务, task lists and 例会 for the demo development zone: every level, type and status,
some 滞后 and 临期, dated around "today", so the 书记项目, 重点任务 and 盯跟晒 screens never open empty."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import tracking as rules
from app.errors import LedgerError
from app.services.kernel.context import Ledger
from db.models import Organization
from db.models_tracking import KeyTask, Meeting, Milestone, SecretaryProject, TrackingLog

from . import bonus

# (title, level, type, theme, problem, goal, measures, lead: committee index or (committee, branch index), status)
PROJECTS = [
    ("“红色物业”进小区", 0, "重点", "基层治理", "老旧小区物业缺位、居民诉求响应慢", "12 个小区实现党组织覆盖和红色物业全覆盖",
     "成立小区党支部；物业企业党员亮身份；每月一次“红色议事会”", (1, 0), rules.RUNNING),
    ("非公企业党建“双强六好”提升行动", 1, "提升", "非公党建", "部分企业党组织作用发挥不明显", "培育 5 家“双强六好”示范企业党组织",
     "党建指导员驻企；党员先锋岗；党建与生产经营双向考核", 2, rules.RUNNING),
    ("软弱涣散村党组织整顿", 2, "改薄", "整顿提升", "2 个村党组织班子不团结、集体经济薄弱", "年底前摘帽销号，村集体经济收入超过 10 万元",
     "乡镇领导包村；选派第一书记；制定“一村一策”", (1, 4), rules.RUNNING),
    ("机关党建“三服务”品牌", 2, "提升", "机关党建", "机关服务基层、服务企业的主动性不够", "打造 1 个机关党建品牌，企业满意度达 95%",
     "党员干部包联企业；“服务日”常态化；季度评议", 0, rules.COMPLETED),
    ("党建引领乡村振兴“一村一品”", 3, "重点", "乡村振兴", "村级产业单一，党员带富能力不强", "新桥村建成特色种植基地 200 亩",
     "党支部领办合作社；党员示范户结对帮带", (1, 7), rules.RUNNING),
    ("智慧党建平台应用", 3, "提升", "信息化", "党员教育管理手段单一", "支部党员线上学习参与率达 90%",
     "开通线上学习；每月积分排名晒榜", (2, 6), rules.APPROVED),
    ("社会组织党建“扩面提质”", 2, "改薄", "社会组织党建", "社会组织党组织覆盖率偏低", "新建社会组织党组织 3 个",
     "摸排在册社会组织；党建工作指导员“一对一”", 3, rules.DECLARED),
    ("流动党员“归雁”服务站", 3, "提升", "党员管理", "流动党员联系难、管理松", "建立流动党员服务站，联系率 100%",
     "建立台账；季度集中学习；返乡座谈", (1, 2), rules.TERMINATED),
    ("楼宇党建“一站式”服务", 3, "重点", "楼宇党建", "园区楼宇企业党员分散", "建成楼宇党群服务中心并常态运行",
     "整合场地；每周开放；活动菜单化", (2, 4), rules.RUNNING),
    ("学校“党建+育人”工程", 3, "提升", "教育党建", "党建与教育教学结合不紧", "形成 1 套党建带团建、队建的育人机制",
     "党员教师“一帮一”；红色研学课程", (0, 6), rules.COMPLETED),
    ("卫生院“党员健康服务队”", 3, "改薄", "卫生党建", "党员作用发挥平台少", "每月进村巡诊 2 次，覆盖全部行政村",
     "组建服务队；建立巡诊台账；群众评议", (0, 7), rules.RUNNING),
]

TASKS_SUPERIOR = [
    ("报送年度党建工作述职评议材料", 0, 40), ("完成党员信息系统数据核查", -20, 10), ("开展党费收缴专项检查", -35, -5),
    ("落实“三会一课”季度检查整改", -50, -12), ("组织党员冬训动员部署", 5, 30), ("上报软弱涣散党组织整顿进展", -28, -2),
]
MONTH_LIST = ["开展主题党日活动", "更新党员信息台账", "组织集中学习", "报送支部工作简报"]
SPEAKERS = ["张立新", "王晓燕", "刘建国", "陈海燕", "赵志强", "孙丽娟", "周明", "吴桂英"]
VERIFIERS = ["工委组织办 周敏", "工委组织办 陈刚", "工委组织办 李娟"]


def load(s: Session, ledger: Ledger, today: date, rng: random.Random) -> int:
    """Write the demo's tracking rows in the demo's transaction; returns how many projects."""
    committees = list(s.scalars(select(Organization).where(Organization.kind == "党委").order_by(Organization.code)))
    branches = {c.id: list(s.scalars(select(Organization).where(Organization.parent_id == c.id)
                                     .order_by(Organization.code))) for c in committees}
    year = today.year
    for n, (title, level, ptype, theme, problem, goal, measures, lead, status) in enumerate(PROJECTS):
        org = committees[lead] if isinstance(lead, int) else branches[committees[lead[0]].id][lead[1]]
        _project(s, ledger, today, year, n, org, title, rules.LEVELS[level], ptype, theme, problem, goal, measures, status)
    # last year's completed project, for the year switch
    org = branches[committees[0].id][2]
    _project(s, ledger, today.replace(year=year - 1, month=12, day=20), year - 1, 0, org, "财政资金监管“清单制”",
             rules.LEVELS[3], "提升", "机关党建", "资金拨付环节多", "建立 3 张清单", "清单管理；季度通报", rules.COMPLETED,
             bonus_ok=False)
    all_branches = [b for c in committees for b in branches[c.id]]
    _tasks(s, today, rng, all_branches)
    _meetings(s, today, rng, all_branches)
    return len(PROJECTS) + 1


def _project(s, ledger, today, year, n, org, title, level, ptype, theme, problem, goal, measures, status,
             *, bonus_ok: bool = True) -> None:
    start, end = date(year, 2, 1), date(year, 12, 31)
    row = SecretaryProject(year=year, title=title, level=level, type=ptype, theme=theme, lead_org_id=org.id,
                           lead_person=org.secretary or "", problem=problem, goal=goal, measures=measures,
                           start_on=start, end_on=end, declared_on=date(year, 1, 8 + n), status=rules.DECLARED)
    s.add(row)
    s.flush()
    # milestones spread over the year; a running project whose n is odd lags on one
    if status == rules.DECLARED:  # declared late in the year: its plan lies ahead
        start = today + timedelta(days=10)
        end = start + timedelta(days=300)
        row.start_on, row.end_on, row.declared_on = start, end, today - timedelta(days=6)
        for i, mt in enumerate(("调研摸底", "组织实施", "总结验收")):
            s.add(Milestone(project_id=row.id, title=mt, due_on=start + timedelta(days=60 + i * 110), sort_order=i))
        return
    plan = [("调研摸底、制定方案", date(year, 3, 31)), ("组织实施、阶段推进", date(year, 7, 31)),
            ("中期评估、查漏补缺", min(today + timedelta(days=9), end) if status == rules.RUNNING and n % 3 == 0
             else date(year, 10, 31)), ("总结验收、成果运用", date(year, 12, 20))]
    for i, (mt, due) in enumerate(plan):
        done_on = None
        if status == rules.COMPLETED or (status in (rules.RUNNING, rules.APPROVED) and due < today and not (n % 2 and i == 1)):
            done_on = min(due - timedelta(days=(n + i) % 6 - 2), today)  # a few done a day or two late
        s.add(Milestone(project_id=row.id, title=mt, due_on=due, done_on=done_on, sort_order=i,
                        evidence="会议纪要、照片" if done_on else ""))
    if status == rules.DECLARED:
        return
    row.decided_on, row.filed_on, row.status = date(year, 1, 20 + n % 5), date(year, 1, 26 + n % 3), rules.APPROVED
    if status == rules.TERMINATED:
        row.status, row.finished_on = rules.TERMINATED, date(year, 6, 15)
        row.end_reason = "服务对象调整，经党委会议研究并入“党员管理”项目"
        return
    if status == rules.APPROVED:
        return
    progress = 0
    for month in range(3, min(today.month, 12) + 1 if today.year == year else 13, 2):
        progress = min(90, month * 7 + (n % 4) * 3)
        s.add(TrackingLog(project_id=row.id, on=date(year, month, 10), progress=progress,
                          note=f"第 {month // 2} 次调度：{theme}工作按计划推进", by="工委组织办",
                          problems="个别节点推进偏慢" if n % 2 else "", next_steps="对照时间表倒排工期"))
    row.status = rules.RUNNING
    if status == rules.COMPLETED:
        row.status, row.summary = rules.COMPLETED, f"{goal.split('，')[0]}，经验在全区交流"
        row.finished_on = min(date(year, 12, 20), today - timedelta(days=20))
        row.review = "好"
        for m in s.scalars(select(Milestone).where(Milestone.project_id == row.id)):
            m.done_on = min(m.due_on, row.finished_on)
        if bonus_ok and org_is_branch(org):
            try:
                with s.begin_nested():
                    bonus.award(s, ledger, row, org)
            except LedgerError:
                pass  # the item's yearly cap is used up by hand entries: no link


def org_is_branch(org: Organization) -> bool:
    return org.kind in ("党支部", "联合党支部", "党总支")


def _tasks(s, today: date, rng: random.Random, branches: list[Organization]) -> None:
    for k, (title, start, due) in enumerate(TASKS_SUPERIOR):
        for org in branches[k::9][:3]:
            issued, due_on = today + timedelta(days=start - 10), today + timedelta(days=due)
            t = KeyTask(title=title, source=rules.SUPERIOR, owner_org_id=org.id, owner_person=org.secretary or "",
                        issued_on=issued, due_on=due_on, status=rules.TODO)
            if due_on < today and rng.random() < 0.6:
                t.status, t.done_on, t.evidence = rules.DONE, due_on - timedelta(days=rng.randint(0, 4)), "报送回执"
                if rng.random() < 0.5:
                    t.status, t.verified_by, t.closed_on = rules.CLOSED, rng.choice(VERIFIERS), t.done_on + timedelta(days=2)
            elif rng.random() < 0.5:
                t.status = rules.DOING
            s.add(t)
    for months_back in (1, 0):
        first = date(today.year, today.month, 1)
        for _ in range(months_back):
            first = (first - timedelta(days=1)).replace(day=1)
        ym = f"{first:%Y-%m}"
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        for org in branches[::2]:
            for i, title in enumerate(MONTH_LIST):
                due = min(first + timedelta(days=9 + i * 6), last)
                t = KeyTask(title=title, source=rules.MONTHLY_LIST, owner_org_id=org.id, owner_person=org.secretary or "",
                            issued_on=first, due_on=due, status=rules.TODO, list_month=ym)
                if due < today and rng.random() < 0.8:
                    t.status, t.done_on, t.evidence = rules.DONE, due - timedelta(days=rng.randint(0, 3)), "活动记录、照片"
                elif due < today + timedelta(days=5) and rng.random() < 0.5:
                    t.status = rules.DOING
                s.add(t)


def _meetings(s, today: date, rng: random.Random, branches: list[Organization]) -> None:
    for k, months_back in enumerate((2, 1, 0)):
        first = date(today.year, today.month, 1)
        for _ in range(months_back):
            first = (first - timedelta(days=1)).replace(day=1)
        on = min(first + timedelta(days=4), today)
        speakers = [[SPEAKERS[(k * 3 + i) % len(SPEAKERS)], rules.SPEAKER_KINDS[0 if i < 2 else 1]] for i in range(4)]
        m = Meeting(on=on, title=f"{on.month} 月党建工作例会", sites="、".join(b.name for b in branches[k * 5:k * 5 + 2]),
                    speakers=json.dumps(speakers, ensure_ascii=False), leader="工委副书记 " + SPEAKERS[k + 3],
                    notes="观摩现场，听取经验交流和表态发言，点评存在问题，交办整改事项。")
        s.add(m)
        s.flush()
        for j, problem in enumerate(("三会一课记录不规范", "党员活动室使用率低")):
            org = branches[(k * 7 + j * 3) % len(branches)]
            due = on + timedelta(days=20)
            t = KeyTask(title=problem, source=rules.MEETING_SOURCE, owner_org_id=org.id, owner_person=org.secretary or "",
                        issued_on=on, due_on=due, status=rules.TODO, meeting_id=m.id)
            if due < today and rng.random() < 0.7:
                t.status, t.done_on, t.evidence = rules.DONE, due - timedelta(days=2), "整改报告"
            s.add(t)
