"""Thin views: access helper → form → verb → redirect or partial."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from accounts.models import User
from pci_portal.versioning import atomic_post
from plans import access as plan_access

from . import services
from .access import (
    can_fill_submission,
    can_manage_deadline,
    deadlines_visible_to,
    get_deadline_for,
    get_rendered_for,
    get_submission_for,
    get_unit_report_for,
)
from .forms import (
    DeadlineReportForm,
    RenderForm,
    ReportingRuleForm,
    ReturnForm,
    SubmissionForm,
    SubmissionRowForm,
    row_formset,
)
from .models import RenderedReport, ReportingRule, Submission, TrackerState, tracker_state


@login_required
def my_reports(request):
    """ "Báo cáo của đơn vị": the deadlines the user's unit owes; for the focal office, those it tracks."""
    user = request.user
    today = timezone.localdate()
    visible = deadlines_visible_to(user).filter(year__gte=today.year - 1).select_related("rule__plan", "rule__to_unit")
    owed = []
    unit = user.unit
    if unit is not None:
        owed = list(visible.owed_by(unit).order_by("due_date", "id"))
        submissions = {s.deadline_id: s for s in Submission.objects.filter(unit=unit, deadline__in=owed)}
        owed = [(d, submissions.get(d.pk), tracker_state(submissions.get(d.pk), d, today)) for d in owed]
    tracked = []
    if user.role == User.Role.FOCAL and unit is not None or user.is_admin_role:
        qs = visible
        if not user.is_admin_role:
            qs = qs.filter(
                Q(rule__plan__focal_unit__path__startswith=unit.path)
                | Q(rule__to_unit__path__startswith=unit.path)
                | Q(rule__plan__focal_unit__isnull=True, rule__plan__issuer=user.agency)
            )
        tracked = qs.annotate(
            n_submitted=Count("submissions", filter=Q(submissions__status=Submission.Status.SUBMITTED)),
            n_accepted=Count("submissions", filter=Q(submissions__status=Submission.Status.ACCEPTED)),
        ).order_by("due_date", "id")
    return render(
        request,
        "reporting/submission_list.html",
        {
            "owed": owed,
            "tracked": tracked,
            "today": today,
            "unit": unit,
            "may_fill": user.role == User.Role.UNIT_HEAD or user.is_admin_role,
        },
    )


@login_required
def tracker(request, pk):
    """The focal office's view of one deadline: every reporting unit and where its report stands.

    Leadership reads it too, without the focal office's actions.
    """
    deadline = get_deadline_for(request.user, pk, "track")
    manages = can_manage_deadline(request.user, deadline)
    today = timezone.localdate()
    rows = deadline.unit_statuses(on=today)
    counts = {state: 0 for state in TrackerState}
    for _unit, _sub, state in rows:
        counts[state] += 1
    renders = list(
        RenderedReport.objects.filter(deadline=deadline, submission__isnull=True).select_related("created_by")
    )
    return render(
        request,
        "reporting/deadline_tracker.html",
        {
            "deadline": deadline,
            "plan": deadline.rule.plan,
            "rows": rows,
            "counts": [(state, counts[state]) for state in TrackerState],
            "n_accepted": counts[TrackerState.ACCEPTED],
            "n_owing": counts[TrackerState.NOT_SUBMITTED]
            + counts[TrackerState.OVERDUE]
            + counts[TrackerState.RETURNED],
            "renders": renders,
            "return_form": ReturnForm(),
            "settings_form": DeadlineReportForm(instance=deadline),
            "render_form": RenderForm(),
            "today": today,
            "manages": manages,
        },
    )


@login_required
@require_POST
def deadline_settings(request, pk):
    deadline = get_deadline_for(request.user, pk, "manage")
    form = DeadlineReportForm(request.POST, instance=deadline)
    if form.is_valid():
        form.save()
        messages.success(request, gettext("Đã lưu thông tin báo cáo tổng hợp."))
    else:
        messages.error(request, gettext("Thông tin báo cáo tổng hợp không hợp lệ: %s") % form.errors.as_text())
    return redirect("reporting:tracker", deadline.pk)


