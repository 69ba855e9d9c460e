"""Reach: the pages' cookie-less counting request, and the press office's page of views and
downloads per ministry (with its CSV)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from pressroom.accounts.models import User
from pressroom.core.deps import FormDep, SessionDep, anyone, require
from pressroom.core.errors import ValidationFailed
from pressroom.core.i18n import gettext as _
from pressroom.core.schemas import MAX_ID
from pressroom.core.templating import render
from pressroom.reach.chart import daily_chart
from pressroom.reach.enums import REACH_KIND_LABELS, ReachKind
from pressroom.reach.forms import Period, read_period
from pressroom.reach.queries import chosen_ministry, reach_rows
from pressroom.reach.report import build_report, reach_csv
from pressroom.reach.service import record_view, today

router = APIRouter(include_in_schema=False)
beacon = APIRouter(include_in_schema=False)
"""The counting request: outside the page router, whose dependencies read the session cookie
(the unread badge); it needs to know nobody."""

HIT_PATH = "/reach/hit"
_KINDS = frozenset(kind.value for kind in ReachKind)
Reader = Annotated[User, require("reach.view")]


def _empty(status: int) -> Response:
    return Response(status_code=status, headers={"Cache-Control": "no-store"})


@beacon.post(HIT_PATH)
def hit(request: Request, session: SessionDep, form: FormDep,
        _nobody: Annotated[None, anyone]) -> Response:
    """One view of a public answer or conference page, sent by static/js/reach.js with
    ``kind`` and ``id``: 204 (counted, or ignored: a bot), 404 (no such public thing), 400
    (not a counting request). No cookie is read or set, nothing about the visitor is kept.
    Without a CSRF token on purpose: it changes one counter, which anyone could call anyway,
    and a token would need the cookie this request must not have."""
    kind, raw_id = form.get("kind"), form.get("id")
    if not (isinstance(kind, str) and kind in _KINDS
            and isinstance(raw_id, str) and raw_id.isascii() and raw_id.isdigit()
            and len(raw_id) <= 10 and 1 <= int(raw_id) <= MAX_ID):
        return _empty(400)
    counted = record_view(session, kind=ReachKind(kind), object_id=int(raw_id),
                          user_agent=request.headers.get("user-agent"))
    if counted is None:
        return _empty(404)
    if counted:
        session.commit()
    return _empty(204)


def _query(period: Period, ministry_id: int | None) -> str:
    values: dict[str, Any] = {"from": period.start.isoformat(), "to": period.end.isoformat()}
    if ministry_id is not None:
        values["ministry"] = ministry_id
    return urlencode(values)


FromDay = Annotated[str, Query(alias="from", max_length=40)]
ToDay = Annotated[str, Query(max_length=40)]
MinistryId = Annotated[int | None, Query(ge=1, le=MAX_ID)]


@router.get("/staff/reach")
def reach_page(request: Request, session: SessionDep, user: Reader, start: FromDay = "",
               to: ToDay = "", ministry: MinistryId = None) -> Response:
    """Views and downloads of a ministry's answers, conferences and transcripts over a period
    (the last 30 days by default): totals, a daily chart, the most read, per ministry for an
    administrator who chose none."""
    allowed, chosen = chosen_ministry(session, user, ministry)
    period, errors = read_period(start, to, today())
    chosen_id = chosen.id if chosen is not None else None
    rows = reach_rows(session, chosen_id, period.start, period.end)
    report = build_report(rows, period.start, period.end)
    return render(request, "reach/reach.html", {
        "report": report,
        "chart": daily_chart(report.days),
        "period": period,
        "form": {"from": start or period.start.isoformat(), "to": to or period.end.isoformat(),
                 "ministry": chosen_id or ""},
        "errors": errors,
        "ministries": allowed,
        "chosen": chosen,
        "may_choose": len(allowed) > 1,
        "ministry_options": [(org.id, org.name) for org in allowed],
        "names": {org.id: org.name for org in allowed},
        "kinds": {kind.value: _(label) for kind, label in REACH_KIND_LABELS.items()},
        "csv_url": "/staff/reach.csv?" + _query(period, chosen_id),
    })


@router.get("/staff/reach.csv")
def reach_csv_file(session: SessionDep, user: Reader, start: FromDay = "", to: ToDay = "",
                   ministry: MinistryId = None) -> Response:
    """The day counters of the page's period and ministry: day, kind, id, title, views,
    downloads (UTF-8 with a byte order mark, for Excel)."""
    _allowed, chosen = chosen_ministry(session, user, ministry)
    period, errors = read_period(start, to, today())
    if errors:
        raise ValidationFailed(" ".join(errors.values()), fields=errors)
    rows = reach_rows(session, chosen.id if chosen else None, period.start, period.end)
    name = f"luot-doc-{chosen.id if chosen else 'tat-ca'}-{period.start}-{period.end}.csv"
    return Response(reach_csv(rows), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "Cache-Control": "private, no-store"})
