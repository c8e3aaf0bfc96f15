"""What the leadership dashboard shows, read in a fixed number of queries whatever the size of the data.

`build_dashboard(user, filters)` returns one plain context that the HTML page, the printable
view and the PDF export all render; none of those queries the database themselves.
"""

import datetime
import statistics
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts.models import Unit, User
from indicators.models import Result, SubIndex, weighted_total
from pci_portal.inputs import YEAR_MAX, YEAR_MIN, int_param
from plans.models import Plan, Target, Task, TaskUpdate
from reporting.access import deadline_path_for
from reporting.models import Deadline, Submission

STATUS_COLORS = {
    Task.Status.NOT_STARTED: "#adb5bd",
    Task.Status.IN_PROGRESS: "#0d6efd",
    Task.Status.DONE: "#198754",
    Task.Status.PAUSED: "#ffc107",
    Task.Status.CANCELLED: "#6c757d",
}


def can_view_dashboard(user):
    return user.is_authenticated and (user.is_admin_role or user.role in (User.Role.LEADER, User.Role.FOCAL))


def scope_of(user):
    """The `ReadingScope` the user oversees: None (everything) for administrators."""
    return None if user.is_admin_role else user.reading_scope


@dataclass
class Filters:
    plan: str = ""  # a plan id, "all", or "" for the default plan
    year: int | None = None
    unit: int | None = None

    @classmethod
    def from_query(cls, query, today):
        def as_int(name, **bounds):
            return int_param(query.get(name), **bounds)

        plan = query.get("plan") or ""
        if plan != "all" and int_param(plan) is None:
            plan = ""
        return cls(plan=plan, year=as_int("year", low=YEAR_MIN, high=YEAR_MAX), unit=as_int("unit"))


def filtered_tasks(user, plan=None, unit=None):
    tasks = Task.objects.visible_to(user)
    if plan is not None:
        tasks = tasks.filter(plan=plan)
    if unit is not None:
        tasks = tasks.filter(lead_unit__path__startswith=unit.path)
    return tasks


def _unit_label(short, name):
    return short or name or _("(không rõ)")


def _median(values):
    return Decimal(str(statistics.median(values))).quantize(Decimal("0.01")) if values else None


def _num(value):
    return float(value) if value is not None else None


class SubjectSeries:
    """A province's published results for one subject (overall PCI or a sub-index), against the nation."""

    def __init__(self, key, label, province):
        self.key, self.label, self.province = key, label, province
        self.years = {}  # year → {"score", "rank", "out_of", "median", "best", "best_province"}

    def as_chart(self):
        years = sorted(self.years)
        rows = [self.years[y] for y in years]
        return {
            "key": self.key,
            "label": self.label,
            "years": years,
            "rank": [r["rank"] for r in rows],
            "out_of": [r["out_of"] for r in rows],
            "score": [_num(r["score"]) for r in rows],
            "median": [_num(r["median"]) for r in rows],
            "best": [_num(r["best"]) for r in rows],
            "best_province": [r["best_province"] for r in rows],
        }

    def rows(self):
        return [dict(year=y, **self.years[y]) for y in sorted(self.years)]


def pci_series(provinces_subjects):
    """{(province_id, subindex_id or None): SubjectSeries} from one query over the PCI results of those subjects."""
    subindex_ids = {s for _p, s in provinces_subjects if s is not None}
    overall = any(s is None for _p, s in provinces_subjects)
    cond = Q(subindex_id__in=subindex_ids)
    if overall:
        cond |= Q(subindex__isnull=True)
    rows = (
        Result.objects.pci()
        .filter(cond, score__isnull=False)
        .values_list("province_id", "province__name", "subindex_id", "year", "score", "rank", "out_of")
    )
    by_subject_year = {}
    for province_id, province_name, subindex_id, year, score, rank, out_of in rows:
        by_subject_year.setdefault((subindex_id, year), []).append((province_id, province_name, score, rank, out_of))
    series = {}
    for province_id, subindex_id in provinces_subjects:
        s = series[(province_id, subindex_id)] = SubjectSeries(f"{province_id}-{subindex_id or 0}", "", province_id)
        for (sid, year), entries in by_subject_year.items():
            if sid != subindex_id:
                continue
            own = next((e for e in entries if e[0] == province_id), None)
            best = max(entries, key=lambda e: e[2])
            s.years[year] = {
                "score": own[2] if own else None,
                "rank": own[3] if own else None,
                "out_of": own[4] if own else (entries[0][4] or len(entries)),
                "median": _median([e[2] for e in entries]),
                "best": best[2],
                "best_province": best[1],
            }
    return series


