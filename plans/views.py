"""Officials' workspace: my tasks, the task page and its updates, plan pages and the focal office's editing.

Views are thin: they read through plans.access (404 not visible, 403 not allowed), hand writes to
plans.services, and answer htmx requests with partials.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Unit
from pci_portal.inputs import int_param
from pci_portal.versioning import atomic_post

from . import access, services
from .filters import TaskFilter
from .forms import (
    AssignForm,
    CommentForm,
    GoalFormSet,
    PasteTasksForm,
    PlanCreateForm,
    PlanForm,
    SectionForm,
    TargetForm,
    TaskForm,
    TaskUpdateForm,
)
from .models import Evidence, Plan, Section, Target, Task, overdue_condition

PAGE_SIZE = 25
# Task lists read the coordinating units as a plain list (task.coordinators): prefetching into the related
# manager filters a queryset per row, a sixth of the plan page's CPU time with a hundred tasks.
COORDINATORS = Prefetch("coordinating_units", queryset=Unit.objects.order_by("path"), to_attr="coordinators")


def _page(request, queryset, size=PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _query_without_page(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# --- My tasks --------------------------------------------------------------------------------------


@login_required
def my_tasks(request):
    user = request.user
    scope = request.GET.get("scope", "mine")
    base = Task.objects.visible_to(user)
    if scope == "assigned":
        base = base.filter(assignees=user)
    elif scope != "all":
        scope = "mine"
        base = base.mine(user)
    plans = Plan.objects.filter(pk__in=base.values("plan_id")).order_by("-period_start", "number")
    today = timezone.localdate()
    task_filter = TaskFilter(request.GET, queryset=base.with_schedule(today), plans=plans)
    tasks = task_filter.qs
    if not request.GET.get("o"):
        tasks = tasks.order_by(F("current_due").asc(nulls_last=True), "plan_id", "order", "id")
    # One pass over the visible rows gives the counts per status, the overdue count and the total
    # (which the paginator reuses): at province scale each pass costs tens of milliseconds.
    rows = tasks.order_by().values("status").annotate(n=Count("id"), late=Count("id", filter=overdue_condition(today)))
    counts = {r["status"]: r["n"] for r in rows}
    overdue_count = sum(r["late"] for r in rows)
    total = sum(counts.values())
    tasks = tasks.select_related("plan", "section", "lead_unit").prefetch_related(COORDINATORS)
    paginator = Paginator(tasks, PAGE_SIZE)
    paginator.count = total  # cached_property: no second COUNT(*)
    page = paginator.get_page(request.GET.get("page"))
    statuses = [(value, label, counts.get(value, 0)) for value, label in Task.Status.choices]
    return render(
        request,
        "plans/task_list.html",
        {
            "filter": task_filter,
            "plan_options": task_filter.options("plan"),
            "subindex_options": task_filter.options("subindex"),
            "status_options": task_filter.options("status"),
            "page_obj": page,
            "tasks": page.object_list,
            "statuses": statuses,
            "total": total,
            "overdue_count": overdue_count,
            "scope": scope,
            "filtering": any(request.GET.get(k) for k in ("q", "plan", "subindex", "status", "due_before", "overdue")),
            "query": _query_without_page(request),
        },
    )


# --- Task page and its actions ---------------------------------------------------------------------


def _task_context(request, task, **forms):
    user = request.user
    task = (
        Task.objects.select_related("plan__issuer", "section", "lead_unit", "leader")
        .prefetch_related("coordinating_units", "assignees", "subindices", "indicators")
        .get(pk=task.pk)
    )
    history = list(
        task.updates.select_related("author", "author__unit", "occurrence__task").prefetch_related("evidence")
    )
    today = timezone.localdate()
    current = task.current(today)
    next_round = task.occurrences.next_open(today).first()
    occurrences = list(task.occurrences.annotate(n_updates=Count("updates")).order_by("due_date"))
    for o in occurrences:
        o.task = task
        o.overdue_now = o.is_overdue(today)
        o.is_current = current is not None and o.pk == current.pk
    targets = task.plan.targets.all()
    subindex_ids = {s.pk for s in task.subindices.all()}
    if subindex_ids:
        targets = targets.filter(
            Q(subindex__in=subindex_ids) | Q(indicator__subindex__in=subindex_ids) | Q(subindex__isnull=True)
        )
    can = {
        "update": access.can_update_task(user, task),
        "comment": access.can_comment_task(user, task),
        "assign": access.can_assign_task(user, task),
        "edit": access.can_edit_plan(user, task.plan),
    }
    context = {
        "task": task,
        "history": history,
        "last_update": task.last_progress_update(history),
        "targets": targets.assess_all(),
        "can": can,
        "current": current,
        "next_round": next_round,
        "next_due": next_round.due_date if next_round else None,
        "is_overdue": bool(next_round and next_round.is_overdue(today)),
        "occurrences": occurrences,
        "update_form": forms.get("update_form")
        or (TaskUpdateForm(task=task, cancellable=can["edit"]) if can["update"] else None),
        "comment_form": forms.get("comment_form") or (CommentForm() if can["comment"] else None),
        "assign_form": forms.get("assign_form") or (AssignForm(task=task) if can["assign"] else None),
        "stale": forms.get("stale"),
        "saved": forms.get("saved"),
    }
    return context


@login_required
def task_detail(request, pk):
    task = access.get_task_for(request.user, pk)
    return render(request, "plans/task_detail.html", _task_context(request, task))


def _after_action(request, task, done):
    """htmx: the refreshed header, history and forms (out-of-band swaps) with `done` said above the forms;
    otherwise back to the task page with `done` as a message."""
    if request.htmx:
        return render(request, "plans/partials/task_refresh.html", _task_context(request, task, saved=done))
    messages.success(request, done)
    return redirect("plans:task_detail", pk=task.pk)


def _form_error(request, task, **forms):
    """The forms with their errors and what was typed; htmx also gets the fresh header and history."""
    context = _task_context(request, task, **forms)
    if request.htmx:
        return render(request, "plans/partials/task_refresh.html", context)
    return render(request, "plans/task_detail.html", context, status=400)


@require_POST
@login_required
def task_update(request, pk):
    task = access.get_task_for(request.user, pk, "update")
    form = TaskUpdateForm(
        request.POST,
        request.FILES,
        task=task,
        user=request.user,
        cancellable=access.can_edit_plan(request.user, task.plan),
    )
    if not form.is_valid():
        return _form_error(request, task, update_form=form)
    data = form.cleaned_data
    try:
        services.update_task(
            task,
            by=request.user,
            status=data["status"],
            progress=data["progress"],
            note=data["note"],
            files=data["files"],
            version=data["version"],
        )
    except ValidationError as refused:  # a quota taken meanwhile by another upload (checked again under lock)
        form.add_error("files", refused)
        return _form_error(request, task, update_form=form)
    except services.StaleTask as stale:
        # Keep everything typed; carry the fresh version so that a deliberate resubmit goes through.
        resubmit = request.POST.copy()
        resubmit["version"] = stale.task.version
        form = TaskUpdateForm(
            resubmit, task=stale.task, cancellable=access.can_edit_plan(request.user, stale.task.plan)
        )
        form.is_valid()
        form.add_error(
            None,
            _(
                "Nhiệm vụ vừa được người khác cập nhật trong lúc bạn nhập. Nội dung bạn nhập vẫn được giữ nguyên "
                "bên dưới: hãy xem thay đổi, điều chỉnh nếu cần rồi bấm “Lưu cập nhật” lần nữa."
            ),
        )
        if data["files"]:
            form.add_error("files", _("Vui lòng chọn lại tệp minh chứng (trình duyệt không giữ tệp đã chọn)."))
        return _form_error(request, stale.task, update_form=form, stale=stale.changes)
    return _after_action(request, task, _("Đã lưu cập nhật nhiệm vụ."))


@require_POST
@login_required
def task_comment(request, pk):
    task = access.get_task_for(request.user, pk, "comment")
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _form_error(request, task, comment_form=form)
    services.comment_task(task, by=request.user, note=form.cleaned_data["note"])
    return _after_action(request, task, _("Đã gửi ý kiến."))


@require_POST
@login_required
def task_assign(request, pk):
    task = access.get_task_for(request.user, pk, "assign")
    form = AssignForm(request.POST, task=task)
    if not form.is_valid():
        return _form_error(request, task, assign_form=form)
    services.assign_task(task, by=request.user, users=list(form.cleaned_data["users"]), note=form.cleaned_data["note"])
    return _after_action(request, task, _("Đã phân công nhiệm vụ."))


@login_required
def evidence_download(request, pk):
    evidence = get_object_or_404(Evidence.objects.select_related("update"), pk=pk)
    if not Task.objects.visible_to(request.user).filter(pk=evidence.update.task_id).exists():
        raise Http404(_("Không tìm thấy tệp."))
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("Không tìm thấy tệp."))
    return FileResponse(
        handle, as_attachment=True, filename=evidence.original_name, content_type=evidence.content_type or None
    )


# --- Plans -----------------------------------------------------------------------------------------


@login_required
def plan_list(request):
    user = request.user
    today = timezone.localdate()
    plans = Plan.objects.filter(pk__in=Plan.objects.visible_to(user).values("pk"))
    mine = request.GET.get("mine") == "1"
    if mine:
        plans = plans.filter(pk__in=Plan.objects.kept_by(user).values("pk"))
    if request.GET.get("all") != "1":
        plans = plans.tracked()
    q = request.GET.get("q", "").strip()
    if q:
        plans = plans.filter(Q(title__icontains=q) | Q(number__icontains=q) | Q(issuer__name__icontains=q))
    plans = (
        plans.with_progress(today)
        .select_related("issuer", "focal_unit", "parent")
        .order_by("-period_start", "issuer__path", "number", "pk")
    )
    kept = set(Plan.objects.kept_by(user).values_list("pk", flat=True))
    page = _page(request, plans)
    return render(
        request,
        "plans/plan_list.html",
        {
            "page_obj": page,
            "plans": page.object_list,
            "kept": kept,
            "mine": mine,
            "q": q,
            "filtering": bool(q or mine),
            "show_all": request.GET.get("all") == "1",
            "can_keep": bool(kept),
            "can_create": access.can_create_plan(user),
            "query": _query_without_page(request),
        },
    )


@login_required
def plan_detail(request, pk):
    user = request.user
    plan = access.get_plan_for(user, pk)
    today = timezone.localdate()
    visible_plans = Plan.objects.visible_to(user)
    # A plan is readable as soon as one of its tasks concerns the agency; its other tasks are listed
    # only to those who may open them (the per-unit and per-section figures stay plan-wide).
    tasks = list(
        plan.tasks.filter(pk__in=Task.objects.visible_to(user).values("pk"))
        .with_schedule(today)
        .select_related("lead_unit", "section")
        .prefetch_related(COORDINATORS)
        .order_by("section__order", "order", "id")
    )
    sections = list(plan.sections.with_progress(today).order_by("order", "id"))
    by_section = {s.pk: [] for s in sections}
    loose = []
    for t in tasks:
        (by_section[t.section_id] if t.section_id in by_section else loose).append(t)
    section_rows = [(s, by_section[s.pk]) for s in sections]
    unit_rows = plan.tasks.progress_by("lead_unit__name", "lead_unit__short_name", on=today).order_by("lead_unit__path")
    stats = plan.tasks.progress(on=today)
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "parent": plan.parent if plan.parent_id and visible_plans.filter(pk=plan.parent_id).exists() else None,
            "parent_label": plan.parent if plan.parent_id else None,
            "children": visible_plans.filter(parent=plan).select_related("issuer"),
            "relies_on": plan.relies_on.select_related("issuer"),
            "follows": plan.follows if plan.follows_id and visible_plans.filter(pk=plan.follows_id).exists() else None,
            "followed_by": visible_plans.filter(follows=plan).select_related("issuer"),
            "legal_basis": plan.legal_basis.all(),
            "targets": plan.targets.assess_all(),  # one pass for all of them (plans.targets.assess_all)
            "section_rows": section_rows,
            "loose_tasks": loose,
            "unit_rows": unit_rows,
            "stats": stats,
            "rules": plan.reporting_rules.select_related("to_unit").prefetch_related("deadlines"),
            "can_edit": access.can_edit_plan(user, plan),
            "source": plan.imports.filter(status="saved").order_by("-created_at").first(),
        },
    )


# --- Focal office editing ---------------------------------------------------------------------------


def _edit_page(request, form, title, plan, extra=None, template="plans/plan_form.html"):
    return render(request, template, {"form": form, "title": title, "plan": plan, **(extra or {})})


@login_required
def plan_create(request):
    access.require_create_plan(request.user)
    form = PlanCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        plan = services.create_plan(form, by=request.user)
        messages.success(
            request,
            _("Đã tạo kế hoạch. Tiếp theo: thêm nhóm giải pháp, nhiệm vụ, mục tiêu và quy định báo cáo."),
        )
        return redirect("plans:plan_detail", pk=plan.pk)
    return render(request, "plans/plan_create.html", {"form": form, "title": _("Tạo kế hoạch mới")})


@login_required
def tasks_paste(request, pk):
    section, plan = _section_for(request, pk)
    form = PasteTasksForm(request.POST or None, plan=plan, initial={"timeframe": Task.Timeframe.REGULAR})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = services.add_tasks(
            plan,
            section=section,
            lines=data["lines"],
            lead_unit=data["lead_unit"],
            coordinating_units=list(data["coordinating_units"]),
            leader=data["leader"],
            timeframe=data["timeframe"],
            timeframe_text=data["timeframe_text"],
            due_date=data["due_date"],
        )
        messages.success(
            request, _("Đã thêm %(n)s nhiệm vụ vào nhóm “%(section)s”.") % {"n": len(created), "section": section}
        )
        return redirect(reverse("plans:plan_detail", args=[plan.pk]) + f"#section-{section.pk}")
    title = _("Dán nhiều nhiệm vụ vào nhóm “%(section)s”") % {"section": section}
    return _edit_page(request, form, title, plan)


@login_required
@atomic_post
def plan_edit(request, pk):
    plan = access.get_plan_for(request.user, pk, "edit")
    form = PlanForm(request.POST or None, instance=plan, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.save_plan(form)
        messages.success(request, _("Đã lưu kế hoạch."))
        return redirect("plans:plan_detail", pk=plan.pk)
    return _edit_page(request, form, _("Sửa thông tin kế hoạch"), plan)


def _section_for(request, pk):
    section = get_object_or_404(Section, pk=pk)
    plan = access.get_plan_for(request.user, section.plan_id, "edit")
    return section, plan


@login_required
@atomic_post
def section_edit(request, plan_pk=None, pk=None):
    if pk is None:
        plan = access.get_plan_for(request.user, plan_pk, "edit")
        section = Section(plan=plan, order=plan.sections.count() + 1)
    else:
        section, plan = _section_for(request, pk)
    form = SectionForm(request.POST or None, instance=section, plan=plan)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Đã lưu nhóm giải pháp."))
        if "save_another" in request.POST:
            return redirect("plans:section_create", plan_pk=plan.pk)
        return redirect(reverse("plans:plan_detail", args=[plan.pk]) + f"#section-{form.instance.pk}")
    title = _("Thêm nhóm giải pháp") if pk is None else _("Sửa nhóm giải pháp")
    delete_url = reverse("plans:section_delete", args=[pk]) if pk else None
    return _edit_page(request, form, title, plan, {"delete_url": delete_url})


@login_required
def section_delete(request, pk):
    section, plan = _section_for(request, pk)
    if request.method == "POST":
        section.delete()
        messages.success(request, _("Đã xóa nhóm giải pháp; các nhiệm vụ của nhóm được giữ lại."))
        return redirect("plans:plan_detail", pk=plan.pk)
    return render(request, "plans/confirm_delete.html", {"object": section, "plan": plan})


@login_required
@atomic_post
def task_edit(request, plan_pk=None, pk=None):
    if pk is None:
        plan = access.get_plan_for(request.user, plan_pk, "edit")
        task = Task(plan=plan, section_id=int_param(request.GET.get("section")))
        if task.section_id and not plan.sections.filter(pk=task.section_id).exists():
            task.section_id = None
    else:
        task = access.get_task_for(request.user, pk)
        plan = access.get_plan_for(request.user, task.plan_id, "edit")
    form = TaskForm(request.POST or None, instance=task, plan=plan)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Đã lưu nhiệm vụ “%(title)s”.") % {"title": form.instance.title})
        if "save_another" in request.POST:
            # The next task most often belongs to the same section.
            url = reverse("plans:task_create", args=[plan.pk])
            return redirect(f"{url}?section={form.instance.section_id}" if form.instance.section_id else url)
        return redirect("plans:task_detail", pk=form.instance.pk)
    title = _("Thêm nhiệm vụ") if pk is None else _("Sửa nhiệm vụ")
    delete_url = reverse("plans:task_delete", args=[pk]) if pk else None
    extra = {"delete_url": delete_url, "delete_label": _("Lưu trữ (hủy) nhiệm vụ")}
    return _edit_page(request, form, title, plan, extra)


@login_required
def task_delete(request, pk):
    """ "Delete" archives: the task becomes cancelled and keeps its history and evidence (never hard-deleted)."""
    task = access.get_task_for(request.user, pk)
    plan = access.get_plan_for(request.user, task.plan_id, "edit")
    if request.method == "POST":
        if services.archive_task(task, by=request.user, reason=request.POST.get("reason", "")[:2000]):
            messages.success(
                request, _("Đã lưu trữ nhiệm vụ: nhiệm vụ chuyển sang “Hủy bỏ”, lịch sử và minh chứng được giữ.")
            )
        else:
            messages.info(request, _("Nhiệm vụ đã ở trạng thái “Hủy bỏ”."))
        return redirect("plans:task_detail", pk=task.pk)
    return render(request, "plans/confirm_archive.html", {"object": task, "plan": plan})


@login_required
@atomic_post
def target_edit(request, plan_pk=None, pk=None):
    if pk is None:
        plan = access.get_plan_for(request.user, plan_pk, "edit")
        target = Target(plan=plan, province=plan.issuer.top_unit().province, year=plan.period_end)
    else:
        target = get_object_or_404(Target, pk=pk)
        plan = access.get_plan_for(request.user, target.plan_id, "edit")
    form = TargetForm(request.POST or None, instance=target)
    formset = GoalFormSet(request.POST or None, instance=target, prefix="goals")
    if request.method == "POST" and form.is_valid():
        formset.group_size = len(form.cleaned_data.get("members") or [])
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        services.save_target(form, formset)
        messages.success(request, _("Đã lưu mục tiêu."))
        return redirect(reverse("plans:plan_detail", args=[plan.pk]) + "#targets")
    title = _("Thêm mục tiêu") if pk is None else _("Sửa mục tiêu")
    return _edit_page(request, form, title, plan, {"formset": formset}, template="plans/target_form.html")
