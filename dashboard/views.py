from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Unit
from indicators.models import Province, any_illustrative
from pci_portal.inputs import YEAR_MAX, YEAR_MIN, decimal_param, int_param
from plans.access import can_edit_plan, get_plan_for
from plans.models import Plan, Target, Task, TaskUpdate

from .queries import Filters, build_dashboard, can_view_dashboard, filtered_tasks, scope_of, what_if


def _mark_illustrative(ctx):
    """The charts and their tables say "số liệu minh họa" when the targets are judged on the demo's made-up
    results (read from the assessments already built: no query)."""
    ctx["illustrative"] = any(any_illustrative(row["a"].results) for row in ctx["targets"])
    return ctx


def _require_dashboard(user):
    if not can_view_dashboard(user):
        raise PermissionDenied(_("Bảng điều hành dành cho lãnh đạo và đơn vị đầu mối."))


@login_required
def dashboard(request):
    _require_dashboard(request.user)
    ctx = _mark_illustrative(build_dashboard(request.user, Filters.from_query(request.GET, timezone.localdate())))
    ctx["can_edit_plan"] = ctx["plan"] is not None and can_edit_plan(request.user, ctx["plan"])
    ctx["query"] = request.GET.urlencode()
    ctx["print_mode"] = request.GET.get("print") == "1"
    return render(request, "dashboard/dashboard.html", ctx)


@login_required
def dashboard_pdf(request):
    """The dashboard as a PDF: the same context, tables in place of the charts."""
    _require_dashboard(request.user)
    from weasyprint import HTML

    from pci_portal.pdf import url_fetcher  # only the portal's own static files, never a request to itself

    ctx = _mark_illustrative(build_dashboard(request.user, Filters.from_query(request.GET, timezone.localdate())))
    ctx["generated_at"] = timezone.localtime()
    html = render_to_string("dashboard/dashboard_pdf.html", ctx, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/"), url_fetcher=url_fetcher()).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bang-dieu-hanh-{ctx["today"]:%Y%m%d}.pdf"'
    return response


@login_required
def what_if_view(request):
    """htmx partial: the PCI total if one sub-index reached a given score."""
    _require_dashboard(request.user)
    query = request.GET
    province = get_object_or_404(Province, pk=int_param(query.get("province"), 0))
    number = int_param(query.get("subindex"), 0, high=10)
    score = decimal_param(query.get("score"), low=0, high=10)
    error = None
    if score is None:
        error = _("Nhập điểm mục tiêu từ 0 đến 10, ví dụ 7,5.")
    year = int_param(query.get("year"), low=YEAR_MIN, high=YEAR_MAX)
    ctx = {"what_if": what_if(province, number, score, year), "error": error}
    return render(request, "dashboard/partials/what_if.html", ctx)


@login_required
def task_list(request):
    """The tasks behind a chart: the same scope and filters as the dashboard, plus the bar that was clicked."""
    _require_dashboard(request.user)
    q = request.GET
    plan = None
    if int_param(q.get("plan")) is not None:
        plan = get_plan_for(request.user, int_param(q.get("plan")))
    unit = None
    if int_param(q.get("unit")) is not None:
        scope = scope_of(request.user)
        units = Unit.objects.read_in(scope) if scope else Unit.objects.all()
        unit = get_object_or_404(units, pk=int_param(q.get("unit")))
    tasks = filtered_tasks(request.user, plan=plan, unit=unit)
    title = []
    if q.get("status") in Task.Status.values:
        tasks = tasks.filter(status=q["status"])
        title.append(str(Task.Status(q["status"]).label))
    if q.get("overdue") == "1":
        tasks = tasks.overdue()
        title.append(_("quá hạn"))
    if q.get("leader") == "none":
        tasks = tasks.filter(leader__isnull=True)
    elif int_param(q.get("leader")) is not None:
        tasks = tasks.filter(leader_id=int_param(q.get("leader")))
    if q.get("week") == "1":
        since = timezone.now() - timezone.timedelta(days=7)
        tasks = tasks.filter(pk__in=TaskUpdate.objects.filter(created_at__gte=since).values("task_id"))
        title.append(_("có cập nhật trong 7 ngày qua"))
    tasks = (
        tasks.with_schedule()
        .select_related("plan", "lead_unit", "leader")
        .order_by(F("current_due").asc(nulls_last=True), "id")
    )
    page = Paginator(tasks, 50).get_page(q.get("page"))
    return render(
        request,
        "dashboard/task_list.html",
        {
            "page": page,
            "plan": plan,
            "unit": unit,
            "title": ", ".join(title),
            "query": q.copy(),
        },
    )


@login_required
@require_POST
def toggle_public(request, pk):
    """The focal office switches a plan's public progress page on or off."""
    plan = get_plan_for(request.user, pk, action="edit")
    with transaction.atomic():
        # A save, not an update(): the switch is recorded in the audit trail (who, when, on/off).
        locked = Plan.objects.select_for_update().get(pk=plan.pk)
        locked.is_public = not locked.is_public
        locked.save(update_fields=["is_public", "updated_at"])
    if not locked.is_public:
        messages.success(request, _("Đã tắt trang công khai tiến độ của kế hoạch."))
    else:
        messages.success(request, _("Đã bật trang công khai tiến độ của kế hoạch."))
    return redirect(f"{reverse('dashboard:index')}?plan={plan.pk}")


def public_plan(request, key):
    """Read-only progress of a plan for everyone, when its focal office has switched it on. No personal data."""
    plan = Plan.objects.filter(key=key, is_public=True).select_related("issuer").first()
    if plan is None:
        raise Http404(_("Không có trang công khai cho kế hoạch này."))
    today = timezone.localdate()
    target_rows = Target.objects.filter(plan=plan).assess_all()  # one pass for all of them
    sections = plan.sections.with_progress(today).filter(task_count__gt=0).order_by("order", "id")
    totals = plan.tasks.progress(on=today)
    return render(
        request,
        "dashboard/public_plan.html",
        {"plan": plan, "targets": target_rows, "sections": sections, "totals": totals, "today": today},
    )
