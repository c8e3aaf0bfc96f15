"""Writes of the document import: start it, edit its draft on the review page, save it as a plan.

Each is a verb under transaction.atomic; the review form carries the draft version it was read at.
"""

import datetime
import hashlib
import re

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from .importing.directory import fold
from .importing.draft import Draft, DraftSection, DraftTarget, DraftTask, PersonRef, UnitRef
from .importing.draft import Goal as DraftGoal
from .importing.parser import _short_title
from .models import PlanImport, Task

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


class ReviewScope:
    """What the review page offers and accepts: the units of the issuer's tree (before an issuer is chosen, of
    every tree the reviewer may issue plans in), the people of those units, and the reference lists of targets.

    A unit is written in a field as "Name · CODE" (the page's one shared list of units offers it that way);
    a bare name is accepted when exactly one unit in scope bears it.
    """

    def __init__(self, user, draft):
        from accounts.models import Person, Unit

        from . import access

        allowed = access.issuers_for(user)
        issuer = draft.issuer.code if draft.issuer and draft.issuer.code else None
        tops = set()
        if issuer and (user.is_admin_role or allowed.filter(code=issuer).exists()):
            unit = Unit.objects.filter(code=issuer).only("path").first()
            tops = {unit.path.strip("/").split("/")[0]} if unit else set()
        if not tops and not user.is_admin_role:
            tops = {path.strip("/").split("/")[0] for path in allowed.values_list("path", flat=True)[:500]}
        units = Unit.objects.all()
        if tops:
            units = units.filter(Q(*[Q(path__startswith=f"/{t}/") for t in tops], _connector=Q.OR))
        elif not user.is_admin_role:
            units = units.none()
        self.units = list(units.order_by("path").select_related("parent").only("code", "name", "path", "parent__name"))
        self.by_code = {u.code: u for u in self.units}
        self.by_name = {}
        for u in self.units:
            self.by_name.setdefault(fold(u.name), []).append(u.code)
        self.people = list(Person.objects.filter(unit__in=units).select_related("unit").order_by("full_name"))

    @staticmethod
    def label(unit):
        return f"{unit.name} · {unit.code}"

    def unit_text(self, ref):
        """What a unit field shows for a reference: the matched unit as the list writes it, else ""."""
        if ref is None or not ref.code:
            return ""
        unit = self.by_code.get(ref.code)
        return self.label(unit) if unit else ref.code

    def unit(self, text):
        """The code a unit field names; None for an empty field; ValueError for a unit outside the scope."""
        text = (text or "").strip()
        if not text:
            return None
        m = re.search(r"·\s*(\S+)\s*$", text)
        code = m.group(1) if m else text
        if code in self.by_code:
            return code
        codes = self.by_name.get(fold(text.split("·")[0]), [])
        if len(codes) == 1:
            return codes[0]
        raise ValueError(text)

    def person(self, text):
        """The leader a field names: a person of the scope with that name, else a new name to be created."""
        name = re.sub(r"\s*·.*$", "", (text or "").strip())
        if not name:
            return None
        same = [p for p in self.people if fold(p.full_name) == fold(name)]
        if len(same) == 1:
            p = same[0]
            return PersonRef(text=name, name=p.full_name, title=p.title, key=p.key, confidence=1.0)
        return PersonRef(text=name, name=name, confidence=1.0)


def _getlist(post, key):
    return [v for v in (post.getlist(key) if hasattr(post, "getlist") else [post.get(key, "")]) if v is not None]


def _number(text, errors, label, *, whole=True, low=None):
    """An optional number of the review form ("5,8" with a decimal comma); None when empty."""
    text = (text or "").strip().replace(" ", "")
    if not text:
        return None
    try:
        value = int(text) if whole else float(text.replace(",", "."))
    except ValueError:
        errors.append(_("%(label)s phải là một số (bạn nhập “%(text)s”).") % {"label": label, "text": text})
        return None
    if low is not None and value < low:
        errors.append(_("%(label)s không được nhỏ hơn %(low)s.") % {"label": label, "low": low})
        return None
    return value


def _subject(value, group, errors, label):
    """{"index", "subindex", "subindices"} from the subject list ("PCI" or "PCI:8") and a group ("2, 5, 8")."""
    from indicators.models import Index, SubIndex

    code, _sep, number = (value or "").partition(":")
    if not Index.objects.filter(code=code).exists():
        errors.append(_("%(label)s: hãy chọn bộ chỉ số hoặc chỉ số thành phần.") % {"label": label})
        return None
    numbers = sorted({int(n) for n in re.findall(r"\d{1,2}", group or "")})
    known = set(SubIndex.objects.filter(index__code=code).values_list("number", flat=True))
    if numbers:
        if len(numbers) < 2 or not set(numbers) <= known:
            errors.append(
                _("%(label)s: nhóm cần ít nhất hai chỉ số thành phần có trong %(index)s.")
                % {"label": label, "index": code}
            )
            return None
        return {"index": code, "subindex": None, "subindices": numbers}
    if number:
        if int(number) not in known:
            errors.append(_("%(label)s: không có chỉ số thành phần %(n)s.") % {"label": label, "n": number})
            return None
        return {"index": code, "subindex": int(number), "subindices": []}
    return {"index": code, "subindex": None, "subindices": []}


