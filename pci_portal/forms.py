"""What every form of the portal shares: the blank choice of a drop-down reads "— Chọn —".

Django writes "---------" for the blank choice of a ModelChoiceField (`empty_label`) and of a model field
with choices (`BLANK_CHOICE_DASH`). Every form of the portal mixes in `PortalFormMixin` (a test walks them
all), which relabels that choice when a field is rendered, so fields a form adds in its own `__init__` are
covered as well. django-filter's filter forms say "Tất cả" instead (their own `empty_label`).
"""

from django import forms
from django.db.models.fields import BLANK_CHOICE_DASH
from django.utils.translation import gettext_lazy as _

CHOOSE = _("— Chọn —")
DJANGO_BLANK = BLANK_CHOICE_DASH[0][1]  # "---------"


def choose_label(field):
    """Put "— Chọn —" where Django's blank choice "---------" would show in `field`'s drop-down."""
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == DJANGO_BLANK:  # None for required radios and multiple choices: nothing to show
            field.empty_label = CHOOSE
    elif isinstance(field, forms.ChoiceField):
        choices = list(field.choices)
        if any(value == "" and label == DJANGO_BLANK for value, label in choices):
            field.choices = [(v, CHOOSE if v == "" and label == DJANGO_BLANK else label) for v, label in choices]


class PortalFormMixin:
    """Mixed into every form of the portal (before forms.Form / forms.ModelForm)."""

    def __getitem__(self, name):
        # Every way of rendering a field (templates, crispy, iteration) asks for its BoundField here.
        choose_label(self.fields[name])
        return super().__getitem__(name)