@login_required
def submission(request, pk, unit_pk):
    """A unit's report for a deadline: the form while it is a draft or returned, read-only once submitted.

    A GET writes nothing: before the first save the form shows the rows as they would be prefilled,
    and the first save creates the draft.
    """
    user = request.user
    deadline, unit = get_unit_report_for(user, pk, unit_pk, "fill" if request.method == "POST" else "view")
    may_fill = can_fill_submission(user, deadline, unit)
    sub = Submission.objects.filter(deadline=deadline, unit=unit).first()
    editable = may_fill and (sub is None or sub.is_editable)
    saved_rows = list(sub.rows.select_related("task__section")) if sub else []
    rows = saved_rows + (services.proposed_rows(deadline, unit, sub) if editable else [])
    form = formset = None
    stale = None
    if editable:
        form = SubmissionForm(instance=sub, initial={"version": sub.version if sub else 0})
        formset = row_formset(rows)
    if request.method == "POST":
        if not editable:
            messages.error(
                request, gettext("Báo cáo đã gửi, không thể sửa. Đề nghị đơn vị đầu mối trả lại nếu cần sửa.")
            )
            return redirect("reporting:submission", deadline.pk, unit.pk)
        form = SubmissionForm(request.POST, instance=sub)
        formset = row_formset(rows, request.POST)
        if form.is_valid() and formset.is_valid():
            row_data = {
                f.cleaned_data["task"]: {k: f.cleaned_data[k] for k in SubmissionRowForm.Meta.fields}
                for f in formset.forms
                if f.cleaned_data.get("task")
            }
            fields = {k: form.cleaned_data[k] for k in SubmissionForm.Meta.fields}
            try:
                saved = services.save_report(
                    deadline, unit, user, fields, row_data, version=form.cleaned_data["version"]
                )
                if "submit" in request.POST:
                    services.submit_report(saved, user)
                    messages.success(request, gettext("Đã gửi báo cáo đến %s.") % deadline.rule.to_unit)
                else:
                    messages.success(request, gettext("Đã lưu bản nháp."))
                return redirect("reporting:submission", deadline.pk, unit.pk)
            except services.StaleReport as exc:
                stale = exc.submission
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                return redirect("reporting:submission", deadline.pk, unit.pk)
        if stale is not None:
            # Keep everything typed; carry the fresh version so that a deliberate second save goes through.
            data = request.POST.copy()
            data["version"] = stale.version
            form = SubmissionForm(data, instance=stale)
            form.is_valid()
            messages.error(
                request,
                gettext(
                    "Báo cáo vừa được người khác lưu (lúc %(when)s) trong lúc bạn nhập. Nội dung bạn nhập vẫn được "
                    "giữ nguyên bên dưới: hãy đối chiếu rồi bấm lưu lần nữa nếu muốn ghi đè."
                )
                % {"when": timezone.localtime(stale.updated_at).strftime("%H:%M %d/%m/%Y")},
            )
            if not stale.is_editable:  # sent meanwhile: the page now shows it read-only
                return redirect("reporting:submission", deadline.pk, unit.pk)
        else:
            messages.error(
                request, gettext("Vui lòng kiểm tra các ô được đánh dấu; nội dung đã nhập vẫn được giữ nguyên.")
            )
    renders = list(RenderedReport.objects.filter(submission=sub).select_related("created_by")) if sub else []
    return render(
        request,
        "reporting/submission_form.html",
        {
            "deadline": deadline,
            "plan": deadline.rule.plan,
            "unit": unit,
            "submission": sub,
            "state": tracker_state(sub, deadline),
            "rows": rows,
            "row_forms": _row_forms(rows, formset),
            "form": form,
            "formset": formset,
            "editable": editable,
            "may_fill": may_fill,
            "manages": can_manage_deadline(user, deadline),
            "return_form": ReturnForm(),
            "render_form": RenderForm(),
            "renders": renders,
        },
        status=200 if request.method == "GET" else (409 if stale is not None else 400),
    )


def _row_forms(rows, formset):
    """(row, form) pairs, matched by task: a posted form may come back in another order or without its row."""
    if formset is None:
        return []
    by_task = {str(r.task_id): r for r in rows}
    pairs = []
    for f in formset.forms:
        row = by_task.get(str(f["task"].value()))
        if row is not None:
            pairs.append((row, f))
    return pairs


def _back(request, submission):
    target = request.POST.get("next")
    if target == "submission":
        return redirect("reporting:submission", submission.deadline_id, submission.unit_id)
    return redirect("reporting:tracker", submission.deadline_id)


