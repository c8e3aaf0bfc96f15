"""The document import in the browser: upload → reading in the background (progress) → review beside the
source → one save. Only the person who uploaded (and administrators) see an import; what they may create
is the same as for a new plan typed by hand."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import access, imports
from .forms import PlanImportForm
from .importing.describe import goal_text
from .importing.draft import DraftTarget, UnitRef
from .importing.save import UnmatchedUnits
from .models import PlanImport, Task

# What each source line became, as the reviewer reads it.
FIELD_LABELS = {
    "number": gettext_lazy("số, ký hiệu"),
    "place, date": gettext_lazy("địa danh, ngày"),
    "kind": gettext_lazy("loại văn bản"),
    "title": gettext_lazy("trích yếu"),
    "header": gettext_lazy("khối đầu văn bản"),
    "issuing body": gettext_lazy("cơ quan ban hành"),
    "preamble": gettext_lazy("mở đầu"),
    "objectives": gettext_lazy("mục tiêu, yêu cầu"),
    "targets": gettext_lazy("mục tiêu"),
    "section": gettext_lazy("nhóm giải pháp"),
    "task": gettext_lazy("nhiệm vụ"),
    "task attributes": gettext_lazy("đơn vị, lãnh đạo, thời gian của nhiệm vụ"),
    "reporting rules": gettext_lazy("quy định báo cáo"),
    "reporting rule": gettext_lazy("quy định báo cáo"),
    "closing": gettext_lazy("đoạn kết"),
    "recipients": gettext_lazy("nơi nhận"),
    "signer_title": gettext_lazy("chức danh người ký"),
    "signer": gettext_lazy("người ký"),
    "signature": gettext_lazy("chữ ký"),
    "appendix header": gettext_lazy("tiêu đề bảng phụ lục"),
}


def _field_label(field):
    if field.startswith("lead units of Part "):
        return _("đơn vị chủ trì của Mục %(part)s") % {"part": field.rsplit(" ", 1)[-1]}
    return FIELD_LABELS.get(field, field)


def _import_for(user, pk):
    access.require_create_plan(user)
    qs = PlanImport.objects.all() if user.is_admin_role else PlanImport.objects.filter(created_by=user)
    try:
        return qs.get(pk=pk)
    except PlanImport.DoesNotExist:
        raise Http404(_("Không tìm thấy bản nhập."))


@login_required
def import_start(request):
    access.require_create_plan(request.user)
    form = PlanImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        imp = imports.start_import(form.cleaned_data["file"], by=request.user)
        return redirect("plans:import_review", pk=imp.pk)
    recent = PlanImport.objects.filter(created_by=request.user).exclude(status=PlanImport.Status.SAVED)[:10]
    return render(
        request, "plans/import_start.html", {"form": form, "recent": recent}, status=400 if form.errors else 200
    )


@login_required
def import_progress(request, pk):
    imp = _import_for(request.user, pk)
    if imp.status in (PlanImport.Status.READY, PlanImport.Status.FAILED) and request.htmx:
        response = HttpResponse()
        response["HX-Refresh"] = "true"
        return response
    return render(request, "plans/partials/import_progress.html", {"imp": imp})


def _dmy(iso):
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}" if iso else ""


def _subject_choices():
    """ "PCI", "PCI:1" … for the subject list of a target: each index, then its sub-indices."""
    from indicators.models import Index, SubIndex

    choices = []
    subindices = {}
    for s in SubIndex.objects.select_related("index").order_by("index_id", "number"):
        subindices.setdefault(s.index_id, []).append(s)
    for index in Index.objects.all():
        choices.append((index.code, _("%(index)s (toàn bộ chỉ số)") % {"index": index.code}))
        for s in subindices.get(index.pk, []):
            choices.append((f"{index.code}:{s.number}", f"{index.code} – {s.number}. {s.name}"))
    return choices


def _goal_row(goal):
    value = "" if goal is None or goal.value is None else str(goal.value).replace(".", ",").removesuffix(",0")
    return {
        "kind": goal.kind if goal else "",
        "value": value,
        "low": "" if goal is None or goal.low is None else goal.low,
        "high": "" if goal is None or goal.high is None else goal.high,
        "out_of": "" if goal is None or goal.out_of is None else goal.out_of,
        "region": goal.region_code if goal else "",
        "tier": goal.tier if goal else "",
        "min_count": "" if goal is None or not goal.min_count else goal.min_count,
        "text": goal_text(goal) if goal else "",
    }


def _target_rows(targets, regions, tiers, prefix=None):
    rows = []
    for i, t in enumerate(targets):
        subject = t.index + (f":{t.subindex}" if t.subindex else "")
        rows.append(
            {
                "prefix": f"target-{i}" if prefix is None else prefix,
                "target": t,
                "subject": subject,
                "group": ", ".join(map(str, t.subindices)),
                "goals": [_goal_row(g) for g in t.goals] + [_goal_row(None)],
                "regions": [r for r in regions if t.year is None or r.covers(t.year)],
                # A new target's index is chosen on the page: it offers the tiers of every index.
                "tiers": [
                    x
                    for x in tiers
                    if prefix is not None
                    or x.index.code == t.index
                    and (t.year is None or ((x.from_year or 0) <= t.year <= (x.to_year or 9999)))
                ],
                "baseline_score": "" if t.baseline_score is None else str(t.baseline_score).replace(".", ","),
            }
        )
    return rows


def _review_context(request, imp, draft=None, errors=None):
    from indicators.models import Region, TierLevel
    from indicators.verdicts import Goal as GoalRules

    draft = draft or imports.load_draft(imp)
    scope = imports.ReviewScope(request.user, draft)
    allowed = access.issuers_for(request.user)
    unmatched = []
    for ref in draft.unit_refs():
        if ref.text and not ref.code and not ref.children_of and ref.text not in unmatched:
            unmatched.append(ref.text)
    lines = draft.lines
    for line in lines:
        line.label = _field_label(line.field) if line.field else ""
    counts = {use: sum(1 for line in lines if line.use == use) for use in ("used", "verbatim", "unused")}
    sections = draft.all_sections()
    depth = {}

    def walk(items, level):
        for s in items:
            depth[s.number] = level
            walk(s.children, level + 1)

    walk(draft.sections, 0)
    section_of = {id(t): s.number for s in sections for t in s.tasks}
    tasks = []
    for i, task in enumerate(draft.all_tasks()):
        tasks.append(
            {
                "prefix": f"task-{i}",
                "task": task,
                "section": section_of.get(id(task), ""),
                "lead": scope.unit_text(task.lead),
                "lead_unmatched": task.lead.text if task.lead and not task.lead.code else "",
                "coordinating": [
                    (n, ref, scope.unit_text(ref) or (ref.text if ref.children_of else ""))
                    for n, ref in enumerate(task.coordinating)
                ],
                "leader": task.leader.name if task.leader else "",
                "due": _dmy(task.due),
            }
        )
    regions = list(Region.objects.prefetch_related("provinces"))
    tiers = list(TierLevel.objects.select_related("index").order_by("index_id", "position"))
    return {
        "imp": imp,
        "draft": draft,
        "errors": errors or [],
        "issuers": allowed.order_by("path")[:500],
        "scope": scope,
        "unit_options": [(scope.label(u), u.parent.name if u.parent_id else "") for u in scope.units],
        "sections": [(s, " " * depth.get(s.number, 0)) for s in sections],
        "tasks": tasks,
        "unmatched": unmatched,
        "create_units": set(getattr(draft, "create_units", [])),
        "timeframes": Task.Timeframe.choices,
        "targets": _target_rows(draft.targets, regions, tiers),
        "new_target": _target_rows([DraftTarget(year=draft.period_end)], regions, tiers, prefix="target-new")[0],
        "new_task": {"prefix": "task-new", "task": None, "section": sections[0].number if sections else ""},
        "subjects": _subject_choices(),
        "goal_kinds": GoalRules.Kind.choices,
        "counts": counts,
        "issuer_ref": draft.issuer or UnitRef(),
        "focal_text": scope.unit_text(draft.focal_unit),
        "rules": [(r, scope.unit_text(r.to)) for r in draft.reporting_rules],
    }


@login_required
def import_review(request, pk):
    imp = _import_for(request.user, pk)
    if imp.status == PlanImport.Status.SAVED and imp.plan_id:
        return redirect("plans:plan_detail", pk=imp.plan_id)
    if imp.status != PlanImport.Status.READY:
        return render(request, "plans/import_wait.html", {"imp": imp})
    return render(request, "plans/import_review.html", _review_context(request, imp))


def _version(request):
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


@require_POST
@login_required
def import_update(request, pk):
    imp = _import_for(request.user, pk)
    if imp.status != PlanImport.Status.READY:
        return redirect("plans:import_review", pk=imp.pk)
    try:
        imp = imports.update_draft(imp, request.POST, version=_version(request), by=request.user)
    except imports.StaleDraft:
        messages.error(request, _("Bản nháp vừa được lưu ở nơi khác; trang đã được tải lại với nội dung mới nhất."))
        return redirect("plans:import_review", pk=imp.pk)
    except imports.DraftErrors as bad:
        return render(
            request, "plans/import_review.html", _review_context(request, imp, bad.draft, bad.errors), status=400
        )
    if "save" in request.POST:
        return _save(request, imp)
    messages.success(request, _("Đã lưu bản nháp. Bạn có thể rời trang và quay lại sau."))
    return redirect("plans:import_review", pk=imp.pk)


def _save(request, imp):
    try:
        plan = imports.save_import(imp, by=request.user, version=imp.version)
    except UnmatchedUnits as unmatched:
        errors = [
            _("Chưa khớp đơn vị “%(name)s”: hãy chọn một đơn vị có sẵn hoặc “Tạo đơn vị mới”.") % {"name": n}
            for n in unmatched.names
        ]
        return render(request, "plans/import_review.html", _review_context(request, imp, errors=errors), status=400)
    except imports.DraftErrors as bad:
        return render(request, "plans/import_review.html", _review_context(request, imp, errors=bad.errors), status=400)
    except imports.StaleDraft:
        messages.error(request, _("Bản nháp này đã được lưu hoặc vừa thay đổi; hãy xem lại."))
        return redirect("plans:import_review", pk=imp.pk)
    except ValueError:
        errors = [_("Văn bản không cho biết năm/giai đoạn của kế hoạch: hãy nhập “Từ năm – Đến năm”.")]
        return render(request, "plans/import_review.html", _review_context(request, imp, errors=errors), status=400)
    messages.success(request, _("Đã lưu kế hoạch từ văn bản “%(name)s”.") % {"name": imp.original_name})
    return redirect("plans:plan_detail", pk=plan.pk)


@require_POST
@login_required
def import_discard(request, pk):
    imp = _import_for(request.user, pk)
    if imp.status != PlanImport.Status.SAVED:
        imports.discard_import(imp)
        messages.success(request, _("Đã bỏ bản nhập “%(name)s”.") % {"name": imp.original_name})
    return redirect("plans:import_start")


@login_required
def plan_source(request, pk):
    """The document a plan was imported from, for anyone who may read the plan."""
    plan = access.get_plan_for(request.user, pk)
    imp = plan.imports.filter(status=PlanImport.Status.SAVED).order_by("-created_at").first()
    if imp is None:
        raise Http404(_("Kế hoạch này không có văn bản gốc."))
    try:
        handle = imp.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("Không tìm thấy tệp."))
    return FileResponse(handle, as_attachment=True, filename=imp.original_name, content_type=imp.content_type or None)