def _goal(post, prefix, target, errors, label):
    """One condition of a target from the review form (None when its kind is left empty), checked as
    indicators.verdicts requires: each kind exactly its values; a region of the target year's edition;
    a tier of the index's scale for that year."""
    from indicators.models import Region, tier_scale
    from indicators.verdicts import OPTIONAL, REQUIRED, missing_values

    kind = post.get(prefix + "kind", "")
    if not kind:
        return None
    if kind not in REQUIRED:
        errors.append(_("%(label)s: loại điều kiện không hợp lệ.") % {"label": label})
        return None
    uses = REQUIRED[kind] | OPTIONAL.get(kind, set())
    goal = DraftGoal(kind=kind)
    if "value" in uses:
        goal.value = _number(post.get(prefix + "value"), errors, label, whole=False, low=0)
    for name in ("low", "high", "out_of"):
        if name in uses:
            setattr(goal, name, _number(post.get(prefix + name), errors, label, low=1))
    if "tier" in uses:
        goal.tier = post.get(prefix + "tier", "").strip()
    if post.get(prefix + "min_count", "").strip():
        # "N of these M": only for a group, and at most its size (as Goal.clean asks of the plan editor).
        goal.min_count = _number(post.get(prefix + "min_count"), errors, label, low=1)
        if goal.min_count and not (target.subindices and goal.min_count <= len(target.subindices)):
            errors.append(
                _(
                    "%(label)s: số chỉ số tối thiểu đạt chỉ dùng cho nhóm chỉ số thành phần, "
                    "từ 1 đến số chỉ số của nhóm."
                )
                % {"label": label}
            )
    values = {"value": goal.value, "low": goal.low, "high": goal.high, "out_of": goal.out_of, "tier": goal.tier}
    if "region" in uses:
        code = post.get(prefix + "region", "").strip()
        region = Region.objects.filter(code=code).prefetch_related("provinces").first() if code else None
        values["region"] = region.code if region else None
        if region is not None:
            if target.year and not region.covers(target.year):
                errors.append(
                    _("%(label)s: vùng “%(region)s” không dùng cho năm %(year)s.")
                    % {"label": label, "region": region.name, "year": target.year}
                )
            goal.region_code, goal.region, goal.region_size = region.code, region.name, len(region.provinces.all())
    from indicators.verdicts import FIELD_LABELS

    for name in missing_values(kind, values):
        errors.append(_("%(label)s: cần %(field)s.") % {"label": label, "field": FIELD_LABELS[name]})
    if goal.kind == "rank_band" and goal.low and goal.high and goal.low > goal.high:
        errors.append(_("%(label)s: hạng từ không được lớn hơn hạng đến.") % {"label": label})
    if goal.tier and target.year:
        from indicators.models import Index

        index = Index.objects.filter(code=target.index).first()
        order, _names = tier_scale(index, target.year) if index else ({}, {})
        if goal.tier not in order:
            errors.append(
                _("%(label)s: nhóm “%(tier)s” không thuộc thang xếp loại của %(index)s năm %(year)s.")
                % {"label": label, "tier": goal.tier, "index": target.index, "year": target.year}
            )
    return goal


def _target_fields(post, prefix, target, errors, label):
    """Subject, year, baselines and goals of a target (an existing one or the new one) from the review form."""
    if prefix + "year" in post:
        year = _int(post[prefix + "year"], errors, _("Năm mục tiêu"))
        target.year = year or target.year
    if prefix + "subject" in post:
        subject = _subject(post[prefix + "subject"], post.get(prefix + "group", ""), errors, label)
        if subject:
            target.index, target.subindex, target.subindices = (
                subject["index"],
                subject["subindex"],
                subject["subindices"],
            )
    if prefix + "baseline_year" in post:
        text = post[prefix + "baseline_year"].strip()
        target.baseline_year = _int(text, errors, _("Năm gốc")) if text else None
        if target.baseline_year and target.year and target.baseline_year >= target.year:
            errors.append(_("%(label)s: năm gốc phải trước năm mục tiêu.") % {"label": label})
        target.baseline_rank = _number(post.get(prefix + "baseline_rank"), errors, _("Hạng năm gốc"), low=1)
        target.baseline_score = _number(post.get(prefix + "baseline_score"), errors, _("Điểm năm gốc"), whole=False)
        if target.baseline_rank and target.baseline_year:
            from indicators.models import edition_size

            target.baseline_out_of = edition_size(target.baseline_year)
    goals = []
    j = 0
    while prefix + f"goal-{j}-kind" in post:
        goal = _goal(post, prefix + f"goal-{j}-", target, errors, label)
        if goal is not None:
            goals.append(goal)
        j += 1
    if j:
        target.goals = goals
        if not goals:
            errors.append(_("%(label)s cần ít nhất một điều kiện (hoặc đánh dấu “bỏ”).") % {"label": label})


