"""Error pages speak Vietnamese inside the portal's layout."""

import pytest

pytestmark = pytest.mark.django_db


def test_forbidden_page_is_vietnamese_with_the_navigation(client, people):
    client.force_login(people["alice"])
    response = client.get("/dashboard/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Không có quyền truy cập" in page and "Việc của tôi" in page


def test_missing_page_is_vietnamese(client, people):
    client.force_login(people["alice"])
    response = client.get("/tasks/999999/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()
