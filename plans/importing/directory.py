"""What the importer matches names against: units, people, sub-indices and indicators.

A plain object built once from the database (`Directory.from_db()`), or by hand in a test, so the
parser itself never queries. Matching folds case and diacritics and writes the usual abbreviations
(UBND, XTTM, TP, KH&ĐT…) one way on both sides, so "UBND các huyện, thị xã, TP." and
"Ủy ban nhân dân các huyện, thị xã, thành phố" meet.
"""

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

# Written one way on both sides (after folding). Longer phrases first.
CANON = [
    ("uy ban nhan dan", "ubnd"),
    ("xuc tien thuong mai", "xttm"),
    ("ke hoach va dau tu", "khdt"),
    ("kh va dt", "khdt"),
    ("khoa hoc va cong nghe", "khcn"),
    ("giao duc va dao tao", "gddt"),
    ("nong nghiep va phat trien nong thon", "nnptnt"),
    ("tai nguyen va moi truong", "tnmt"),
    ("thanh pho", "tp"),
    ("tong hop", "th"),
    ("ban quan ly", "bql"),
    ("khu kinh te", "kkt"),
]


_CANON = [(re.compile(rf"\b{long}\b"), short) for long, short in CANON]


def fold(text):
    """Lower case, no diacritics, đ→d, punctuation as spaces (commas kept), one space between words."""
    text = unicodedata.normalize("NFD", text or "")
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    text = text.replace("đ", "d").replace("Đ", "D").lower()
    text = text.replace("&", " va ")
    text = re.sub(r"[–—\-/()“”\"'.:;!?]", " ", text)
    text = re.sub(r"\s*,\s*", ", ", text)
    text = re.sub(r"\s+", " ", text).strip(" ,")
    for pattern, short in _CANON:
        text = pattern.sub(short, text)
    return text


def fold_keep_length(text):
    """Fold character by character (same length), for finding where a folded match sits in the original."""
    out = []
    for c in text or "":
        d = unicodedata.normalize("NFD", c)
        d = "".join(x for x in d if unicodedata.category(x) != "Mn") or " "
        d = d[0].replace("đ", "d").replace("Đ", "D").lower()
        out.append(d)
    return "".join(out)


@dataclass
class UnitInfo:
    code: str
    name: str
    short_name: str = ""
    abbreviation: str = ""
    kind: str = ""
    parent: str | None = None
    path: str = ""
    province: str = ""  # the province name of the tree's top unit
    place: str = ""
    order: int = 0

    @property
    def top(self):
        return self.path.strip("/").split("/")[0]


@dataclass
class PersonInfo:
    key: str
    full_name: str
    title: str = ""
    unit: str = ""


@dataclass
class RegionInfo:
    """A region of the editions from_year–to_year, with the names of the provinces it holds (for the editions
    from 2025 also the names of the former provinces merged into them)."""

    code: str
    name: str
    from_year: int | None = None
    to_year: int | None = None
    provinces: list[str] = field(default_factory=list)
    size: int = 0  # how many provinces the edition ranks in it

    def covers(self, year):
        return year is None or (
            (self.from_year is None or self.from_year <= year) and (self.to_year is None or year <= self.to_year)
        )


