"""WeasyPrint reads only the portal's own static files: an external or file:// URL in content is not fetched."""

import http.server
import subprocess
import threading

import pytest
from django.conf import settings

from pci_portal.pdf import local_static_file, url_fetcher


@pytest.fixture
def web_server():
    """An HTTP server on loopback that records every request it gets."""
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.requests = requests
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()


def render(html, base_url=None):
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url, url_fetcher=url_fetcher()).write_pdf()


def test_an_external_url_in_content_is_not_requested(web_server):
    pdf = render(
        f'<p>Báo cáo</p><img src="{web_server.url}/tracking.png">'
        f'<link rel="stylesheet" href="{web_server.url}/x.css">'
        f'<div style="background: url({web_server.url}/bg.png)">x</div>'
    )
    assert pdf.startswith(b"%PDF")
    assert web_server.requests == []


def test_a_file_url_outside_the_static_folders_is_not_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("mật khẩu cơ sở dữ liệu")
    html = f'<object data="{secret.as_uri()}"></object><p>Báo cáo</p><img src="file:///etc/passwd">'
    pdf = render(html)
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "mật khẩu" not in text and "root:" not in text
    assert local_static_file(secret.as_uri()) is None
    assert local_static_file("file:///etc/passwd") is None
    traversal = (settings.BASE_DIR / "static" / ".." / "manage.py").as_uri()
    assert local_static_file(traversal) is None


def test_the_portal_static_files_are_read_from_disk_without_a_request(web_server):
    font = settings.BASE_DIR / "static" / "fonts" / "LiberationSerif-Regular.ttf"
    assert local_static_file(font.as_uri()) == font.resolve()
    assert local_static_file(f"{web_server.url}/static/fonts/LiberationSerif-Regular.ttf") == font.resolve()
    css = f"@font-face {{ font-family: X; src: url('{web_server.url}/static/fonts/LiberationSerif-Regular.ttf') }}"
    pdf = render(f"<style>{css} p {{ font-family: X }}</style><p>Tiếng Việt có dấu</p>", base_url=web_server.url)
    fonts = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True).stdout.decode()
    assert web_server.requests == []  # read from static/, not over HTTP
    assert "+X " in fonts and "TrueType" in fonts  # the font X was loaded and embedded
