"""Link previews: every public page carries OpenGraph tags in Vietnamese (whatever the
visitor's interface language), so that a shared link shows the title, the ministry and the
date, with the canonical absolute address."""

from __future__ import annotations

from typing import Any

import lxml.html
from sqlmodel import Session

from pressroom.core.i18n import fmt_date, fmt_time
from pressroom.core.i18n import gettext as _
from pressroom.core.security import LANG_COOKIE
from tests import factories

BASE = "http://127.0.0.1:8000"


def _meta(page_html: str) -> dict[str, str]:
    head = lxml.html.fromstring(page_html).head
    found = {m.get("property") or m.get("name"): m.get("content") for m in head.findall("meta")
             if m.get("property") or m.get("name")}
    found["canonical"] = head.xpath("link[@rel='canonical']/@href")[0]
    return found


def test_conference_preview_shows_title_ministry_and_date(client: Any, session: Session,
                                                         configure: Any) -> None:
    configure(portal_name="Cổng Thông tin Họp báo Chính phủ")
    case = factories.Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry)
    session.commit()
    when = f"{fmt_date(conference.starts_at, long=True)}, {fmt_time(conference.starts_at)}"

    meta = _meta(client.get(f"/conferences/{conference.id}").text)

    assert meta["og:title"] == conference.title
    assert meta["og:description"] == f"{_('Press conference')} · {case.ministry.name} · {when}"
    assert meta["description"] == meta["og:description"]
    assert meta["og:url"] == meta["canonical"] == f"{BASE}/conferences/{conference.id}"
    assert meta["og:type"] == "article"
    assert meta["og:locale"] == "vi_VN"
    assert meta["og:site_name"] == "Cổng Thông tin Họp báo Chính phủ"
    assert meta["article:published_time"] == conference.announced_at.isoformat()


def test_answer_preview_shows_title_ministry_and_publication_date(
        client: Any, session: Session) -> None:
    case = factories.Case(session)
    item, answer = case.published_answer()
    session.commit()

    meta = _meta(client.get(f"/answers/{answer.id}").text)

    assert meta["og:title"] == item.title
    assert meta["og:description"] == (
        f"{_('Official answer of %(ministry)s', ministry=case.ministry.name)} · "
        f"{fmt_date(item.published_at)}")
    assert meta["og:url"] == f"{BASE}/answers/{answer.id}"
    assert meta["article:published_time"] == item.published_at.isoformat()


def test_preview_stays_vietnamese_in_the_english_interface(client: Any,
                                                          session: Session) -> None:
    case = factories.Case(session)
    _item, answer = case.published_answer()
    session.commit()
    vietnamese = _meta(client.get(f"/answers/{answer.id}").text)
    client.cookies.set(LANG_COOKIE, "en")

    english = _meta(client.get(f"/answers/{answer.id}").text)

    assert english["og:description"] == vietnamese["og:description"]
    assert english["og:description"].startswith("Câu trả lời chính thức của ")


def test_every_public_list_page_has_a_preview(client: Any, configure: Any) -> None:
    configure(portal_name="Cổng Thông tin Họp báo Chính phủ")
    titles = {"/": "Cổng Thông tin Họp báo Chính phủ", "/conferences": _("Press conferences"),
              "/answers": _("Official answers"), "/answers?page=2": _("Official answers")}

    for path, title in titles.items():
        meta = _meta(client.get(path).text)
        assert meta["og:title"] == title, path
        assert meta["og:url"] == f"{BASE}{path}", path
        assert meta["og:description"] == _("Press conferences and official answers"), path
        assert meta["og:type"] == "website", path