def _target_label(target, n):
    subject = (
        f"CSTP {target.subindex}"
        if target.subindex
        else (f"CSTP {', '.join(map(str, target.subindices))}" if target.subindices else target.index)
    )
    return _("Mục tiêu %(n)s (%(subject)s)") % {"n": n, "subject": subject}


def _unit_field(scope, text, errors, what):
    try:
        return scope.unit(text)
    except ValueError:
        errors.append(
            _("%(what)s: không tìm thấy đơn vị “%(text)s” trong cây đơn vị; hãy chọn trong danh sách.")
            % {"what": what, "text": text}
        )
        return None


def _new_section(d, post, errors):
    """A section the reviewer adds: its title, number (or the next free one) and parent section."""
    title = post.get("section-new-title", "").strip()
    if not title:
        return
    sections = {s.number: s for s in d.all_sections()}
    parent = sections.get(post.get("section-new-parent", ""))
    siblings = parent.children if parent else d.sections
    number = post.get("section-new-number", "").strip()[:30]
    if not number:
        # The next number of its level: after the parts I, II, III a part IV; under II.1 a group II.1.3.
        from .importing.extract import _roman

        romans = {_roman(k): k for k in range(1, 40)}
        roman = all(s.number in romans for s in siblings)
        n = len(siblings) + 1
        if not parent and siblings and roman:
            n = max(romans[s.number] for s in siblings) + 1

        def name(n):
            return f"{parent.number}.{n}" if parent else (_roman(n) if roman else str(n))

        number = name(n)
        while number in sections:
            n += 1
            number = name(n)
    if number in sections:
        errors.append(_("Đã có nhóm số “%(number)s”; hãy đặt số khác cho nhóm mới.") % {"number": number})
        return
    siblings.append(DraftSection(number=number, title=title))


