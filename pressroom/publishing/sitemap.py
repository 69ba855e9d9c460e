"""The sitemap (sitemaps.org protocol 0.9) of the public pages and robots.txt, which names it.

The caller lists the pages through the public queries; this module writes them with the
standard library's XML writer (every value escaped by it, never joined by hand).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from xml.etree.ElementTree import Element, SubElement, indent, tostring

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_URLS = 50_000
"""The protocol's limit for one sitemap file; beyond it the oldest pages are left out."""

PRIVATE_PREFIXES = ("/staff", "/admin", "/my", "/unit", "/notifications", "/api")
"""Where the pages of logged-in users (and the API) live: not for search engines."""
PUBLIC_UNDER_PRIVATE = ("/api/docs",)


def build_sitemap(pages: Sequence[tuple[str, datetime | None]]) -> bytes:
    """``pages``: absolute address and when it last changed (None: unknown)."""
    root = Element("urlset", xmlns=NAMESPACE)
    for loc, lastmod in pages[:MAX_URLS]:
        url = SubElement(root, "url")
        SubElement(url, "loc").text = loc
        if lastmod is not None:
            stamp = lastmod.astimezone(UTC).replace(microsecond=0)
            SubElement(url, "lastmod").text = stamp.isoformat().replace("+00:00", "Z")
    indent(root)
    return bytes(tostring(root, encoding="utf-8", xml_declaration=True))


def robots_txt(sitemap_url: str) -> str:
    """robots.txt (RFC 9309): public pages allowed, logged-in users' pages and the API not
    (its documentation page is public), and where the sitemap is."""
    lines = ["User-agent: *", *(f"Allow: {path}" for path in PUBLIC_UNDER_PRIVATE),
             *(f"Disallow: {prefix}" for prefix in PRIVATE_PREFIXES), "Allow: /", "",
             f"Sitemap: {sitemap_url}", ""]
    return "\n".join(lines)
