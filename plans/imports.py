"""Writes of the document import: start it, edit its draft on the review page, save it as a plan.

Each is a verb under transaction.atomic; the review form carries the draft version it was read at.
"""

import datetime
import hashlib
import re

from django.db import transaction
from django.utils.translation import gettext as _

from .importing.directory import fold
from .importing.draft import Draft, UnitRef
from .models import PlanImport

NEW_UNIT = "__new__"


class StaleDraft(Exception):
    """Someone saved the draft after the page was read."""


class DraftErrors(Exception):
    def __init__(self, errors, draft):
        super().__init__("; ".join(errors))
        self.errors = errors
        self.draft = draft


@transaction.atomic
def start_import(upload, *, by):
    """Keep the uploaded file and read it in the background once this transaction commits."""
    from .tasks import read_plan_import_task

    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    imp = PlanImport.objects.create(
        file=upload,
        original_name=upload.name[:255],
        content_type=getattr(upload, "checked_content_type", "") or "",
        size=upload.size,
        sha256=digest.hexdigest(),
        created_by=by,
    )
    transaction.on_commit(lambda: read_plan_import_task.delay(imp.pk))
    return imp


def _int(value, errors, label, low=2000, high=2100):
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        errors.append(_("%(label)s phải là một năm (ví dụ 2025).") % {"label": label})
        return None
    if not low <= n <= high:
        errors.append(_("%(label)s phải trong khoảng %(low)s–%(high)s.") % {"label": label, "low": low, "high": high})
        return None
    return n


def apply_edits(draft, post):
    """The draft with the review form's values; raises DraftErrors (with the edited draft) on bad input."""
    d = draft
    errors = []
    for name in ("number", "number_suffix", "place", "title", "signer_title", "preamble", "objectives", "closing"):
        if f"plan-{name}" in post:
            setattr(d, name, post[f"plan-{name}"].strip())
    if "plan-kind" in post and post["plan-kind"] in ("plan", "decision"):
        d.kind = post["plan-kind"]
    if "plan-recipients" in post:
        d.recipients = [line.strip() for line in post["plan-recipients"].splitlines() if line.strip()]
    if "plan-date" in post:
        text = post["plan-date"].strip()
        if not text:
            d.date = None
        else:
            try:
                d.date = datetime.datetime.strptime(text, "%d/%m/%Y").date().isoformat()
            except ValueError:
                errors.append(_("Ngày ban hành phải theo dạng dd/mm/yyyy (ví dụ 21/09/2021)."))
    if "plan-period_start" in post:
        d.period_start = _int(post["plan-period_start"], errors, _("Từ năm"))
        d.period_end = _int(post["plan-period_end"], errors, _("Đến năm"))
        if d.period_start and d.period_end and d.period_end < d.period_start:
            errors.append(_("Năm kết thúc không được trước năm bắt đầu."))
    if not d.title:
        errors.append(_("Trích yếu không được để trống."))
    for key, attr in (("plan-issuer", "issuer"), ("plan-focal_unit", "focal_unit")):
        if post.get(key):
            current = getattr(d, attr) or UnitRef()
            setattr(d, attr, UnitRef(text=current.text, code=post[key], confidence=1.0))
    # Units the reviewer mapped (or asked to create), by the name the document used.
    mapping = {}
    for k, v in post.items():
        m = re.match(r"^unit-(\d+)-text$", k)
        if m and post.get(f"unit-{m.group(1)}-code"):
            mapping[fold(v)] = post[f"unit-{m.group(1)}-code"]
    creates = set(d.__dict__.get("create_units", []))
    for ref in d.unit_refs():
        chosen = mapping.get(fold(ref.text)) if ref.text and not ref.code else None
        if chosen == NEW_UNIT:
            creates.add(ref.text)
        elif chosen:
            ref.code, ref.confidence = chosen, 1.0
    d.create_units = sorted(creates)
    # Tasks: text, lead, time, and the section each belongs to (moving a task moves it there).
    sections = {s.number: s for s in d.all_sections()}
    _original = {n: list(s.tasks) for n, s in sections.items()}
    tasks = d.all_tasks()
    placed = []
    for i, task in enumerate(tasks):
        prefix = f"task-{i}-"
        if prefix + "description" in post:
            task.description = post[prefix + "description"].strip()
            if not task.description:
                errors.append(_("Nhiệm vụ thứ %(n)s không có nội dung.") % {"n": i + 1})
        if post.get(prefix + "lead"):
            task.lead = UnitRef(text=task.lead.text if task.lead else "", code=post[prefix + "lead"], confidence=1.0)
        if post.get(prefix + "timeframe") in ("once", "annual", "quarterly", "regular"):
            task.timeframe = post[prefix + "timeframe"]
        if prefix + "timeframe_text" in post:
            task.timeframe_text = post[prefix + "timeframe_text"].strip()[:255]
        placed.append((post.get(prefix + "section"), task))
    dropped = {i for i in range(len(tasks)) if post.get(f"task-{i}-delete")}
    if any(number for number, _t in placed) or dropped:
        for s in sections.values():
            s.tasks = []
        loose = []
        for i, (number, task) in enumerate(placed):
            if i in dropped:
                continue
            if number is None:
                number = next((n for n, s in sections.items() if task in _original[n]), None)
            (sections[number].tasks if number in sections else loose).append(task)
        d.tasks = loose
    # Targets: the year, or drop one read by mistake.
    kept = []
    for i, target in enumerate(d.targets):
        if post.get(f"target-{i}-delete"):
            continue
        if f"target-{i}-year" in post:
            year = _int(post[f"target-{i}-year"], errors, _("Năm mục tiêu"))
            target.year = year or target.year
        kept.append(target)
    d.targets = kept
    # Reporting rules: the date, whom it goes to, or drop one.
    rules = []
    for i, rule in enumerate(d.reporting_rules):
        if post.get(f"rule-{i}-delete"):
            continue
        if f"rule-{i}-day" in post:
            day = _int(post[f"rule-{i}-day"], errors, _("Ngày báo cáo"), 1, 31)
            month = _int(post[f"rule-{i}-month"], errors, _("Tháng báo cáo"), 1, 12)
            if day and month:
                try:
                    datetime.date(2024, month, day)
                    rule.day, rule.month = day, month
                except ValueError:
                    errors.append(_("Ngày %(day)s/%(month)s không tồn tại.") % {"day": day, "month": month})
        if post.get(f"rule-{i}-to"):
            text = rule.to.text if rule.to else ""
            rule.to = UnitRef(text=text, code=post[f"rule-{i}-to"], confidence=1.0)
        rules.append(rule)
    d.reporting_rules = rules
    if errors:
        raise DraftErrors(errors, d)
    return d