def apply_edits(draft, post, scope):
    """The draft with the review form's values; raises DraftErrors (with the edited draft) on bad input.

    `scope` (a ReviewScope) is what unit and leader fields may name.
    """
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
    if post.get("plan-issuer"):
        current = d.issuer or UnitRef()
        d.issuer = UnitRef(text=current.text, code=post["plan-issuer"], confidence=1.0)
    if "plan-focal_unit" in post:
        code = _unit_field(scope, post["plan-focal_unit"], errors, _("Đơn vị đầu mối"))
        if code:
            current = d.focal_unit or UnitRef()
            d.focal_unit = UnitRef(text=current.text, code=code, confidence=1.0)
        elif not post["plan-focal_unit"].strip():
            d.focal_unit = None  # none named: the issuing agency's focal office keeps the plan
    # Units the reviewer mapped (or asked to create), by the name the document used.
    mapping = {}
    for k, v in post.items():
        m = re.match(r"^unit-(\d+)-text$", k)
        if not m:
            continue
        n = m.group(1)
        chosen = post.get(f"unit-{n}-code", "").strip()
        if post.get(f"unit-{n}-create") or chosen == NEW_UNIT:
            mapping[fold(v)] = NEW_UNIT
        elif chosen:
            code = _unit_field(scope, chosen, errors, f"“{v}”")
            if code:
                mapping[fold(v)] = code
    creates = set(d.__dict__.get("create_units", []))
    for ref in d.unit_refs():
        chosen = mapping.get(fold(ref.text)) if ref.text and not ref.code else None
        if chosen == NEW_UNIT:
            creates.add(ref.text)
        elif chosen:
            ref.code, ref.confidence = chosen, 1.0
            ref.name = scope.by_code[chosen].name
    d.create_units = sorted(creates)
    # A section the reviewer adds, then section titles.
    _new_section(d, post, errors)
    for k, section in enumerate(d.all_sections()):
        if f"section-{k}-title" in post:
            section.title = post[f"section-{k}-title"].strip() or section.title
    # Tasks: text, units, leader, time, and the section each belongs to (moving a task moves it there).
    sections = {s.number: s for s in d.all_sections()}
    home = {id(t): s.number for s in sections.values() for t in s.tasks}
    tasks = d.all_tasks()
    placed = []
    for i, task in enumerate(tasks):
        prefix = f"task-{i}-"
        what = _("Nhiệm vụ %(n)s") % {"n": i + 1}
        if post.get(prefix + "delete"):
            continue
        _task_fields(post, prefix, task, scope, errors, what)
        if prefix + "description" in post and not task.description:
            errors.append(_("Nhiệm vụ thứ %(n)s không có nội dung.") % {"n": i + 1})
        placed.append((post.get(prefix + "section") or home.get(id(task)), task))
    if post.get("task-new-description", "").strip():
        task = DraftTask(timeframe="regular")
        _task_fields(post, "task-new-", task, scope, errors, _("Nhiệm vụ mới"))
        if task.lead is None and d.issuer and d.issuer.code:
            task.lead = UnitRef(code=d.issuer.code, confidence=1.0)
        placed.append((post.get("task-new-section") or None, task))
    for s in sections.values():
        s.tasks = []
    loose = []
    for number, task in placed:
        (sections[number].tasks if number in sections else loose).append(task)
    d.tasks = loose
    # Targets: subject, year, baselines, goals; drop one read by mistake, or add one.
    kept = []
    for i, target in enumerate(d.targets):
        if post.get(f"target-{i}-delete"):
            continue
        _target_fields(post, f"target-{i}-", target, errors, _target_label(target, i + 1))
        kept.append(target)
    if post.get("target-new-subject"):
        target = DraftTarget(year=d.period_end)
        _target_fields(post, "target-new-", target, errors, _("Mục tiêu mới"))
        if not target.goals and "target-new-goal-0-kind" not in post:
            errors.append(_("Mục tiêu mới cần ít nhất một điều kiện."))
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
            code = _unit_field(scope, post[f"rule-{i}-to"], errors, _("Quy định báo cáo %(n)s") % {"n": i + 1})
            if code:
                text = rule.to.text if rule.to else ""
                rule.to = UnitRef(text=text, code=code, confidence=1.0)
        rules.append(rule)
    d.reporting_rules = rules
    if errors:
        raise DraftErrors(errors, d)
    return d


def _task_fields(post, prefix, task, scope, errors, what):
    """A task's text, lead and coordinating units, leader and time from the review form."""
    if prefix + "description" in post:
        task.description = post[prefix + "description"].strip()
        if task.description and (not task.title or prefix.endswith("new-")):
            task.title = _short_title(task.description)
    if post.get(prefix + "lead"):
        code = _unit_field(scope, post[prefix + "lead"], errors, what)
        if code:
            task.lead = UnitRef(text=task.lead.text if task.lead else "", code=code, confidence=1.0)
    if post.get(prefix + "units") or prefix + "coord-add" in post:
        # The coordinating units shown are kept when ticked; the empty fields below them add others.
        keep = set(_getlist(post, prefix + "coord-keep"))
        shown = post.get(prefix + "units")
        kept = [ref for n, ref in enumerate(task.coordinating) if str(n) in keep or not shown]
        for text in _getlist(post, prefix + "coord-add"):
            code = _unit_field(scope, text, errors, what)
            if code and all(r.code != code for r in kept):
                kept.append(UnitRef(code=code, confidence=1.0, name=scope.by_code[code].name))
        task.coordinating = kept
    if prefix + "leader" in post:
        task.leader = scope.person(post[prefix + "leader"])
    if post.get(prefix + "timeframe") in Task.Timeframe.values:
        task.timeframe = post[prefix + "timeframe"]
    if prefix + "timeframe_text" in post:
        task.timeframe_text = post[prefix + "timeframe_text"].strip()[:255]
    if prefix + "due" in post:
        text = post[prefix + "due"].strip()
        try:
            task.due = datetime.datetime.strptime(text, "%d/%m/%Y").date().isoformat() if text else None
        except ValueError:
            errors.append(_("%(what)s: hạn phải theo dạng dd/mm/yyyy.") % {"what": what})
    once = task.timeframe == Task.Timeframe.ONCE
    if prefix + "timeframe" in post and once and not task.due and not (task.due_day and task.due_month):
        errors.append(_("%(what)s: nhiệm vụ thực hiện một lần cần có hạn (dd/mm/yyyy).") % {"what": what})


@transaction.atomic
def update_draft(imp, post, *, version, by):
    """Store the review form's edits; StaleDraft when someone saved in between."""
    locked = PlanImport.objects.select_for_update().get(pk=imp.pk)
    if locked.version != version:
        raise StaleDraft()
    draft = load_draft(locked)
    draft = apply_edits(draft, post, ReviewScope(by, draft))
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
