"""The audit trail for administrators: search every change (who, when, what, before → after) and export it as CSV.

It reads the django-simple-history tables of the models that declare `history = PortalHistory()`
(pci_portal.history); it never writes.
"""

import csv
import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from .history import tracked_models
from .inputs import int_param
from .spreadsheets import csv_field

PAGE_SIZE = 50
EXPORT_LIMIT = 100_000
TYPE_LABELS = {"+": "Tạo mới", "~": "Sửa", "-": "Xóa"}


def _require_admin(user):
    if not (user.is_authenticated and user.is_admin_role):
        raise PermissionDenied(_("Chỉ quản trị viên xem được nhật ký thay đổi."))


def _parse_date(text):
    try:
        return datetime.datetime.strptime((text or "").strip(), "%d/%m/%Y").date()
    except ValueError:
        return None


# Filters saved before targets moved from indicators to plans (issue 14) still choose the same trail.
MOVED_MODELS = {"indicators.target": "plans.target", "indicators.goal": "plans.goal"}


class AuditQuery:
    """The filters of the audit page, read from the query string (anything unreadable is ignored)."""

    def __init__(self, query):
        self.models = {f"{m._meta.app_label}.{m._meta.model_name}": (m, h) for m, h in tracked_models()}
        model = MOVED_MODELS.get(query.get("model"), query.get("model"))
        self.model = model if model in self.models else ""
        self.user = (query.get("user") or "").strip()[:150]
        self.object_id = int_param(query.get("object"))
        self.type = query.get("type", "") if query.get("type") in TYPE_LABELS else ""
        self.since = _parse_date(query.get("since"))
        self.until = _parse_date(query.get("until"))

    @property
    def is_filtered(self):
        """Whether the reader narrowed the list (an empty list then says "khớp bộ lọc")."""
        return bool(self.model or self.user or self.object_id is not None or self.type or self.since or self.until)

    def querysets(self):
        chosen = [self.models[self.model]] if self.model else list(self.models.values())
        for model, historical in chosen:
            qs = historical.objects.select_related("history_user")
            if self.user:
                qs = qs.filter(history_user__username__icontains=self.user) | qs.filter(
                    history_user__full_name__icontains=self.user
                )
            if self.object_id is not None:
                qs = qs.filter(id=self.object_id)
            if self.type:
                qs = qs.filter(history_type=self.type)
            if self.since:
                qs = qs.filter(history_date__date__gte=self.since)
            if self.until:
                qs = qs.filter(history_date__date__lte=self.until)
            yield model, qs


def _changes(record, previous):
    """[(field label, before, after)] between a history row and the one before it of the same object."""
    if record.history_type == "+" or previous is None:
        return []
    delta = record.diff_against(previous)
    fields = {f.name: f for f in record.instance_type._meta.fields}
    out = []
    for change in delta.changes:
        field = fields.get(change.field)
        label = str(field.verbose_name) if field else change.field
        out.append((label, _text(change.old), _text(change.new)))
    return out


def _text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return f"{timezone.localtime(value):%d/%m/%Y %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def _row(model, record, previous):
    user = record.history_user
    return {
        "when": timezone.localtime(record.history_date),
        "user": (user.get_full_name() or user.username) if user else _("(hệ thống)"),
        "username": user.username if user else "",
        "model": str(model._meta.verbose_name),
        "model_key": f"{model._meta.app_label}.{model._meta.model_name}",
        "object_id": record.id,
        "object": str(record.instance)[:200] if record.history_type != "-" else f"#{record.id}",
        "type": TYPE_LABELS[record.history_type],
        "changes": _changes(record, previous),
    }


def _previous(record):
    return record.prev_record


def audit_rows(query, limit):
    """The latest `limit` changes matching `query`, newest first, each with its before → after."""
    picked = []
    for model, qs in query.querysets():
        picked += [(model, r) for r in qs.order_by("-history_date", "-history_id")[:limit]]
    picked.sort(key=lambda pair: pair[1].history_date, reverse=True)
    return [_row(model, record, _previous(record)) for model, record in picked[:limit]]


def export_rows(query):
    """Every matching change (up to EXPORT_LIMIT), model by model, each with its before → after."""
    for model, qs in query.querysets():
        last = {}
        for record in qs.order_by("id", "history_date", "history_id")[:EXPORT_LIMIT].iterator(chunk_size=2000):
            previous = last.get(record.id)
            if previous is None and record.history_type != "+":
                previous = _previous(record)
            last[record.id] = record
            yield _row(model, record, previous)


class _Echo:
    def write(self, value):
        return value


@login_required
def audit_log(request):
    """Administrators: who changed what and when, with what it was before; ?format=csv exports."""
    _require_admin(request.user)
    query = AuditQuery(request.GET)
    if request.GET.get("format") == "csv":
        writer = csv.writer(_Echo())

        def lines():
            yield "\ufeff"  # Excel opens UTF-8 with a BOM as UTF-8
            yield writer.writerow(
                ["Thời điểm", "Người thực hiện", "Tài khoản", "Loại dữ liệu", "Mã", "Đối tượng", "Thao tác",
                 "Trường", "Trước", "Sau"]
            )  # fmt: skip
            for row in export_rows(query):
                base = [f"{row['when']:%d/%m/%Y %H:%M:%S}", row["user"], row["username"], row["model"],
                        row["object_id"], row["object"], row["type"]]  # fmt: skip
                for field, before, after in row["changes"] or [("", "", "")]:
                    # Text people typed (titles, names, notes) is never a formula in the spreadsheet.
                    yield writer.writerow([csv_field(v) for v in (*base, field, before, after)])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="nhat-ky-thay-doi-{timezone.localdate():%Y%m%d}.csv"'
        return response
    rows = audit_rows(query, PAGE_SIZE)
    models = sorted(((key, str(m._meta.verbose_name)) for key, (m, _h) in query.models.items()), key=lambda x: x[1])
    return render(
        request,
        "audit/history_list.html",
        {"rows": rows, "query": query, "models": models, "types": TYPE_LABELS, "params": request.GET.urlencode()},
    )
