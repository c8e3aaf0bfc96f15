"""Synthetic data at the size of a province, to measure the main pages against.

A province: 60 agencies, 400 units, 3,000 users, 100 plans, 10,000 tasks, 50,000 task
updates, and published PCI results of the 63 provinces for ten years. Everything is made with
bulk_create from a fixed random seed, so two machines measure the same data. All codes start
with "SCALE-" and usernames with "scale.", which is how a second run is recognised and refused.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Person, Unit, User
from indicators.models import Index, Province, Result, SubIndex
from plans.models import Goal, Plan, Section, Target, Task, TaskUpdate
from reporting.models import Deadline, ReportingRule, Submission

from .bench_users import BENCH_USERS, PASSWORD  # noqa: F401  (re-exported for the command)

FULL = {
    "agencies": 60,
    "units": 400,
    "users": 3000,
    "plans": 100,
    "tasks": 10_000,
    "updates": 50_000,
    "years": 10,
}


class AlreadyGenerated(Exception):
    pass


def counts_for(scale):
    c = {k: max(1, round(v * scale)) for k, v in FULL.items()}
    c["years"] = FULL["years"]  # ten years of results whatever the scale
    c["agencies"] = max(2, c["agencies"])
    c["units"] = max(c["agencies"] * 2, c["units"])
    return c


def _unit(code, name, kind, parent, order, province=None):
    u = Unit(code=code, name=name, short_name=name[:120], kind=kind, parent=parent, order=order, province=province)
    u.path = (parent.path if parent else "/") + code + "/"
    return u


@transaction.atomic
def generate(scale=1.0, seed=2024, today=None, log=print):
    if Unit.objects.filter(code="SCALE-UBND").exists():
        raise AlreadyGenerated(
            "Dữ liệu quy mô đã được tạo trong cơ sở dữ liệu này (đơn vị SCALE-UBND đã có). "
            "Dùng một cơ sở dữ liệu mới để tạo lại."
        )
    rnd = random.Random(seed)
    today = today or timezone.localdate()
    now = timezone.now()
    c = counts_for(scale)
    log(f"Quy mô {scale}: {c}")
    pci = Index.objects.get(code="PCI")
    subindices = list(SubIndex.objects.filter(index=pci).order_by("number"))
    provinces = list(Province.objects.filter(valid_from__isnull=True).order_by("code"))
    home = next((p for p in provinces if p.name == "Quảng Ngãi"), provinces[0])

    # Units: the province, its agencies (each with an office), and divisions under them.
    top = _unit("SCALE-UBND", "Ủy ban nhân dân tỉnh (quy mô)", Unit.Kind.PEOPLE_COMMITTEE, None, 0, home)
    top.save()
    kinds = [Unit.Kind.DEPARTMENT] * 3 + [Unit.Kind.DISTRICT] + [Unit.Kind.BOARD]
    agencies = [
        _unit(f"SCALE-A{i:02d}", f"Sở/ngành số {i:02d}", kinds[i % len(kinds)], top, i, home)
        for i in range(c["agencies"])
    ]
    Unit.objects.bulk_create(agencies)
    for a in agencies:
        a.agency_id = a.pk
    Unit.objects.bulk_update(agencies, ["agency"])
    Unit.objects.filter(pk=top.pk).update(agency=top)
    offices = [_unit(f"{a.code}-VP", f"Văn phòng {a.name}", Unit.Kind.OFFICE, a, 0) for a in agencies]
    n_divisions = c["units"] - 1 - len(agencies) - len(offices)
    divisions = [
        _unit(
            f"{agencies[i % len(agencies)].code}-P{i:03d}",
            f"Phòng chuyên môn {i:03d}",
            Unit.Kind.DIVISION,
            agencies[i % len(agencies)],
            1 + i,
        )
        for i in range(max(len(agencies), n_divisions))
    ]
    for u in offices + divisions:
        u.agency_id = u.parent.pk
    Unit.objects.bulk_create(offices + divisions)
    office_of = {o.parent.pk: o for o in offices}
    divisions_of = {}
    for d in divisions:
        divisions_of.setdefault(d.parent.pk, []).append(d)
    log(f"  {1 + len(agencies) + len(offices) + len(divisions)} đơn vị")

    # People and users.
    persons = [
        Person(key=f"scale-ld-{i:02d}", full_name=f"Lãnh đạo số {i:02d}", title="Phó Giám đốc", unit=a)
        for i, a in enumerate(agencies)
    ]
    Person.objects.bulk_create(persons)
    person_of = {p.unit_id: p for p in persons}
    password = make_password(PASSWORD)
    users = [
        User(username=BENCH_USERS["leader"], full_name="Lãnh đạo UBND tỉnh", role=User.Role.LEADER, unit=top),
        User(
            username=BENCH_USERS["focal"],
            full_name="Đầu mối Sở số 00",
            role=User.Role.FOCAL,
            unit=office_of[agencies[0].pk],
        ),
        User(
            username=BENCH_USERS["official"],
            full_name="Chuyên viên Sở số 00",
            role=User.Role.OFFICIAL,
            unit=divisions_of[agencies[0].pk][0],
        ),
    ]
    for a in agencies:
        users.append(
            User(
                username=f"scale.ld.{a.code[-3:].lower()}",
                full_name=f"Lãnh đạo {a.name}",
                role=User.Role.LEADER,
                unit=a,
            )
        )
        users.append(
            User(
                username=f"scale.dm.{a.code[-3:].lower()}",
                full_name=f"Đầu mối {a.name}",
                role=User.Role.FOCAL,
                unit=office_of[a.pk],
            )
        )
    i = 0
    while len(users) < c["users"]:
        d = divisions[i % len(divisions)]
        role = User.Role.UNIT_HEAD if i < len(divisions) else User.Role.OFFICIAL
        users.append(User(username=f"scale.u{i:05d}", full_name=f"Cán bộ số {i:05d}", role=role, unit=d))
        i += 1
    for u in users:
        u.password = password
        u.email = f"{u.username}@scale.example.vn"
    User.objects.bulk_create(users, batch_size=1000)
    users_of = {}
    for u in users:
        users_of.setdefault(u.unit.agency_id or u.unit.pk, []).append(u)
    log(f"  {len(users)} người dùng")

    # Plans: one of the province, the rest spread over the agencies.
    issuers = [top] + [agencies[k % len(agencies)] for k in range(c["plans"] - 1)]
    plans = []
    for k, issuer in enumerate(issuers):
        start = 2021 + (k % 4)
        plans.append(
            Plan(
                key=f"scale-plan-{k:03d}",
                issuer=issuer,
                number=f"{100 + k}/KH-{issuer.code[-3:]}",
                number_suffix=f"KH-{issuer.code[-3:]}",
                date=datetime.date(start, 3, 1),
                title=f"Kế hoạch nâng cao Chỉ số năng lực cạnh tranh cấp tỉnh (PCI) số {k:03d}",
                period_start=start,
                period_end=min(start + 4, 2026),
                focal_unit=office_of.get(issuer.pk),
                is_public=k % 3 == 0,
            )
        )
    Plan.objects.bulk_create(plans)
    sections = [
        Section(plan=p, number=f"{s + 1}", title=f"Nhóm giải pháp {s + 1} của kế hoạch {p.key}", order=s)
        for p in plans
        for s in range(4)
    ]
    Section.objects.bulk_create(sections)
    sections_of = {}
    for s in sections:
        sections_of.setdefault(s.plan_id, []).append(s)
    targets = []
    for p in plans:
        targets.append(
            Target(
                plan=p,
                index=pci,
                province=home,
                year=p.period_end - 1,
                baseline_year=p.period_start - 1,
                baseline_rank=40,
                baseline_out_of=63,
            )
        )
        targets.append(
            Target(
                plan=p,
                index=pci,
                subindex=subindices[7],
                province=home,
                year=p.period_end - 1,
                baseline_year=p.period_start - 1,
                baseline_rank=32,
                baseline_out_of=63,
            )
        )
    Target.objects.bulk_create(targets)
    goals = []
    for t in targets:
        goals.append(Goal(target=t, kind=Goal.Kind.RANK_LTE, value=Decimal(25)))
        if t.subindex_id:
            goals.append(Goal(target=t, kind=Goal.Kind.SCORE_GTE, value=Decimal("6.5")))
    Goal.objects.bulk_create(goals)
    log(f"  {len(plans)} kế hoạch, {len(targets)} mục tiêu")

    # Tasks, their coordinating units and their history.
    statuses = [
        Task.Status.NOT_STARTED,
        Task.Status.IN_PROGRESS,
        Task.Status.IN_PROGRESS,
        Task.Status.DONE,
        Task.Status.DONE,
        Task.Status.PAUSED,
    ]
    tasks = []
    for k in range(c["tasks"]):
        p = plans[k % len(plans)]
        agency = p.issuer if p.issuer.pk != top.pk else agencies[k % len(agencies)]
        lead = rnd.choice(divisions_of[agency.pk])
        status = rnd.choice(statuses)
        tasks.append(
            Task(
                plan=p,
                section=sections_of[p.pk][k % 4],
                order=k,
                title=f"Nhiệm vụ số {k:05d}: nâng cao chất lượng dịch vụ hỗ trợ doanh nghiệp",
                lead_unit=lead,
                leader=person_of[agency.pk],
                timeframe=Task.Timeframe.ONCE if k % 2 else Task.Timeframe.ANNUAL,
                due_date=today + datetime.timedelta(days=rnd.randint(-400, 300)),
                status=status,
                progress=100 if status == Task.Status.DONE else rnd.choice([0, 10, 30, 50, 70, 90]),
            )
        )
    Task.objects.bulk_create(tasks, batch_size=2000)
    Through = Task.coordinating_units.through
    links = []
    for k, t in enumerate(tasks):
        if k % 3 == 0:
            agency_id = t.lead_unit.parent.pk
            other = rnd.choice(divisions_of[agency_id])
            if other.pk != t.lead_unit.pk:
                links.append(Through(task_id=t.pk, unit_id=other.pk))
    Through.objects.bulk_create(links, batch_size=5000)
    updates = []
    per_task = max(1, c["updates"] // len(tasks))
    for t in tasks:
        authors = users_of.get(t.lead_unit.parent.pk) or users
        for j in range(per_task):
            updates.append(
                TaskUpdate(
                    task=t,
                    author=rnd.choice(authors),
                    created_at=now - datetime.timedelta(days=rnd.randint(0, 400), minutes=rnd.randint(0, 1440)),
                    status=t.status,
                    progress=t.progress,
                    note=f"Cập nhật lần {j + 1}: đã triển khai theo kế hoạch.",
                )
            )
    TaskUpdate.objects.bulk_create(updates, batch_size=5000)
    log(f"  {len(tasks)} nhiệm vụ, {len(updates)} cập nhật")

    # Reporting: units report to their agency's office; deadlines of the plan years; most report.
    rules = [
        ReportingRule(
            plan=p,
            kind=ReportingRule.Kind.UNIT_TO_FOCAL,
            title="Báo cáo kết quả thực hiện Kế hoạch",
            day=15,
            month=11,
            from_children_of=p.issuer if p.issuer.pk != top.pk else agencies[0],
            to_unit=office_of.get(p.issuer.pk, offices[0]),
        )
        for p in plans
    ]
    ReportingRule.objects.bulk_create(rules)
    deadlines = []
    for r in rules:
        for year in range(r.plan.period_start, r.plan.period_end + 1):
            start, end = r.period_for(year)
            deadlines.append(Deadline(rule=r, year=year, due_date=r.due_date(year), period_start=start, period_end=end))
    Deadline.objects.bulk_create(deadlines)
    # The units that owe each report, fixed when its deadline opens (Deadline.units): the divisions of the issuer.
    owing = [
        Deadline.units.through(deadline_id=d.pk, unit_id=u.pk)
        for d in deadlines
        for u in divisions_of[d.rule.from_children_of.pk]
        if u.pk != d.rule.to_unit_id
    ]
    Deadline.units.through.objects.bulk_create(owing, batch_size=5000)
    submissions = []
    for d in deadlines:
        if d.due_date > today:
            continue
        for u in divisions_of[d.rule.from_children_of.pk]:
            if rnd.random() < 0.8:
                late = rnd.random() < 0.2
                at = datetime.datetime.combine(d.due_date, datetime.time(9), tzinfo=datetime.UTC)
                at += datetime.timedelta(days=rnd.randint(1, 10) if late else -rnd.randint(0, 10))
                submissions.append(
                    Submission(
                        deadline=d,
                        unit=u,
                        status=Submission.Status.SUBMITTED,
                        submitted_at=at,
                        summary="Đã thực hiện các nhiệm vụ được giao.",
                    )
                )
    Submission.objects.bulk_create(submissions, batch_size=5000)
    log(f"  {len(deadlines)} hạn báo cáo, {len(submissions)} báo cáo")

    # Published results: 63 provinces × 10 years × (total + 10 sub-indices), ranks by score.
    last = today.year - 1
    results = []
    for year in range(last - c["years"] + 1, last + 1):
        for sub in [None, *subindices]:
            top_score = 100 if sub is None else 10
            scores = [(p, Decimal(str(round(rnd.uniform(0.55, 0.75) * top_score, 2)))) for p in provinces]
            scores.sort(key=lambda ps: -ps[1])
            for rank, (p, score) in enumerate(scores, start=1):
                results.append(
                    Result(
                        province=p,
                        year=year,
                        index=pci,
                        subindex=sub,
                        score=score,
                        rank=rank,
                        out_of=len(provinces),
                        source="Dữ liệu mô phỏng (generate_scale_data)",
                    )
                )
    Result.objects.bulk_create(results, batch_size=5000, ignore_conflicts=True)
    log(f"  {len(results)} kết quả PCI")
    # bulk_create skips the signals that give each task its rounds (plans.schedule).
    from plans import schedule

    log(f"  {schedule.sync_tasks(Task.objects.all())} kỳ thực hiện nhiệm vụ")
    return c


def analyze(log=print):
    """Planner statistics for the fresh tables: PostgreSQL without autovacuum has none until ANALYZE, and
    plans made on empty statistics are not the plans a real province gets."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    log("  ANALYZE: thống kê cho bộ lập kế hoạch truy vấn đã cập nhật")
    return True