@dataclass
class Directory:
    units: list[UnitInfo] = field(default_factory=list)
    people: list[PersonInfo] = field(default_factory=list)
    # PCI sub-indices: (number, name, from_year, to_year); current names have no years
    subindex_names: list[tuple] = field(default_factory=list)
    # PCI indicators: (code, subindex number, group, from_year, to_year)
    indicators: list[tuple] = field(default_factory=list)
    provinces: list[str] = field(default_factory=list)
    documents: dict = field(default_factory=dict)  # number → {kind, date, issuer_name, title} known already
    plans: dict = field(default_factory=dict)  # number → {title, issuer, kind}
    regions: list[RegionInfo] = field(default_factory=list)

    def __post_init__(self):
        self.by_code = {u.code: u for u in self.units}
        self.scope = None  # the top unit code the document belongs to, once known

    # --- loading --------------------------------------------------------------------------------

    @classmethod
    def from_db(cls):
        from accounts.models import Person, Unit
        from indicators.models import Indicator, Province, Region, SubIndex, SubIndexName
        from plans.models import Document, Plan

        tops = {u.code: u for u in Unit.objects.filter(parent__isnull=True).select_related("province")}
        units = []
        for u in Unit.objects.order_by("path"):
            top = tops.get(u.path.strip("/").split("/")[0])
            units.append(
                UnitInfo(
                    code=u.code,
                    name=u.name,
                    short_name=u.short_name,
                    abbreviation=u.abbreviation,
                    kind=u.kind,
                    parent=None,
                    path=u.path,
                    province=top.province.name if top and top.province_id else "",
                    place=u.place or (top.place if top else ""),
                    order=u.order,
                )
            )
        parents = dict(Unit.objects.values_list("code", "parent__code"))
        for info in units:
            info.parent = parents.get(info.code)
        people = [
            PersonInfo(key=p.key, full_name=p.full_name, title=p.title, unit=p.unit.code)
            for p in Person.objects.select_related("unit")
        ]
        names = [(s.number, s.name, None, None) for s in SubIndex.objects.filter(index__code="PCI")]
        names += [
            (n.subindex.number, n.name, n.from_year, n.to_year)
            for n in SubIndexName.objects.filter(subindex__index__code="PCI").select_related("subindex")
        ]
        indicators = [
            (i.code, i.subindex.number, i.group, i.from_year, i.to_year)
            for i in Indicator.objects.filter(subindex__index__code="PCI").select_related("subindex")
        ]
        provinces = sorted(set(Province.objects.values_list("name", flat=True)))
        documents = {
            d.number: {"kind": d.kind, "issuer_name": d.issuer_name, "title": d.title} for d in Document.objects.all()
        }
        plans = {p.number: {"title": p.title, "issuer": p.issuer.code} for p in Plan.objects.exclude(number="")}
        regions = []
        for r in Region.objects.prefetch_related("provinces__merged_from"):
            members = list(r.provinces.all())
            held = [p.name for p in members]
            held += [old.name for p in members for old in p.merged_from.all() if old.name not in held]
            regions.append(RegionInfo(r.code, r.name, r.from_year, r.to_year, held, size=len(members)))
        return cls(units, people, names, indicators, provinces, documents, plans, regions)

    # --- the tree -------------------------------------------------------------------------------

    def in_scope(self):
        if not self.scope:
            return self.units
        return [u for u in self.units if u.top == self.scope]

    def children(self, code):
        """Units directly under `code` that do the work (no groups of bodies, no enterprises)."""
        kids = [u for u in self.units if u.parent == code and u.kind not in ("group", "enterprise")]
        return sorted(kids, key=lambda u: (u.order, u.path))

    def top_of(self, code):
        unit = self.by_code.get(code)
        return self.by_code.get(unit.top) if unit else None

    def ref(self, code, text="", confidence=1.0):
        from .draft import UnitRef

        unit = self.by_code.get(code)
        return UnitRef(text=text, code=code, confidence=round(confidence, 2), name=unit.name if unit else "")

    # --- matching -------------------------------------------------------------------------------

    def aliases(self):
        """(folded alias, code) of units in scope, longest first."""
        cache_key = self.scope
        if getattr(self, "_aliases_for", object()) == cache_key:
            return self._aliases
        out = []
        for u in self.in_scope():
            if u.kind == "enterprise":
                continue
            names = {u.name, u.short_name}
            province = fold(u.province)
            for n in list(names):
                f = fold(n)
                if province and f.endswith(" tinh " + province):
                    names.add(n[: -len(" tỉnh " + u.province)])
                if u.kind == "division" and f.startswith("phong "):
                    names.add(n[len("Phòng ") :])
            for n in names:
                f = fold(n)
                if len(f) >= 6 and not f.startswith("cac "):
                    out.append((f, u.code))
                elif f.startswith("cac ") and u.kind != "group":
                    out.append((f, u.code))
        out.sort(key=lambda a: -len(a[0]))
        self._aliases_for, self._aliases = cache_key, out
        self._alias_patterns = [(re.compile(rf"(?<![\w]){re.escape(a)}(?![\w])"), a, code) for a, code in out]
        return out

    def alias_patterns(self):
        self.aliases()
        return self._alias_patterns

    def group(self, pattern):
        """The group unit (kind "group") in scope whose folded name matches `pattern`."""
        for u in self.in_scope():
            if u.kind == "group" and re.search(pattern, fold(u.name)):
                return u.code
        return None

    def enterprise(self):
        for u in self.in_scope():
            if u.kind == "enterprise":
                return u.code
        return None

    def find_units(self, text, *, issuer=None, enterprises=False, fuzzy=True):
        """Units named in `text`, in order of appearance: [(UnitRef, start)].

        A collective ("các phòng, đơn vị thuộc Sở") comes back as a UnitRef with `children_of` set.
        """
        from .draft import UnitRef

        folded = fold(text)
        taken = [False] * len(folded)
        found = []

        def claim(start, end):
            if any(taken[start:end]):
                return False
            for i in range(start, end):
                taken[i] = True
            return True

        def add(ref, start):
            if ref.code and any(r.code == ref.code for r, _ in found):
                return
            if ref.children_of and any(r.children_of == ref.children_of for r, _ in found):
                return
            found.append((ref, start))

        # Collectives of the issuer's own units.
        for m in re.finditer(
            r"\bcac (cac )?(phong|don vi)\b[^;]*?\b(truc )?thuoc (so|ban|bql)\b([^;,]*?(tinh|kkt)\b)?", folded
        ):
            if issuer and claim(m.start(), m.end()):
                add(UnitRef(text=m.group(0), children_of=issuer, confidence=0.9), m.start())
        for pattern, alias, code in self.alias_patterns():
            if alias not in folded:
                continue
            for m in pattern.finditer(folded):
                if claim(m.start(), m.end()):
                    add(self.ref(code, text=m.group(0), confidence=1.0), m.start())
        groups = [
            (r"\b(cac )?(co quan, )?so,? (ban,? )?nganh\b|\bcac nganh\b", r"so,? (ban,? )?nganh"),
            (r"\bubnd (cac )?huyen\b(, (thi xa|tp)\b)*( (tp|thanh pho) \w+)?", r"ubnd cac huyen"),
            (r"\bcac co quan, don vi\b|\bcac dia phuong\b", r"co quan, don vi"),
        ]
        for text_pattern, unit_pattern in groups:
            for m in re.finditer(text_pattern, folded):
                code = self.group(unit_pattern)
                if code and claim(m.start(), m.end()):
                    add(self.ref(code, text=m.group(0), confidence=0.85), m.start())
        for m in re.finditer(r"\bcac don vi\b", folded):
            if issuer and claim(m.start(), m.end()):
                add(UnitRef(text=m.group(0), children_of=issuer, confidence=0.7), m.start())
        if enterprises:
            for m in re.finditer(r"\bdoanh nghiep\b", folded):
                code = self.enterprise()
                if code and claim(m.start(), m.end()):
                    add(self.ref(code, text=m.group(0), confidence=0.8), m.start())
        if fuzzy:
            self._fuzzy(folded, taken, add)
        found.sort(key=lambda pair: pair[1])
        return found

    def _fuzzy(self, folded, taken, add):
        """Names written a little differently ("Trung tâm khuyến công và XTMM"): close in spelling, not equal."""
        free = "".join(c if not taken[i] else "\0" for i, c in enumerate(folded))
        for chunk in re.split(r"[\0;,]", free):
            words = chunk.split()
            if len(words) < 2:
                continue
            best = (0.0, None, 0)
            for alias, code in self.aliases():
                n = len(alias.split())
                if n < 3 or len(words) > n + 3:
                    continue  # a name written differently, not a sentence that happens to contain one
                for i in range(0, max(1, len(words) - n + 1)):
                    window = " ".join(words[i : i + n])
                    ratio = difflib.SequenceMatcher(None, window, alias).ratio()
                    if ratio > best[0]:
                        best = (ratio, code, i)
            if best[0] >= 0.88:
                add(self.ref(best[1], text=chunk.strip(), confidence=best[0] * 0.9), folded.find(chunk.strip()))

    def match_unit(self, text, **kwargs):
        """The one unit `text` names (the first one found), or an unmatched UnitRef."""
        from .draft import UnitRef

        found = self.find_units(text, **kwargs)
        if found:
            ref = found[0][0]
            ref.text = text.strip()
            return ref
        return UnitRef(text=text.strip())

    def find_person(self, name):
        from .draft import PersonRef

        target = fold(name)
        pool = [
            p for p in self.people if not self.scope or self.top_of(p.unit) and self.top_of(p.unit).code == self.scope
        ]
        for p in pool:
            if fold(p.full_name) == target:
                return PersonRef(text=name, name=p.full_name, title=p.title, key=p.key, confidence=1.0)
        return PersonRef(text=name, name=name.strip())

    def head_of(self, code):
        """The person at the head of a unit (Giám đốc, Trưởng ban, Chủ tịch), if the directory knows one."""
        heads = [p for p in self.people if p.unit == code and not fold(p.title).startswith("pho ")]
        return heads[0] if len(heads) == 1 else None

    # --- regions --------------------------------------------------------------------------------

    def region_for(self, named, year, province=""):
        """The region of the editions of `year` that `named` ("vùng Duyên hải miền Trung", as the text wrote it)
        names; with no name (or none that matches), the region `province` belongs to in that edition."""
        regions = [r for r in self.regions if r.covers(year)]
        want = fold(named)
        if want:
            scored = []
            for r in regions:
                have = fold(r.name)
                if want == have or want in have or have in want:
                    score = 1.0
                else:
                    words, theirs = set(want.split()), set(have.split())
                    score = len(words & theirs) / max(1, len(words))
                if score >= 0.6:
                    scored.append((score, fold(province) in map(fold, r.provinces), r))
            if scored:
                return max(scored, key=lambda x: (x[0], x[1]))[2]
        if province:
            for r in regions:
                if fold(province) in map(fold, r.provinces):
                    return r
        return None

    # --- the PCI framework ----------------------------------------------------------------------

    def subindex_by_name(self, text, year=None):
        """The sub-index whose name (valid in `year`, or any) `text` contains: (number, confidence)."""
        folded = fold(text)
        best = None
        for number, name, start, end in self.subindex_names:
            f = fold(name)
            if f and re.search(rf"\b{re.escape(f)}\b", folded):
                valid = year is None or ((start is None or year >= start) and (end is None or year <= end))
                score = len(f) + (100 if valid else 0)
                if best is None or score > best[0]:
                    best = (score, number)
        return best[1] if best else None

    def indicator_group(self, text, subindex, year=None):
        """Indicator codes of the group of `subindex` whose name `text` contains, valid in `year`."""
        folded = fold(text)
        codes = []
        for code, number, group, start, end in self.indicators:
            if year is not None and ((start and year < start) or (end and year > end)):
                continue
            if number == subindex and group and re.search(rf"\b{re.escape(fold(group))}\b", folded):
                codes.append(code)
        return codes
