"""Public pages (no login): home, conferences, answers, ministries and agencies, the
spokesperson directory, press agencies' questions, the published PDFs and calendars; and
the press office's door list of a conference (printed on request)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from pressroom.accounts.models import User
from pressroom.alerts import service as alerts
from pressroom.alerts.enums import AlertTarget
from pressroom.answers.queries import published_attachments
from pressroom.conferences.enums import CONFERENCE_STATUS_LABELS
from pressroom.conferences.models import PressConference
from pressroom.conferences.queries import (
    all_public,
    host_contacts,
    participants,
    participants_by_conference,
    public_calendar,
    public_conference,
    recent_public,
    upcoming_public,
)
from pressroom.core import pagecache, storage
from pressroom.core.config import get_settings
from pressroom.core.db import begin_writing
from pressroom.core.deps import (
    MAX_ID,
    CsrfDep,
    DbId,
    FormDep,
    PaginationDep,
    SessionDep,
    flash_redirect,
    public,
    require,
)
from pressroom.core.errors import NotFound, ValidationFailed
from pressroom.core.i18n import get_locale, in_locale, lazy
from pressroom.core.i18n import gettext as _
from pressroom.core.portal import Portal, portal
from pressroom.core.templating import render
from pressroom.core.wordiff import word_diff
from pressroom.organizations.enums import ORG_KIND_LABELS
from pressroom.organizations.models import Organization
from pressroom.organizations.queries import (
    TOP_LEVEL,
    organization_by_id,
    spokesperson_directory,
    spokespersons_of,
    top_level_of,
    top_level_organizations,
    units_in,
)
from pressroom.publishing.calendars import build_calendar
from pressroom.publishing.enums import PdfKind
from pressroom.publishing.feeds import (
    FEED_LIMIT,
    FeedEntry,
    answer_entry,
    build_feed,
    conference_entry,
    newest,
    search_hit_entry,
    transcript_entry,
)
from pressroom.publishing.feeds import MEDIA_TYPE as FEED_MEDIA_TYPE
from pressroom.publishing.pdf import render_door_list_pdf
from pressroom.publishing.queries import (
    answer_version,
    conference_answers,
    door_list,
    earlier_versions,
    last_changes,
    latest_answers,
    organization_answers,
    outlet_answers,
    outlets_with_answers,
    public_answer,
    public_outlet,
    public_transcript,
    published_answer_times,
    search_page,
    stored_pdf,
    stored_pdfs,
)
from pressroom.publishing.sharing import (
    answer_share,
    conference_share,
    named_share,
    organization_share,
    page_share,
    search_share,
)
from pressroom.publishing.sitemap import MAX_URLS, build_sitemap, robots_txt
from pressroom.reach.enums import ReachKind
from pressroom.reach.service import counting_mark, download_counted, record_download
from pressroom.search.index import Filters

router = APIRouter(include_in_schema=False)
Visitor = Annotated[Any, public]


def _cached(request: Request, user: Any, build: Callable[[], Response]) -> Response:
    """Serves anonymous visitors from the short-lived page cache (see core/pagecache.py)."""
    state = request.state
    if user is not None or getattr(state, "flash", None) is not None:
        return build()
    key = (get_locale(), str(request.url.path) + "?" + request.url.query)
    body = pagecache.get(key)
    token = state.csrf_token
    if body is None:
        state.csrf_token = pagecache.CSRF_PLACEHOLDER
        try:
            response = build()
        finally:  # an error page (404) is rendered with the visitor's own token
            state.csrf_token = token
        if response.status_code != 200:
            return response
        body = bytes(response.body)
        pagecache.put(key, body)
    return HTMLResponse(body.replace(pagecache.CSRF_PLACEHOLDER.encode(), token.encode()))


def pagination_path(path: str, page: int) -> str:
    """The canonical address of a page of a list (the first page has no ?page=)."""
    return path if page <= 1 else f"{path}?page={page}"


def _labels() -> dict[str, str]:
    return {state.value: _(label) for state, label in CONFERENCE_STATUS_LABELS.items()}


def _hosts(session: SessionDep) -> dict[int, Organization]:
    return {o.id or 0: o for o in top_level_organizations(session)}


@router.get("/")
def home(request: Request, session: SessionDep, user: Visitor) -> Response:
    return _cached(request, user, lambda: render(request, "publishing/public/home.html", {
        "upcoming": upcoming_public(session, limit=5),
        "recent": recent_public(session, limit=5),
        "answers": latest_answers(session, limit=6),
        "hosts": _hosts(session),
        "labels": _labels(),
        "share": page_share(portal(), "/"),
    }))


@router.get("/conferences")
def conferences(request: Request, session: SessionDep, pagination: PaginationDep,
                user: Visitor) -> Response:
    def build() -> Response:
        rows = all_public(session, pagination.size + 1, pagination.offset)
        return render(request, "publishing/public/conferences.html", {
            "conferences": rows[: pagination.size],
            "participants": participants_by_conference(session, [c.id or 0 for c in rows]),
            "hosts": _hosts(session),
            "labels": _labels(),
            "page": pagination.page,
            "has_next": len(rows) > pagination.size,
            "share": page_share(portal(), pagination_path("/conferences", pagination.page),
                                lazy("Press conferences")),
        })

    return _cached(request, user, build)


@router.get("/conferences/{conference_id}")
def conference(request: Request, session: SessionDep, conference_id: DbId,
               user: Visitor) -> Response:
    def build() -> Response:
        item = public_conference(session, conference_id)
        host = session.get(Organization, item.host_organization_id)
        return render(request, "publishing/public/conference.html", {
            "conference": item,
            "host": host,
            "spokespersons": spokespersons_of(session, item.host_organization_id),
            "participants": participants(session, conference_id),
            "transcript": public_transcript(session, conference_id),
            "answers": conference_answers(session, conference_id),
            "labels": _labels(),
            "share": conference_share(portal(), item, host),
            "reach": counting_mark(ReachKind.CONFERENCE, conference_id),
        })

    return _cached(request, user, build)


@router.get("/answers")
def answers(request: Request, session: SessionDep, pagination: PaginationDep,
            user: Visitor) -> Response:
    def build() -> Response:
        rows = latest_answers(session, pagination.size + 1, pagination.offset)
        return render(request, "publishing/public/answers.html", {
            "answers": rows[: pagination.size], "page": pagination.page,
            "has_next": len(rows) > pagination.size,
            "share": page_share(portal(), pagination_path("/answers", pagination.page),
                                lazy("Official answers"))})

    return _cached(request, user, build)


@router.get("/answers/{answer_id}")
def answer(request: Request, session: SessionDep, answer_id: DbId, user: Visitor) -> Response:
    def build() -> Response:
        doc = public_answer(session, answer_id)
        earlier = earlier_versions(session, doc)
        texts = [v.answer_text for v in earlier] + [doc.answer_text]
        return render(request, "publishing/public/answer.html", {
            "doc": doc, "pdfs": stored_pdfs(session, PdfKind.ANSWER, doc.answer_id),
            # Each earlier version with what the next one changed in it, newest first.
            "earlier": [(v, word_diff(v.answer_text, texts[i + 1]))
                        for i, v in reversed(list(enumerate(earlier)))],
            "files": published_attachments(session, doc.question_id),
            "share": answer_share(portal(), doc),
            "reach": counting_mark(ReachKind.ANSWER, doc.answer_id)})

    return _cached(request, user, build)


@router.get("/organizations")
def organizations(request: Request, session: SessionDep, user: Visitor) -> Response:
    return _cached(request, user, lambda: render(
        request, "publishing/public/organizations.html", {
            "directory": spokesperson_directory(session),
            "kinds": {kind.value: _(label) for kind, label in ORG_KIND_LABELS.items()},
            "share": page_share(portal(), "/organizations", lazy("Ministries and agencies"))}))


@router.get("/organizations/{organization_id}")
def organization(request: Request, session: SessionDep, organization_id: DbId,
                 pagination: PaginationDep, user: Visitor) -> Response:
    """A ministry's or agency's page. A unit has none: its address leads to its ministry's."""
    org = organization_by_id(session, organization_id)
    if org is None:
        raise NotFound(_("Organisation not found."))
    if org.kind not in TOP_LEVEL:
        return RedirectResponse(f"/organizations/{top_level_of(session, organization_id).id}",
                                status_code=302)

    def build() -> Response:
        rows = organization_answers(session, organization_id, pagination.size + 1,
                                    pagination.offset)
        return render(request, "publishing/public/organization.html", {
            "org": org,
            "kind": _(ORG_KIND_LABELS[org.kind]),
            "spokespersons": spokespersons_of(session, organization_id),
            "units": units_in(session, organization_id),
            "upcoming": upcoming_public(session, limit=10, host_id=organization_id),
            "recent": recent_public(session, limit=5, host_id=organization_id),
            "labels": _labels(),
            "answers": rows[: pagination.size],
            "page": pagination.page,
            "has_next": len(rows) > pagination.size,
            "share": organization_share(portal(), org),
        })

    return _cached(request, user, build)


