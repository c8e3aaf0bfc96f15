"""An empty list says so, and speaks of filters only when the reader has set one."""

import pytest
from django.urls import reverse

from pci_portal.history import tracked_models
from tests.html import select, text

pytestmark = pytest.mark.django_db


def _empty_row(page):
    """The text of a list's only row, or of its only item, when it is empty."""
    found = select(page, '//tbody/tr[td[@colspan]] | //ul/li[contains(@class, "list-group-item text-muted")]')
    assert found, "no empty-list row"
    return text(found[0])


@pytest.mark.parametrize(
    ("who", "url", "unfiltered", "query", "filtered"),
    [
        ("alice", "plans:my_tasks", "Chưa có nhiệm vụ nào.", "?q=xyz", "Không có nhiệm vụ nào khớp điều kiện lọc."),
        ("alice", "plans:plan_list", "Chưa có kế hoạch nào.", "?q=xyz", "Không có kế hoạch nào khớp bộ lọc."),
        ("admin", "audit_log", "Chưa có thay đổi nào được ghi lại.", "?user=xyz", "Không có thay đổi nào khớp bộ lọc."),
        ("alice", "notifications:list", "Chưa có thông báo nào.", "?unread=1", "Không có thông báo chưa đọc."),
    ],
)
def test_an_empty_list_speaks_of_filters_only_when_one_is_set(client, people, who, url, unfiltered, query, filtered):
    for _model, historical in tracked_models():
        historical.objects.all().delete()  # an audit trail with nothing in it yet
    client.force_login(people[who])
    page = client.get(reverse(url))
    assert page.status_code == 200
    assert _empty_row(page) == unfiltered and "lọc" not in unfiltered
    assert _empty_row(client.get(reverse(url) + query)) == filtered


def test_the_reports_page_of_a_unit_without_deadlines_says_so(client, people):
    client.force_login(people["bob"])
    assert _empty_row(client.get(reverse("reporting:my_reports"))) == "Đơn vị không có kỳ báo cáo nào."


def test_an_empty_people_list_speaks_of_the_filter_set(client, people):
    client.force_login(people["admin"])
    assert _empty_row(client.get(reverse("people:user_list") + "?q=không-ai")) == (
        "Không có người dùng nào khớp bộ lọc."
    )
