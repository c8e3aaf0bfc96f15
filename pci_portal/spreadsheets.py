"""User text in spreadsheets and CSV files stays text.

A cell whose text starts with "=", "+", "-" or "@" (or a tab or carriage return before one) is read as a formula
by Excel, LibreOffice and Google Sheets: a task title typed as `=HYPERLINK("http://…","Bấm vào đây")` would
become a live link, `=cmd|' /C calc'!A0` worse (CSV or formula injection, OWASP). Every export that writes text a
person typed goes through here: `.xlsx` cells are typed as strings (and marked "quote prefix", so Excel keeps
them text when edited) with the text unchanged; CSV has no types, so such a field gets a leading apostrophe,
which spreadsheets show as text and never evaluate.
"""

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value):
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_field(value):
    """A CSV field that no spreadsheet evaluates: "'=1+1" for "=1+1", anything else as it is."""
    return "'" + value if looks_like_formula(value) else value


def text_cell(cell, value):
    """Write `value` into an openpyxl cell; text is stored as a string, never as a formula."""
    cell.value = value
    if isinstance(value, str) and value:
        cell.data_type = "s"
        if looks_like_formula(value):
            cell.quotePrefix = True
    return cell
