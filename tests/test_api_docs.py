"""The API documentation page (/api/docs) loads Swagger UI from the site itself: no CDN, no
inline script, and a CSP that names no other site."""

from __future__ import annotations

from typing import Any

import lxml.html

ASSETS = {
    "/static/swagger-ui/swagger-ui-bundle.js": "text/javascript",
    "/static/js/api-docs.js": "text/javascript",
    "/static/swagger-ui/swagger-ui.css": "text/css",
}


def test_docs_page_loads_its_scripts_and_styles_from_the_site(client: Any) -> None:
    response = client.get("/api/docs")

    assert response.status_code == 200
    tree = lxml.html.fromstring(response.text)
    scripts = tree.xpath("//script")
    assert [s.get("src") for s in scripts] == ["/static/swagger-ui/swagger-ui-bundle.js",
                                               "/static/js/api-docs.js"]
    assert all(not (s.text or "").strip() for s in scripts)
    assert tree.xpath("//link[@rel='stylesheet']/@href") == ["/static/swagger-ui/swagger-ui.css"]
    assert tree.xpath("//link[@rel='icon']/@href") == ["data:,"]  # no request for one
    assert tree.xpath("//*[@id='swagger-ui']/@data-openapi-url") == ["/api/v1/openapi.json"]
    for path, kind in ASSETS.items():
        asset = client.get(path)
        assert asset.status_code == 200, path
        assert asset.headers["content-type"].startswith(kind), path


def test_docs_page_csp_allows_only_this_site(client: Any) -> None:
    csp = client.get("/api/docs").headers["content-security-policy"]

    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["connect-src"] == "'self'"
    assert "http" not in csp


def test_docs_page_is_titled_after_the_portal(client: Any, configure: Any) -> None:
    configure(portal_name="Cổng Thông tin Họp báo Chính phủ")

    tree = lxml.html.fromstring(client.get("/api/docs").text)

    assert tree.findtext(".//title") == "API – Cổng Thông tin Họp báo Chính phủ"


def test_the_api_is_named_after_the_portal_and_agency_not_the_software(configure: Any) -> None:
    from pressroom.main import create_app

    configure(portal_name="Cổng Thông tin Họp báo Chính phủ",
              agency_name="Văn phòng Chính phủ")
    named = create_app(pdf_worker=False).openapi()["info"]
    configure(portal_name="", agency_name="")
    unnamed = create_app(pdf_worker=False).openapi()["info"]

    assert named["title"] == "Cổng Thông tin Họp báo Chính phủ API"
    assert named["description"] == ("Press conferences, journalists' questions and official "
                                    "answers of Văn phòng Chính phủ.")
    assert unnamed["title"] == "Press office API"
    assert "Pressroom" not in str(named) + str(unnamed)
