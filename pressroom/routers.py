"""The one place that includes every domain's pages and API routers."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from pressroom.accounts import api as accounts_api
from pressroom.accounts import pages as accounts_pages
from pressroom.alerts import pages as alerts_pages
from pressroom.answers import api as answers_api
from pressroom.answers import pages as answers_pages
from pressroom.conferences import api as conferences_api
from pressroom.conferences import pages as conferences_pages
from pressroom.notifications import pages as notifications_pages
from pressroom.organizations import api as organizations_api
from pressroom.organizations import pages as organizations_pages
from pressroom.publishing import api as publishing_api
from pressroom.publishing import pages as publishing_pages
from pressroom.questions import api as questions_api
from pressroom.questions import pages as questions_pages
from pressroom.reach import pages as reach_pages

# Order matters where paths overlap: "/my/questions/new" before "/my/questions/{id}".
PAGE_MODULES = (publishing_pages, accounts_pages, organizations_pages, conferences_pages,
                questions_pages, answers_pages, notifications_pages, alerts_pages,
                reach_pages)
API_MODULES = (accounts_api, conferences_api, questions_api, answers_api, publishing_api,
               organizations_api)
API_PREFIX = "/api/v1"

# Every page shown to a logged-in user carries the unread notification count in its header.
page_router = APIRouter(dependencies=[Depends(notifications_pages.unread_badge)])
for _module in PAGE_MODULES:
    page_router.include_router(_module.router)

# Event streams (live pages) last minutes and must hold no database slot meanwhile: no
# dependency of the page router, whose unread badge holds one for the whole request.
STREAM_ROUTERS = (conferences_pages.streams,)
stream_router = APIRouter()
for _streams in STREAM_ROUTERS:
    stream_router.include_router(_streams)

# The pages' counting request (reach): it must not cost the session lookups of the page
# router, and its responses set no cookie (main.WebMiddleware reads COOKIELESS_PATHS).
BEACON_ROUTERS = (reach_pages.beacon,)
beacon_router = APIRouter()
for _beacon in BEACON_ROUTERS:
    beacon_router.include_router(_beacon)
COOKIELESS_PATHS = frozenset({reach_pages.HIT_PATH})

api_router = APIRouter(prefix=API_PREFIX)
for _module in API_MODULES:
    api_router.include_router(_module.router)
