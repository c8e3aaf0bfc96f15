"""The draft as text, for the command line (and anyone who wants a plain summary)."""

GOAL_TEXT = {
    "score_gte": "điểm ≥ {value}",
    "score_gt": "điểm > {value}",
    "score_up_by": "tăng {value} điểm",
    "rank_lte": "hạng ≤ {value}",
    "rank_band": "hạng {low}–{high}/{out_of}",
    "rank_up_by": "tăng {value} bậc",
    "rank_improve": "nâng hạng",
    "keep_rank": "giữ hạng",
    "top_in_region": "{value}/{region_size} trong vùng {region}",
    "tier": "nhóm {tier}",
    "increase": "tăng dần qua các năm",
}


def _unit(ref):
    if ref is None:
        return "—"
    if ref.children_of:
        return f"các đơn vị thuộc {ref.children_of}"
    if ref.code:
        sure = "" if ref.confidence >= 0.95 else f" ({ref.confidence:.0%})"
        return f"{ref.code}{sure}"
    return f"CHƯA KHỚP: “{ref.text}”"


def goal_text(goal):
    from indicators.models import TIER_LABELS

    value = goal.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    values = {**vars(goal), "value": str(value).replace(".", ",") if value is not None else ""}
    values["tier"] = str(TIER_LABELS.get(goal.tier, goal.tier))
    text = GOAL_TEXT.get(goal.kind, goal.kind).format(**values)
    if getattr(goal, "min_count", None):
        text += f" (ít nhất {goal.min_count} chỉ số của nhóm)"
    return text


def describe(draft):
    d = draft
    out = [
        f"Loại: {d.kind}   Số: {d.number or '(chưa có số)'}   Ký hiệu: {d.number_suffix}",
        f"Cơ quan ban hành: {_unit(d.issuer)}   Cơ quan cấp trên: {d.body_above or '—'}",
        f"Địa danh, ngày: {d.place or '—'}, {d.date or '(chưa có ngày)'}   Giai đoạn: {d.period_start}–{d.period_end}",
        f"Trích yếu: {d.title}",
        f"Đơn vị đầu mối: {_unit(d.focal_unit)}",
    ]
    if d.parent:
        out.append(
            f"Thực hiện: {d.parent.number} ngày {d.parent.date or '?'} của {d.parent.issuer_name} {d.parent.title}"
        )
    for ref in d.relies_on:
        out.append(f"Dựa trên: {ref.number} ngày {ref.date or '?'} của {ref.issuer_name}: {ref.title}")
    for ref in d.legal_basis:
        out.append(f"Căn cứ: {ref.number} ngày {ref.date or '?'} của {ref.issuer_name or '?'}: {ref.title or '—'}")
    out.append(f"Mục tiêu ({len(d.targets)}):")
    for t in d.targets:
        subject = f"CSTP {t.subindex}" if t.subindex else (f"CSTP {t.subindices}" if t.subindices else t.index)
        goals = "; ".join(goal_text(g) for g in t.goals)
        base = f" (gốc {t.baseline_year}: hạng {t.baseline_rank}, điểm {t.baseline_score})" if t.baseline_year else ""
        out.append(f"  - {subject} năm {t.year}: {goals}{base}")
    tasks = d.all_tasks()
    out.append(f"Nhóm giải pháp và nhiệm vụ ({len(d.all_sections())} nhóm, {len(tasks)} nhiệm vụ):")

    def walk(sections, depth):
        for s in sections:
            out.append(f"{'  ' * depth}[{s.number}] {s.title}")
            for t in s.tasks:
                leader = f"; lãnh đạo: {t.leader.name}" if t.leader else ""
                time = t.timeframe_text or t.timeframe
                out.append(f"{'  ' * depth}  • {t.title}")
                coordinating = ", ".join(_unit(c) for c in t.coordinating) or "—"
                out.append(
                    f"{'  ' * depth}    chủ trì: {_unit(t.lead)}; phối hợp: {coordinating}{leader}; thời gian: {time}"
                )
            walk(s.children, depth + 1)

    walk(d.sections, 1)
    out.append(f"Quy định báo cáo ({len(d.reporting_rules)}):")
    for r in d.reporting_rules:
        source = f"các đơn vị thuộc {r.from_children_of}" if r.from_children_of else ", ".join(r.from_units)
        out.append(f"  - {r.day:02d}/{r.month:02d} [{r.kind}] {r.title}: {source} → {_unit(r.to)}")
    signer = d.signer.name if d.signer else "—"
    out.append(f"Người ký: {d.signer_title.replace(chr(10), ' ')} {signer}")
    out.append("Nơi nhận: " + "; ".join(d.recipients))
    unused = [line for line in d.lines if line.use == "unused"]
    out.append(f"Dòng không dùng ({len(unused)}):")
    out += [f"  {line.no}: {line.text}" for line in unused]
    for warning in d.warnings:
        out.append(f"Lưu ý: {warning}")
    return "\n".join(out)
