"""/sitemap.xml lists the public pages with when they last changed, read back with an XML
parser; /robots.txt keeps crawlers out of logged-in users' pages and names the sitemap."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

from lxml import etree
from sqlmodel import Session

from pressroom.core.clock import now
from tests import factories

BASE = "https://hopbao.chinhphu.example"
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _sitemap(client: Any) -> dict[str, str | None]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/xml; charset=utf-8"
    root = etree.fromstring(response.content)
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    return {url.findtext("s:loc", namespaces=SITEMAP): url.findtext("s:lastmod", namespaces=SITEMAP)
            for url in root.findall("s:url", SITEMAP)}


def _w3c(value: Any) -> str:
    return value.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_sitemap_lists_public_pages_only_with_their_last_change(
        client: Any, session: Session, configure: Any) -> None:
    configure(base_url=BASE + "/")
    case = factories.Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry)
    draft = factories.conference(session, case.spokesperson, case.ministry, announce=False)
    item, answer = case.published_answer()
    _pending, unpublished = case.submitted_answer()
    _later, scheduled = case.published_answer(publish_at=now() + timedelta(days=1))
    session.commit()

    pages = _sitemap(client)

    assert list(pages) == [f"{BASE}/", f"{BASE}/conferences", f"{BASE}/conferences/{conference.id}",
                           f"{BASE}/answers", f"{BASE}/answers/{answer.id}"]
    assert pages[f"{BASE}/answers/{answer.id}"] == _w3c(item.published_at)
    assert pages[f"{BASE}/answers"] == _w3c(item.published_at)
    # Announced (its event is recorded a moment after announced_at is set).
    assert pages[f"{BASE}/conferences/{conference.id}"] in {
        _w3c(conference.announced_at), _w3c(conference.announced_at + timedelta(seconds=1))}
    assert f"{BASE}/conferences/{draft.id}" not in pages
    assert f"{BASE}/answers/{unpublished.id}" not in pages
    assert f"{BASE}/answers/{scheduled.id}" not in pages


def test_sitemap_of_an_empty_site_lists_the_three_pages(client: Any, configure: Any) -> None:
    configure(base_url=BASE)

    assert _sitemap(client) == {f"{BASE}/": None, f"{BASE}/conferences": None,
                                f"{BASE}/answers": None}


def test_robots_txt_keeps_crawlers_to_public_pages_and_names_the_sitemap(
        client: Any, configure: Any) -> None:
    configure(base_url=BASE)

    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == (
        "User-agent: *\n"
        "Allow: /api/docs\n"
        "Disallow: /staff\n"
        "Disallow: /admin\n"
        "Disallow: /my\n"
        "Disallow: /unit\n"
        "Disallow: /notifications\n"
        "Disallow: /api\n"
        "Allow: /\n"
        "\n"
        f"Sitemap: {BASE}/sitemap.xml\n")
