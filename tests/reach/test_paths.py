"""The addresses the log import counts are the public routes' own."""

from __future__ import annotations

from fastapi.routing import APIRoute

from pressroom.publishing import pages as publishing_pages
from pressroom.reach.enums import ReachKind
from pressroom.reach.paths import PATTERNS, Target, target_of


def test_every_counted_address_is_a_public_get_route() -> None:
    routes = {(route.path, method) for route in publishing_pages.router.routes
              if isinstance(route, APIRoute) for method in route.methods}

    assert {(path, "GET") for path, *_rest in PATTERNS} <= routes


def test_request_targets_are_read_as_the_server_decodes_them() -> None:
    assert target_of("/answers/12?utm_source=b%C3%A1o-%C4%91i%E1%BB%87n-t%E1%BB%AD") == Target(
        ReachKind.ANSWER, 12, False)
    assert target_of("/answers/%31%32/pdf") == Target(ReachKind.ANSWER, 12, True)
    assert target_of("/answers/12/versions/3/pdf") == Target(ReachKind.ANSWER, 12, True)
    assert target_of("/conferences/7/transcript/pdf") == Target(ReachKind.TRANSCRIPT, 7, True)
    assert target_of("/conferences/7") == Target(ReachKind.CONFERENCE, 7, False)
    for other in ("/answers/12/", "/answers/012", "/answers/0", "/answers/99999999999",
                  "/search?q=/answers/12", "/tin-t%E1%BB%A9c/12", "/answers/%FF",
                  "/conferences/7/feed.atom", "/answers/١٢"):
        assert target_of(other) is None, other
