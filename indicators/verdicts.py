"""How a goal of a plan is judged against a published result.

Kept free of the ORM so that the rules read as the plans write them and can be
tested on plain values; `indicators.models.Goal.rules()` builds one of these.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def _num(value):
    if value is None:
        return "–"
    value = Decimal(value).normalize()
    places = max(0, -value.as_tuple().exponent)
    return number_format(value, decimal_pos=places)


@dataclass
class Verdict:
    """The outcome of judging a target: met, not met or pending, and why (Vietnamese sentences)."""

    MET = "met"
    NOT_MET = "not_met"
    PENDING = "pending"
    LABELS = {MET: _("Đạt"), NOT_MET: _("Không đạt"), PENDING: _("Chưa có kết quả")}

    state: str
    reasons: list = field(default_factory=list)

    @property
    def label(self):
        return self.LABELS[self.state]

    @property
    def met(self):
        return self.state == self.MET

    def __str__(self):
        return f"{self.label}: {' '.join(self.reasons)}"

    @classmethod
    def combine(cls, verdicts):
        """All goals must hold: any miss fails the target; otherwise any unknown leaves it pending."""
        reasons = [r for v in verdicts for r in v.reasons]
        states = {v.state for v in verdicts}
        if cls.NOT_MET in states:
            return cls(cls.NOT_MET, reasons)
        if cls.PENDING in states or not verdicts:
            return cls(cls.PENDING, reasons)
        return cls(cls.MET, reasons)


@dataclass
class Goal:
    """One condition: "score ≥ 5,8", "rank ≤ 25", "rank 20–30/63", "up 5 places", "tier Khá"…"""

    class Kind(models.TextChoices):
        SCORE_GTE = "score_gte", _("Điểm số từ … trở lên (≥)")
        SCORE_GT = "score_gt", _("Điểm số trên … (>)")
        SCORE_UP_BY = "score_up_by", _("Tăng … điểm so với năm gốc")
        RANK_LTE = "rank_lte", _("Xếp hạng trong top … (≤)")
        RANK_BAND = "rank_band", _("Xếp hạng trong khoảng …–…")
        RANK_UP_BY = "rank_up_by", _("Tăng … bậc so với năm gốc")
        RANK_IMPROVE = "rank_improve", _("Nâng vị trí xếp hạng so với năm gốc")
        KEEP_RANK = "keep_rank", _("Giữ vững vị trí xếp hạng")
        TOP_IN_REGION = "top_in_region", _("Trong top … của vùng")
        TIER = "tier", _("Thuộc nhóm điều hành")
        INCREASE = "increase", _("Tăng dần qua các năm (đánh giá thủ công)")

    SCORE_GTE = Kind.SCORE_GTE
    SCORE_GT = Kind.SCORE_GT
    SCORE_UP_BY = Kind.SCORE_UP_BY
    RANK_LTE = Kind.RANK_LTE
    RANK_BAND = Kind.RANK_BAND
    RANK_UP_BY = Kind.RANK_UP_BY
    RANK_IMPROVE = Kind.RANK_IMPROVE
    KEEP_RANK = Kind.KEEP_RANK
    TOP_IN_REGION = Kind.TOP_IN_REGION
    TIER = Kind.TIER
    INCREASE = Kind.INCREASE

    kind: str
    value: Decimal | None = None
    low: int | None = None
    high: int | None = None
    out_of: int | None = None
    region: str = ""
    region_size: int | None = None
    tier: str = ""

    def label(self):
        from .models import Tier

        k, v = self.kind, self.value
        if k == self.SCORE_GTE:
            return gettext("điểm ≥ %s") % _num(v)
        if k == self.SCORE_GT:
            return gettext("điểm > %s") % _num(v)
        if k == self.SCORE_UP_BY:
            return gettext("tăng %s điểm") % _num(v)
        if k == self.RANK_LTE:
            return gettext("xếp hạng ≤ %s") % _num(v)
        if k == self.RANK_BAND:
            suffix = f"/{self.out_of}" if self.out_of else ""
            return gettext("xếp hạng %(low)s–%(high)s%(suffix)s") % {
                "low": self.low,
                "high": self.high,
                "suffix": suffix,
            }
        if k == self.RANK_UP_BY:
            return gettext("tăng %s bậc") % _num(v)
        if k == self.RANK_IMPROVE:
            return gettext("nâng vị trí xếp hạng")
        if k == self.KEEP_RANK:
            return gettext("giữ vững xếp hạng")
        if k == self.TOP_IN_REGION:
            size = gettext(" (%s tỉnh)") % self.region_size if self.region_size else ""
            return gettext("top %(n)s vùng %(region)s%(size)s") % {"n": _num(v), "region": self.region, "size": size}
        if k == self.TIER:
            return gettext("nhóm “%s”") % Tier(self.tier).label if self.tier else gettext("nhóm điều hành")
        return gettext("tăng dần qua các năm")

    def judge(self, result, baseline_rank=None, baseline_score=None, region_rank=None):
        """Judge one result (an object with score, rank, out_of, tier; or None)."""
        from .models import TIER_ORDER, Tier

        label = self.label()
        pending = Verdict(Verdict.PENDING, [gettext("%s: chưa có kết quả công bố.") % label])
        if result is None:
            return pending
        k, v = self.kind, self.value
        score, rank = result.score, result.rank

        def verdict(ok, detail):
            state = Verdict.MET if ok else Verdict.NOT_MET
            word = gettext("đạt") if ok else gettext("không đạt")
            return Verdict(state, [f"{label}: {word} ({detail})."])

        if k in (self.SCORE_GTE, self.SCORE_GT, self.SCORE_UP_BY):
            if score is None:
                return pending
            score = Decimal(score)
            if k == self.SCORE_GTE:
                return verdict(score >= v, gettext("điểm %s") % _num(score))
            if k == self.SCORE_GT:
                return verdict(score > v, gettext("điểm %s") % _num(score))
            if baseline_score is None:
                return Verdict(Verdict.PENDING, [gettext("%s: chưa có điểm năm gốc.") % label])
            gain = score - Decimal(baseline_score)
            return verdict(
                gain >= v,
                gettext("tăng %(gain)s điểm, từ %(base)s lên %(score)s")
                % {"gain": _num(gain), "base": _num(baseline_score), "score": _num(score)},
            )
        if k == self.TIER:
            if not getattr(result, "tier", ""):
                return Verdict(Verdict.PENDING, [gettext("%s: chưa có nhóm điều hành công bố.") % label])
            ok = TIER_ORDER.index(result.tier) <= TIER_ORDER.index(self.tier)
            return verdict(ok, gettext("nhóm “%s”") % Tier(result.tier).label)
        if k == self.INCREASE:
            return Verdict(Verdict.PENDING, [gettext("%s: cần đánh giá theo số liệu từng chỉ tiêu.") % label])
        if k == self.TOP_IN_REGION:
            if region_rank is None:
                return pending
            return verdict(
                region_rank <= v,
                gettext("hạng %(r)s trong vùng %(region)s") % {"r": region_rank, "region": self.region},
            )
        # Every remaining kind is about the rank, which may be unpublished.
        if rank is None:
            return Verdict(Verdict.PENDING, [gettext("%s: thứ hạng chưa được công bố.") % label])
        rank_text = f"{rank}/{result.out_of}" if getattr(result, "out_of", None) else str(rank)
        if k == self.RANK_LTE:
            return verdict(rank <= v, gettext("xếp hạng %s") % rank_text)
        if k == self.RANK_BAND:
            return verdict(self.low <= rank <= self.high, gettext("xếp hạng %s") % rank_text)
        if baseline_rank is None:
            return Verdict(Verdict.PENDING, [gettext("%s: chưa có xếp hạng năm gốc.") % label])
        gained = baseline_rank - rank  # rank 1 is best: going from 32 to 27 gains 5 places
        detail = gettext("từ hạng %(base)s lên hạng %(rank)s") % {"base": baseline_rank, "rank": rank_text}
        if k == self.RANK_UP_BY:
            return verdict(gained >= v, detail)
        if k == self.RANK_IMPROVE:
            return verdict(gained > 0, detail)
        return verdict(gained >= 0, detail)  # KEEP_RANK
