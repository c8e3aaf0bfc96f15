"""The draft a document is read into: plain dataclasses, JSON-serialisable with `asdict`, no database rows.

The review page, the `import_plan` command and the tests all read this one shape; saving it is
`plans.importing.save.save_draft`. Units and people are named by the text the document used and, once
matched, by the code/key of the row they were matched to with a confidence between 0 and 1.
"""

from dataclasses import asdict, dataclass, field, fields, is_dataclass


@dataclass
class UnitRef:
    text: str = ""  # as written in the document
    code: str | None = None  # matched unit code
    confidence: float = 0.0
    name: str = ""  # the matched unit's name (for the reviewer)
    children_of: str | None = None  # "the units under X" (a collective), X's code


@dataclass
class PersonRef:
    text: str = ""
    name: str = ""
    title: str = ""
    key: str | None = None
    confidence: float = 0.0


@dataclass
class DocRef:
    """A document the plan cites: its parent, a plan it relies on, or a legal basis."""

    role: str = "legal_basis"  # parent | relies_on | legal_basis
    kind: str = "other"  # plan | decision | directive | resolution | other
    number: str = ""
    date: str | None = None  # ISO date
    issuer_name: str = ""
    issuer: UnitRef | None = None
    title: str = ""
    line: int = 0


@dataclass
class Goal:
    kind: str
    value: float | None = None
    low: int | None = None
    high: int | None = None
    out_of: int | None = None
    region: str = ""  # as the text named it ("Duyên hải miền Trung"), "" when it named none
    region_size: int | None = None  # as the text wrote it ("3/14")
    region_code: str = ""  # the indicators.Region it was matched to, of the editions of the target's year
    tier: str = ""
    min_count: int | None = None  # of a group target: "3 of these sub-indices …" (None: every member)


@dataclass
class DraftTarget:
    index: str = "PCI"
    subindex: int | None = None
    subindices: list[int] = field(default_factory=list)
    indicator: str | None = None
    year: int | None = None
    baseline_year: int | None = None
    baseline_rank: int | None = None
    baseline_score: float | None = None
    baseline_out_of: int | None = None
    goals: list[Goal] = field(default_factory=list)
    text: str = ""
    line: int = 0


@dataclass
class DraftTask:
    title: str = ""
    description: str = ""
    lead: UnitRef | None = None
    coordinating: list[UnitRef] = field(default_factory=list)
    coordinating_text: str = ""
    leader: PersonRef | None = None
    timeframe: str = "regular"  # once | annual | quarterly | regular
    timeframe_text: str = ""
    due: str | None = None  # ISO date of a one-off task
    due_day: int | None = None  # an annual date
    due_month: int | None = None
    subindices: list[int] = field(default_factory=list)
    indicators: list[str] = field(default_factory=list)
    product: str = ""
    lines: list[int] = field(default_factory=list)


@dataclass
class DraftSection:
    number: str = ""
    title: str = ""
    subindices: list[int] = field(default_factory=list)
    indicators: list[str] = field(default_factory=list)
    children: list["DraftSection"] = field(default_factory=list)
    tasks: list[DraftTask] = field(default_factory=list)
    line: int = 0


@dataclass
class DraftRule:
    kind: str = "unit_to_focal"  # year_plan | six_month | annual | unit_to_focal | focal_to_province
    day: int = 1
    month: int = 1
    from_children_of: str | None = None
    from_units: list[str] = field(default_factory=list)
    to: UnitRef | None = None
    title: str = ""
    text: str = ""
    line: int = 0


@dataclass
class SourceLine:
    """One line (paragraph or table row) of the source and what became of it."""

    no: int
    text: str
    use: str = "unused"  # used | verbatim | unused
    field: str = ""


@dataclass
class Draft:
    source_name: str = ""
    source_format: str = ""  # txt | docx | pdf | xlsx
    kind: str = "plan"  # plan | decision
    body_above: str = ""  # the body above the issuer in the header block ("UBND TỈNH QUẢNG NGÃI")
    issuer: UnitRef | None = None
    number: str = ""  # "" when the document has no number yet ("Số: /KH-SCT")
    number_suffix: str = ""
    date: str | None = None
    place: str = ""
    title: str = ""
    period_start: int | None = None
    period_end: int | None = None
    parent: DocRef | None = None
    relies_on: list[DocRef] = field(default_factory=list)
    legal_basis: list[DocRef] = field(default_factory=list)
    focal_unit: UnitRef | None = None
    signer: PersonRef | None = None
    signer_title: str = ""
    recipients: list[str] = field(default_factory=list)
    preamble: str = ""
    objectives: str = ""
    closing: str = ""
    targets: list[DraftTarget] = field(default_factory=list)
    sections: list[DraftSection] = field(default_factory=list)
    tasks: list[DraftTask] = field(default_factory=list)  # tasks outside any section (an appendix table)
    reporting_rules: list[DraftRule] = field(default_factory=list)
    lines: list[SourceLine] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self):
        return asdict(self)

    @classmethod
    def from_dict(cls, data):
        return _build(cls, data)

    def all_tasks(self):
        out = list(self.tasks)

        def walk(sections):
            for s in sections:
                out.extend(s.tasks)
                walk(s.children)

        walk(self.sections)
        return out

    def all_sections(self):
        out = []

        def walk(sections):
            for s in sections:
                out.append(s)
                walk(s.children)

        walk(self.sections)
        return out

    def unit_refs(self):
        """Every unit reference of the draft (issuer, focal unit, leads, coordinators, rule addressees)."""
        refs = [r for r in (self.issuer, self.focal_unit) if r]
        for t in self.all_tasks():
            refs += [r for r in (t.lead, *t.coordinating) if r]
        refs += [r.to for r in self.reporting_rules if r.to]
        return refs


_NESTED = {
    "issuer": UnitRef,
    "focal_unit": UnitRef,
    "lead": UnitRef,
    "to": UnitRef,
    "coordinating": UnitRef,
    "signer": PersonRef,
    "leader": PersonRef,
    "parent": DocRef,
    "relies_on": DocRef,
    "legal_basis": DocRef,
    "goals": Goal,
    "targets": DraftTarget,
    "sections": DraftSection,
    "children": DraftSection,
    "tasks": DraftTask,
    "reporting_rules": DraftRule,
    "lines": SourceLine,
}


def _build(cls, data):
    if data is None or is_dataclass(data):
        return data
    names = {f.name for f in fields(cls)}
    kwargs = {}
    for key, value in data.items():
        if key not in names:
            continue
        sub = _NESTED.get(key)
        if sub is not None and key == "lines" and cls is DraftTask:
            sub = None  # a task's lines are line numbers
        if sub is not None and isinstance(value, list):
            value = [_build(sub, v) for v in value]
        elif sub is not None and isinstance(value, dict):
            value = _build(sub, value)
        kwargs[key] = value
    return cls(**kwargs)