def target_rows(plan, year):
    """Per target of the plan: baseline, goal, result by year, verdict; and the trend series per subject."""
    # One pass for all the targets (plans.targets.assess_all): the verdicts and their wording, as on every page.
    assessments = Target.objects.filter(plan=plan).order_by("year", "order", "id").assess_all()
    targets = [a.target for a in assessments]
    pci_targets = [t for t in targets if t.index.code == "PCI" and not t.indicator_id]
    keys = []
    for t in pci_targets:
        for subindex, _indicator in t.subjects():
            key = (t.province_id, subindex.pk if subindex else None)
            if key not in keys:
                keys.append(key)
    series = pci_series(keys) if keys else {}
    rows = []
    for t, assessment in zip(targets, assessments, strict=True):
        subjects = t.subjects()
        single = len(subjects) == 1 and t in pci_targets
        s = series.get((t.province_id, subjects[0][0].pk if subjects[0][0] else None)) if single else None
        if s is not None:
            s.label = t.subject_label if t.subindex_id else _("PCI (tổng)")
        rows.append({"target": t, "a": assessment, "verdict": assessment.verdict, "series_key": s.key if s else None})
    charts = [s.as_chart() for s in series.values() if s.years]
    return rows, charts, series


class _ResultView:
    """A published result as the verdict rules read it (score, rank, out_of, tier)."""

    def __init__(self, row):
        self.score, self.rank, self.out_of = row["score"], row["rank"], row["out_of"]
        self.tier = row.get("tier", "")

    @property
    def rank_display(self):
        if self.rank is None:
            return _("chưa công bố")
        return f"{self.rank}/{self.out_of}" if self.out_of else str(self.rank)


def what_if(province, subindex_number=None, new_score=None, year=None):
    """The PCI total from the province's latest complete sub-index scores, and with one sub-index changed."""
    if province is None:
        return None
    rows = (
        Result.objects.pci()
        .filter(province=province, subindex__isnull=False, score__isnull=False)
        .values_list("year", "subindex__number", "score", "illustrative")
    )
    by_year, illustrative = {}, set()
    for y, number, score, made_up in rows:
        by_year.setdefault(y, {})[number] = score
        if made_up:
            illustrative.add(y)
    weights = SubIndex.objects.pci_weights()
    complete = sorted((y for y, s in by_year.items() if set(weights) <= set(s)), reverse=True)
    if year in complete:
        base_year = year
    elif complete:
        base_year = complete[0]
    else:
        return {"province": province, "year": None}
    scores = by_year[base_year]
    current = weighted_total(scores, weights)
    out = {
        "province": province,
        "year": base_year,
        "scores": sorted(scores.items()),
        "weights": weights,
        "current": current,
        "illustrative": base_year in illustrative,
        "subindex": subindex_number,
        "new_score": new_score,
    }
    if subindex_number in weights and new_score is not None:
        changed = {**scores, subindex_number: new_score}
        out["old_score"] = scores[subindex_number]
        out["new_total"] = weighted_total(changed, weights)
        out["gain"] = out["new_total"] - current
        out["gain_text"] = ("+" if out["gain"] > 0 else "") + number_format(out["gain"], 2)
        # Where either total would stand against the other provinces' results of that year.
        ranks = Result.objects.pci().ranks_among(province, base_year, current, out["new_total"])
        if ranks:
            (out["rank"], out["out_of"]), (out["new_rank"], _n) = ranks
    return out


def task_status_by_unit(tasks, group_by_agency):
    """{unit: {status: n}} for a stacked bar chart, grouped by agency (province view) or lead unit."""
    prefix = "lead_unit__agency__" if group_by_agency else "lead_unit__"
    rows = tasks.values(prefix + "id", prefix + "short_name", prefix + "name", "status").annotate(n=Count("id"))
    units = {}
    for r in rows:
        uid = r[prefix + "id"]
        entry = units.setdefault(
            uid, {"id": uid, "name": _unit_label(r[prefix + "short_name"], r[prefix + "name"]), "counts": {}}
        )
        entry["counts"][r["status"]] = r["n"]
    out = []
    for u in units.values():
        u["total"] = sum(u["counts"].values())
        u["cells"] = [(s, u["counts"].get(s, 0)) for s in Task.Status.values]
        out.append(u)
    out.sort(key=lambda u: (-u["total"], u["name"]))
    return out


