"""Search over what is public: the index follows publication, corrections and conferences;
Vietnamese queries with or without diacritics, abbreviations, document numbers, phrases;
every word required; the page, its facets and snippets; the API; honest "no results"."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlmodel import Session

from pressroom.answers import service as answers
from pressroom.answers.schemas import AnswerCorrection, AnswerDraft, AnswerPublish
from pressroom.conferences import service as conferences
from pressroom.core.clock import now
from pressroom.publishing.service import rebuild_search
from pressroom.search import index
from pressroom.search.analysis import parse
from pressroom.search.index import Entry, Filters, put, search
from tests import factories
from tests.reading import page_text

TAX = ("Về thuế thu nhập cá nhân đối với phóng viên cộng tác",
       "Đề nghị Bộ cho biết cách tính thuế thu nhập cá nhân với nhuận bút?",
       "Nhuận bút của cộng tác viên chịu thuế thu nhập cá nhân theo Thông tư 111/2013/TT-BTC.")
RENT = ("Về giá thuê trụ sở cơ quan báo chí",
        "Đề nghị Bộ cho biết quy định về thuê trụ sở của cơ quan báo chí?",
        "Cơ quan báo chí được thuê trụ sở theo giá thị trường; Ngân hàng Nhà nước không quy định.")
PORTAL = ("Về triển khai Nghị định 42/2022/NĐ-CP",
          "Các cơ quan đã cung cấp dịch vụ công trực tuyến theo Nghị định 42/2022/NĐ-CP chưa?",
          "Đến nay 95% thủ tục đã được cung cấp trực tuyến toàn trình trên Cổng TTĐT.")


def _answer(case: factories.Case, title: str, body: str, text: str, *,
            publish_at=None):  # type: ignore[no-untyped-def]
    question = case.assigned(title=title, body=body)
    answer = answers.save_draft(case.session, actor=case.officer, question=question,
                                data=AnswerDraft(body=text))
    answers.submit_answer(case.session, actor=case.officer, question=question, answer=answer)
    answers.approve_answer(case.session, actor=case.spokesperson, question=question,
                           answer=answer)
    answers.publish_answer(case.session, actor=case.spokesperson, question=question,
                           answer=answer, data=AnswerPublish(publish_at=publish_at))
    return question, answer


def _titles(session: Session, text: str, **filters: object) -> list[str]:
    found = search(session, parse(text), Filters(**filters))  # type: ignore[arg-type]
    return [re.sub(r" \d+$", "", hit.entry.title) for hit in found.hits]


def test_diacritics_decide_when_typed_and_are_optional_when_not(session: Session) -> None:
    case = factories.Case(session)
    _answer(case, *TAX)
    _answer(case, *RENT)

    assert _titles(session, "thuế") == [TAX[0]]  # tax, not rent
    assert _titles(session, "thuê") == [RENT[0]]
    assert sorted(_titles(session, "thue")) == sorted([TAX[0], RENT[0]])
    assert _titles(session, "THUẾ Thu NHẬP") == [TAX[0]]


def test_abbreviations_and_full_names_find_each_other(session: Session) -> None:
    case = factories.Case(session)
    _answer(case, *RENT)  # "Ngân hàng Nhà nước" in full
    _answer(case, *PORTAL)  # "Cổng TTĐT"

    assert _titles(session, "NHNN") == [RENT[0]]
    assert _titles(session, "ngan hang nha nuoc") == [RENT[0]]


def test_a_document_number_finds_exactly_that_document(session: Session) -> None:
    case = factories.Case(session)
    _answer(case, *PORTAL)
    _answer(case, "Về Nghị định 43/2022/NĐ-CP", "Nghị định 43/2022/NĐ-CP quy định gì?",
            "Nghị định 43/2022/NĐ-CP quy định về tài sản công.")
    _answer(case, *TAX)

    assert _titles(session, "42/2022/NĐ-CP") == [PORTAL[0]]
    assert _titles(session, "42/2022/nd-cp") == [PORTAL[0]]
    assert _titles(session, "111/2013/TT-BTC") == [TAX[0]]


def test_every_word_is_required_and_quotes_keep_the_order(session: Session) -> None:
    case = factories.Case(session)
    _answer(case, *TAX)
    _answer(case, *RENT)

    assert _titles(session, "thuế trụ sở") == []  # no answer holds both
    assert _titles(session, '"thu nhập cá nhân"') == [TAX[0]]
    assert _titles(session, '"cá nhân thu nhập"') == []


def test_an_answer_is_found_from_its_publication_time_and_as_corrected(session: Session) -> None:
    case = factories.Case(session)
    _answer(case, *TAX, publish_at=now() + timedelta(days=1))
    question, answer = _answer(case, *RENT)
    assert _titles(session, "nhuận bút") == []  # scheduled for tomorrow

    answers.correct_answer(session, actor=case.spokesperson, question=question, answer=answer,
                           data=AnswerCorrection(body="Trụ sở được thuê theo đơn giá nhà nước.",
                                                 reason="Sửa căn cứ"))

    assert _titles(session, "đơn giá") == [RENT[0]]
    assert _titles(session, "giá thị trường") == []


def test_conferences_are_found_once_announced_and_their_transcript_once_published(
        session: Session) -> None:
    case = factories.Case(session)
    draft = factories.conference(session, case.spokesperson, case.ministry, announce=False,
                                 title="Họp báo về chuyển đổi số quốc gia")
    assert _titles(session, "chuyển đổi số") == []
    conferences.announce_conference(session, actor=case.spokesperson, conference=draft)
    assert _titles(session, "chuyển đổi số") == ["Họp báo về chuyển đổi số quốc gia"]

    held = factories.conference(session, case.spokesperson, case.ministry,
                                title="Họp báo thường kỳ quý IV",
                                starts_at=now() - timedelta(hours=3))
    conferences.mark_conference_held(session, actor=case.spokesperson, conference=held)
    from pressroom.conferences.schemas import TranscriptIn, TurnIn
    conferences.replace_transcript(session, actor=case.spokesperson, conference=held,
                                   data=TranscriptIn(turns=[TurnIn(
                                       speaker_name="Nguyễn Thanh Lâm",
                                       text="Bộ sẽ xử lý nghiêm tin giả trên mạng xã hội.")]))
    assert search(session, parse("tin giả"), Filters(kind="transcript")).total == 0  # a draft
    conferences.publish_transcript(session, actor=case.spokesperson, conference=held)

    found = search(session, parse("tin gia"), Filters(kind="transcript"))
    assert [(h.entry.url, h.entry.context) for h in found.hits] == [
        (f"/conferences/{held.id}#turn-1", "Nguyễn Thanh Lâm")]


def test_facets_count_by_kind_ministry_and_year(session: Session) -> None:
    case = factories.Case(session)
    _answer(case, *TAX)
    _answer(case, *RENT)
    factories.conference(session, case.spokesperson, case.ministry,
                         title="Họp báo về thuế và phí báo chí")

    found = search(session, parse("thuế"))
    only_answers = search(session, parse("thuế"), Filters(kind="answer"))

    assert found.total == 2
    assert dict(found.facets["kind"]) == {"answer": 1, "conference": 1}
    assert dict(found.facets["organization_id"]) == {case.ministry.id: 2}
    assert only_answers.total == 1


def test_an_answer_is_found_by_the_name_of_the_ministry_it_was_addressed_to(
        session: Session) -> None:
    case = factories.Case(session)  # "Bộ Thông tin và Truyền thông N"
    _answer(case, *TAX)  # its texts say only "Bộ"
    conference = factories.conference(session, case.spokesperson, case.ministry,
                                      title="Họp báo thường kỳ quý III")

    assert _titles(session, "Bộ TTTT nhuận bút") == [TAX[0]]
    assert _titles(session, "thong tin va truyen thong thuế") == [TAX[0]]
    assert _titles(session, "Bộ Y tế nhuận bút") == []
    assert _titles(session, "BTTTT họp báo") == [conference.title]


def test_a_full_name_is_found_only_with_its_words_in_order(session: Session) -> None:
    case = factories.Case(session)
    _answer(case, "Về phòng chống thiên tai", "Bộ đã báo cáo Quốc hội về phòng chống thiên tai?",
            "Bộ đã báo cáo đầy đủ.")

    assert _titles(session, "Bộ Quốc phòng") == []
    assert _titles(session, "bộ phòng quốc") == ["Về phòng chống thiên tai"]


def test_a_word_found_everywhere_is_ranked_among_its_newest_matches(
        session: Session, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(index, "CANDIDATES", 3)
    put(session, [Entry(kind="answer", ref_id=n, url=f"/answers/{n}", title=f"Thông tin số {n}",
                        body="Thông tin về thông tin.", organization_id=None, year=2025,
                        published_at=now() - timedelta(days=1)) for n in range(1, 6)])

    found = search(session, parse("thông tin"))
    few = search(session, parse("số"), Filters(kind="answer"))

    assert (found.total, found.capped) == (3, True)
    assert sorted(hit.entry.ref_id for hit in found.hits) == [3, 4, 5]
    assert dict(found.facets["kind"]) == {"answer": 3}
    assert (few.total, few.capped) == (3, True)


def test_the_rebuilt_index_finds_the_same(session: Session) -> None:
    case = factories.Case(session)
    _answer(case, *TAX)
    factories.conference(session, case.spokesperson, case.ministry,
                         title="Họp báo về thuế và phí báo chí")
    before = _titles(session, "thuế")

    count = rebuild_search(session)

    assert count == 2
    assert _titles(session, "thuế") == before


def test_the_search_page_shows_results_facets_and_marked_words(session: Session,
                                                                client) -> None:  # type: ignore[no-untyped-def]
    case = factories.Case(session)
    _answer(case, *TAX)
    _answer(case, "Về <script>alert(1)</script> thuế", "Thuế <b>đậm</b>?", "Trả lời về thuế.")
    session.commit()

    page = client.get("/search", params={"q": "thue thu nhap"})
    hostile = client.get("/search", params={"q": "thuế"}).text

    text = page_text(page.text)
    assert page.status_code == 200
    assert "1 kết quả cho “thue thu nhap”" in text
    assert TAX[0] in text
    assert "<mark>thuế</mark> <mark>thu</mark> <mark>nhập</mark>" in page.text
    assert "<script>alert(1)</script>" not in hostile
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hostile
    assert 'href="/search?q=thue+thu+nhap&amp;kind=answer"' in page.text


def test_the_search_page_and_api_say_when_more_match_than_are_counted(
        session: Session, client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(index, "CANDIDATES", 1)
    case = factories.Case(session)
    _answer(case, *TAX)
    _answer(case, "Về thuế nhà đất", "Thuế nhà đất tính thế nào?", "Theo luật thuế.")
    session.commit()

    page = page_text(client.get("/search", params={"q": "thuế"}).text)
    api = client.get("/api/v1/search", params={"q": "thuế"}).json()

    assert "Hơn 1 kết quả cho “thuế”; hiển thị các kết quả mới nhất." in page
    assert (api["total"], api["total_is_at_least"]) == (1, True)


def test_nothing_found_says_which_words_and_what_to_try(session: Session, client) -> None:  # type: ignore[no-untyped-def]
    case = factories.Case(session)
    _answer(case, *TAX)
    session.commit()

    page = client.get("/search", params={"q": "thuế tàu ngầm"})
    api = client.get("/api/v1/search", params={"q": "thuế tàu ngầm"}).json()

    text = page_text(page.text)
    assert "Không có kết quả cho “thuế tàu ngầm”" in text
    assert "tàu, ngầm" in text
    assert 'href="/search?q=thu%E1%BA%BF"' in page.text
    assert (api["total"], api["missing"], api["retry"]) == (0, ["tàu", "ngầm"], "thuế")


def test_the_api_returns_hits_with_snippets_and_facets(session: Session, client) -> None:  # type: ignore[no-untyped-def]
    case = factories.Case(session)
    _, answer = _answer(case, *TAX)
    session.commit()

    body = client.get("/api/v1/search", params={"q": "nhuận bút"}).json()

    assert body["total"] == 1
    hit = body["results"][0]
    assert (hit["kind"], hit["ref_id"], hit["url"]) == ("answer", answer.id, f"/answers/{answer.id}")
    assert [s["text"] for s in hit["snippet"] if s["match"]] == ["nhuận", "bút", "Nhuận", "bút"]
    assert body["facets"]["kind"] == [
        {"value": "answer", "label": "Câu trả lời chính thức", "count": 1, "selected": False}]


def test_partial_matches_follow_the_results_with_the_words_they_lack(session: Session,
                                                                      client) -> None:  # type: ignore[no-untyped-def]
    case = factories.Case(session)
    tax = _answer(case, *TAX)[1]
    fees = _answer(case, "Về mức nhuận bút cho tác phẩm báo in",
                   "Mức nhuận bút cho tác phẩm báo in được tính thế nào?",
                   "Nhuận bút được trả theo khung do cơ quan báo chí quy định.")[1]
    _answer(case, "Về thuế giá trị gia tăng", "Mặt hàng nào được giảm thuế giá trị gia tăng?",
            "Hàng hóa chịu thuế suất 10% được giảm 2%.")
    session.commit()

    api = client.get("/api/v1/search", params={"q": "thuế nhuận bút"}).json()
    page = page_text(client.get("/search", params={"q": "thuế nhuận bút"}).text)

    assert [hit["ref_id"] for hit in api["results"]] == [tax.id]
    # Holds "nhuận bút" but not "thuế"; the VAT answer holds only "thuế", a third of the query.
    assert [(hit["ref_id"], hit["lacking"]) for hit in api["partial"]] == [(fees.id, ["thuế"])]
    assert "Kết quả khớp một phần" in page
    assert "Về mức nhuận bút cho tác phẩm báo in" in page
    assert "Không chứa: thuế" in page
    assert "Về thuế giá trị gia tăng" not in page
    # When nothing holds every word, nothing is offered instead: an honest "no results".
    none = client.get("/api/v1/search", params={"q": "nhuận bút tàu ngầm"}).json()
    assert (none["total"], none["partial"]) == (0, [])


def test_a_search_has_its_own_feed_newest_first_advertised_on_its_page(session: Session,
                                                                       client) -> None:  # type: ignore[no-untyped-def]
    import lxml.html
    from lxml import etree

    atom = {"a": "http://www.w3.org/2005/Atom"}
    case = factories.Case(session)
    older = _answer(case, *TAX)[1]
    newer = _answer(case, "Về thuế đối với nhuận bút sách", "Nhuận bút sách có chịu thuế không?",
                    "Nhuận bút sách chịu thuế thu nhập cá nhân 10%.")[1]
    _answer(case, *RENT)
    session.commit()

    feed = etree.fromstring(client.get("/search/feed.atom", params={"q": "nhuan but"}).content)
    other = etree.fromstring(client.get("/search/feed.atom", params={"q": "tru so"}).content)
    page = client.get("/search", params={"q": "nhuan but"}).text

    base = "http://127.0.0.1:8000"
    assert [e.findtext("a:id", namespaces=atom) for e in feed.findall("a:entry", atom)] == [
        f"{base}/answers/{newer.id}", f"{base}/answers/{older.id}"]
    assert feed.findtext("a:title", namespaces=atom).startswith("Tìm kiếm: nhuan but · ")
    assert feed.find("a:link[@rel='alternate']", atom).get("href") == f"{base}/search?q=nhuan+but"
    content = feed.find("a:entry/a:content", atom).text
    assert "Nhuận bút sách chịu thuế thu nhập cá nhân 10%." in content
    assert len(other.findall("a:entry", atom)) == 1  # each query its own feed, not a cached one
    assert lxml.html.fromstring(page).xpath(
        "//head/link[@rel='alternate'][@type='application/atom+xml']/@href") == [
        "/search/feed.atom?q=nhuan+but", "/feed.atom"]


def test_an_answer_enters_the_index_only_once_published_with_who_asked(session: Session) -> None:
    from pressroom.accounts.models import Outlet
    from pressroom.answers.queries import search_entry

    case = factories.Case(session)
    _item, submitted = case.submitted_answer()
    _question, published = _answer(case, *TAX)

    assert search_entry(session, submitted) is None
    entry = search_entry(session, published)
    assert entry is not None
    outlet = session.get(Outlet, case.journalist.outlet_id)
    assert entry.context == f"{case.journalist.full_name}, {outlet.name}"
    assert outlet.name.startswith("Báo Nhân Dân")
    assert (entry.kind, entry.url, entry.organization_id) == (
        "answer", f"/answers/{published.id}", case.ministry.id)