@router.get("/spokespersons")
def spokespersons(request: Request, session: SessionDep, user: Visitor) -> Response:
    return _cached(request, user, lambda: render(
        request, "publishing/public/spokespersons.html",
        {"directory": spokesperson_directory(session),
         "share": page_share(portal(), "/spokespersons", lazy("Spokespersons"))}))


@router.get("/outlets")
def outlets(request: Request, session: SessionDep, user: Visitor) -> Response:
    return _cached(request, user, lambda: render(
        request, "publishing/public/outlets.html", {
            "outlets": outlets_with_answers(session),
            "share": page_share(portal(), "/outlets", lazy("Press agencies"))}))


@router.get("/outlets/{outlet_id}")
def outlet(request: Request, session: SessionDep, outlet_id: DbId, pagination: PaginationDep,
           user: Visitor) -> Response:
    def build() -> Response:
        found = public_outlet(session, outlet_id)
        rows = outlet_answers(session, outlet_id, pagination.size + 1, pagination.offset)
        return render(request, "publishing/public/outlet.html", {
            "outlet": found, "answers": rows[: pagination.size], "page": pagination.page,
            "has_next": len(rows) > pagination.size,
            "share": named_share(portal(), pagination_path(f"/outlets/{outlet_id}",
                                                           pagination.page), found.name)})

    return _cached(request, user, build)


