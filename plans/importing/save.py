"""Saving a reviewed draft: one verb, one transaction. The review page and `import_plan --commit` both call it."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.text import slugify

from .directory import fold
from .draft import Draft


class UnmatchedUnits(Exception):
    """Some units named in the draft match no unit of the tree; `names` lists them (nothing was saved)."""

    def __init__(self, names):
        super().__init__(", ".join(names))
        self.names = names


def _unique_slug(model, base, field="key"):
    base = slugify(base)[:50].strip("-") or "x"
    key, n = base, 1
    while model.objects.filter(**{field: key}).exists():
        n += 1
        key = f"{base}-{n}"
    return key


def _kind_for(name):
    f = fold(name)
    for prefix, kind in (
        ("van phong", "office"),
        ("phong ", "division"),
        ("trung tam", "centre"),
        ("thanh tra", "inspectorate"),
        ("so ", "department"),
        ("bql", "board"),
        ("ban ", "board"),
        ("ubnd huyen", "district"),
        ("ubnd thi xa", "district"),
        ("ubnd tp", "district"),
        ("ubnd tinh", "people_committee"),
        ("cac ", "group"),
        ("ubnd cac", "group"),
        ("doanh nghiep", "enterprise"),
    ):
        if f.startswith(prefix):
            return kind
    return "division"


class DraftSaver:
    def __init__(self, draft, *, create_units=False, unit_map=None, focal_unit=None, by=None, create_names=()):
        self.draft = draft if isinstance(draft, Draft) else Draft.from_dict(draft)
        self.create_units = create_units
        self.create_names = {fold(n) for n in create_names}
        self.unit_map = {fold(k): v for k, v in (unit_map or {}).items() if v}
        self.focal_code = focal_unit
        self.by = by
        self.units = {}
        self.created_units = []

    # --- units ------------------------------------------------------------------------------------

    def _unit(self, code):
        from accounts.models import Unit

        if code not in self.units:
            self.units[code] = Unit.objects.get(code=code)
        return self.units[code]

    def resolve(self, ref, parent=None):
        """The Unit a reference names: its match, the reviewer's mapping, or (with create_units) a new unit."""
        from accounts.models import Unit

        if ref is None:
            return None
        mapped = self.unit_map.get(fold(ref.text)) if ref.text else None
        code = mapped or ref.code
        if code and Unit.objects.filter(code=code).exists():
            return self._unit(code)
        if not ref.text:
            return None
        if not self.create_units and fold(ref.text) not in self.create_names:
            self.missing.append(ref.text)
            return None
        return self._create_unit(ref.text, parent or self.issuer)

    def _create_unit(self, name, parent):
        from accounts.models import Unit

        existing = Unit.objects.filter(parent=parent, name__iexact=name).first()
        if existing:
            return existing
        prefix = parent.code if parent else "U"
        abbreviation = "".join(w[0] for w in fold(name).split() if w[0].isalnum()).upper()[:12]
        base = slugify(f"{prefix}-{abbreviation}").upper()[:50] or "U"
        code, n = base, 1
        while Unit.objects.filter(code=code).exists():
            n += 1
            code = f"{base}-{n}"
        unit = Unit.objects.create(
            code=code, name=name[:255], short_name=name[:120], kind=_kind_for(name), parent=parent
        )
        self.units[unit.code] = unit
        self.created_units.append(unit)
        return unit

    def _issuer(self):
        """The issuing body; with create_units, created under its province's People's Committee."""
        from accounts.models import Unit
        from indicators.models import Province

        d = self.draft
        issuer = self.resolve(d.issuer, parent=None) if d.issuer and (d.issuer.code or not self.create_units) else None
        if issuer is not None:
            return issuer
        if not self.create_units:
            if d.issuer and d.issuer.text:
                return None  # listed in self.missing by resolve()
            self.missing.append("(cơ quan ban hành)")
            return None
        province = Province.objects.filter(name__iexact=d.place, valid_from__isnull=True).first() if d.place else None
        top = Unit.objects.filter(parent__isnull=True, province=province).first() if province else None
        if top is None:
            place = d.place or "chưa rõ"
            top = self._create_unit(f"Ủy ban nhân dân tỉnh {place}", None)
            top.kind, top.province, top.place, top.abbreviation = "people_committee", province, d.place, "UBND"
            top.short_name = f"UBND tỉnh {place}"
            top.save()
        name = (d.issuer.text if d.issuer and d.issuer.text else "") or d.number_suffix.split("-")[-1] or "Cơ quan"
        name = name if not name.isupper() else name.capitalize()
        unit = self._create_unit(name, top)
        unit.kind = _kind_for(name) if _kind_for(name) != "division" else "department"
        unit.abbreviation = d.number_suffix.split("-")[-1] if d.number_suffix else ""
        unit.save()
        return unit

    # --- the plan ---------------------------------------------------------------------------------

    @transaction.atomic
    def save(self, *, key=None):
        from plans.models import Plan

        d = self.draft
        self.missing = []
        self.issuer = None
        self.issuer = self._issuer()
        # Resolve every unit first, so a missing one stops the save before anything is written.
        for ref in d.unit_refs():
            self.resolve(ref)
        for ref in [d.parent, *d.relies_on, *d.legal_basis]:
            if ref and ref.issuer and ref.issuer.code:
                pass
        if self.missing:
            raise UnmatchedUnits(list(dict.fromkeys(self.missing)))
        if d.period_start is None or d.period_end is None:
            raise ValueError("period")
        focal = self._unit(self.focal_code) if self.focal_code else self.resolve(d.focal_unit)
        from plans.services import new_plan_key

        plan = Plan.objects.create(
            key=key or new_plan_key(self.issuer, d.number, d.period_start),
            kind=d.kind,
            issuer=self.issuer,
            number=d.number,
            number_suffix=d.number_suffix,
            date=d.date,
            place=d.place,
            title=d.title or "(chưa có trích yếu)",
            period_start=d.period_start,
            period_end=d.period_end,
            tracked=True,
            focal_unit=focal,
            signer=self._person(d.signer, self.issuer) if d.signer and d.signer.name else None,
            signer_title=d.signer_title,
            recipients="\n".join(d.recipients),
            preamble=d.preamble,
            objectives=d.objectives,
            closing=d.closing,
        )
        plan.parent = self._cited_plan(d.parent, plan) if d.parent else None
        plan.save(update_fields=["parent"])
        plan.relies_on.set([self._cited_plan(r, plan, parent=plan.parent) for r in d.relies_on])
        plan.legal_basis.set([self._document(r) for r in d.legal_basis])
        self._targets(plan)
        counter = {"section": 0, "task": 0}
        self._sections(plan, d.sections, None, counter)
        for task in d.tasks:
            counter["task"] += 1
            self._task(plan, None, counter["task"], task)
        # Reporting rules belong to the reporting app, above this one: it writes them when told.
        from plans.signals import plan_imported

        plan_imported.send(sender=DraftSaver, plan=plan, draft=d, unit=self.resolve)
        plan.refresh_from_db()
        return plan

    def _person(self, ref, unit):
        from accounts.models import Person

        if ref.key and Person.objects.filter(key=ref.key).exists():
            return Person.objects.get(key=ref.key)
        existing = Person.objects.filter(full_name__iexact=ref.name, unit__path__startswith=unit.path).first()
        if existing:
            return existing
        return Person.objects.create(
            key=_unique_slug(Person, ref.name), full_name=ref.name[:120], title=(ref.title or "")[:120], unit=unit
        )

    def _cited_plan(self, ref, plan, parent=None):
        """A plan the document cites: the one the portal holds with that number, else a reference-only plan."""
        from plans.models import Plan

        top = plan.issuer.top_unit()
        existing = (
            Plan.objects.filter(number=ref.number, issuer__path__startswith=top.path).first()
            or Plan.objects.filter(number=ref.number).first()
        )
        if existing:
            return existing
        issuer = self._unit(ref.issuer.code) if ref.issuer and ref.issuer.code else top
        return Plan.objects.create(
            key=_unique_slug(Plan, f"{issuer.code}-{ref.number}"),
            kind="decision" if ref.kind == "decision" else "plan",
            issuer=issuer,
            number=ref.number,
            number_suffix=ref.number.split("/", 1)[-1],
            date=ref.date,
            place=issuer.get_place(),
            title=ref.title or ref.number,
            period_start=plan.period_start,
            period_end=plan.period_end,
            tracked=False,
            parent=parent,
        )

    def _document(self, ref):
        from plans.models import Document

        existing = Document.objects.filter(number=ref.number).first()
        if existing:
            return existing
        return Document.objects.create(
            key=_unique_slug(Document, f"{ref.kind}-{ref.number}"),
            kind=ref.kind if ref.kind in Document.Kind.values else "other",
            number=ref.number,
            date=ref.date,
            issuer_name=ref.issuer_name[:255],
            title=ref.title,
        )

    def _targets(self, plan):
        from indicators.models import Index, SubIndex
        from plans.models import Goal, Target

        province = plan.issuer.top_unit().province
        for order, t in enumerate(self.draft.targets):
            index = Index.objects.get(code=t.index or "PCI")
            target = Target.objects.create(
                plan=plan,
                order=order,
                index=index,
                subindex=SubIndex.objects.filter(index=index, number=t.subindex).first() if t.subindex else None,
                indicator=None,
                year=t.year,
                province=province,
                baseline_year=t.baseline_year,
                baseline_rank=t.baseline_rank,
                baseline_out_of=t.baseline_out_of,
                baseline_score=None if t.baseline_score is None else Decimal(str(t.baseline_score)),
                text=t.text,
            )
            if t.subindices:
                target.subindex_group.set(SubIndex.objects.filter(index=index, number__in=t.subindices))
            names = {f.name for f in Goal._meta.get_fields()}
            for g in t.goals:
                values = {
                    "target": target,
                    "kind": g.kind,
                    "value": None if g.value is None else Decimal(str(g.value)),
                    "low": g.low,
                    "high": g.high,
                    "out_of": g.out_of,
                }
                if "tier" in names:
                    values["tier"] = g.tier or ""
                if g.kind == "top_in_region":
                    values["region"] = self._region(g, target)
                if g.min_count and t.subindices and g.min_count < len(t.subindices):
                    values["min_count"] = g.min_count
                Goal.objects.create(**values)

    def _region(self, goal, target):
        """The region the reviewed draft names; failing that, the target province's region in its year's edition."""
        from indicators.models import Region

        region = Region.objects.filter(code=goal.region_code).first() if goal.region_code else None
        if region is None or not region.covers(target.year):
            region = Region.objects.for_year(target.year).filter(provinces=target.judged_province()).first()
        return region

    def _sections(self, plan, sections, parent, counter):
        from indicators.models import Indicator, SubIndex
        from plans.models import Section

        for s in sections:
            counter["section"] += 1
            section = Section.objects.create(
                plan=plan, parent=parent, number=s.number[:30], title=s.title, order=counter["section"]
            )
            section.subindices.set(SubIndex.objects.filter(index__code="PCI", number__in=s.subindices))
            section.indicators.set(Indicator.objects.filter(code__in=s.indicators))
            for t in s.tasks:
                counter["task"] += 1
                self._task(plan, section, counter["task"], t)
            self._sections(plan, s.children, section, counter)

    def _task(self, plan, section, order, t):
        from indicators.models import Indicator, SubIndex
        from plans.models import Task

        due = None
        if t.due:
            due = datetime.date.fromisoformat(t.due)
        elif t.due_day and t.due_month:
            due = datetime.date(plan.period_start, t.due_month, t.due_day)
        lead = self.resolve(t.lead) or self.issuer
        task = Task.objects.create(
            plan=plan,
            section=section,
            order=order,
            title=(t.title or t.description)[:255],
            description=t.description,
            lead_unit=lead,
            coordinating_text=t.coordinating_text,
            leader=self._person(t.leader, self.issuer) if t.leader and t.leader.name else None,
            timeframe=t.timeframe,
            timeframe_text=t.timeframe_text[:255],
            due_date=due,
        )
        units = []
        for ref in t.coordinating:
            if ref.children_of:
                units += list(self._unit(ref.children_of).children.exclude(kind__in=["group", "enterprise"]))
            else:
                unit = self.resolve(ref)
                if unit:
                    units.append(unit)
        task.coordinating_units.set([u for u in units if u.pk != lead.pk])
        task.subindices.set(SubIndex.objects.filter(index__code="PCI", number__in=t.subindices))
        task.indicators.set(Indicator.objects.filter(code__in=t.indicators))


def save_draft(draft, *, key=None, create_units=False, unit_map=None, focal_unit=None, by=None, create_names=()):
    """Write the plan a draft describes (units, people, cited plans and documents as needed); returns the plan.

    Raises UnmatchedUnits (nothing written) when a unit matches nothing and neither `unit_map` nor
    `create_units` says what to do with it.
    """
    saver = DraftSaver(
        draft, create_units=create_units, unit_map=unit_map, focal_unit=focal_unit, by=by, create_names=create_names
    )
    return saver.save(key=key)
