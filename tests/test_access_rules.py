"""Every route declares exactly one access rule (ARCHITECTURE.md §5), and every HTML form
POST checks the CSRF token."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from pressroom.core.deps import _check_csrf
from pressroom.main import create_app
from pressroom.routers import API_MODULES, BEACON_ROUTERS, PAGE_MODULES, STREAM_ROUTERS

# Routes of the app itself: the OpenAPI schema and its documentation page, public on purpose.
FRAMEWORK_PUBLIC = {"/api/v1/openapi.json", "/api/docs"}


def _calls(dependant: Dependant) -> Iterator[object]:
    for dep in dependant.dependencies:
        yield dep.call
        yield from _calls(dep)


def _rules(route: APIRoute) -> list[str]:
    return [call.access_rule for call in _calls(route.dependant)
            if hasattr(call, "access_rule")]


def _routes() -> list[tuple[str, APIRoute]]:
    routes = []
    for module in PAGE_MODULES + API_MODULES:
        for route in module.router.routes:
            assert isinstance(route, APIRoute), route
            routes.append((module.__name__, route))
    for streams in STREAM_ROUTERS:
        routes += [("streams", route) for route in streams.routes if isinstance(route, APIRoute)]
    for beacons in BEACON_ROUTERS:
        routes += [("beacons", route) for route in beacons.routes if isinstance(route, APIRoute)]
    return routes


def test_every_route_has_exactly_one_access_rule() -> None:
    missing = [f"{name} {sorted(r.methods)} {r.path}: {_rules(r)}" for name, r in _routes()
               if len(set(_rules(r))) != 1]
    assert missing == []


# The one page POST without a CSRF check: RFC 8058 one-click unsubscribe, which mail clients
# POST with no cookie and no token (the signed token in the path proves the recipient; the
# worst a forged post does is stop alerts). tests/alerts/test_pages.py checks it.
CSRF_EXEMPT = {"pressroom.alerts.pages /alerts/unsubscribe/{token}"}


def test_every_form_post_checks_csrf() -> None:
    unchecked = {
        f"{name} {r.path}" for name, r in _routes()
        if name.endswith(".pages") and "POST" in r.methods
        and _check_csrf not in list(_calls(r.dependant))
    }
    assert unchecked == CSRF_EXEMPT


def test_the_app_serves_no_route_outside_the_routers() -> None:
    app = create_app(pdf_worker=False)
    top_level = {getattr(route, "path", None) for route in app.router.routes}
    top_level.discard(None)  # the included routers
    assert top_level == FRAMEWORK_PUBLIC | {"/static"}


def test_rules_cover_the_pages_of_the_path() -> None:
    rules = {(r.path, m): _rules(r)[0] for _n, r in _routes() for m in r.methods}
    assert rules[("/staff/questions/{question_id}/approve", "POST")] == "questions.screen"
    assert rules[("/my/questions/new", "POST")] == "questions.submit"
    assert rules[("/answers/{answer_id}", "GET")] == "public"
    for feed in ("/feed.atom", "/organizations/{organization_id}/feed.atom",
                 "/conferences/{conference_id}/feed.atom", "/search/feed.atom", "/sitemap.xml",
                 "/robots.txt"):
        assert rules[(feed, "GET")] == "public"
    assert rules[("/unit/questions/{question_id}/answer", "POST")] == "answers.draft"
    for directory in ("/organizations", "/organizations/{organization_id}", "/spokespersons",
                      "/outlets", "/outlets/{outlet_id}"):
        assert rules[(directory, "GET")] == "public"
    assert rules[("/staff/units", "GET")] == "questions.screen"
    for follow in ("/organizations/{organization_id}/follow", "/conferences/{conference_id}/follow",
                   "/search/follow", "/alerts/confirm/{token}", "/alerts/unsubscribe/{token}"):
        assert rules[(follow, "POST")] == "public"
    assert rules[("/staff/reach", "GET")] == "reach.view"
    assert rules[("/staff/reach.csv", "GET")] == "reach.view"
    assert rules[("/reach/hit", "POST")] == "public"