def _pdf_response(request: Request, session: SessionDep, row: Any, filename: str,
                  counted: tuple[ReachKind, int]) -> Response:
    """The stored PDF (or 304 to a browser that has it), counted as a download: a file runs no
    counting script, so it is counted here (and from the proxy's log when a cache serves it,
    PRESSROOM_REACH_DOWNLOADS=log)."""
    if download_counted(request.headers.get("user-agent")):
        begin_writing(session)
        record_download(session, kind=counted[0], object_id=counted[1])
        session.commit()
    etag = f'"{row.sha256}"'
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers={"ETag": etag})
    return FileResponse(
        storage.path_of(row.path), media_type="application/pdf", filename=filename,
        content_disposition_type="inline",
        headers={"ETag": etag, "Cache-Control": "public, max-age=300"},
    )


def _pending(request: Request) -> Response:
    return render(request, "publishing/public/pdf_pending.html", {}, status=503)


@router.get("/answers/{answer_id}/pdf")
def answer_pdf(request: Request, session: SessionDep, answer_id: DbId, user: Visitor) -> Response:
    doc = public_answer(session, answer_id)
    row = stored_pdf(session, PdfKind.ANSWER, doc.answer_id, doc.version)
    if row is None:
        return _pending(request)
    return _pdf_response(request, session, row, f"tra-loi-{doc.answer_id}-v{doc.version}.pdf",
                         (ReachKind.ANSWER, doc.answer_id))


@router.get("/answers/{answer_id}/versions/{version}/pdf")
def answer_version_pdf(request: Request, session: SessionDep, answer_id: DbId, version: DbId,
                       user: Visitor) -> Response:
    """The PDF of one version of a published answer (the current one too), kept after a
    correction at this address."""
    doc = answer_version(session, answer_id, version)
    row = stored_pdf(session, PdfKind.ANSWER, doc.answer_id, doc.version)
    if row is None:
        return _pending(request)
    return _pdf_response(request, session, row, f"tra-loi-{doc.answer_id}-v{doc.version}.pdf",
                         (ReachKind.ANSWER, doc.answer_id))


@router.get("/conferences/{conference_id}/transcript/pdf")
def transcript_pdf(request: Request, session: SessionDep, conference_id: DbId,
                   user: Visitor) -> Response:
    doc = public_transcript(session, conference_id)
    if doc is None:
        raise NotFound(_("This press conference has no published transcript."))
    row = stored_pdf(session, PdfKind.TRANSCRIPT, conference_id, doc.edition)
    if row is None:
        return _pending(request)
    return _pdf_response(request, session, row,
                         f"noi-dung-hop-bao-{conference_id}-v{doc.version}.pdf",
                         (ReachKind.TRANSCRIPT, conference_id))


