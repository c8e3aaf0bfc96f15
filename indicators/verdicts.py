"""How a goal of a plan is judged against a published result.

Kept free of the ORM so that the rules read as the plans write them and can be
tested on plain values; `plans.models.Goal.rules()` builds one of these.

A verdict is one of four states:

- met / not met: the published result decides;
- pending ("Chưa có kết quả"): the result the goal needs is not published (yet);
- insufficient data ("Chưa đủ dữ liệu"): the goal itself cannot be judged as stored — a value
  missing, no baseline for "up N places", a region whose members' results are not all in.

Judging never raises: whatever is missing becomes a reason in Vietnamese.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def _num(value):
    """A number as Vietnamese writes it (decimal comma), without trailing zeros."""
    if value is None:
        return "–"
    try:
        value = Decimal(str(value)).normalize()
    except (InvalidOperation, ValueError):
        return str(value)
    if value == value.to_integral():
        value = value.quantize(Decimal(1))
    places = max(0, -value.as_tuple().exponent)
    return number_format(value, decimal_pos=places)


def _int(value):
    """A whole number of places from a stored Decimal (None when it is not one)."""
    if value is None:
        return None
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return int(d) if d == d.to_integral() else None


@dataclass
class Verdict:
    """The outcome of judging a target: met, not met, pending or insufficient data, and why."""

    MET = "met"
    NOT_MET = "not_met"
    PENDING = "pending"
    INSUFFICIENT = "insufficient"
    LABELS = {
        MET: _("Đạt"),
        NOT_MET: _("Không đạt"),
        PENDING: _("Chưa có kết quả"),
        INSUFFICIENT: _("Chưa đủ dữ liệu"),
    }
    # Combining: one miss fails the whole; a goal that cannot be judged outweighs one still waiting.
    PRECEDENCE = [NOT_MET, INSUFFICIENT, PENDING, MET]

    state: str
    reasons: list = field(default_factory=list)
    # For a goal over several sub-indices: [(member label, state, detail)], in the group's order.
    members: list = field(default_factory=list)
    detail: str = ""  # the figure behind a single goal's verdict ("xếp hạng 20/63"), for listing group members

    @property
    def label(self):
        return self.LABELS[self.state]

    @property
    def met(self):
        return self.state == self.MET

    def __str__(self):
        return f"{self.label}: {' '.join(str(r) for r in self.reasons)}"

    @classmethod
    def combine(cls, verdicts):
        """All goals must hold: any miss fails the target; otherwise the weakest state decides."""
        reasons = [r for v in verdicts for r in v.reasons]
        members = [m for v in verdicts for m in v.members]
        if not verdicts:
            return cls(cls.PENDING, reasons)
        states = {v.state for v in verdicts}
        for state in cls.PRECEDENCE:
            if state in states:
                return cls(state, reasons, members)
        return cls(cls.PENDING, reasons, members)  # pragma: no cover - every state is in PRECEDENCE


class Kind(models.TextChoices):
    SCORE_GTE = "score_gte", _("Điểm số từ … trở lên (≥)")
    SCORE_GT = "score_gt", _("Điểm số trên … (>)")
    SCORE_UP_BY = "score_up_by", _("Tăng … điểm so với năm gốc")
    SCORE_IMPROVE = "score_improve", _("Tăng điểm so với năm gốc")
    RANK_LTE = "rank_lte", _("Xếp hạng trong top … (≤)")
    RANK_BAND = "rank_band", _("Xếp hạng trong khoảng …–…")
    RANK_UP_BY = "rank_up_by", _("Tăng … bậc so với năm gốc")
    RANK_IMPROVE = "rank_improve", _("Nâng vị trí xếp hạng so với năm gốc")
    KEEP_RANK = "keep_rank", _("Giữ vững vị trí xếp hạng")
    KEEP_LEAD = "keep_lead", _("Giữ vị trí dẫn đầu (hạng 1)")
    TOP_IN_REGION = "top_in_region", _("Trong top … của vùng")
    TIER = "tier", _("Thuộc nhóm xếp loại … trở lên")
    INCREASE = "increase", _("Tăng dần qua các năm (đánh giá thủ công)")


# The values each kind needs; every other value field must stay blank ("each kind requires exactly its values").
# `out_of` is optional for a rank band ("20–30/63"); `min_count` ("N of these M") is allowed on any kind
# judged per member, for a target over a group of sub-indices.
REQUIRED = {
    Kind.SCORE_GTE: {"value"},
    Kind.SCORE_GT: {"value"},
    Kind.SCORE_UP_BY: {"value"},
    Kind.SCORE_IMPROVE: set(),
    Kind.RANK_LTE: {"value"},
    Kind.RANK_BAND: {"low", "high"},
    Kind.RANK_UP_BY: {"value"},
    Kind.RANK_IMPROVE: set(),
    Kind.KEEP_RANK: set(),
    Kind.KEEP_LEAD: set(),
    Kind.TOP_IN_REGION: {"value", "region"},
    Kind.TIER: {"tier"},
    Kind.INCREASE: set(),
}
OPTIONAL = {Kind.RANK_BAND: {"out_of"}}
VALUE_FIELDS = ["value", "low", "high", "out_of", "region", "tier"]
WHOLE_VALUE = {Kind.RANK_LTE, Kind.RANK_UP_BY, Kind.TOP_IN_REGION}  # a number of places
NEEDS_BASELINE_RANK = {Kind.RANK_UP_BY, Kind.RANK_IMPROVE, Kind.KEEP_RANK}
NEEDS_BASELINE_SCORE = {Kind.SCORE_UP_BY, Kind.SCORE_IMPROVE}
FIELD_LABELS = {
    "value": _("giá trị"),
    "low": _("hạng từ"),
    "high": _("hạng đến"),
    "out_of": _("trên tổng số"),
    "region": _("vùng"),
    "tier": _("nhóm xếp loại"),
}


def missing_values(kind, values):
    """The names of the values `kind` needs that `values` (a dict) leaves blank."""
    return [f for f in VALUE_FIELDS if f in REQUIRED.get(kind, set()) and values.get(f) in (None, "")]


def stray_values(kind, values):
    """The names of the values given that `kind` does not use."""
    allowed = REQUIRED.get(kind, set()) | OPTIONAL.get(kind, set())
    return [f for f in VALUE_FIELDS if f not in allowed and values.get(f) not in (None, "")]


@dataclass
class RegionRank:
    """A province's place in its region for one published table: "3/14"; `missing` names members without a result."""

    rank: int | None
    size: int
    missing: list = field(default_factory=list)
    at_least: int | None = None  # with members missing: the place the known results already push it to

    def __str__(self):
        return f"{self.rank}/{self.size}"