def overdue_by(tasks, today, group_by_agency):
    overdue = tasks.overdue(on=today)
    prefix = "lead_unit__agency__" if group_by_agency else "lead_unit__"
    by_unit = [
        {"id": r[prefix + "id"], "name": _unit_label(r[prefix + "short_name"], r[prefix + "name"]), "n": r["n"]}
        for r in overdue.values(prefix + "id", prefix + "short_name", prefix + "name")
        .annotate(n=Count("id"))
        .order_by("-n")
    ]
    by_leader = [
        {"id": r["leader_id"], "name": r["leader__full_name"] or _("(chưa phân công lãnh đạo)"), "n": r["n"]}
        for r in overdue.values("leader_id", "leader__full_name").annotate(n=Count("id")).order_by("-n")
    ]
    return by_unit, by_leader


def _only_in_scope(scope, rows):
    """A drill-down is offered for the units inside the reader's scope only: the others lose their id."""
    if scope is None:
        return
    inside = set(
        Unit.objects.read_in(scope).filter(pk__in={r["id"] for r in rows if r["id"]}).values_list("pk", flat=True)
    )
    for r in rows:
        if r["id"] not in inside:
            r["id"] = None


def report_compliance(plans, year, today, unit=None, limit=20):
    """Per deadline of the year: who reported on time, late, who is missing (or not yet due)."""
    deadlines = list(
        Deadline.objects.filter(rule__plan__in=plans, year=year)
        .select_related("rule__plan__focal_unit", "rule__plan__issuer", "rule__to_unit")
        .prefetch_related("units")
        .order_by("due_date", "id")[:limit]
    )
    if not deadlines:
        return []
    submissions = {
        (s.deadline_id, s.unit_id): s
        for s in Submission.objects.filter(deadline__in=deadlines).only(
            "id", "deadline_id", "unit_id", "status", "submitted_at"
        )
    }
    done = {Submission.Status.SUBMITTED, Submission.Status.ACCEPTED}
    out = []
    for d in deadlines:
        units = {u.pk: u for u in d.units.all()}
        if unit is not None:
            units = {k: u for k, u in units.items() if u.path.startswith(unit.path)}
        entry = {"deadline": d, "on_time": [], "late": [], "missing": [], "not_due": []}
        for u in sorted(units.values(), key=lambda u: u.path):
            s = submissions.get((d.pk, u.pk))
            if s is not None and s.status in done and s.submitted_at:
                on_time = timezone.localdate(s.submitted_at) <= d.due_date
                entry["on_time" if on_time else "late"].append(u)
            elif d.due_date < today:
                entry["missing"].append(u)
            else:
                entry["not_due"].append(u)
        out.append(entry)
    return out


def recent_updates(tasks, now, limit=10):
    since = now - datetime.timedelta(days=7)
    updates = TaskUpdate.objects.filter(task__in=tasks, created_at__gte=since)
    count = updates.count()
    latest = list(
        updates.select_related("task", "author").only(
            "id",
            "created_at",
            "status",
            "progress",
            "note",
            "kind",
            "task__id",
            "task__title",
            "author__full_name",
            "author__username",
        )[:limit]
    )
    return count, latest


