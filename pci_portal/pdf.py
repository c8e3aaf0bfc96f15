"""WeasyPrint may read only the portal's own static files: no network, no other file on the machine.

Report and dashboard PDFs are built from text people typed. Should any of it ever reach the HTML as markup
(an <img>, a CSS url()), WeasyPrint's default fetcher would request any URL (a server-side request from inside
the network) and read any file:// path. `StaticOnlyURLFetcher` maps /static/… URLs (on any host, never
requested over the network) and file:// URLs inside the static folders to the local file, allows data: URIs,
and refuses everything else; WeasyPrint then leaves the resource out and logs a warning.
"""

from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint.urls import URLFetcher


def static_roots():
    roots = [Path(settings.STATIC_ROOT)]
    roots += [Path(entry[1] if isinstance(entry, tuple | list) else entry) for entry in settings.STATICFILES_DIRS]
    return [root.resolve() for root in roots]


def _inside_static(path):
    path = Path(path).resolve()
    return path.is_file() and any(path.is_relative_to(root) for root in static_roots())


def local_static_file(url):
    """The local path a URL stands for, if it is one of the portal's static files; else None."""
    parts = urlsplit(url)
    if parts.scheme == "file":
        path = Path(unquote(parts.path))
        return path.resolve() if _inside_static(path) else None
    if parts.scheme in ("http", "https") and parts.path.startswith(settings.STATIC_URL):
        relative = unquote(parts.path[len(settings.STATIC_URL) :])
        for candidate in (Path(settings.STATIC_ROOT) / relative, finders.find(relative)):
            if candidate and _inside_static(candidate):
                return Path(candidate).resolve()
    return None


class StaticOnlyURLFetcher(URLFetcher):
    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = local_static_file(url)
        if path is None:
            raise ValueError(f"not one of the portal's static files, not fetched: {url[:200]}")
        return super().fetch(path.as_uri(), headers)


def url_fetcher():
    return StaticOnlyURLFetcher(allowed_protocols=("file", "data"), allow_redirects=False)