@dataclass
class Goal:
    """One condition: "score ≥ 5,8", "rank ≤ 25", "rank 20–30/63", "up 5 places", "tier Khá or better"…"""

    Kind = Kind

    SCORE_GTE = Kind.SCORE_GTE
    SCORE_GT = Kind.SCORE_GT
    SCORE_UP_BY = Kind.SCORE_UP_BY
    SCORE_IMPROVE = Kind.SCORE_IMPROVE
    RANK_LTE = Kind.RANK_LTE
    RANK_BAND = Kind.RANK_BAND
    RANK_UP_BY = Kind.RANK_UP_BY
    RANK_IMPROVE = Kind.RANK_IMPROVE
    KEEP_RANK = Kind.KEEP_RANK
    KEEP_LEAD = Kind.KEEP_LEAD
    TOP_IN_REGION = Kind.TOP_IN_REGION
    TIER = Kind.TIER
    INCREASE = Kind.INCREASE

    kind: str
    value: Decimal | None = None
    low: int | None = None
    high: int | None = None
    out_of: int | None = None
    region: str = ""  # the region's name, for the label
    region_size: int | None = None
    tier: str = ""  # the tier's code
    tier_label: str = ""  # the tier's name ("Khá", "Trung bình cao")
    tier_order: dict = field(default_factory=dict)  # {tier code: place, 0 best} of the index and edition
    unit: str = ""  # "%" for indices measured in percent; "" for points
    min_count: int | None = None  # "N of these M": judged over a group of sub-indices

    # --- Reading -------------------------------------------------------------------------------

    def _score(self, value):
        return f"{_num(value)} %" if self.unit == "%" else _num(value)

    def _score_noun(self):
        return gettext("tỷ lệ") if self.unit == "%" else gettext("điểm")

    def label(self):
        k, v = self.kind, self.value
        if k == self.SCORE_GTE:
            return gettext("%(noun)s ≥ %(v)s") % {"noun": self._score_noun(), "v": self._score(v)}
        if k == self.SCORE_GT:
            return gettext("%(noun)s > %(v)s") % {"noun": self._score_noun(), "v": self._score(v)}
        if k == self.SCORE_UP_BY:
            if self.unit == "%":
                return gettext("tăng %s điểm phần trăm") % _num(v)
            return gettext("tăng %s điểm") % _num(v)
        if k == self.SCORE_IMPROVE:
            return gettext("tăng %s so với năm gốc") % self._score_noun()
        if k == self.RANK_LTE:
            return gettext("xếp hạng ≤ %s") % _num(v)
        if k == self.RANK_BAND:
            suffix = f"/{self.out_of}" if self.out_of else ""
            return gettext("xếp hạng %(low)s–%(high)s%(suffix)s") % {
                "low": "–" if self.low is None else self.low,
                "high": "–" if self.high is None else self.high,
                "suffix": suffix,
            }
        if k == self.RANK_UP_BY:
            return gettext("tăng %s bậc") % _num(v)
        if k == self.RANK_IMPROVE:
            return gettext("nâng vị trí xếp hạng")
        if k == self.KEEP_RANK:
            return gettext("giữ vững xếp hạng")
        if k == self.KEEP_LEAD:
            return gettext("giữ vị trí dẫn đầu")
        if k == self.TOP_IN_REGION:
            size = gettext(" (%s tỉnh)") % self.region_size if self.region_size else ""
            return gettext("top %(n)s vùng %(region)s%(size)s") % {
                "n": _num(v),
                "region": self.region or "–",
                "size": size,
            }
        if k == self.TIER:
            if not self.tier:
                return gettext("nhóm xếp loại")
            return gettext("nhóm “%s” trở lên") % (self.tier_label or self.tier)
        return gettext("tăng dần qua các năm")

    def quorum_label(self, size):
        """ "3/7 chỉ số: xếp hạng ≤ 10" for "3 of these 7 in the top 10"; "mỗi chỉ số: …" otherwise."""
        if self.min_count:
            return gettext("ít nhất %(n)s/%(m)s chỉ số: %(goal)s") % {
                "n": self.min_count,
                "m": size,
                "goal": self.label(),
            }
        return gettext("mỗi chỉ số: %s") % self.label()

    # --- Judging -------------------------------------------------------------------------------

    def problems(self):
        """Why this goal cannot be judged as stored (values missing, inconsistent), in Vietnamese; [] when fine."""
        values = {f: getattr(self, f) for f in VALUE_FIELDS}
        if self.kind not in REQUIRED:
            return [gettext("loại điều kiện không hợp lệ")]
        out = [gettext("thiếu %s") % FIELD_LABELS[f] for f in missing_values(self.kind, values)]
        if out:
            return out
        if self.kind in WHOLE_VALUE and (_int(self.value) is None or _int(self.value) < 1):
            out.append(gettext("giá trị phải là số nguyên dương"))
        if self.kind == self.RANK_BAND and self.low > self.high:
            out.append(gettext("hạng từ lớn hơn hạng đến"))
        if self.kind == self.TIER and self.tier_order and self.tier not in self.tier_order:
            out.append(gettext("nhóm xếp loại không thuộc bộ chỉ số"))
        return out

    def judge(self, result, baseline_rank=None, baseline_score=None, region_rank=None):
        """Judge one result (an object with score, rank, out_of, tier; or None). Never raises."""
        label = self.label()
        problems = self.problems()
        if problems:
            return Verdict(
                Verdict.INSUFFICIENT, [gettext("%(goal)s: %(why)s.") % {"goal": label, "why": ", ".join(problems)}]
            )
        if self.kind == self.INCREASE:
            return Verdict(Verdict.PENDING, [gettext("%s: cần đánh giá theo số liệu từng chỉ tiêu.") % label])
        if result is None:
            return Verdict(Verdict.PENDING, [gettext("%s: chưa có kết quả công bố.") % label])
        k, v = self.kind, self.value
        score, rank = getattr(result, "score", None), getattr(result, "rank", None)
        out_of = getattr(result, "out_of", None)

        def verdict(ok, detail):
            state = Verdict.MET if ok else Verdict.NOT_MET
            word = gettext("đạt") if ok else gettext("không đạt")
            return Verdict(state, [f"{label}: {word} ({detail})."], detail=detail)

        def insufficient(why):
            return Verdict(Verdict.INSUFFICIENT, [f"{label}: {why}."], detail=why)

        if k in (self.SCORE_GTE, self.SCORE_GT, self.SCORE_UP_BY, self.SCORE_IMPROVE):
            if score is None:
                return Verdict(Verdict.PENDING, [gettext("%s: điểm chưa được công bố.") % label])
            score = Decimal(str(score))
            detail = gettext("%(noun)s %(v)s") % {"noun": self._score_noun(), "v": self._score(score)}
            if k == self.SCORE_GTE:
                return verdict(score >= v, detail)
            if k == self.SCORE_GT:
                return verdict(score > v, detail)
            if baseline_score is None:
                return insufficient(gettext("chưa có điểm năm gốc"))
            gain = score - Decimal(str(baseline_score))
            detail = gettext("từ %(base)s lên %(score)s") % {
                "base": self._score(baseline_score),
                "score": self._score(score),
            }
            if k == self.SCORE_IMPROVE:
                return verdict(gain > 0, detail)
            return verdict(gain >= v, detail)
        if k == self.TIER:
            tier = getattr(result, "tier", "") or ""
            if not tier:
                return insufficient(gettext("chưa có nhóm xếp loại công bố"))
            order = self.tier_order
            if tier not in order or self.tier not in order:
                return insufficient(gettext("nhóm “%s” không thuộc thang xếp loại của năm này") % tier)
            label_of = getattr(result, "tier_label", "") or tier
            return verdict(order[tier] <= order[self.tier], gettext("nhóm “%s”") % label_of)
        if k == self.TOP_IN_REGION:
            if rank is None and score is None:
                return Verdict(Verdict.PENDING, [gettext("%s: thứ hạng chưa được công bố.") % label])
            if region_rank is not None and region_rank.rank is None and (region_rank.at_least or 0) > v:
                return verdict(
                    False,
                    gettext("ít nhất hạng %(r)s/%(size)s trong vùng %(region)s")
                    % {"r": region_rank.at_least, "size": region_rank.size, "region": self.region},
                )
            if region_rank is None or region_rank.rank is None:
                missing = ", ".join(region_rank.missing[:5]) if region_rank and region_rank.missing else ""
                why = gettext("chưa đủ kết quả của các tỉnh trong vùng")
                return insufficient(f"{why} ({gettext('thiếu')} {missing})" if missing else why)
            return verdict(
                region_rank.rank <= v,
                gettext("hạng %(r)s trong vùng %(region)s") % {"r": region_rank, "region": self.region},
            )
        # Every remaining kind is about the rank, which may be unpublished.
        if rank is None:
            return Verdict(Verdict.PENDING, [gettext("%s: thứ hạng chưa được công bố.") % label])
        rank_text = f"{rank}/{out_of}" if out_of else str(rank)
        if k == self.RANK_LTE:
            return verdict(rank <= v, gettext("xếp hạng %s") % rank_text)
        if k == self.RANK_BAND:
            return verdict(self.low <= rank <= self.high, gettext("xếp hạng %s") % rank_text)
        if k == self.KEEP_LEAD:
            return verdict(rank == 1, gettext("xếp hạng %s") % rank_text)
        if baseline_rank is None:
            return insufficient(gettext("chưa có xếp hạng năm gốc"))
        gained = baseline_rank - rank  # rank 1 is best: going from 32 to 27 gains 5 places
        detail = gettext("từ hạng %(base)s lên hạng %(rank)s") % {"base": baseline_rank, "rank": rank_text}
        if gained < 0:
            detail = gettext("từ hạng %(base)s xuống hạng %(rank)s") % {"base": baseline_rank, "rank": rank_text}
        elif gained == 0:
            detail = gettext("giữ hạng %s") % rank_text
        if k == self.RANK_UP_BY:
            return verdict(gained >= v, detail)
        if k == self.RANK_IMPROVE:
            return verdict(gained > 0, detail)
        return verdict(gained >= 0, detail)  # KEEP_RANK

    def judge_members(self, members):
        """Judge a goal over a group: `members` is [(label, result, baseline_rank, baseline_score, region_rank)].

        Without `min_count` every member must meet the goal ("each of these up ≥ 10 places"); with it, at
        least that many ("3 of these 7 in the top 10"). The verdict lists each member met and not met.
        """
        size = len(members)
        head = self.quorum_label(size)
        problems = self.problems()
        if self.min_count is not None and not (1 <= self.min_count <= size):
            problems.append(gettext("số chỉ số cần đạt phải từ 1 đến %s") % size)
        if problems:
            return Verdict(
                Verdict.INSUFFICIENT, [gettext("%(goal)s: %(why)s.") % {"goal": head, "why": ", ".join(problems)}]
            )
        rows = []
        for label, result, base_rank, base_score, region_rank in members:
            v = self.judge(result, baseline_rank=base_rank, baseline_score=base_score, region_rank=region_rank)
            detail = v.detail or (v.reasons[0].split(": ", 1)[-1].rstrip(".") if v.reasons else "")
            rows.append((label, v.state, detail))
        met = [r for r in rows if r[1] == Verdict.MET]
        missed = [r for r in rows if r[1] == Verdict.NOT_MET]
        unknown = [r for r in rows if r[1] not in (Verdict.MET, Verdict.NOT_MET)]
        need = self.min_count or size
        if len(met) >= need:
            state = Verdict.MET
        elif len(met) + len(unknown) < need:
            state = Verdict.NOT_MET
        elif any(r[1] == Verdict.INSUFFICIENT for r in unknown):
            state = Verdict.INSUFFICIENT
        else:
            state = Verdict.PENDING
        parts = [gettext("đạt %(n)s/%(m)s") % {"n": len(met), "m": size}]
        if met:
            parts.append(gettext("đạt: %s") % ", ".join(f"{r[0]} ({r[2]})" for r in met))
        if missed:
            parts.append(gettext("không đạt: %s") % ", ".join(f"{r[0]} ({r[2]})" for r in missed))
        if unknown:
            parts.append(gettext("chưa đánh giá được: %s") % ", ".join(f"{r[0]} ({r[2]})" for r in unknown))
        word = {Verdict.MET: gettext("đạt"), Verdict.NOT_MET: gettext("không đạt")}.get(state)
        lead = f"{head}: {word}" if word else head
        return Verdict(state, [f"{lead} — {'; '.join(parts)}."], rows)