def build_dashboard(user, filters, today=None, now=None):
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    scope = scope_of(user)
    # The filter lists are plain rows: a province has 100 plans and 400 units to choose from.
    plans = [
        {
            "id": p["id"],
            "label": " · ".join(
                [
                    p["number"] or (f"/{p['number_suffix']}" if p["number_suffix"] else "—"),
                    p["issuer__short_name"] or p["issuer__name"],
                    str(p["period_start"]) + (f"–{p['period_end']}" if p["period_end"] != p["period_start"] else ""),
                ]
            ),
        }
        for p in Plan.objects.visible_to(user)
        .tracked()
        .order_by("-period_start", "issuer__path", "number")
        .values("id", "number", "number_suffix", "issuer__short_name", "issuer__name", "period_start", "period_end")
    ]
    plan_ids = [p["id"] for p in plans]
    plan_id = None
    if int_param(filters.plan) in plan_ids:
        plan_id = int(filters.plan)
    elif filters.plan == "" and plan_ids:
        with_targets = set(Target.objects.filter(plan__in=plan_ids).order_by().values_list("plan_id", flat=True))
        plan_id = next((pk for pk in plan_ids if pk in with_targets), plan_ids[0])
    plan = Plan.objects.select_related("issuer").get(pk=plan_id) if plan_id else None
    readable = Unit.objects.exclude(kind__in=[Unit.Kind.GROUP, Unit.Kind.ENTERPRISE])
    readable = readable if scope is None else readable.filter(scope.q())
    unit = readable.filter(pk=filters.unit).first() if filters.unit else None
    # The unit list offers what the reader works with: the units of the reader's scope leading tasks of the chosen
    # plan (or of the plans listed) and their agencies, not every unit of the province (1,201 options at three
    # times our size).
    leading = Task.objects.filter(plan_id__in=[plan.pk] if plan else plan_ids).order_by().values("lead_unit_id")
    offered = Q(pk__in=leading) | Q(pk__in=Unit.objects.filter(pk__in=leading).values("agency_id"))
    if unit is not None:
        offered |= Q(pk=unit.pk)
    units = readable.filter(offered)
    units = [
        {"id": pk, "label": short or name, "path": path}
        for pk, short, name, path in units.order_by("path").values_list("id", "short_name", "name", "path")
    ]
    group_by_agency = unit is None and (scope is None or scope.whole_province)

    if filters.year is None:
        # This year, kept within the chosen plan's period: a 2021–2025 plan opens on 2025, not on an empty 2026.
        filters.year = min(max(today.year, plan.period_start), plan.period_end) if plan else today.year
    target_table, charts, series = target_rows(plan, filters.year) if plan else ([], [], {})
    tasks = filtered_tasks(user, plan=plan, unit=unit)
    status_rows = task_status_by_unit(tasks, group_by_agency)
    overdue_units, overdue_leaders = overdue_by(tasks, today, group_by_agency)
    _only_in_scope(scope, status_rows + overdue_units)
    update_count, updates = recent_updates(tasks, now)
    compliance = report_compliance([plan.pk] if plan else plan_ids, filters.year, today, unit=unit)
    for c in compliance:
        c["url"] = deadline_path_for(user, c["deadline"])

    province = next((t["target"].province for t in target_table), None)
    if province is None and scope is not None:
        province = scope.province

    statuses = list(Task.Status.choices)
    chart_data = {
        "subjects": charts,
        "status": {
            "units": [u["name"] for u in status_rows[:15]],
            "unit_ids": [u["id"] for u in status_rows[:15]],
            "datasets": [
                {
                    "key": s,
                    "label": str(label),
                    "color": STATUS_COLORS[s],
                    "data": [u["counts"].get(s, 0) for u in status_rows[:15]],
                }
                for s, label in statuses
            ],
        },
        "overdue_units": {
            "labels": [u["name"] for u in overdue_units[:15]],
            "ids": [u["id"] for u in overdue_units[:15]],
            "data": [u["n"] for u in overdue_units[:15]],
        },
        "compliance": {
            "labels": [f"{c['deadline'].due_date:%d/%m} · {c['deadline'].rule.title}" for c in compliance],
            "ids": [c["deadline"].pk for c in compliance],
            "urls": [c["url"] for c in compliance],
            "on_time": [len(c["on_time"]) for c in compliance],
            "late": [len(c["late"]) for c in compliance],
            "missing": [len(c["missing"]) for c in compliance],
            "not_due": [len(c["not_due"]) for c in compliance],
        },
        "labels": {
            "rank": _("Xếp hạng"),
            "score": _("Điểm"),
            "median": _("Trung vị cả nước"),
            "best": _("Tỉnh dẫn đầu"),
            "on_time": _("Đúng hạn"),
            "late": _("Trễ hạn"),
            "missing": _("Chưa nộp"),
            "not_due": _("Chưa đến hạn"),
            "overdue": _("Nhiệm vụ quá hạn"),
        },
    }
    return {
        "filters": filters,
        "today": today,
        "scope": scope,
        "plans": plans,
        "plan": plan,
        "units": units,
        "unit": unit,
        "years": list(range(today.year + 1, today.year - 10, -1)),
        "group_by_agency": group_by_agency,
        "targets": target_table,
        "series": [s for s in series.values() if s.years],
        "statuses": statuses,
        "status_rows": status_rows,
        "overdue_units": overdue_units,
        "overdue_leaders": overdue_leaders,
        "overdue_total": sum(u["n"] for u in overdue_units),
        "update_count": update_count,
        "updates": updates,
        "compliance": compliance,
        "province": province,
        "what_if": what_if(province, year=filters.year) if province else None,
        "subindices": list(SubIndex.objects.filter(index__code="PCI").order_by("number")),
        "chart_data": chart_data,
    }