@transaction.atomic
def update_draft(imp, post, *, version):
    """Store the review form's edits; StaleDraft when someone saved in between."""
    locked = PlanImport.objects.select_for_update().get(pk=imp.pk)
    if locked.version != version:
        raise StaleDraft()
    draft = load_draft(locked)
    draft = apply_edits(draft, post)
    data = draft.to_dict()
    data["create_units"] = list(getattr(draft, "create_units", []))
    locked.draft = data
    locked.version += 1
    locked.save(update_fields=["draft", "version", "updated_at"])
    return locked


def load_draft(imp):
    draft = Draft.from_dict(imp.draft)
    draft.create_units = list(imp.draft.get("create_units", []))
    return draft


@transaction.atomic
def save_import(imp, *, by, version):
    """The one save verb: the reviewed draft becomes a plan; the file stays with it as its source document."""
    from .importing.save import save_draft

    locked = PlanImport.objects.select_for_update().get(pk=imp.pk)
    if locked.status != PlanImport.Status.READY:
        raise StaleDraft()
    if locked.version != version:
        raise StaleDraft()
    draft = load_draft(locked)
    from . import access

    allowed = access.issuers_for(by)
    if not draft.issuer or not draft.issuer.code or not allowed.filter(code=draft.issuer.code).exists():
        raise DraftErrors([_("Hãy chọn cơ quan ban hành (trong phạm vi bạn được tạo kế hoạch).")], draft)
    plan = save_draft(draft, create_names=draft.create_units, by=by)
    locked.plan = plan
    locked.status = PlanImport.Status.SAVED
    locked.save(update_fields=["plan", "status", "updated_at"])
    return plan


@transaction.atomic
def discard_import(imp):
    """Drop an import that was not saved, with its file once the deletion is committed."""
    storage, name = imp.file.storage, imp.file.name
    imp.delete()
    transaction.on_commit(lambda: storage.delete(name))
