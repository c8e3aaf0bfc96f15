"""Field-by-field comparison of an imported plan with the plan `load_demo` made from demo/data/demo.yaml.

Each field is one entry `name → value`; the score is matched / total over the demo plan's fields. Task
titles are left out: the demo's are short labels written by hand, the document has none.
Cited documents are compared as the importer READ them (the draft), not as the rows it linked to.
"""

from plans.importing.directory import fold


def _norm(value):
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _goal(g):
    value = None if g.value is None else float(g.value)
    region = getattr(g, "region", None)
    return (g.kind, value, g.low, g.high, g.out_of, str(region or ""), getattr(g, "region_size", None), g.tier or "")


def snapshot(plan, draft=None):
    """{field: value} of a saved plan (and of the cited documents as the draft read them)."""
    out = {}
    p = plan
    for name in (
        "kind",
        "number",
        "number_suffix",
        "place",
        "title",
        "period_start",
        "period_end",
        "signer_title",
        "preamble",
        "objectives",
        "closing",
    ):
        out[f"plan.{name}"] = _norm(getattr(p, name))
    out["plan.date"] = p.date.isoformat() if p.date else None
    out["plan.issuer"] = p.issuer.code
    out["plan.focal_unit"] = p.focal_unit.code if p.focal_unit else None
    out["plan.signer"] = p.signer.full_name if p.signer else None
    out["plan.recipients"] = tuple(p.recipient_lines())
    out["plan.parent"] = p.parent.number if p.parent else None
    out["plan.relies_on"] = tuple(sorted(x.number for x in p.relies_on.all()))
    out["plan.legal_basis"] = tuple(sorted(x.number for x in p.legal_basis.all()))
    if draft is None:
        cited = [("parent", p.parent)] if p.parent else []
        cited += [("relies_on", x) for x in p.relies_on.all()] + [("legal_basis", x) for x in p.legal_basis.all()]
        for role, doc in cited:
            issuer = getattr(doc, "issuer_name", None)
            if issuer is None:
                issuer = doc.issuer.short_name or doc.issuer.name
            out.update(_doc(role, doc.number, doc.date.isoformat() if doc.date else None, issuer, doc.title, doc.kind))
    else:
        refs = ([draft.parent] if draft.parent else []) + draft.relies_on + draft.legal_basis
        for ref in refs:
            issuer = ref.issuer_name
            out.update(_doc(ref.role, ref.number, ref.date, issuer, ref.title, ref.kind))
    targets = sorted(
        p.targets.prefetch_related("goals", "subindex_group").select_related("subindex", "index"),
        key=lambda t: t.order,
    )
    for i, t in enumerate(targets):
        subject = (
            t.index.code,
            t.subindex.number if t.subindex else None,
            tuple(sorted(s.number for s in t.subindex_group.all())),
        )
        out[f"target[{i}].subject"] = subject
        out[f"target[{i}].year"] = t.year
        out[f"target[{i}].baseline"] = (
            t.baseline_year,
            t.baseline_rank,
            None if t.baseline_score is None else float(t.baseline_score),
            t.baseline_out_of,
        )
        out[f"target[{i}].goals"] = tuple(sorted(_goal(g) for g in t.goals.all()))
        out[f"target[{i}].text"] = _norm(t.text)
    sections = list(p.sections.order_by("order").select_related("parent").prefetch_related("subindices", "indicators"))
    for s in sections:
        key = f"section[{s.number}]"
        out[f"{key}.title"] = _norm(s.title)
        out[f"{key}.parent"] = s.parent.number if s.parent else None
        out[f"{key}.subindices"] = tuple(sorted(x.number for x in s.subindices.all()))
        out[f"{key}.indicators"] = tuple(sorted(x.code for x in s.indicators.all()))
    tasks = (
        p.tasks.order_by("order", "id")
        .select_related("section", "lead_unit", "leader")
        .prefetch_related("coordinating_units", "subindices", "indicators")
    )
    for i, t in enumerate(tasks):
        key = f"task[{i}]"
        out[f"{key}.section"] = t.section.number if t.section else None
        out[f"{key}.description"] = _norm(t.description)
        out[f"{key}.lead"] = t.lead_unit.code
        out[f"{key}.coordinating"] = tuple(sorted(u.code for u in t.coordinating_units.all()))
        out[f"{key}.coordinating_text"] = _norm(t.coordinating_text)
        out[f"{key}.leader"] = t.leader.full_name if t.leader else None
        out[f"{key}.timeframe"] = (t.timeframe, _norm(t.timeframe_text))
        out[f"{key}.due_date"] = t.due_date.isoformat() if t.due_date else None
        out[f"{key}.subindices"] = tuple(sorted(x.number for x in t.subindices.all()))
        out[f"{key}.indicators"] = tuple(sorted(x.code for x in t.indicators.all()))
    rules = sorted(
        p.reporting_rules.select_related("to_unit", "from_children_of").prefetch_related("from_units"),
        key=lambda r: (r.month, r.day),
    )
    for r in rules:
        key = f"rule[{r.day:02d}/{r.month:02d}]"
        out[f"{key}.kind"] = r.kind
        out[f"{key}.title"] = _norm(r.title)
        out[f"{key}.text"] = _norm(r.text)
        out[f"{key}.to"] = r.to_unit.code
        out[f"{key}.from"] = (
            r.from_children_of.code if r.from_children_of else None,
            tuple(sorted(u.code for u in r.from_units.all())),
        )
    return out


def _doc(role, number, date, issuer, title, kind):
    key = f"cited[{number}]"
    issuer = fold(issuer or "")
    return {
        f"{key}.role": role,
        f"{key}.date": date,
        f"{key}.issuer": issuer,
        f"{key}.title": _norm(title),
        f"{key}.kind": kind,
    }


def score(imported, expected):
    """(matched, total, [(field, expected, got)]) over the expected plan's fields."""
    misses = [(k, v, imported.get(k, "<missing>")) for k, v in expected.items() if imported.get(k, "<missing>") != v]
    extra = [(k, "<absent in demo>", imported[k]) for k in imported if k not in expected]
    return len(expected) - len(misses), len(expected), misses + extra
