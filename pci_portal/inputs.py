"""Bad input gets a Vietnamese message, never a 500: the one home of what text, numbers and dates may be.

- `clean_text(value)`: control characters removed (tab and line breaks kept), NFC. They come from pasted
  PDFs and Word files and break the Excel and Word reports, the calendar and PostgreSQL (NUL).
- Every form's text is cleaned at input: `install()` (PortalConfig.ready) gives django.forms.CharField —
  hence every ModelForm, admin form and filter — a `to_python` that cleans the text and refuses more than
  TEXT_MAX_CHARS characters when the field sets no smaller maximum; and django.forms.DateField a year
  bound (DATE_MIN_YEAR–DATE_MAX_YEAR), so no date ever reaches date arithmetic that overflows.
- Query strings: `CleanInputMiddleware` cleans request.GET the same way, and answers 404 to a path
  holding a control character (such a URL is never one the portal made).
- `int_param` / `decimal_param`: a query-string number or None (never a ValueError, never an integer the
  database cannot hold).
"""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.http import Http404, QueryDict
from django.utils.translation import gettext_lazy as _

# C0 controls but tab, LF, CR; DEL; C1 controls; and the two non-characters XML refuses.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# Largest value a 64-bit integer column holds (PostgreSQL bigint, SQLite INTEGER).
MAX_ID = 2**63 - 1

YEAR_MIN = 2000
YEAR_MAX = 2100


def clean_text(value):
    """`value` without control characters, in NFC (Vietnamese typed with combining marks becomes one form)."""
    if not isinstance(value, str):
        return value
    if CONTROL.search(value):
        value = CONTROL.sub("", value)
    return unicodedata.normalize("NFC", value)


def xml_safe(value):
    """Text an XML writer (openpyxl, python-docx, icalendar) accepts: never raises on stored data."""
    if value is None:
        return ""
    text = str(value)
    # Lone surrogates cannot be encoded in UTF-8 either.
    text = text.encode("utf-8", "replace").decode("utf-8")
    return CONTROL.sub("", text)


def xml_safe_data(data):
    """`data` (dicts, lists, tuples, str, anything else) with every string made `xml_safe`."""
    if isinstance(data, str):
        return xml_safe(data)
    if isinstance(data, dict):
        return {k: xml_safe_data(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        values = [xml_safe_data(v) for v in data]
        return type(data)(*values) if hasattr(data, "_fields") else type(data)(values)
    return data


def int_param(value, default=None, *, low=0, high=MAX_ID):
    """An integer written in ASCII digits (optionally signed) within [low, high]; otherwise `default`."""
    text = str(value or "").strip()
    if not re.fullmatch(r"-?[0-9]{1,19}", text):
        return default
    number = int(text)
    return number if low <= number <= high else default


def decimal_param(value, default=None, *, low=None, high=None):
    """A finite decimal (comma or point) within [low, high]; otherwise `default`."""
    text = str(value or "").strip().replace(",", ".")
    if not text or len(text) > 40:
        return default
    try:
        number = Decimal(text)
    except InvalidOperation:
        return default
    if not number.is_finite() or (low is not None and number < low) or (high is not None and number > high):
        return default
    return number


def year_errors(instance, *names):
    """{field name: error} for each named year field of `instance` that is set outside YEAR_MIN–YEAR_MAX.

    The one home of the year bounds of every model (plans, targets, results): a model's clean() that gathers
    errors of its own adds these; one that has none calls check_years().
    A plan in year 0 or 10000 breaks every date built from it (and 9999 generated 24,000 deadlines).
    """
    from django.core.exceptions import ValidationError

    errors = {}
    for name in names:
        value = getattr(instance, name)
        if value is not None and not (YEAR_MIN <= value <= YEAR_MAX):
            errors[name] = ValidationError(
                _("Năm phải trong khoảng %(low)d–%(high)d."), code="year", params={"low": YEAR_MIN, "high": YEAR_MAX}
            )
    return errors


def check_years(instance, *names):
    """For a model's clean(): raises the year_errors() of the named fields, if any."""
    from django.core.exceptions import ValidationError

    if errors := year_errors(instance, *names):
        raise ValidationError(errors)


def bound_year_fields(form, *names):
    """The form's year fields refuse (and the browser's number input knows) years outside YEAR_MIN–YEAR_MAX."""
    from django.core.validators import MaxValueValidator, MinValueValidator

    for name in names:
        field = form.fields.get(name)
        if field is None:
            continue
        field.min_value, field.max_value = YEAR_MIN, YEAR_MAX
        field.validators += [MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)]
        field.widget.attrs.update({"min": YEAR_MIN, "max": YEAR_MAX})


class CleanInputMiddleware:
    """Query strings without control characters; a path with one is a 404 (Vietnamese page); a 405 with a body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if CONTROL.search(request.path_info):
            raise Http404(_("Không tìm thấy trang."))
        spoiled = any(CONTROL.search(k) or any(CONTROL.search(v) for v in vs) for k, vs in request.GET.lists())
        if spoiled:
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(clean_text(key), [clean_text(v) for v in values])
            cleaned._mutable = False
            request.GET = cleaned
        response = self.get_response(request)
        if response.status_code == 405 and not response.content and not getattr(response, "streaming", False):
            # require_POST & co. answer an empty body: say in Vietnamese what happened.
            from django.template import loader

            response.content = loader.render_to_string("405.html", request=request)
            response["Content-Type"] = "text/html; charset=utf-8"
        return response


def install():
    """Clean text and bound dates in every Django form field (see the module docstring). Idempotent."""
    from django import forms
    from django.core.exceptions import ValidationError

    if getattr(forms.CharField, "_portal_clean", False):
        return
    char_to_python = forms.CharField.to_python
    date_to_python = forms.DateField.to_python

    def text_to_python(self, value):
        value = char_to_python(self, clean_text(value) if isinstance(value, str) else value)
        limit = getattr(settings, "TEXT_MAX_CHARS", 20_000)
        if isinstance(value, str) and self.max_length is None and len(value) > limit:
            raise ValidationError(
                _("Nội dung dài %(length)d ký tự; tối đa %(max)d ký tự."),
                code="max_length",
                params={"length": len(value), "max": limit},
            )
        return value

    def bounded_date(self, value):
        value = date_to_python(self, value)
        low, high = getattr(settings, "DATE_MIN_YEAR", 1900), getattr(settings, "DATE_MAX_YEAR", YEAR_MAX)
        if value is not None and not (low <= value.year <= high):
            raise ValidationError(
                _("Năm %(year)d không hợp lệ: ngày phải trong khoảng năm %(low)d–%(high)d."),
                code="invalid",
                params={"year": value.year, "low": low, "high": high},
            )
        return value

    forms.CharField.to_python = text_to_python
    forms.CharField._portal_clean = True
    forms.DateField.to_python = bounded_date