def _calendar(body: bytes, filename: str) -> Response:
    """An iCalendar feed: the same for everybody, so shared caches may keep it a few minutes."""
    return Response(body, media_type="text/calendar; charset=utf-8", headers={
        "Content-Disposition": f'inline; filename="{filename}"',
        "Cache-Control": "public, max-age=300"})


@router.get("/calendar.ics")
def calendar(session: SessionDep, user: Visitor) -> Response:
    """Every public press conference, a year back onward, to subscribe to in a calendar app."""
    rows = public_calendar(session)
    return _calendar(build_calendar(
        rows, host=None, hosts=_hosts(session),
        organizers=host_contacts(session, {c.host_organization_id for c in rows})), "hop-bao.ics")


@router.get("/organizations/{organization_id}/calendar.ics")
def organization_calendar(session: SessionDep, organization_id: DbId, user: Visitor) -> Response:
    """The public press conferences one ministry, agency or the Government Office hosts."""
    host = _hosts(session).get(organization_id)
    if host is None:
        raise NotFound(_("Organisation not found."))
    return _calendar(build_calendar(
        public_calendar(session, host_id=organization_id), host=host,
        hosts={organization_id: host}, organizers=host_contacts(session, {organization_id})),
        f"hop-bao-co-quan-{organization_id}.ics")


@router.get("/conferences/{conference_id}/calendar.ics")
def conference_calendar(session: SessionDep, conference_id: DbId, user: Visitor) -> Response:
    """One public press conference, to add to a calendar."""
    item = public_conference(session, conference_id)
    host = session.get(Organization, item.host_organization_id)
    hosts = {item.host_organization_id: host} if host is not None else {}
    return _calendar(build_calendar(
        [item], host=host, hosts=hosts,
        organizers=host_contacts(session, {item.host_organization_id})),
        f"hop-bao-{conference_id}.ics")


SHARED_MAX_AGE = 300
"""Seconds a shared cache may keep a feed or the sitemap (as long as a calendar)."""


def _shared(request: Request, build: Callable[[], bytes], media_type: str) -> Response:
    """A machine-readable document that is the same for everybody (feeds, the sitemap),
    written in the site's default language: kept in the page cache, which every public change
    empties (core/pagecache.py), sent with an ETag for conditional requests and a few
    minutes' life in shared caches."""
    key = ("shared", str(request.url.path) + "?" + request.url.query)  # a search feed: its words
    body = pagecache.get(key)
    if body is None:
        with in_locale(get_settings().default_locale):
            body = build()
        pagecache.put(key, body)
    tag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    headers = {"ETag": tag, "Cache-Control": f"public, max-age={SHARED_MAX_AGE}"}
    if tag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


def _conference_entries(session: SessionDep, rows: list[PressConference],
                        hosts: dict[int, Organization], site: Portal) -> list[FeedEntry]:
    changed = last_changes(session, rows)
    return [conference_entry(c, hosts.get(c.host_organization_id), site, changed[c.id or 0])
            for c in rows]


@router.get("/feed.atom")
def feed(request: Request, session: SessionDep, user: Visitor) -> Response:
    """The latest published answers and public press conferences of every ministry."""
    def build() -> bytes:
        site = portal()
        entries = [answer_entry(doc, site) for doc in latest_answers(session, FEED_LIMIT)]
        entries += _conference_entries(session, public_calendar(session, limit=FEED_LIMIT),
                                       _hosts(session), site)
        return build_feed(newest(entries), site=site, path="/feed.atom", title=site.name,
                          subtitle=_("Press conferences and official answers"), page="/")

    return _shared(request, build, FEED_MEDIA_TYPE)


@router.get("/organizations/{organization_id}/feed.atom")
def organization_feed(request: Request, session: SessionDep, organization_id: DbId,
                      user: Visitor) -> Response:
    """One ministry's (agency's, the Government Office's) published answers and its public
    press conferences."""
    def build() -> bytes:
        host = _hosts(session).get(organization_id)
        if host is None:
            raise NotFound(_("Organisation not found."))
        site = portal()
        entries = [answer_entry(doc, site)
                   for doc in organization_answers(session, organization_id, FEED_LIMIT)]
        entries += _conference_entries(
            session, public_calendar(session, host_id=organization_id, limit=FEED_LIMIT),
            {organization_id: host}, site)
        return build_feed(newest(entries), site=site,
                          path=f"/organizations/{organization_id}/feed.atom", title=host.name,
                          subtitle=_("Press conferences and official answers"),
                          page=f"/organizations/{organization_id}")

    return _shared(request, build, FEED_MEDIA_TYPE)