@login_required
@require_POST
def submission_return(request, pk):
    sub = get_submission_for(request.user, pk, "review")
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Vui lòng nêu lý do trả lại báo cáo."))
        return _back(request, sub)
    try:
        services.return_report(sub, request.user, form.cleaned_data["reason"])
        messages.success(request, gettext("Đã trả lại báo cáo của %s.") % sub.unit)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _back(request, sub)


@login_required
@require_POST
def submission_accept(request, pk):
    sub = get_submission_for(request.user, pk, "review")
    try:
        services.accept_report(sub, request.user)
        messages.success(request, gettext("Đã tiếp nhận báo cáo của %s.") % sub.unit)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _back(request, sub)


def _render_response(request, rendered, fallback_url):
    if request.htmx:
        return render(request, "reporting/partials/rendered_row.html", {"r": rendered})
    if rendered.status == RenderedReport.Status.FAILED:
        messages.error(request, rendered.error)  # the queue did not take the request: say so, in Vietnamese
    else:
        messages.info(request, gettext("Đang tạo tệp báo cáo; tệp sẽ có trong danh sách khi hoàn tất."))
    return redirect(fallback_url)


@login_required
@require_POST
def rendered_retry(request, pk):
    """Render a failed file again (same version); whoever may request the render may retry it."""
    rendered = get_rendered_for(request.user, pk)
    if rendered.submission_id is None:
        get_deadline_for(request.user, rendered.deadline_id, "manage")
        url = reverse("reporting:tracker", args=[rendered.deadline_id])
    else:
        url = reverse("reporting:submission", args=[rendered.deadline_id, rendered.submission.unit_id])
    try:
        services.retry_render(rendered, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    rendered.refresh_from_db()
    return _render_response(request, rendered, url)


@login_required
@require_POST
def render_consolidated(request, pk):
    deadline = get_deadline_for(request.user, pk, "manage")
    form = RenderForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Định dạng không hợp lệ."))
        return redirect("reporting:tracker", deadline.pk)
    rendered = services.request_render(deadline, form.cleaned_data["format"], by=request.user)
    rendered.refresh_from_db()
    return _render_response(request, rendered, reverse("reporting:tracker", args=[deadline.pk]))


@login_required
@require_POST
def render_unit(request, pk, unit_pk):
    deadline, unit = get_unit_report_for(request.user, pk, unit_pk)
    sub = Submission.objects.filter(deadline=deadline, unit=unit).first()
    form = RenderForm(request.POST)
    url = reverse("reporting:submission", args=[deadline.pk, unit.pk])
    if sub is None or not form.is_valid():
        messages.error(request, gettext("Chưa có báo cáo để xuất."))
        return redirect(url)
    rendered = services.request_render(deadline, form.cleaned_data["format"], by=request.user, submission=sub)
    rendered.refresh_from_db()
    return _render_response(request, rendered, url)


@login_required
def rendered_progress(request, pk):
    rendered = get_rendered_for(request.user, pk)
    return render(request, "reporting/partials/rendered_row.html", {"r": rendered})


@login_required
def rendered_download(request, pk):
    rendered = get_rendered_for(request.user, pk)
    if rendered.status != RenderedReport.Status.DONE or not rendered.file:
        raise Http404("Tệp báo cáo chưa sẵn sàng.")
    return FileResponse(
        rendered.file.open("rb"),
        as_attachment=True,
        filename=rendered.download_name(),
        content_type=rendered.content_type,
    )


# --- Reporting rules of a plan, edited by its focal office --------------------------------------------


@login_required
@atomic_post
def rule_edit(request, plan_pk=None, pk=None):
    if pk is None:
        plan = plan_access.get_plan_for(request.user, plan_pk, "edit")
        rule = ReportingRule(plan=plan)
    else:
        rule = get_object_or_404(ReportingRule, pk=pk)
        plan = plan_access.get_plan_for(request.user, rule.plan_id, "edit")
    form = ReportingRuleForm(request.POST or None, instance=rule, plan=plan)
    if request.method == "POST" and form.is_valid():
        services.save_reporting_rule(form.instance, form=form)
        messages.success(request, gettext("Đã lưu quy định báo cáo; hạn báo cáo các năm đã được cập nhật."))
        return redirect(reverse("plans:plan_detail", args=[plan.pk]) + "#rules")
    title = gettext("Thêm quy định báo cáo") if pk is None else gettext("Sửa quy định báo cáo")
    return render(request, "plans/plan_form.html", {"form": form, "title": title, "plan": plan})
