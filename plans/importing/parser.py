"""Reads the blocks of a plan document (NĐ30 administrative shape) into a Draft.

The document, top to bottom: header block (issuing body and the body above it, "Số: …/KH-…", place
and date), kind ("KẾ HOẠCH") and title, the opening paragraphs ("Thực hiện …", "Căn cứ …"), parts
numbered I., II. …, each numbered 1., 1.1., a) with bullets -, +, * ; the closing paragraph ending
"./.", "Nơi nhận:" and the signer. Every block is marked as read into a field, kept verbatim, or not
used, so the reviewer sees all of the source.
"""

import datetime
import re

from .directory import fold
from .draft import (
    DocRef,
    Draft,
    DraftRule,
    DraftSection,
    DraftTarget,
    DraftTask,
    Goal,
    PersonRef,
    SourceLine,
    UnitRef,
)
from .errors import ImportRefused

ROMAN = re.compile(r"^([IVX]{1,5})\.\s+(.*)$")
ARABIC = re.compile(r"^(\d{1,2})\.\s+(.*)$")
ARABIC2 = re.compile(r"^(\d{1,2}(?:\.\d{1,2})+)\.?\s+(.*)$")
LETTER = re.compile(r"^([a-zđ])\)\s+(.*)$")
BULLET = re.compile(r"^([-–•])\s*(.*)$")
PLUS = re.compile(r"^\+\s*(.*)$")
STAR = re.compile(r"^\*\s*(.*)$")
ATTRIBUTE = re.compile(
    r"^(Đơn vị thực hiện|Đơn vị chủ trì|Cơ quan chủ trì|Cơ quan thực hiện|Đơn vị phối hợp|Cơ quan phối hợp|"
    r"Lãnh đạo [\wÀ-ỹ ]{0,20}?|Lãnh đạo|Thời gian(?: thực hiện| hoàn thành)?|Thời hạn(?: hoàn thành)?|"
    r"Sản phẩm(?: đầu ra)?)"
    r"\s*:\s*(.*)$",
    re.IGNORECASE,
)
KIND_WORDS = {"KẾ HOẠCH": "plan", "QUYẾT ĐỊNH": "decision", "CHƯƠNG TRÌNH": "plan"}
DOC_KINDS = {
    "kế hoạch": "plan",
    "quyết định": "decision",
    "chỉ thị": "directive",
    "nghị quyết": "resolution",
    "công văn": "other",
    "thông báo": "other",
}
NUMBER = r"\d+(?:/\d{4})?/[A-ZĐ][A-ZĐa-zđ0-9&\-.]*[A-ZĐa-zđ0-9]"
CITATION = re.compile(
    r"(?P<kind>Kế hoạch|Quyết định|Chỉ thị|Nghị quyết|Công văn|Thông báo)(?: số)?\s+(?P<number>" + NUMBER + r")"
    r"(?:\s+ngày\s+(?P<date>\d{1,2}/\d{1,2}/\d{4}|\d{1,2} tháng \d{1,2} năm \d{4}))?"
    r"(?:\s+của\s+(?P<issuer>[^,;.()]+?)(?=\s+về\s|\s+ban hành|\s+\(|[,;.]|$))?",
    re.IGNORECASE,
)
DATE_IN_TEXT = re.compile(r"(?:trước|chậm nhất|trong)\s+ngày\s+(\d{1,2})(?:/(\d{1,2})|\s+tháng\s+(\d{1,2}))", re.I)
UPPER = "A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
OUT_OF = {True: 63, False: 34}  # provinces ranked: 63 up to the 2024 edition, 34 after the 2025 merger


def out_of(year):
    return OUT_OF[year is None or year < 2025] if year else None


def _iso(day, month, year):
    try:
        return datetime.date(int(year), int(month), int(day)).isoformat()
    except (TypeError, ValueError):
        return None


def _parse_date(text):
    m = re.match(r"(\d{1,2})/(\d{1,2})/(\d{4})", text or "")
    if m:
        return _iso(*m.groups())
    m = re.match(r"(\d{1,2}) tháng (\d{1,2}) năm (\d{4})", text or "")
    return _iso(*m.groups()) if m else None


def _cap(text):
    return text[:1].upper() + text[1:] if text else text


def _strip_end(text):
    return re.sub(r"\s*[;.:,]+$", "", text.strip()).strip()


