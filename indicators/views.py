from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .forms import ResultForm, ResultImportForm
from .importing import parse_results, save_results
from .models import Result, any_illustrative

SESSION_KEY = "pci_results_import"


def can_manage_results(user):
    """Published results are kept by administrators and the people given the results-keeper right."""
    return user.is_authenticated and (user.is_admin_role or user.has_perm("indicators.keep_results"))


def _require_manager(request):
    if not can_manage_results(request.user):
        raise PermissionDenied(_("Chỉ quản trị viên và người được giao giữ kết quả công bố được nhập, sửa kết quả."))


@login_required
def import_results(request):
    """Upload → preview (with per-row errors) → confirm, which saves every row or none."""
    _require_manager(request)
    if request.method == "POST" and "confirm" in request.POST:
        pending = request.session.get(SESSION_KEY)
        if not pending:
            messages.error(request, _("Phiên xem trước đã hết hạn, hãy tải tệp lên lại."))
            return redirect("indicators:import_results")
        if pending.get("needs_confirmation") and not request.POST.get("confirm_warnings"):
            messages.error(request, _("Hãy đánh dấu đã kiểm tra các cảnh báo và thay đổi trước khi lưu."))
            return redirect("indicators:import_results")
        index_code = pending.get("index", "PCI")
        created, updated = save_results(
            pending["year"], pending["out_of"], pending["rows"], pending["source"], index_code, user=request.user
        )
        del request.session[SESSION_KEY]
        messages.success(
            request,
            _("Đã lưu kết quả %(index)s %(year)s: %(created)d kết quả mới, %(updated)d kết quả cập nhật.")
            % {"index": index_code.replace("_", " "), "year": pending["year"], "created": created, "updated": updated},
        )
        return redirect(f"{reverse('indicators:result_list')}?year={pending['year']}")
    preview = None
    form = ResultImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        year, out_of = form.cleaned_data["year"], form.cleaned_data["out_of"]
        preview = parse_results(form.cleaned_data["file"], year, out_of, form.cleaned_data["index"] or "PCI")
        if preview.has_errors:
            request.session.pop(SESSION_KEY, None)
        else:
            source = _("Nhập từ tệp %(name)s") % {"name": form.cleaned_data["file"].name}
            request.session[SESSION_KEY] = preview.as_session(source) | {
                "needs_confirmation": preview.needs_confirmation
            }
    return render(request, "indicators/result_import.html", {"form": form, "preview": preview})


@login_required
def result_list(request):
    """Published PCI results of a year, the total with its ranks and the ranks still to enter."""
    _require_manager(request)
    years = list(Result.objects.pci().order_by("-year").values_list("year", flat=True).distinct())
    try:
        year = int(request.GET.get("year") or (years[0] if years else timezone.localdate().year - 1))
    except ValueError:
        year = years[0] if years else timezone.localdate().year - 1
    results = (
        Result.objects.pci()
        .filter(year=year)
        .select_related("province", "subindex")
        .order_by("province__name", "subindex__number")
    )
    table = {}
    for r in results:
        table.setdefault(r.province, {})[r.subindex.number if r.subindex_id else 0] = r
    rows = [(province, [cells.get(k) for k in range(11)]) for province, cells in table.items()]
    rows.sort(key=lambda row: (row[1][0].rank if row[1][0] and row[1][0].rank else 999, row[0].name))
    return render(
        request,
        "indicators/result_list.html",
        {
            "years": years,
            "year": year,
            "rows": rows,
            "numbers": range(1, 11),
            "illustrative": any_illustrative(r for cells in table.values() for r in cells.values()),
        },
    )


@login_required
def result_edit(request, pk):
    _require_manager(request)
    result = get_object_or_404(Result.objects.select_related("province", "subindex"), pk=pk)
    form = ResultForm(request.POST or None, instance=result)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()  # HistoryRequestMiddleware records who
        messages.success(request, _("Đã lưu kết quả."))
        return redirect(f"{reverse('indicators:result_list')}?year={result.year}")
    history = list(result.history.select_related("history_user").order_by("-history_date", "-history_id")[:50])
    changes = []
    for record in history:
        prev = record.prev_record
        if prev is None:
            changes.append({"record": record, "diff": []})
            continue
        delta = record.diff_against(prev)
        changes.append({"record": record, "diff": [(c.field, c.old, c.new) for c in delta.changes]})
    return render(request, "indicators/result_form.html", {"form": form, "result": result, "changes": changes})
