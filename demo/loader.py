"""Loads demo/data/demo.yaml: the two source plans, their units and people, and demo users.

Every row is found by a natural key (unit code, plan key, section number, task
position, username…) and updated in place, so loading twice leaves the same rows.
"""

import datetime
from decimal import Decimal
from pathlib import Path

import yaml
from django.db import transaction

from accounts.models import Person, Unit, User
from indicators.models import Index, Indicator, Province, Region, SubIndex
from plans.models import Document, Goal, Plan, Section, Target, Task
from reporting.models import ReportingRule

DEMO_FILE = Path(__file__).resolve().parent / "data" / "demo.yaml"


def read_demo(path=DEMO_FILE):
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


class DemoLoader:
    def __init__(self, data):
        self.data = data
        self.units = {}
        self.people = {}
        self.plans = {}
        self.pci = Index.objects.get(code="PCI")

    @transaction.atomic
    def load(self):
        for order, unit in enumerate(self.data["units"]):
            self._unit(unit, None, order)
        for p in self.data.get("people") or []:
            self.people[p["key"]], _ = Person.objects.update_or_create(
                key=p["key"],
                defaults={"full_name": p["full_name"], "title": p.get("title", ""), "unit": self.units[p["unit"]]},
            )
        documents = {}
        for d in self.data.get("documents") or []:
            documents[d["key"]], _ = Document.objects.update_or_create(
                key=d["key"],
                defaults={
                    "number": d["number"],
                    "date": d.get("date"),
                    "kind": d.get("kind", "other"),
                    "issuer_name": d.get("issuer_name", ""),
                    "title": d.get("title", ""),
                },
            )
        plans = self.data["plans"]
        for p in plans:
            self._plan(p)
        for p in plans:  # links between plans once all exist
            plan = self.plans[p["key"]]
            plan.parent = self.plans.get(p.get("parent"))
            plan.save(update_fields=["parent"])
            plan.relies_on.set([self.plans[k] for k in p.get("relies_on") or []])
            plan.legal_basis.set([documents[k] for k in p.get("legal_basis") or []])
            self._targets(plan, p.get("targets") or [])
            self._sections(plan, p.get("sections") or [])
            self._rules(plan, p.get("reporting_rules") or [])
            if plan.tracked:
                for year in plan.years:
                    plan.generate_deadlines(year)
        users = [self._user(u) for u in self.data.get("users") or []]
        return users

    def _unit(self, data, parent, order):
        province = None
        if data.get("province"):
            province = Province.objects.filter(name=data["province"], valid_from__isnull=True).first()
        unit, _ = Unit.objects.update_or_create(
            code=data["code"],
            defaults={
                "name": data["name"],
                "short_name": data.get("short_name", ""),
                "abbreviation": data.get("abbreviation", ""),
                "kind": data["kind"],
                "parent": parent,
                "province": province,
                "place": data.get("place", ""),
                "email": data.get("email", ""),
                "order": order,
            },
        )
        self.units[unit.code] = unit
        for child_order, child in enumerate(data.get("children") or []):
            self._unit(child, unit, child_order)

    def _plan(self, p):
        self.plans[p["key"]], _ = Plan.objects.update_or_create(
            key=p["key"],
            defaults={
                "kind": p.get("kind", "plan"),
                "issuer": self.units[p["issuer"]],
                "number": p.get("number") or "",
                "number_suffix": p.get("number_suffix") or "",
                "date": p.get("date"),
                "place": p.get("place") or "",
                "title": p["title"],
                "period_start": p["period_start"],
                "period_end": p["period_end"],
                "tracked": p.get("tracked", False),
                "focal_unit": self.units.get(p.get("focal_unit")),
                "signer": self.people.get(p.get("signer")),
                "signer_title": p.get("signer_title") or "",
                "recipients": "\n".join(p.get("recipients") or []),
                "preamble": p.get("preamble") or "",
                "objectives": p.get("objectives") or "",
                "closing": p.get("closing") or "",
            },
        )

    def _province_of(self, plan):
        top = plan.issuer.top_unit()
        if top.province is None:
            raise ValueError(f"Unit {top.code} has no province: targets of {plan.key} cannot be judged")
        return top.province

    def _targets(self, plan, targets):
        kept = []
        for order, t in enumerate(targets):
            subject = t["subject"]
            index = Index.objects.get(code=subject["index"]) if "index" in subject else self.pci
            subindex = SubIndex.objects.get(index=index, number=subject["subindex"]) if "subindex" in subject else None
            indicator = Indicator.objects.get(code=subject["indicator"]) if "indicator" in subject else None
            base = t.get("baseline") or {}
            target, _ = Target.objects.update_or_create(
                plan=plan,
                order=order,
                defaults={
                    "index": index,
                    "subindex": subindex,
                    "indicator": indicator,
                    "year": t["year"],
                    "province": self._province_of(plan),
                    "baseline_year": base.get("year"),
                    "baseline_rank": base.get("rank"),
                    "baseline_out_of": base.get("out_of"),
                    "baseline_score": _dec(base.get("score")),
                    "text": t.get("text", ""),
                },
            )
            target.subindex_group.set(SubIndex.objects.filter(index=index, number__in=subject.get("subindices", [])))
            goals = list(target.goals.order_by("id"))
            for i, g in enumerate(t["goals"]):
                goal = goals[i] if i < len(goals) else Goal(target=target)
                goal.kind = g["kind"]
                goal.value = _dec(g.get("value"))
                goal.low, goal.high, goal.out_of = g.get("low"), g.get("high"), g.get("out_of")
                goal.region = Region.objects.for_year(t["year"]).get(name=g["region"]) if g.get("region") else None
                goal.tier = g.get("tier", "")
                goal.save()
            for extra in goals[len(t["goals"]) :]:
                extra.delete()
            kept.append(target.pk)
        plan.targets.exclude(pk__in=kept).delete()

    def _sections(self, plan, sections, parent=None, counter=None):
        counter = counter if counter is not None else {"section": 0, "task": 0}
        for s in sections:
            counter["section"] += 1
            section, _ = Section.objects.update_or_create(
                plan=plan,
                number=s["number"],
                defaults={"title": s["title"], "parent": parent, "order": counter["section"]},
            )
            section.subindices.set(SubIndex.objects.filter(index=self.pci, number__in=s.get("subindices") or []))
            section.indicators.set(Indicator.objects.filter(code__in=s.get("indicators") or []))
            for t in s.get("tasks") or []:
                counter["task"] += 1
                self._task(plan, section, counter["task"], t)
            self._sections(plan, s.get("children") or [], section, counter)

    def _task(self, plan, section, order, t):
        due = t.get("due")
        due_date = due if isinstance(due, datetime.date) else None
        if isinstance(due, dict):  # an annual date: the first occurrence within the plan period
            due_date = datetime.date(plan.period_start, due["month"], due["day"])
        task, _ = Task.objects.update_or_create(
            plan=plan,
            order=order,
            defaults={
                "section": section,
                "title": t["title"],
                "description": t.get("description", ""),
                "lead_unit": self.units[t["lead"]],
                "coordinating_text": t.get("coordinating_text") or "",
                "leader": self.people.get(t.get("leader")),
                "timeframe": t.get("timeframe", "regular"),
                "timeframe_text": t.get("timeframe_text") or "",
                "due_date": due_date,
            },
        )
        task.coordinating_units.set([self.units[c] for c in t.get("coordinating") or []])
        task.subindices.set(SubIndex.objects.filter(index=self.pci, number__in=t.get("subindices") or []))
        task.indicators.set(Indicator.objects.filter(code__in=t.get("indicators") or []))

    def _rules(self, plan, rules):
        for order, r in enumerate(rules):
            source = r.get("from") or {}
            rule, _ = ReportingRule.objects.update_or_create(
                plan=plan,
                kind=r["kind"],
                day=r["day"],
                month=r["month"],
                defaults={
                    "title": r["title"],
                    "text": r.get("text", ""),
                    "to_unit": self.units[r["to"]],
                    "from_children_of": self.units.get(source.get("children_of")),
                    "order": order,
                },
            )
            rule.from_units.set([self.units[c] for c in source.get("units") or []])

    def _user(self, u):
        user, _ = User.objects.update_or_create(
            username=u["username"],
            defaults={
                "full_name": u["full_name"],
                "email": u["email"],
                "role": u["role"],
                "unit": self.units.get(u.get("unit")),
                "title": u.get("title", ""),
                "person": self.people.get(u.get("person")),
                "is_staff": u["role"] == User.Role.ADMIN,  # the focal office works in the portal, not the admin
                "is_superuser": u["role"] == User.Role.ADMIN,
            },
        )
        user.set_password(u["password"])
        user.save(update_fields=["password"])
        return user, u["password"]


def _dec(value):
    return None if value is None else Decimal(str(value))


def load_demo(path=DEMO_FILE):
    """Load the demo file; returns [(user, password)] of the demo logins."""
    return DemoLoader(read_demo(path)).load()