@router.get("/conferences/{conference_id}/feed.atom")
def conference_feed(request: Request, session: SessionDep, conference_id: DbId,
                    user: Visitor) -> Response:
    """One public press conference: its own changes, its published answers and its transcript
    once published."""
    def build() -> bytes:
        item = public_conference(session, conference_id)
        host = session.get(Organization, item.host_organization_id)
        site = portal()
        entries = _conference_entries(session, [item], {item.host_organization_id: host}
                                      if host else {}, site)
        entries += [answer_entry(doc, site) for doc in conference_answers(session, conference_id)]
        transcript = public_transcript(session, conference_id)
        if transcript is not None:
            entries.append(transcript_entry(transcript, site))
        return build_feed(newest(entries), site=site,
                          path=f"/conferences/{conference_id}/feed.atom", title=item.title,
                          subtitle=_("Press conference"), page=f"/conferences/{conference_id}")

    return _shared(request, build, FEED_MEDIA_TYPE)


@router.get("/sitemap.xml")
def sitemap(request: Request, session: SessionDep, user: Visitor) -> Response:
    """Every public page with when it last changed: home, the conference list and each public
    conference, the answer list and each published answer."""
    def build() -> bytes:
        site = portal()
        rows = all_public(session, MAX_URLS, 0)
        changed = last_changes(session, rows)
        conference_pages = [(site.url(f"/conferences/{c.id}"), changed[c.id or 0]) for c in rows]
        answer_pages = [(site.url(f"/answers/{answer_id}"), at)
                        for answer_id, at in published_answer_times(session)]
        latest_conference = max(changed.values(), default=None)
        latest_answer = answer_pages[0][1] if answer_pages else None
        return build_sitemap([
            (site.url("/"), max((t for t in (latest_conference, latest_answer) if t), default=None)),
            (site.url("/conferences"), latest_conference), *conference_pages,
            (site.url("/answers"), latest_answer), *answer_pages])

    return _shared(request, build, "application/xml; charset=utf-8")


@router.get("/robots.txt")
def robots(request: Request, user: Visitor) -> Response:
    """Tells crawlers what is public, and where the sitemap is."""
    return _shared(request, lambda: robots_txt(portal().url("/sitemap.xml")).encode(),
                   "text/plain; charset=utf-8")


@router.get("/staff/conferences/{conference_id}/accreditations/pdf")
def door_list_pdf(session: SessionDep, conference_id: DbId,
                  user: Annotated[User, require("conferences.manage")]) -> Response:
    """The accredited journalists, printed for the door. It changes with every decision and
    only the press office reads it, so it is rendered on request (in a worker thread, as a
    plain route) rather than stored like the published PDFs."""
    doc = door_list(session, user, conference_id)
    return Response(render_door_list_pdf(doc), media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="danh-sach-phong-vien-{conference_id}.pdf"',
        "Cache-Control": "private, no-store"})


SEARCH_PAGE_SIZE = 10


@router.get("/search")
def search(request: Request, session: SessionDep, pagination: PaginationDep, user: Visitor,
           q: Annotated[str, Query(max_length=500)] = "",
           kind: Annotated[Literal["answer", "conference", "transcript"] | None, Query()] = None,
           organization: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
           year: Annotated[int | None, Query(ge=1900, le=2200)] = None) -> Response:
    """Search of public answers, conferences and transcripts, with facets."""
    def build() -> Response:
        offset = (pagination.page - 1) * SEARCH_PAGE_SIZE
        found = search_page(session, q, Filters(kind, organization, year),
                            limit=SEARCH_PAGE_SIZE, offset=offset)
        chosen = {"q": q, "kind": kind, "organization": organization, "year": year}
        feed = _search_query("/search/feed.atom", chosen)
        return render(request, "publishing/public/search.html", {
            "found": found, "q": q, "page": pagination.page, "feed": feed,
            "has_next": offset + SEARCH_PAGE_SIZE < found.total,
            "link": lambda **change: _search_query("/search", {**chosen, **change}),
            "share": search_share(portal(), found.query, feed),
            "follow": tuple(chosen.items()),
        })

    return _cached(request, user, build)


