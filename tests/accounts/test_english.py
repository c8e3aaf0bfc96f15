"""English, the second language: a person who chose it reads the portal's pages in English, dates as dd/mm/yyyy."""

import datetime

import pytest
from django.urls import reverse

from tests.html import parse, text

pytestmark = pytest.mark.django_db


def test_an_english_speaker_reads_their_tasks_in_english_with_vietnamese_dates(client, people, task):
    task.due_date = datetime.date(2025, 3, 10)
    task.save()
    client.force_login(people["alice"])
    client.post(reverse("set_language"), {"language": "en", "next": reverse("plans:my_tasks")})
    page = parse(client.get(reverse("plans:my_tasks")))
    assert page.get("lang") == "en"
    assert text(page.xpath("//h1")[0]) == "My tasks"
    words = text(page)
    assert "Hello, Nguyễn Thị Alice" in words and "Log out" in words
    assert "Not started" in words and "Chưa thực hiện" not in words
    assert "10/03/2025" in words  # dates stay day/month/year
    assert task.title in words  # what people wrote is not translated
