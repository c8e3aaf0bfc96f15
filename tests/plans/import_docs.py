"""Documents for the importer tests, made from text: the seeds as .docx and as a text PDF, and plans we write.

A line with tabs is a table row; **bold** and *italic* become runs (as a document exported to text shows them).
"""

import html
import io
import re
from pathlib import Path

DATA = Path(__file__).resolve().parent / "import_data"
SEEDS = {"tth": DATA / "000_1fcfd154bb69bc0f.txt", "qng": DATA / "003_42f3f8bbc46cdd49.txt"}
FONTS = Path(__file__).resolve().parents[2] / "static" / "fonts"

_RUNS = re.compile(r"(\*\*.+?\*\*|(?<![\w*])\*(?!\s)[^*\n]+?(?<!\s)\*(?![\w*]))")


def _runs(line):
    """(text, bold, italic) pieces of a line with markdown emphasis."""
    out = []
    for piece in _RUNS.split(line):
        if not piece:
            continue
        if piece.startswith("**") and piece.endswith("**") and len(piece) > 4:
            out.append((piece[2:-2], True, False))
        elif piece.startswith("*") and piece.endswith("*") and len(piece) > 2 and not piece.startswith("* "):
            out.append((piece[1:-1], False, True))
        else:
            out.append((piece, False, False))
    return out


def _groups(text):
    """('p', line) and ('table', [rows]) in order."""
    groups = []
    for line in text.splitlines():
        if "\t" in line and line.strip():
            if groups and groups[-1][0] == "table":
                groups[-1][1].append(line.split("\t"))
            else:
                groups.append(("table", [line.split("\t")]))
        elif line.strip():
            groups.append(("p", line.strip()))
    return groups


def to_docx(text, header_table=None):
    """A .docx of the text; `header_table` (rows of cells) is put first, as NĐ30 documents lay out their header."""
    import docx

    document = docx.Document()
    if header_table:
        table = document.add_table(rows=len(header_table), cols=len(header_table[0]))
        for r, row in enumerate(header_table):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
    for kind, value in _groups(text):
        if kind == "p":
            paragraph = document.add_paragraph()
            for piece, bold, italic in _runs(value):
                run = paragraph.add_run(piece)
                run.bold, run.italic = bold or None, italic or None
        else:
            width = max(len(r) for r in value)
            table = document.add_table(rows=len(value), cols=width)
            for r, row in enumerate(value):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell.strip()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


NUMBERING_LEVELS = [("upperRoman", "%1."), ("decimal", "%2."), ("lowerLetter", "%3)"), ("bullet", "-"), ("bullet", "+")]


def to_numbered_docx(text, restart_at=()):
    """A .docx whose lists are numbered by Word, not typed: a line "#2 Tổ chức …" is a paragraph of list
    level 2 (I. / 1. / a) / - / +), its number kept in the numbering part (w:numPr → w:abstractNum) only.
    A line index in `restart_at` starts a new list instance (w:num with w:startOverride 1 at its level)."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    root = document.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{lvl_text}"/></w:lvl>'
        for i, (fmt, lvl_text) in enumerate(NUMBERING_LEVELS)
    )
    abstract = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{levels}</w:abstractNum>')
    first_num = root.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        root.append(abstract)
    root.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    num_id = 90
    for n, line in enumerate(text.splitlines()):
        if not line.strip():
            continue
        paragraph = document.add_paragraph()
        m = re.match(r"^#(\d) (.*)$", line)
        if not m:
            paragraph.add_run(line.strip())
            continue
        level, body = int(m.group(1)), m.group(2)
        if n in restart_at:
            num_id += 1
            root.append(
                parse_xml(
                    f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="90"/>'
                    f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
                )
            )
        ppr = paragraph._p.get_or_add_pPr()
        ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))
        paragraph.add_run(body)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def to_html(text):
    parts = []
    for kind, value in _groups(text):
        if kind == "p":
            body = "".join(
                f"<b>{html.escape(p)}</b>" if b else f"<i>{html.escape(p)}</i>" if i else html.escape(p)
                for p, b, i in _runs(value)
            )
            parts.append(f"<p>{body}</p>")
        else:
            rows = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in value)
            parts.append(f"<table>{rows}</table>")
    face = "font-family: 'Liberation Serif';"
    style = f"""
    @font-face {{ {face} src: url('file://{FONTS}/LiberationSerif-Regular.ttf'); }}
    @font-face {{ {face} font-weight: bold; src: url('file://{FONTS}/LiberationSerif-Bold.ttf'); }}
    @font-face {{ {face} font-style: italic; src: url('file://{FONTS}/LiberationSerif-Italic.ttf'); }}
    @page {{ size: A4; margin: 20mm 15mm 20mm 30mm; }}
    body {{ font-family: 'Liberation Serif'; font-size: 13pt; }}
    p {{ margin: 0 0 6pt 0; text-align: justify; }}
    table {{ border-collapse: collapse; margin: 6pt 0; }}
    td {{ border: 1px solid #000; padding: 2pt 6pt; }}
    """
    return f"<html><head><meta charset='utf-8'><style>{style}</style></head><body>{''.join(parts)}</body></html>"


def to_pdf(text):
    """A text PDF of the text, as WeasyPrint lays it out (A4, Liberation Serif 13 pt)."""
    from weasyprint import HTML

    return HTML(string=to_html(text), base_url=str(FONTS)).write_pdf()


def seed_text(name):
    return SEEDS[name].read_text(encoding="utf-8")


def seed_file(name, fmt):
    text = seed_text(name)
    data = {"txt": lambda: text.encode("utf-8"), "docx": lambda: to_docx(text), "pdf": lambda: to_pdf(text)}[fmt]()
    return data, f"{SEEDS[name].stem}.{fmt}"
