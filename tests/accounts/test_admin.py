"""The Django admin covers every model, in Vietnamese, with search and filters that work."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

APPS = ["accounts", "indicators", "plans", "reporting", "notifications", "dashboard"]


def _inline_models():
    return {inline.model for model_admin in admin.site._registry.values() for inline in model_admin.inlines}


def test_every_model_is_in_the_admin_or_edited_inline():
    models = [m for label in APPS for m in apps.get_app_config(label).get_models()]
    missing = [m.__name__ for m in models if m not in admin.site._registry and m not in _inline_models()]
    assert missing == []


def test_every_changelist_opens_in_vietnamese_with_search_and_filters(client, people):
    client.force_login(people["admin"])
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in APPS:
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        query = "?q=a" if model_admin.search_fields else ""
        response = client.get(url + query)
        assert response.status_code == 200, url
        title = response.content.decode().split("<title>")[1].split("</title>")[0]
        assert title.startswith("Chọn ") and ("để thay đổi" in title or "để xem" in title), title


def test_a_plans_admin_page_edits_its_reporting_rules_inline(client, people, plan):
    from tests.factories import ReportingRuleFactory

    rule = ReportingRuleFactory(plan=plan, title="Báo cáo sáu tháng gửi Văn phòng")
    client.force_login(people["admin"])
    response = client.get(reverse("admin:plans_plan_change", args=[plan.pk]))
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][-1].formset
    assert formset.model.__name__ == "ReportingRule" and [f.instance for f in formset.forms[:1]] == [rule]
    assert 'value="Báo cáo sáu tháng gửi Văn phòng"' in response.content.decode()
