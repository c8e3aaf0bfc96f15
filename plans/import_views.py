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

from accounts.models import Unit

from . import access, imports
from .forms import PlanImportForm
from .importing.describe import goal_text
from .importing.draft import UnitRef
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


def _review_context(request, imp, draft=None, errors=None):
    draft = draft or imports.load_draft(imp)
    allowed = access.issuers_for(request.user)
    scope_codes = {draft.issuer.code} if draft.issuer and draft.issuer.code else set()
    tree = Unit.objects.all()
    if scope_codes:
        top = Unit.objects.get(code=next(iter(scope_codes))).top_unit()
        tree = Unit.objects.subtree(top)
    unmatched = []
    for ref in draft.unit_refs():
        if ref.text and not ref.code and not ref.children_of and ref.text not in unmatched:
            unmatched.append(ref.text)
    lines = draft.lines
    for line in lines:
        line.label = _field_label(line.field) if line.field else ""
    counts = {use: sum(1 for line in lines if line.use == use) for use in ("used", "verbatim", "unused")}
    return {
        "imp": imp,
        "draft": draft,
        "errors": errors or [],
        "issuers": allowed.order_by("path")[:500],
        "units": tree.order_by("path"),
        "sections": draft.all_sections(),
        "tasks": draft.all_tasks(),
        "unmatched": unmatched,
        "create_units": set(getattr(draft, "create_units", [])),
        "timeframes": Task.Timeframe.choices,
        "targets": [(t, "; ".join(goal_text(g) for g in t.goals)) for t in draft.targets],
        "counts": counts,
        "new_unit": imports.NEW_UNIT,
        "issuer_ref": draft.issuer or UnitRef(),
        "focal_code": draft.focal_unit.code if draft.focal_unit else "",
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
        imp = imports.update_draft(imp, request.POST, version=_version(request))
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
