"""Small things a person notices: the favicon, "— Chọn —" in drop-downs."""

import importlib
import pkgutil

import pytest
from django import forms
from django.apps import apps
from django.contrib.staticfiles import finders
from django.urls import reverse

from pci_portal.forms import PortalFormMixin
from tests.html import select, text

pytestmark = pytest.mark.django_db

APPS = ["accounts", "indicators", "plans", "reporting", "notifications", "dashboard"]


def _all_portal_forms():
    for label in APPS:
        package = apps.get_app_config(label).module
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{package.__name__}."):
            if ".migrations" not in info.name and ".management" not in info.name:
                importlib.import_module(info.name)
    seen, todo = set(), [forms.BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return [f for f in seen if f.__module__.split(".")[0] in APPS]


def test_every_form_of_the_portal_says_choose_instead_of_dashes():
    found = _all_portal_forms()
    assert len(found) > 25  # the walk reached the apps' forms
    assert [f"{f.__module__}.{f.__name__}" for f in found if not issubclass(f, PortalFormMixin)] == []


def _options(page, select_name):
    return [text(o) for o in select(page, f'//select[@name="{select_name}"]/option')]


def test_the_task_editor_user_and_unit_forms_offer_choose(client, people, plan, task):
    client.force_login(people["admin"])
    task_page = client.get(reverse("plans:task_edit", args=[task.pk]))
    assert _options(task_page, "leader")[0] == "— Chọn —"  # a ModelChoiceField
    user_page = client.get(reverse("people:user_create"))
    assert _options(user_page, "unit")[0] == "— Chọn —"
    unit_page = client.get(reverse("people:unit_create"))
    assert _options(unit_page, "kind")[0] == "— Chọn —"  # a model field with choices
    for page in (task_page, user_page, unit_page):
        assert "---------" not in page.content.decode()


def test_a_field_added_in_a_forms_init_is_relabelled_too(db):
    from indicators.forms import ResultForm
    from tests.factories import ResultFactory

    form = ResultForm(instance=ResultFactory(subindex=None, score="65.5", rank=20))
    assert str(form["tier"]).count("— Chọn —") == 1 and "---------" not in str(form["tier"])


def test_every_page_links_the_favicon_and_it_is_served(client, people):
    client.force_login(people["alice"])
    page = client.get(reverse("plans:my_tasks"))
    icons = [link.get("href") for link in select(page, '//head/link[@rel="icon"]')]
    assert icons == ["/static/img/favicon.svg", "/static/img/favicon.ico"]
    assert finders.find("img/favicon.svg") and finders.find("img/favicon.ico")
    redirect = client.get("/favicon.ico")
    assert redirect.status_code == 301 and redirect["Location"] == "/static/img/favicon.ico"
    client.logout()
    for url in (reverse("login"), reverse("admin:login")):  # the portal's login page and the admin's
        assert select(client.get(url), '//head/link[@rel="icon"]'), url
