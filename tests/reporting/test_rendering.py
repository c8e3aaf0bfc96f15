"""Rendering runs as a Celery task with visible progress; every version stays downloadable."""

import subprocess

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from reporting import services
from reporting.models import RenderedReport

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(deadline, unit_tasks, org, heads, people):
    with time_machine.travel(at(2025, 11, 12), tick=False):
        sub = services.start_submission(deadline, org["qltm"])
        services.save_draft(sub, heads["bob"], {"summary": "Hoàn thành các nhiệm vụ về xúc tiến thương mại."})
        services.accept_report(services.submit_report(sub, heads["bob"]), people["carol"])
    return sub


def test_consolidating_renders_in_the_background_and_keeps_versions(
    client, eager, deadline, accepted, people, django_capture_on_commit_callbacks
):
    client.force_login(people["carol"])
    url = reverse("reporting:render_consolidated", args=[deadline.pk])
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"format": "pdf"}, headers={"HX-Request": "true"})
        assert response.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"format": "xlsx"})
    renders = RenderedReport.objects.filter(deadline=deadline, submission=None).order_by("format", "version")
    assert [(r.format, r.version, r.status, r.progress) for r in renders] == [
        ("pdf", 1, "done", 100),
        ("pdf", 2, "done", 100),
        ("xlsx", 1, "done", 100),
    ]
    page = client.get(reverse("reporting:tracker", args=[deadline.pk])).content.decode()
    for r in renders:
        assert reverse("reporting:rendered_download", args=[r.pk]) in page
    download = client.get(reverse("reporting:rendered_download", args=[renders[0].pk]))
    assert download["Content-Type"] == "application/pdf"
    assert "bao-cao-tong-hop-20251115-v1.pdf" in download["Content-Disposition"]
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=b"".join(download.streaming_content), capture_output=True, check=True
    ).stdout.decode()
    assert "Hoàn thành các nhiệm vụ về xúc tiến thương mại." in text


def test_pending_render_polls_every_second_with_a_progress_bar(client, deadline, accepted, people):
    rendered = RenderedReport.objects.create(deadline=deadline, format="docx", version=1, progress=40, status="running")
    client.force_login(people["carol"])
    html = client.get(reverse("reporting:rendered_progress", args=[rendered.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert 'role="progressbar"' in html and 'aria-valuenow="40"' in html
    RenderedReport.objects.filter(pk=rendered.pk).update(status="failed", error="OSError: đĩa đầy")
    html = client.get(reverse("reporting:rendered_progress", args=[rendered.pk])).content.decode()
    assert "hx-trigger" not in html and "đĩa đầy" in html


def test_a_render_claimed_twice_runs_once(eager, deadline, accepted):
    from reporting.tasks import run_render

    rendered = RenderedReport.objects.create(deadline=deadline, format="xlsx", version=1)
    assert run_render(rendered.pk).status == "done"
    assert run_render(rendered.pk) is None


def test_unit_export_is_downloadable_by_the_unit_but_the_consolidated_one_is_not(
    client, eager, deadline, accepted, org, heads, people, django_capture_on_commit_callbacks
):
    client.force_login(heads["bob"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reporting:render_unit", args=[deadline.pk, org["qltm"].pk]), {"format": "docx"})
    unit_file = RenderedReport.objects.get(submission=accepted)
    assert unit_file.status == "done"
    assert client.get(reverse("reporting:rendered_download", args=[unit_file.pk])).status_code == 200
    consolidated = services.request_render(deadline, "pdf", by=people["carol"])
    assert client.get(reverse("reporting:rendered_download", args=[consolidated.pk])).status_code == 404
    client.force_login(heads["hung"])
    assert client.get(reverse("reporting:rendered_download", args=[unit_file.pk])).status_code == 404


def test_command_lists_deadlines_id_first(deadline, capsys):
    call_command("render_report", "--list")
    lines = capsys.readouterr().out.splitlines()
    assert lines and lines[0].split("\t")[0] == str(deadline.pk)
    assert "15/11/2025" in lines[0]


@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "docx"])
def test_command_writes_the_consolidated_report(deadline, accepted, org, fmt, tmp_path):
    out = tmp_path / f"bc.{fmt}"
    call_command("render_report", "--deadline", str(deadline.pk), "--format", fmt, "--output", str(out))
    if fmt == "pdf":
        text = " ".join(subprocess.run(["pdftotext", out, "-"], capture_output=True, text=True).stdout.split())
        assert "Hoàn thành các nhiệm vụ về xúc tiến thương mại." in text
        assert "Phòng Quản lý Xuất nhập khẩu Chưa báo cáo" in text
    elif fmt == "xlsx":
        from openpyxl import load_workbook

        summary = load_workbook(out)["Tổng hợp"]
        states = {row[1].value: row[2].value for row in summary.iter_rows()}
        assert "chưa báo cáo" in states["Phòng Quản lý Xuất nhập khẩu"]
    else:
        import docx

        assert any("Chưa báo cáo" in p.text for p in docx.Document(out).paragraphs)


def test_command_refuses_an_unknown_deadline(db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Không có hạn báo cáo"):
        call_command("render_report", "--deadline", "999999", "--format", "pdf", "--output", str(tmp_path / "x.pdf"))