def _search_query(path: str, chosen: Mapping[str, object]) -> str:
    """``path`` with the search's words and filters (those chosen) as its query string."""
    return f"{path}?" + urlencode({k: v for k, v in chosen.items() if v not in (None, "")})


@router.get("/search/feed.atom")
def search_feed(request: Request, session: SessionDep, user: Visitor,
                q: Annotated[str, Query(max_length=500)] = "",
                kind: Annotated[Literal["answer", "conference", "transcript"] | None,
                                Query()] = None,
                organization: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
                year: Annotated[int | None, Query(ge=1900, le=2200)] = None) -> Response:
    """What a search finds, newest first: follow a search in a feed reader."""
    chosen = {"q": q, "kind": kind, "organization": organization, "year": year}

    def build() -> bytes:
        site = portal()
        found = search_page(session, q, Filters(kind, organization, year), limit=FEED_LIMIT,
                            offset=0, newest=True)
        return build_feed(newest([search_hit_entry(hit, site) for hit in found.hits]),
                          site=site, path=_search_query("/search/feed.atom", chosen),
                          title=f"{_('Search: %(query)s', query=found.query)} · {site.name}",
                          subtitle=_("Press conferences and official answers"),
                          page=_search_query("/search", chosen))

    return _shared(request, build, FEED_MEDIA_TYPE)


# Following by e-mail (alerts): the forms sit on the pages of what they follow. Whatever the
# address (new, waiting for confirmation, already following), the visitor reads the same
# message, so the form tells nobody who follows what.

def _follow(request: Request, session: SessionDep, follow: alerts.Follow, back: str,
            action: str, posted: FormDep, hidden: tuple[tuple[str, Any], ...] = ()) -> Response:
    typed = {"email": posted.get("email") if isinstance(posted.get("email"), str) else ""}
    try:
        alerts.request_follow(session, email=str(typed["email"])[:400], follow=follow,
                              locale=get_locale())
    except ValidationFailed as exc:
        session.rollback()
        return render(request, "alerts/follow.html", {
            "label": follow.label, "action": action, "back": back, "hidden": hidden,
            "hint": _("We send a message to confirm the address."),
            "form": {"email": str(typed["email"])[:400]}, "errors": exc.fields}, 400)
    session.commit()
    return flash_redirect(back, _(
        "Check your mailbox: unless this address already follows it, we sent a message to "
        "confirm. The alerts start once you open its link."), "info")


@router.post("/organizations/{organization_id}/follow", dependencies=[CsrfDep])
def follow_organization(request: Request, session: SessionDep, organization_id: DbId,
                        posted: FormDep, user: Visitor) -> Response:
    org = organization_by_id(session, organization_id)
    if org is None or org.kind not in TOP_LEVEL:
        raise NotFound(_("Organisation not found."))
    follow = alerts.Follow(target=AlertTarget.MINISTRY, label=org.name, organization_id=org.id)
    path = f"/organizations/{org.id}"
    return _follow(request, session, follow, path, path + "/follow", posted)


@router.post("/conferences/{conference_id}/follow", dependencies=[CsrfDep])
def follow_conference(request: Request, session: SessionDep, conference_id: DbId,
                      posted: FormDep, user: Visitor) -> Response:
    item = public_conference(session, conference_id)
    follow = alerts.Follow(target=AlertTarget.CONFERENCE, label=f"«{item.title}»",
                           conference_id=item.id)
    path = f"/conferences/{conference_id}"
    return _follow(request, session, follow, path, path + "/follow", posted)


@router.post("/search/follow", dependencies=[CsrfDep])
def follow_search(request: Request, session: SessionDep, posted: FormDep, user: Visitor,
                  q: Annotated[str, Form(max_length=500)] = "",
                  kind: Annotated[Literal["answer", "conference", "transcript"] | None,
                                  Form()] = None,
                  organization: Annotated[int | None, Form(ge=1, le=MAX_ID)] = None,
                  year: Annotated[int | None, Form(ge=1900, le=2200)] = None) -> Response:
    chosen = {"q": q, "kind": kind, "organization": organization, "year": year}
    back = _search_query("/search", chosen)
    try:
        follow = alerts.search_follow(q, kind, organization, year)
    except ValidationFailed as exc:
        return flash_redirect(back, exc.message, "error")
    return _follow(request, session, follow, back, "/search/follow", posted,
                   tuple(chosen.items()))