class Parser:
    def __init__(self, blocks, directory, *, name="", fmt=""):
        self.blocks = blocks
        self.dir = directory
        self.draft = Draft(source_name=name, source_format=fmt)
        self.draft.lines = [SourceLine(no=i + 1, text=b.text) for i, b in enumerate(blocks)]
        self.issuer = None  # code
        self.part_leads = {}  # roman numeral → (lead code, [internal coordinating codes])
        self.pending_rules = []

    # --- bookkeeping --------------------------------------------------------------------------------

    def use(self, i, field, how="used"):
        line = self.draft.lines[i]
        if line.use == "unused" or how == "used":
            line.use, line.field = how, field

    # --- the whole document ----------------------------------------------------------------------

    def parse(self):
        blocks = self.blocks
        if not blocks:
            raise ImportRefused("Không đọc được nội dung nào trong tệp.")
        if all(b.is_row for b in blocks):
            return self.parse_appendix_only()
        start = self.header()
        self.choose_scope()
        end = self.tail()
        body_start = self.title_and_preamble(start, end)
        parts = self.split_parts(body_start, end)
        self.find_issuer()
        self.find_period()
        self.citations()
        for numeral, heading, first, last in parts:
            if re.search(r"mục đích|mục tiêu|yêu cầu", heading, re.I) and not re.search(
                r"nhiệm vụ|giải pháp", heading, re.I
            ):
                self.objectives_part(numeral, heading, first, last)
        self.find_part_assignments(parts)
        self.appendix_tables()
        for numeral, heading, first, last in parts:
            if not (
                re.search(r"mục đích|mục tiêu|yêu cầu", heading, re.I)
                and not re.search(r"nhiệm vụ|giải pháp", heading, re.I)
            ):
                self.task_part(numeral, heading, first, last)
        self.finish()
        if not parts and not self.draft.all_tasks() and not self.draft.targets:
            raise ImportRefused(
                "Không nhận ra cấu trúc kế hoạch (tiêu đề “KẾ HOẠCH”, các mục I., II., 1., a), gạch đầu dòng): "
                "hãy kiểm tra tệp, hoặc tạo kế hoạch bằng tay."
            )
        return self.draft

    # --- header ----------------------------------------------------------------------------------

    def header(self):
        """Header lines up to the kind line ("KẾ HOẠCH"); returns the index after it (0 when there is none)."""
        d = self.draft
        upper_lines = []
        after = 0
        for i, b in enumerate(self.blocks[:25]):
            text = b.text.strip()
            kind = KIND_WORDS.get(re.sub(r"\s+", " ", text.upper()).strip())
            if kind and text.isupper():
                d.kind = kind
                self.use(i, "kind")
                after = i + 1
                break
            m = re.match(r"^Số\s*:\s*(\S*?)\s*/\s*(\S+)\s*$", text, re.I) or re.match(r"^Số\s*:\s*()(\S+)$", text)
            if m:
                number, suffix = m.group(1).strip(".… "), m.group(2)
                d.number = f"{number}/{suffix}" if number else ""
                d.number_suffix = suffix
                self.use(i, "number")
                continue
            m = re.match(r"^(.+?),\s*ngày\s*(\S*?)\s*tháng\s*(\S*?)\s*năm\s+(\d{4})\.?$", text)
            if m:
                d.place = m.group(1).strip()
                d.date = _iso(m.group(2), m.group(3), m.group(4))
                self.use(i, "place, date")
                continue
            if re.search(r"CỘNG H[ÒO]A|Độc lập\s*-\s*Tự do|^[-_=\s]+$", text):
                self.use(i, "header")
                continue
            if text.isupper() and len(text) < 120:
                upper_lines.append((i, text))
        for i, _text in upper_lines:
            self.use(i, "issuing body")
        if len(upper_lines) >= 2:
            d.body_above, issuer_text = upper_lines[0][1], " ".join(t for _, t in upper_lines[1:])
        elif upper_lines:
            issuer_text = upper_lines[0][1]
        else:
            issuer_text = ""
        self._issuer_text = issuer_text
        return after

    def choose_scope(self):
        """The province the document belongs to: its place line, else the province it names most."""
        text = fold(" ".join(b.text for b in self.blocks))
        counts = {}
        tops = {u.top: u for u in self.dir.units if u.parent is None}
        place = fold(self.draft.place)
        for code, unit in tops.items():
            names = [fold(unit.province), fold(unit.place)]
            if place and place in names:
                counts[code] = 10_000
                continue
            counts[code] = sum(len(re.findall(rf"\b{re.escape(n)}\b", text)) for n in set(names) if n)
        if counts and max(counts.values()) > 0:
            self.dir.scope = max(counts, key=counts.get)
        elif len(tops) == 1:
            self.dir.scope = next(iter(tops))

    def tail(self):
        """Nơi nhận, signer and the closing paragraph; returns the index where the body ends."""
        d = self.draft
        blocks = self.blocks
        end = len(blocks)
        recipients_at = next((i for i, b in enumerate(blocks) if re.match(r"^Nơi nhận\s*:?", b.text)), None)
        if recipients_at is not None:
            end = recipients_at
            self.use(recipients_at, "recipients")
            i = recipients_at + 1
            rest = blocks[i:]
            titles, names = [], []
            for j, b in enumerate(rest, start=i):
                text = b.text.strip()
                if re.match(r"^[-–+•]\s*", text):
                    d.recipients.append(re.sub(r"\s*[;.,]+$", "", re.sub(r"^[-–+•]\s*", "", text)).strip())
                    self.use(j, "recipients")
                elif text.isupper() or re.match(r"^(KT|TL|TM|TUQ|Q)\.", text):
                    titles.append(text)
                    self.use(j, "signer_title")
                elif text.startswith("("):
                    self.use(j, "signature", "unused")
                else:
                    names.append((j, text))
            d.signer_title = "\n".join(titles)
            if names:
                j, name = names[-1]
                d.signer = self.dir.find_person(name)
                d.signer.title = d.signer.title or _cap(titles[-1].lower()) if titles else d.signer.title
                self.use(j, "signer")
        # The closing paragraph ends with "./." (the end-of-document mark).
        for i in range(end - 1, max(end - 6, -1), -1):
            text = blocks[i].text
            if text.rstrip().endswith("./.") and not blocks[i].is_row:
                d.closing = re.sub(r"^\d+\.\s+", "", text.strip())
                self.use(i, "closing", "verbatim")
                self.closing_at = i
                return i
        self.closing_at = None
        return end

    def title_and_preamble(self, start, end):
        d = self.draft
        blocks = self.blocks
        i = start
        title = []
        while i < end and start > 0:
            text = blocks[i].text
            if title and re.match(r"^(Thực hiện|Căn cứ|Để|Theo|Nhằm)\b", text) or ROMAN.match(text) or len(title) >= 3:
                break
            if not re.match(r"^[-_=\s]+$", text):
                title.append(text)
                self.use(i, "title")
            i += 1
        if title:
            d.title = " ".join(title)
        elif start == 0:
            # No kind line: the first heading-like line before the first paragraph is the title.
            while i < end and not ROMAN.match(blocks[i].text):
                text = blocks[i].text
                if blocks[i].text.isupper() and KIND_WORDS.get(text.strip()):
                    self.use(i, "kind")
                elif not d.title and len(text) < 300 and not re.match(r"^(Thực hiện|Căn cứ)\b", text):
                    d.title = text
                    self.use(i, "title")
                else:
                    break
                i += 1
        preamble = []
        while i < end and not ROMAN.match(blocks[i].text):
            preamble.append(blocks[i].text)
            self.use(i, "preamble", "verbatim")
            i += 1
        d.preamble = "\n\n".join(preamble)
        return i

    def split_parts(self, first, end):
        parts = []
        for i in range(first, end):
            m = ROMAN.match(self.blocks[i].text)
            if m and not self.blocks[i].is_row:
                parts.append([m.group(1), m.group(2).strip(), i, end])
        for a, b in zip(parts, parts[1:], strict=False):
            a[3] = b[2]
        return [tuple(p) for p in parts]

    # --- who issued it, when ---------------------------------------------------------------------

    def find_issuer(self):
        d = self.draft
        ref = None
        if getattr(self, "_issuer_text", ""):
            ref = self.dir.match_unit(self._issuer_text)
        if (ref is None or not ref.code) and d.number_suffix:
            abbr = d.number_suffix.split("-")[-1]
            for u in self.dir.in_scope():
                if u.abbreviation and fold(u.abbreviation) == fold(abbr) and u.kind not in ("group", "enterprise"):
                    ref = self.dir.ref(u.code, text=d.number_suffix, confidence=0.8)
                    break
        if (ref is None or not ref.code) and d.title:
            m = re.search(r"\bcủa\s+(.+)$", d.title)
            if m:
                found = self.dir.find_units(m.group(1), fuzzy=False)
                if found:
                    ref = found[0][0]
                    ref.confidence = 0.8
        if ref is None:
            ref = UnitRef(text=getattr(self, "_issuer_text", ""))
        d.issuer = ref
        self.issuer = ref.code
        unit = self.dir.by_code.get(ref.code) if ref.code else None
        if unit and not d.number_suffix:
            prefix = "KH" if d.kind == "plan" else "QĐ"
            d.number_suffix = f"{prefix}-{unit.abbreviation}" if unit.abbreviation else ""
        if unit and not d.place:
            d.place = unit.place

    def find_period(self):
        d = self.draft
        m = re.search(r"(?:giai đoạn|thời kỳ)\s+(\d{4})\s*[-–]\s*(\d{4})", d.title) or re.search(
            r"\b(\d{4})\s*[-–]\s*(\d{4})\b", d.title
        )
        if m:
            d.period_start, d.period_end = int(m.group(1)), int(m.group(2))
            return
        m = re.search(r"năm\s+(\d{4})", d.title)
        if m:
            d.period_start = d.period_end = int(m.group(1))
            return
        if d.date:
            d.period_start = d.period_end = int(d.date[:4])
        if d.period_start is None:
            d.warnings.append("Không thấy năm hoặc giai đoạn của kế hoạch trong tiêu đề: hãy nhập “từ năm – đến năm”.")

    # --- cited documents -------------------------------------------------------------------------

    def citations(self):
        d = self.draft
        seen = {d.number} if d.number else set()
        top = self.dir.by_code.get(self.dir.scope) if self.dir.scope else None
        province = top.province if top else ""
        for i, block in enumerate(self.blocks):
            if self.draft.lines[i].field in ("number", "recipients"):
                continue
            for m in CITATION.finditer(block.text):
                number = m.group("number").rstrip(".")
                if number in seen:
                    continue
                seen.add(number)
                kind = DOC_KINDS[m.group("kind").lower()]
                issuer_text = (m.group("issuer") or "").strip()
                ref = DocRef(kind=kind, number=number, date=_parse_date(m.group("date")), line=i + 1)
                ref.title = self._cited_title(block.text, m)
                if not issuer_text:
                    do = re.search(r"\bdo\s+(.+?)\s+chủ trì", block.text[: m.start()])
                    issuer_text = do.group(1) if do else ""
                ref.issuer_name, ref.issuer = self._cited_issuer(issuer_text, number, province)
                known = self.dir.documents.get(number) or self.dir.plans.get(number)
                if known:
                    ref.title = ref.title or known.get("title", "")
                    ref.issuer_name = ref.issuer_name or known.get("issuer_name", "")
                first_paragraph = i < len(self.blocks) and self.draft.lines[i].field == "preamble"
                if d.parent is None and first_paragraph and re.match(r"^(Thực hiện|Triển khai)\b", block.text):
                    ref.role = "parent"
                    d.parent = ref
                elif kind == "plan" and re.search(r"\btheo\s+$|–\s*$|-\s*$", block.text[: m.start()]) and ref.issuer:
                    issuer = self.dir.by_code.get(ref.issuer.code) if ref.issuer.code else None
                    if issuer is not None and issuer.kind not in ("people_committee",):
                        ref.role = "relies_on"
                        d.relies_on.append(ref)
                        continue
                    d.legal_basis.append(ref)
                else:
                    d.legal_basis.append(ref)

    def _cited_title(self, text, m):
        after = text[m.end() :]
        about = re.match(r"^\s*(?:,\s*)?(về\s+.+?)(?=;|\.\s|\.$|\s+\(gọi tắt|,\s+[" + UPPER + r"]|$)", after)
        if about:
            title = about.group(1).strip()
            if re.match(r"^về\s+[A-ZĐ]", title) and not re.match(r"^về\s+việc", title, re.I):
                title = title[3:].strip()
            return _strip_end(title)
        before = text[: m.start()]
        lead = re.search(
            r"(?:^|[;.]\s)(?:[-+*]\s*)?(?:Thực hiện|Triển khai|Tổ chức thực hiện)?\s*(?:các\s+)?"
            r"(?P<title>(?:Chương trình|Chỉ tiêu|Đề án)[^;]*?)\s*(?:theo|do\s+.+?\s+chủ trì\s*[–-])?\s*$",
            before,
        )
        if lead:
            title = lead.group("title").strip()
            if re.search(r"(?:^|\s)các\s+" + re.escape(title) + r"\s*$", before):
                title = "Các " + title
            return _cap(re.sub(r"\s+do\s+.+$", "", title).strip(" –-"))
        return ""

    def _cited_issuer(self, text, number, province):
        """The issuer's name as the portal writes it, and the unit when the tree knows it."""
        folded = fold(text)
        top = self.dir.by_code.get(self.dir.scope) if self.dir.scope else None
        if re.fullmatch(r"(ubnd|uy ban nhan dan) tinh", folded) or (not text and number.upper().endswith("-UBND")):
            if top:
                return f"UBND tỉnh {province}".strip(), self.dir.ref(top.code, text=text or number, confidence=0.9)
            return "UBND tỉnh", None
        if not text:
            return "", None
        found = self.dir.find_units(text, fuzzy=False)
        if found and found[0][0].code:
            ref = found[0][0]
            return text.strip(), ref
        return text.strip(), None

    # --- objectives and targets ------------------------------------------------------------------

    def objectives_part(self, numeral, heading, first, last):
        d = self.draft
        texts = []
        in_specific = False
        for i in range(first, last):
            block = self.blocks[i]
            texts.append(block.text)
            self.use(i, "objectives", "verbatim")
            text = block.text
            if i > first and (ARABIC.match(text) or LETTER.match(text)):
                in_specific = bool(re.search(r"mục tiêu cụ thể|chỉ tiêu", text, re.I))
                continue
            if block.is_row:
                continue
            body = re.sub(r"^[-+*•–]\s*", "", text)
            if in_specific or re.search(r"\bph[âấ]n đ[ầấ]u\b", body, re.I):
                targets = self.sentence_targets(body, i)
                if targets:
                    d.targets.extend(targets)
                    self.use(i, "targets")
        d.objectives = "\n\n".join(([d.objectives] if d.objectives else []) + texts)
        self.table_targets(first, last)

    def table_targets(self, first, last):
        """Target tables: a header naming the index and year columns, one row per (sub-)index."""
        rows_by_table = {}
        for i in range(first, last):
            block = self.blocks[i]
            if block.is_row:
                rows_by_table.setdefault(block.table, []).append(i)
        for rows in rows_by_table.values():
            targets = self._target_table(rows)
            if targets:
                self.draft.targets.extend(targets)
                for i in rows:
                    self.use(i, "targets")
                # The sentence that introduces the table ("…, cụ thể:") is read with it.
                before = rows[0] - 1
                if before >= 0 and self.blocks[before].text.rstrip().endswith(":"):
                    self.use(before, "targets")

    def _target_table(self, rows):
        header_rows, data_rows = [], []
        for i in rows:
            cells = self.blocks[i].cells
            if not data_rows and not any(
                re.search(r"\d", c) and not re.search(r"\b(19|20)\d\d\b", c) for c in cells[1:]
            ):
                header_rows.append(cells)
            else:
                data_rows.append((i, cells))
        if not header_rows or not data_rows:
            return []
        width = max(len(c) for c in [*header_rows, *(c for _, c in data_rows)])
        columns = []
        for col in range(width):
            words = []
            for h in header_rows:
                if col < len(h) and h[col]:
                    words.append(h[col])
            columns.append(" ".join(words))
        # A measure written once over several year columns ("Xếp hạng" above "Năm 2023 | Năm 2024").
        measure = ""
        described = []
        for text in columns:
            f = fold(text)
            if "hang" in f or "thu bac" in f:
                measure = "rank"
            elif "diem" in f:
                measure = "score"
            year = re.search(r"\b((?:19|20)\d\d)\b", text)
            described.append(
                {"year": int(year.group(1)) if year else None, "measure": measure, "target": "muc tieu" in f}
            )
        if not any(c["year"] for c in described[1:]):
            return []
        # One measure over the table ("Xếp hạng" above both years): it is every year column's.
        measures = {c["measure"] for c in described if c["measure"]}
        if len(measures) == 1:
            for c in described:
                if c["year"]:
                    c["measure"] = next(iter(measures))
        targets = []
        for i, cells in data_rows:
            label = cells[0].strip()
            subject = self._subject(label, None)
            if subject is None:
                continue
            values = [(described[c], cells[c].strip()) for c in range(1, min(len(cells), width)) if cells[c].strip()]
            years = sorted({c["year"] for c, _ in values if c["year"]})
            if not years:
                continue
            target_year = max(years)
            for c, _ in values:
                if c["target"] and c["year"]:
                    target_year = c["year"]
            target = DraftTarget(year=target_year, line=i + 1, **subject)
            baselines = []
            for c, value in values:
                if c["year"] == target_year:
                    target.goals.extend(self._cell_goals(value, c["measure"]))
                elif c["year"]:
                    baselines.append((c["year"], c["measure"], value))
            if baselines:
                latest = max(y for y, _, _ in baselines)
                target.baseline_year = latest
                for year, measure, value in baselines:
                    if year != latest:
                        continue
                    number = _number(value)
                    if measure == "rank" and number is not None:
                        target.baseline_rank = int(number)
                        target.baseline_out_of = out_of(year)
                    elif measure == "score" and number is not None:
                        target.baseline_score = number
            if not target.goals:
                continue
            base_text = ", ".join(f"{v} ({y})" for y, _, v in sorted(baselines))
            goal_text = ", ".join(v for c, v in values if c["year"] == target_year)
            target.text = (
                f"{label} — {base_text} → {goal_text} ({target_year})"
                if base_text
                else f"{label} → {goal_text} ({target_year})"
            )
            targets.append(target)
        return targets

    def _cell_goals(self, value, measure):
        f = fold(value).replace(",", ".")
        n = _number(value)
        goals = self._goals(value)
        if goals:
            return goals
        if n is None:
            return []
        if measure == "rank":
            return [Goal(kind="rank_lte", value=int(n))]
        if measure == "score":
            return [
                Goal(kind="score_gt" if value.strip().startswith(">") and "≥" not in value else "score_gte", value=n)
            ]
        return [] if not f else []

    def _subject(self, text, year):
        """What a target is about: {"index": "PCI"} | {"subindex": n} | {"subindices": [..]}."""
        f = fold(text)
        numbers = re.findall(r"\b(?:cstp|chi so thanh phan)\s*(?:so\s*)?(\d{1,2})\b", f)
        many = re.search(r"\b(?:cac )?(?:cstp|chi so thanh phan)\s*((?:\d{1,2}\s*(?:,|va)\s*)+\d{1,2})\b", f)
        if many:
            return {"subindices": [int(x) for x in re.findall(r"\d{1,2}", many.group(1))]}
        if numbers:
            return {"subindex": int(numbers[0])}
        by_name = self.dir.subindex_by_name(text, year)
        if by_name:
            return {"subindex": by_name}
        if re.search(r"\bpci\b|nang luc canh tranh cap tinh", f):
            return {"index": "PCI", "subindex": None}
        return None

    def sentence_targets(self, text, i):
        """Targets written as a sentence; a "trong đó" starts the part about another (sub-)index."""
        d = self.draft
        start = d.period_start
        targets = []
        baseline = re.search(r"so với năm\s+(\d{4})", text)
        baseline_year = int(baseline.group(1)) if baseline else (start - 1 if start else None)
        segments = []
        for part in re.split(r",?\s*trong đó,?\s*", text):
            # Several years in one sentence ("năm 2024 … nhóm Tốt, năm 2025 tăng 3 bậc"): a part per year.
            years = {y for y in re.findall(r"năm\s+(\d{4})", part) if int(y) != baseline_year}
            if len(years) > 1:
                pieces = re.split(r",?\s*(?=năm\s+\d{4}\b)", part)
                merged = []
                for piece in pieces:
                    mentioned = re.match(r"năm\s+(\d{4})", piece)
                    if merged and (not mentioned or int(mentioned.group(1)) == baseline_year):
                        merged[-1] += " " + piece
                    else:
                        merged.append(piece)
                segments += merged
            else:
                segments.append(part)
        previous_subject = None
        for seg in segments:
            years = [int(y) for y in re.findall(r"năm\s+(\d{4})", seg)]
            year_hint = next((y for y in years if not baseline or y != baseline_year), None)
            subject = self._subject(seg, year_hint or start) or previous_subject
            if subject is None:
                continue
            previous_subject = subject
            goals = self._goals(seg)
            increase = bool(re.search(r"tăng dần qua các năm", seg, re.I))
            if not goals and not increase:
                continue
            if goals and subject.get("subindices"):
                need = self._min_count(seg, len(subject["subindices"]))
                for g in goals:
                    g.min_count = need
            if goals:
                year = year_hint or d.period_end
                targets.append(
                    DraftTarget(year=year, baseline_year=baseline_year, goals=goals, text=text, line=i + 1, **subject)
                )
            if increase:
                targets.append(
                    DraftTarget(
                        year=year_hint or start,
                        baseline_year=baseline_year,
                        goals=[Goal(kind="increase")],
                        text=text,
                        line=i + 1,
                        **subject,
                    )
                )
        return targets

    def _min_count(self, text, size):
        """How many members of a group must meet its goals: "3 trong 5 chỉ số thành phần (…)", "3/5 CSTP",
        "ít nhất 03 chỉ số …"; None (every member) when the text gives no number below the group's size."""
        f = plain(text)
        m = re.search(
            r"\b(\d{1,2})(?: ?/ ?\d{1,2}| (?:trong|tren) (?:so )?\d{1,2}| trong so)? (?:cac )?(?:chi so|cstp)\b", f
        )
        if m and 1 <= int(m.group(1)) < size:
            return int(m.group(1))
        return None

    def _goals(self, text):
        f = plain(text)
        f = re.sub(r"(\d),(\d)", r"\1.\2", f)
        goals = []
        for m in re.finditer(r"\btren (\d+(?:\.\d+)?) diem\b", f):
            goals.append(Goal(kind="score_gt", value=float(m.group(1))))
        for m in re.finditer(r"\btu (\d+(?:\.\d+)?) (?:diem )?tro len\b|(?:≥|>=)\s*(\d+(?:\.\d+)?)", f):
            goals.append(Goal(kind="score_gte", value=float(m.group(1) or m.group(2))))
        for m in re.finditer(r"\btang (\d+(?:\.\d+)?) diem\b", f):
            goals.append(Goal(kind="score_up_by", value=float(m.group(1))))
        band = None
        for m in re.finditer(
            r"\b(?:top|tu|khoang|trong) (\d{1,2}) ?(?:-|den) ?(\d{1,2}) ?(?:/ ?(\d{2})|tren (\d{2}))?", f
        ):
            band = Goal(
                kind="rank_band",
                low=int(m.group(1)),
                high=int(m.group(2)),
                out_of=int(m.group(3) or m.group(4) or 0) or None,
            )
            goals.append(band)
        for m in re.finditer(r"\btop (\d{1,2})\b(?! ?(?:-|den) ?\d)", f):
            goals.append(Goal(kind="rank_lte", value=int(m.group(1))))
        for m in re.finditer(r"(?:≤|<=)\s*(\d{1,2})\b", f):
            goals.append(Goal(kind="rank_lte", value=int(m.group(1))))
        for m in re.finditer(r"\b(\d{1,2}) ?/ ?(\d{1,2}) (?:tinh )?(?:trong |cua )?vung\b", f):
            # The region's name as written ("vùng Duyên hải miền Trung"), not folded.
            named = re.search(r"vùng\s+([^,.;()]+)", text, re.I)
            region = re.split(r"\s+(?:năm|trở|để|so với|trong)\b", named.group(1))[0].strip() if named else ""
            goals.append(Goal(kind="top_in_region", value=int(m.group(1)), region_size=int(m.group(2)), region=region))
        for m in re.finditer(r"\btang (\d{1,2}) (?:bac|hang|vi tri|bac xep hang)\b", f):
            goals.append(Goal(kind="rank_up_by", value=int(m.group(1))))
        if re.search(r"\b(giu|duy tri) (vung |vung chac )?(vi tri|thu hang|xep hang)", f):
            goals.append(Goal(kind="keep_rank"))
        tier = re.search(
            r"\bnhom (?:dia phuong |tinh |tinh, thanh pho )?(?:co chat luong dieu hanh )?(?:tren cua nhom )?"
            r"(rat tot|tuong doi thap|trung binh|tot|kha|thap)\b",
            f,
        )
        if tier:
            goals.append(Goal(kind="tier", tier=tier.group(1).replace(" ", "_")))
        rank_goals = {"rank_lte", "rank_band", "rank_up_by", "keep_rank", "top_in_region"}
        if not any(g.kind in rank_goals for g in goals) and re.search(
            r"\b(nang|cai thien|tang) (vi tri|thu hang|thu bac|xep hang)", f
        ):
            goals.append(Goal(kind="rank_improve"))
        # Order as a reader lists them: scores, then ranks, then the tier.
        order = [
            "score_gt",
            "score_gte",
            "score_up_by",
            "rank_band",
            "rank_lte",
            "rank_up_by",
            "rank_improve",
            "keep_rank",
            "top_in_region",
            "tier",
        ]
        goals.sort(key=lambda g: order.index(g.kind))
        return goals

    # --- appendix tables of tasks ("STT | Nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian | Sản phẩm") ---

    APPENDIX_COLUMNS = [
        ("number", r"^(stt|tt|so tt|so thu tu)$"),
        ("task", r"nhiem vu|noi dung|ten nhiem vu|giai phap|hoat dong"),
        ("lead", r"chu tri|thuc hien|don vi thuc hien|co quan chu tri"),
        ("coordinating", r"phoi hop"),
        ("time", r"thoi gian|thoi han|tien do"),
        ("product", r"san pham|ket qua"),
        ("leader", r"lanh dao"),
    ]

    def _appendix_header(self, cells):
        """{column name: index} when `cells` is an appendix header row (its words, in any order), else None."""
        found = {}
        for col, cell in enumerate(cells):
            f = fold(cell)
            for name, pattern in self.APPENDIX_COLUMNS:
                if name not in found and f and re.search(pattern, f):
                    found[name] = col
                    break
        if "task" in found and ("lead" in found or "coordinating" in found or "time" in found):
            return found
        return None

    def appendix_tables(self, section_title=None):
        """Rows of every appendix table become tasks of a section of their own."""
        tables = {}
        for i, b in enumerate(self.blocks):
            if b.is_row and self.draft.lines[i].use == "unused":
                tables.setdefault(b.table, []).append(i)
        for rows in tables.values():
            header_at, columns = None, None
            for n, i in enumerate(rows[:5]):
                columns = self._appendix_header(self.blocks[i].cells)
                if columns:
                    header_at = n
                    break
            if columns is None:
                continue
            self.use(rows[header_at], "appendix header")
            title = section_title or self._title_before(rows[0]) or "Phụ lục: nhiệm vụ"
            root = DraftSection(
                number=f"PL{len([s for s in self.draft.sections if s.number.startswith('PL')]) + 1}",
                title=title,
                line=rows[0] + 1,
            )
            self.draft.sections.append(root)
            current = root
            for i in rows[header_at + 1 :]:
                cells = self.blocks[i].cells

                def cell(name, cells=cells, columns=columns):
                    col = columns.get(name)
                    return cells[col].strip() if col is not None and col < len(cells) else ""

                number, text = cell("number"), cell("task")
                if not text:
                    self.use(i, "", "unused")
                    continue
                if re.fullmatch(r"[IVX]+|[A-ZĐ]|[a-zđ]", number or "") or (
                    not number and not cell("lead") and not cell("time")
                ):
                    current = DraftSection(
                        number=f"{root.number}.{number}" if number else root.number, title=_strip_end(text), line=i + 1
                    )
                    root.children.append(current)
                    self.use(i, "section")
                    continue
                task = DraftTask(description=text, lines=[i + 1], product=cell("product"))
                if cell("lead"):
                    task._lead_text = re.sub(r"\s+ch[ủỉ] trì\.?$", "", cell("lead")).strip(" .")
                task.coordinating_text = cell("coordinating")
                if cell("time"):
                    self._timeframe(task, cell("time"))
                if cell("leader"):
                    task.leader = self.dir.find_person(
                        re.sub(r"^(Đồng chí|Đ/c)\s+", "", cell("leader")).split(" - ")[0].strip()
                    )
                task._section_stack = [root, current] if current is not root else [root]
                current.tasks.append(task)
                self.use(i, "task")

    def _title_before(self, index):
        for j in range(index - 1, max(index - 4, -1), -1):
            b = self.blocks[j]
            if not b.is_row and b.text.strip():
                if self.draft.lines[j].use == "unused" or re.match(r"^PHỤ LỤC|^Phụ lục", b.text):
                    self.use(j, "section")
                    return _strip_end(b.text)
                return None
        return None

    def parse_appendix_only(self):
        """An Excel appendix: tasks only; the plan's fields come from the review page (or the plan it joins)."""
        self.choose_scope()
        self.draft.title = ""
        self.appendix_tables(section_title="Nhiệm vụ theo phụ lục")
        if not self.draft.all_tasks():
            raise ImportRefused(
                "Không thấy bảng nhiệm vụ trong tệp Excel: cần một dòng tiêu đề có các cột như "
                "“STT | Nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn thành”."
            )
        self.finish()
        return self.draft

    # --- tasks ----------------------------------------------------------------------------------

    def find_part_assignments(self, parts):
        """ "X chủ trì … (thực hiện) các nội dung tại Mục II": X leads Part II's tasks, the issuer's own units
        named with it coordinate them."""
        for _numeral, _heading, first, last in parts:
            for i in range(first, last):
                text = re.sub(r"^([a-zđ]\)|\d+\.|[-*+])\s*", "", self.blocks[i].text)
                m = re.search(r"\b(?:tại|theo)\s+Mục\s+([IVX]+)\b", text)
                lead = re.match(r"^(?:Giao\s+)?(.+?)\s+ch[ủỉ] trì\b(.*)$", text)
                if m and lead:
                    found = self.dir.find_units(lead.group(1), issuer=self.issuer)
                    if not found or not found[0][0].code:
                        continue
                    lead_code = found[0][0].code
                    coordinating = self._expand(
                        self.dir.find_units(lead.group(2), issuer=self.issuer), internal_only=True
                    )
                    self.part_leads[m.group(1)] = (lead_code, [c for c in coordinating if c != lead_code])
                    self.use(i, "lead units of Part " + m.group(1))

    def task_part(self, numeral, heading, first, last):
        section = DraftSection(number=numeral, title=_strip_end(heading), line=first + 1)
        self.use(first, "section")
        self.draft.sections.append(section)
        self.table_targets(first, last)
        self._part_numeral = numeral
        stack = [(0, section)]  # (level, section)
        current_task = None
        pending = []  # tasks waiting for their "* Đơn vị thực hiện …" block
        defaults = []  # attributes written above a section's bullets
        in_attributes = False
        rules_context = None
        i = first + 1
        while i < last:
            block = self.blocks[i]
            text = block.text
            if self.draft.lines[i].use != "unused" or block.is_row:
                if block.is_row:
                    i += 1
                    continue
                i += 1
                continue
            head = self._heading(text)
            star = STAR.match(text)
            attr = ATTRIBUTE.match(star.group(1) if star else text)
            if attr:
                if pending or not in_attributes and current_task is not None:
                    self._attribute(attr.group(1), attr.group(2), pending, i)
                else:
                    # Written above the bullets it governs: it applies to the section's tasks below.
                    defaults.append((attr.group(1), attr.group(2), i))
                    self.use(i, "task attributes")
                in_attributes = True
                current_task = None
                i += 1
                continue
            if in_attributes:
                pending = []
                in_attributes = False
            if head:
                level, number, title = head
                nxt = self.blocks[i + 1].text if i + 1 < last else ""
                as_paragraph = (
                    not title.rstrip().endswith(":")
                    and len(title) > 150
                    and not (self._heading(nxt) and self._heading(nxt)[0] > level)
                )
                if not as_paragraph:
                    while stack and stack[-1][0] >= level:
                        stack.pop()
                    parent = stack[-1][1]
                    child = DraftSection(
                        number=self._number(parent, number, level), title=_strip_end(title), line=i + 1
                    )
                    parent.children.append(child)
                    stack.append((level, child))
                    self.use(i, "section")
                    current_task, pending, rules_context, defaults = None, [], None, []
                    i += 1
                    continue
                text = title  # a numbered paragraph that is a task of its own
            bullet = BULLET.match(text)
            plus = PLUS.match(text)
            if plus and current_task is not None:
                current_task.description += "\n" + text
                current_task.lines.append(i + 1)
                self.use(i, "task")
                self._rule_in(text, i, stack[-1][1], rules_context)
                i += 1
                continue
            body = bullet.group(2) if bullet else (star.group(1) if star else text)
            if re.match(r"^Định kỳ\b.*báo cáo|^Chế độ báo cáo", body) or (
                body.rstrip().endswith(":") and re.search(r"báo cáo", body)
            ):
                rules_context = (i, body)
                self.use(i, "reporting rules")
                i += 1
                continue
            if rules_context is not None and DATE_IN_TEXT.search(body):
                self._rule_in(body, i, stack[-1][1], rules_context, whole=True)
                i += 1
                continue
            # A sentence that only says who reports by when ("Các phòng, ban báo cáo … trước ngày 15 tháng 11 …").
            duty = re.search(r"\b[Bb]áo cáo\b", body)
            if (
                re.match(r"^(Báo cáo|Trước ngày|Chậm nhất)\b", body) or (duty and duty.start() <= 40)
            ) and DATE_IN_TEXT.search(body):
                self._rule_in(body, i, stack[-1][1], None, whole=True)
                i += 1
                continue
            task = DraftTask(description=body, lines=[i + 1])
            stack[-1][1].tasks.append(task)
            task._section_stack = [s for _, s in stack]
            current_task = task
            pending.append(task)
            for name, value, line in defaults:
                self._attribute(name, value, [task], line)
            self.use(i, "task")
            self._rule_in(body, i, stack[-1][1], rules_context, task_text=True)
            i += 1

    def _heading(self, text):
        for level, pattern in ((2, ARABIC2), (1, ARABIC), (3, LETTER)):
            m = pattern.match(text)
            if m:
                return level, m.group(1), m.group(2)
        return None

    def _number(self, parent, number, level):
        if level == 3:
            return f"{parent.number}.{number}"
        if level == 2:
            return f"{self._part_numeral}.{number}"
        return f"{self._part_numeral}.{number}"

    def _attribute(self, name, value, pending, i):
        f = fold(name)
        value = value.strip()
        for task in pending:
            task.lines.append(i + 1)
            if re.search(r"thuc hien|chu tri", f) and "thoi gian" not in f:
                task._lead_text = re.sub(r"\s+ch[ủỉ] trì\.?$", "", value).strip(" .")
            elif "phoi hop" in f:
                task.coordinating_text = value
            elif f.startswith("lanh dao"):
                m = re.match(r"^(?:Đồng chí|Đ/c|Ông|Bà)?\s*(.+?)\s*[-–]\s*(.+?)\.?$", value)
                name_text = m.group(1) if m else value.rstrip(".")
                task.leader = self.dir.find_person(name_text.strip())
                if m:
                    task.leader.title = task.leader.title or m.group(2).strip()
            elif f.startswith("thoi gian") or f.startswith("thoi han"):
                self._timeframe(task, value)
            elif f.startswith("san pham"):
                task.product = value
        self.use(i, "task attributes")

    def _timeframe(self, task, value):
        text = _strip_end(value)
        task.timeframe_text = text
        f = fold(text)
        year = re.search(r"\b(20\d\d)\b", f)
        date = re.search(r"(\d{1,2})/(\d{1,2})/(20\d\d)", text)
        quarter = re.search(r"\bquy (i{1,3}|iv|[1-4])\b(?: ?(?:nam )?(20\d\d))?", f)
        half = re.search(r"\b(?:6|06|sau) thang (dau|cuoi) nam(?: (20\d\d))?\b", f)
        if half and (half.group(2) or year) and not re.search(r"\b(hang|moi) nam\b|dinh ky", f):
            # "6 tháng đầu năm 2025": once, by the end of that half year.
            y = int(half.group(2) or year.group(1))
            task.timeframe, task.due = "once", _iso(30, 6, y) if half.group(1) == "dau" else _iso(31, 12, y)
        elif re.search(r"\b(hang|moi) thang\b|\bdinh ky (hang )?thang\b", f):
            task.timeframe = "monthly"
        elif re.search(r"\b(?:6|06|sau) thang\b|\bnua nam\b|\bhang nua nam\b", f):
            # "định kỳ 6 tháng", "6 tháng một lần", "6 tháng và hằng năm": the shorter period.
            task.timeframe = "half_yearly"
        elif re.search(r"\b(hang|moi) nam\b", f):
            task.timeframe = "annual"
        elif re.search(r"\b(hang|moi) quy\b|\bdinh ky (hang )?quy\b", f):
            task.timeframe = "quarterly"
        elif date:
            task.timeframe, task.due = "once", _iso(*date.groups())
        elif quarter and (quarter.group(2) or year):
            q = {"i": 1, "ii": 2, "iii": 3, "iv": 4}.get(quarter.group(1), None) or int(quarter.group(1))
            y = int(quarter.group(2) or year.group(1))
            month = q * 3
            day = 31 if month in (3, 12) else 30
            task.timeframe, task.due = "once", _iso(day, month, y)
        elif re.search(r"\b(20\d\d) ?(-|den) ?(20\d\d)\b", f) or re.search(r"thuong xuyen|lien tuc", f):
            task.timeframe = "regular"
        elif m := re.search(r"\bthang (\d{1,2}) ?(?:/|nam) ?(20\d\d)\b", f):
            month, y = int(m.group(1)), int(m.group(2))
            import calendar

            task.timeframe, task.due = "once", _iso(calendar.monthrange(y, month)[1], month, y)
        elif year:
            task.timeframe, task.due = "once", _iso(31, 12, year.group(1))
        else:
            task.timeframe = "regular"

    # --- reporting duties -------------------------------------------------------------------------

    def _rule_in(self, text, i, section, context, *, whole=False, task_text=False):
        """A reporting duty in `text` ("… trước ngày 15 tháng 11 gửi Văn phòng Ban"), as a rule."""
        m = DATE_IN_TEXT.search(text)
        if not m or not re.search(r"báo cáo|gửi", text, re.I):
            return
        day, month = int(m.group(1)), int(m.group(2) or m.group(3))
        rule = DraftRule(day=day, month=month, text=text.strip(), line=i + 1)
        rule._section = section
        rule._context = context[1] if context else ""
        rule._date_at = m.start()
        self.pending_rules.append(rule)
        if whole:
            self.use(i, "reporting rule")

    def _finish_rules(self):
        d = self.draft
        top = self.dir.by_code.get(self.dir.scope) if self.dir.scope else None
        for rule in self.pending_rules:
            text, context = rule.text, rule._context
            before, after = text[: rule._date_at], text[rule._date_at :]
            # Whom it goes to: "gửi (về) X", else "báo cáo X" where X is a unit.
            to = None
            for source in (after, context, before):
                g = re.search(r"gửi\s+(?:về\s+)?(.+?)(?:\s+tổng hợp|[,;.(]|$)", source)
                if g:
                    found = self.dir.find_units(g.group(1), issuer=self.issuer)
                    if found and found[0][0].code:
                        to = found[0][0]
                        break
            if to is None:
                g = re.search(
                    r"báo cáo\s+(UBND tỉnh|Ủy ban nhân dân tỉnh|[A-ZĐ][^,;.]*?)\s+(?:kết quả|tình hình)", text
                )
                if g and top and re.match(r"(UBND|Ủy ban nhân dân) tỉnh$", g.group(1)):
                    to = self.dir.ref(top.code, text=g.group(1), confidence=0.9)
                elif g:
                    found = self.dir.find_units(g.group(1), issuer=self.issuer)
                    to = found[0][0] if found else None
            rule.to = to
            # What is sent.
            g = re.search(r"gửi\s+(.+?)(?:\s+và\s+.*)?[.;]?$", after)
            if g and not self.dir.find_units(g.group(1), issuer=self.issuer, fuzzy=False):
                title = g.group(1)
            else:
                reports = [mm.start() for mm in re.finditer(r"[Bb]áo cáo", before)]
                title = before[reports[-1] :] if reports else before
            title = _cap(_strip_end(title))
            if re.search(r"kết quả thực hiện$", title):
                title += " Kế hoạch"
            rule.title = title
            f = fold(title)
            to_top = to is not None and top is not None and to.code == top.code
            if re.search(r"\b(6|06|sau) thang\b", f):
                rule.kind = "six_month"
            elif f.startswith("ke hoach"):
                rule.kind = "year_plan"
            elif to_top:
                rule.kind = "focal_to_province"
            elif re.search(r"\bnam$", f):
                rule.kind = "annual"
            else:
                rule.kind = "unit_to_focal"
            # Who reports: the section's subject, else the issuer's units.
            subject = self._section_subject(rule._section)
            if to_top and subject and subject.code:
                rule.from_units = [subject.code]
            elif subject and subject.children_of:
                rule.from_children_of = subject.children_of
            elif subject and subject.code and not to_top:
                rule.from_units = [subject.code]
            else:
                rule.from_children_of = self.issuer
            d.reporting_rules.append(rule)
        for rule in d.reporting_rules:
            for attr in ("_section", "_context", "_date_at"):
                rule.__dict__.pop(attr, None)
        if d.focal_unit is None:
            for rule in d.reporting_rules:
                if rule.kind != "focal_to_province" and rule.to and rule.to.code:
                    d.focal_unit = UnitRef(**vars(rule.to))
                    break

    def _section_subject(self, section):
        """The unit a section is about when its title names one ("1. Văn phòng Ban", "Các phòng … thuộc Ban")."""
        if section is None:
            return None
        title = section.title
        found = self.dir.find_units(title, issuer=self.issuer, fuzzy=False)
        if not found:
            return None
        ref, start = found[0]
        # The title must be the unit's name, not a sentence mentioning it.
        if start > 8 or len(fold(title)) > len(fold(ref.text)) + 60:
            return None
        return ref

    # --- after reading: units, leaders, sub-indices -----------------------------------------------

    def _expand(self, found, internal_only=False):
        codes = []
        for ref, _ in found:
            if ref.children_of:
                codes += [u.code for u in self.dir.children(ref.children_of)]
            elif ref.code:
                if internal_only:
                    unit = self.dir.by_code.get(ref.code)
                    if not (self.issuer and unit and unit.path.startswith(self.dir.by_code[self.issuer].path)):
                        continue
                codes.append(ref.code)
        out = []
        for c in codes:
            if c not in out:
                out.append(c)
        return out

    def _assign(self, task):
        d = self.draft
        stack = getattr(task, "_section_stack", [])
        lead, coordinating, explicit = None, [], False
        confidence = 1.0
        lead_text = getattr(task, "_lead_text", "")
        if lead_text:
            ref = self.dir.match_unit(lead_text, issuer=self.issuer)
            lead, confidence = ref.code, ref.confidence
            if not lead:
                task.lead = ref
        if task.coordinating_text:
            explicit = True
            found = self.dir.find_units(task.coordinating_text, issuer=self.issuer, enterprises=True)
            coordinating = self._expand(found)
            unmatched = self._unmatched_names(task.coordinating_text, found)
            task.coordinating = [self.dir.ref(c, confidence=1.0) for c in coordinating]
            task.coordinating += [UnitRef(text=n) for n in unmatched]
        text = task.description
        m = re.search(r"(?:^|[;.]\s|Giao\s+)(.{3,120}?)\s+ch[ủỉ] trì,?\s+(?:phối hợp)", text)
        if lead is None and m:
            found = self.dir.find_units(m.group(1), issuer=self.issuer)
            if found and found[0][0].code and found[0][0].code != self.issuer:
                lead, confidence = found[0][0].code, found[0][0].confidence
        if lead is None:
            # A task whose sentence starts with a unit ("Văn phòng HĐND và UBND huyện công khai …"): it leads.
            found = self.dir.find_units(text[:160], issuer=self.issuer, fuzzy=False)
            if found and found[0][1] <= 2 and found[0][0].code and found[0][0].code != self.issuer:
                unit = self.dir.by_code.get(found[0][0].code)
                if unit and unit.kind not in ("group", "enterprise"):
                    lead, confidence = unit.code, 0.8
        base = []
        if lead is None:
            for section in reversed(stack):
                if re.search(r"nhiệm vụ đầu mối", section.title, re.I) and d.focal_unit and d.focal_unit.code:
                    lead = d.focal_unit.code
                    break
                subject = self._section_subject(section) if section is not stack[0] else None
                if subject and subject.children_of:
                    lead = subject.children_of
                    base = [u.code for u in self.dir.children(subject.children_of)]
                    break
                if subject and subject.code:
                    lead = subject.code
                    break
        if lead is None and stack and stack[0].number in self.part_leads:
            lead, base = self.part_leads[stack[0].number]
        if lead is None:
            lead, confidence = self.issuer, 0.6
        if not explicit:
            coordinating = list(base)
            bare = CITATION.sub(" ", text)  # "Quyết định … của UBND tỉnh về … phối hợp …" names no coordinator
            # The clause after "phối hợp (với)" / "với": a list of bodies may run on past a ";" in lower case.
            ends = r"(?=\.|;\s*[" + UPPER + r"]|\s+(?:trong việc|nhằm|để)\s|$)"
            for clause in re.finditer(r"(?:[Pp]hối hợp|[Vv]ới)\s+(.+?)" + ends, bare):
                coordinating += self._expand(self.dir.find_units(clause.group(1), issuer=self.issuer, fuzzy=False))
            for ref in d.relies_on:
                if ref.issuer and ref.issuer.code and any(str(ln) for ln in task.lines) and ref.line in task.lines:
                    coordinating.append(ref.issuer.code)
            task.coordinating = [self.dir.ref(c, confidence=0.9) for c in dict.fromkeys(coordinating) if c != lead]
        else:
            task.coordinating = [r for r in task.coordinating if r.code != lead]
        if task.lead is None:
            task.lead = self.dir.ref(lead, text=lead_text, confidence=confidence) if lead else UnitRef(text=lead_text)
        if task.leader is None and re.match(r"^Lãnh đạo\s+(Ban|Sở|UBND)", text) and self.issuer:
            signer = d.signer
            head = self.dir.head_of(self.issuer)
            if head:
                task.leader = PersonRef(
                    text="Lãnh đạo", name=head.full_name, title=head.title, key=head.key, confidence=0.7
                )
            elif signer:
                task.leader = PersonRef(**vars(signer))
        task.title = _short_title(task.description)

    def _unmatched_names(self, text, found):
        """Names in a list of units that matched nothing, for the reviewer to map or create."""
        folded_found = [fold(r.text) for r, _ in found]
        out = []
        starts = r"(?:Phòng|Sở|Ban|UBND|Ủy ban|Trung tâm|Văn phòng|Thanh tra|Doanh nghiệp|Các|Chi cục|Cục)\b"
        for part in re.split(r"[;,]|\s+và\s+(?=" + starts + ")", _strip_end(text)):
            p = fold(part)
            if len(p) < 4 or any(p in f or f in p for f in folded_found):
                continue
            if re.match(r"^(cac )?(phong|ban|don vi|thi xa|tp|huyen|nganh|so|trung tam)\b", p) and len(p.split()) <= 2:
                continue
            out.append(part.strip())
        return out

    def _regions(self):
        """ "x/14 trong vùng …": the region named, of the editions of the target's year; with no name, the region
        of the document's province in that edition. A region of another size than written is flagged."""
        top = self.dir.by_code.get(self.dir.scope) if self.dir.scope else None
        province = top.province if top else ""
        for target in self.draft.targets:
            for goal in target.goals:
                if goal.kind != "top_in_region":
                    continue
                region = self.dir.region_for(goal.region, target.year, province)
                if region is None:
                    self.draft.warnings.append(
                        f"Không xác định được vùng “{goal.region or '(không ghi tên)'}” "
                        f"của mục tiêu năm {target.year}: hãy chọn vùng."
                    )
                    continue
                goal.region_code = region.code
                if goal.region_size and region.size and goal.region_size != region.size:
                    self.draft.warnings.append(
                        f"Vùng {region.name} năm {target.year} có {region.size} tỉnh, văn bản ghi "
                        f"{goal.value}/{goal.region_size}: hãy kiểm tra."
                    )

    def finish(self):
        d = self.draft
        self._regions()
        self._finish_rules()
        for task in d.all_tasks():
            self._assign(task)
        # Coordinating rows of relied-on plans: the issuers of the plans a task cites.
        for task in d.all_tasks():
            for ref in d.relies_on:
                if ref.line in task.lines and ref.issuer and ref.issuer.code:
                    if all(c.code != ref.issuer.code for c in task.coordinating) and ref.issuer.code != task.lead.code:
                        task.coordinating.append(self.dir.ref(ref.issuer.code, confidence=0.9))

        # Drop sections that hold no task at any depth (a part that only carried targets).
        def prune(sections):
            kept = []
            for s in sections:
                s.children = prune(s.children)
                if s.tasks or s.children:
                    kept.append(s)
            return kept

        d.sections = prune(d.sections)
        subindices = []
        for t in d.targets:
            for n in ([t.subindex] if t.subindex else []) + list(t.subindices):
                if n not in subindices:
                    subindices.append(n)
        subindices.sort()

        def spread(sections, inherited):
            for s in sections:
                s.subindices = list(subindices)
                own = []
                for n in subindices:
                    # The indicators the plan measures against: those valid in its baseline year.
                    baseline = (d.period_start - 1) if d.period_start else None
                    own += self.dir.indicator_group(s.title, n, baseline)
                spread(s.children, own or inherited)
                # A section whose sub-sections all serve indicators serves all of theirs.
                if s.children and all(child.indicators for child in s.children):
                    own = [c for child in s.children for c in child.indicators]
                s.indicators = list(dict.fromkeys(own))
                for task in s.tasks:
                    task.subindices = list(subindices)
                    task.indicators = list(s.indicators or [])

        spread(d.sections, [])
        for task in d.all_tasks():
            task.__dict__.pop("_section_stack", None)
            task.__dict__.pop("_lead_text", None)
        if not d.all_tasks():
            d.warnings.append(
                "Không nhận ra nhiệm vụ nào: hãy kiểm tra các mục, gạch đầu dòng, hoặc thêm nhiệm vụ sau khi lưu."
            )
        for ref in d.unit_refs():
            if not ref.code and not ref.children_of and ref.text:
                d.warnings.append(f"Chưa khớp đơn vị “{ref.text}”: hãy chọn đơn vị có sẵn hoặc tạo mới.")
        d.warnings = list(dict.fromkeys(d.warnings))


def plain(text):
    """Lower case without diacritics, punctuation kept (for reading figures: "20-30/63", "5,8")."""
    import unicodedata

    text = unicodedata.normalize("NFD", text or "")
    text = "".join(c for c in text if unicodedata.category(c) != "Mn").replace("đ", "d").replace("Đ", "D")
    return re.sub(r"\s+", " ", re.sub(r"[“”\"]", " ", text.lower()))


def _number(value):
    m = re.search(r"(\d+(?:[.,]\d+)?)", value or "")
    if not m:
        return None
    n = float(m.group(1).replace(",", "."))
    return int(n) if n.is_integer() and "," not in m.group(1) and "." not in m.group(1) else n


def _short_title(text, limit=120):
    from django.utils.text import Truncator

    first = re.split(r";|\.\s|:\s|\n", text.strip())[0].strip().rstrip(".;:")
    return Truncator(first or text).chars(limit)
