"""The spokesperson's conference pages: the transcript editor's "linked question" choice."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from pressroom.accounts.enums import Role
from pressroom.conferences import service as conferences
from pressroom.conferences.models import PressConference
from pressroom.conferences.schemas import TranscriptIn, TurnIn
from pressroom.core.clock import now
from pressroom.core.i18n import gettext as _
from tests import factories

NONE = ("", "—")


def _text(fragment: str) -> str:
    """What a reader sees of an HTML fragment: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _options(page: str, name: str) -> list[tuple[str, str]] | None:
    """The (value, label) options of the select ``name``; None when the page has no such select."""
    select = re.search(rf'<select [^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    if select is None:
        return None
    return [(html.unescape(value), _text(label)) for value, label in
            re.findall(r'<option value="([^"]*)"[^>]*>(.*?)</option>', select.group(1), re.S)]


def _started(session, case: factories.Case, title: str) -> PressConference:
    """An announced conference that began an hour ago (journalists may still send questions)."""
    return factories.conference(session, case.spokesperson, case.ministry, title=title,
                                starts_at=now() - timedelta(hours=1))


def test_transcript_editor_offers_exactly_the_questions_asked_at_the_conference(login_as, session):
    case = factories.Case(session)
    conference = _started(session, case, "Họp báo Chính phủ thường kỳ tháng 11")
    elsewhere = _started(session, case, "Họp báo chuyên đề về chuyển đổi số")
    first = case.question(conference_id=conference.id, title="Về giá điện")
    other = case.question(conference_id=elsewhere.id, title="Về an ninh mạng")
    second = case.question(conference_id=conference.id, title="Về thuế <VAT> & phí")
    written = case.question(title="Về cấp thẻ nhà báo")
    third = factories.question(session, factories.user(session, Role.JOURNALIST),
                               addressed_to=case.ministry, conference_id=conference.id,
                               title="Về nhà ở xã hội")
    conferences.mark_conference_held(session, actor=case.spokesperson, conference=conference)
    client, _user = login_as(user=case.spokesperson)

    page = client.get(f"/staff/conferences/{conference.id}").text

    expected = [NONE] + [(str(q.id), f"#{q.id} {q.title}") for q in (first, second, third)]
    # An empty row for each of the three turns the editor offers, each with the same choice.
    for row in range(3):
        assert _options(page, f"turns-{row}-question_id") == expected
    assert other.title not in page
    assert written.title not in page


def test_transcript_editor_of_another_conference_offers_none_of_these_questions(login_as, session):
    case = factories.Case(session)
    conference = _started(session, case, "Họp báo Chính phủ thường kỳ tháng 11")
    elsewhere = _started(session, case, "Họp báo chuyên đề về chuyển đổi số")
    asked_elsewhere = case.question(conference_id=elsewhere.id, title="Về an ninh mạng")
    own = case.question(conference_id=conference.id, title="Về giá điện")
    conferences.mark_conference_held(session, actor=case.spokesperson, conference=elsewhere)
    client, _user = login_as(user=case.spokesperson)

    page = client.get(f"/staff/conferences/{elsewhere.id}").text

    assert _options(page, "turns-0-question_id") == [
        NONE, (str(asked_elsewhere.id), f"#{asked_elsewhere.id} {asked_elsewhere.title}")]
    assert own.title not in page


def test_transcript_editor_without_questions_offers_no_question_choice(login_as, session):
    case = factories.Case(session)
    conference = _started(session, case, "Họp báo Chính phủ thường kỳ tháng 11")
    elsewhere = _started(session, case, "Họp báo chuyên đề về chuyển đổi số")
    asked_elsewhere = case.question(conference_id=elsewhere.id, title="Về an ninh mạng")
    case.question(title="Về cấp thẻ nhà báo")
    conferences.mark_conference_held(session, actor=case.spokesperson, conference=conference)
    client, _user = login_as(user=case.spokesperson)

    page = client.get(f"/staff/conferences/{conference.id}").text

    assert 'name="turns-0-speaker_name"' in page  # the editor is there …
    assert _options(page, "turns-0-question_id") is None  # … without a question to link
    assert asked_elsewhere.title not in page


def test_transcript_editor_keeps_the_linked_question_of_a_saved_turn(login_as, session):
    case = factories.Case(session)
    conference = _started(session, case, "Họp báo Chính phủ thường kỳ tháng 11")
    first = case.question(conference_id=conference.id, title="Về giá điện")
    second = case.question(conference_id=conference.id, title="Về nhà ở xã hội")
    conferences.mark_conference_held(session, actor=case.spokesperson, conference=conference)
    conferences.replace_transcript(session, actor=case.spokesperson, conference=conference,
                                   data=TranscriptIn(turns=[TurnIn(
                                       speaker_name="Nguyễn Hồng Sâm", text="Xin trả lời về nhà ở.",
                                       question_id=second.id)]))
    client, _user = login_as(user=case.spokesperson)

    page = client.get(f"/staff/conferences/{conference.id}").text

    selected = re.search(r'<select [^>]*name="turns-0-question_id"[^>]*>.*?'
                         r'<option value="([^"]*)" selected>', page, re.S)
    assert selected and selected.group(1) == str(second.id)
    assert _options(page, "turns-0-question_id") == [
        NONE, (str(first.id), f"#{first.id} {first.title}"),
        (str(second.id), f"#{second.id} {second.title}")]


def test_published_transcript_names_the_linked_question(login_as, session):
    case = factories.Case(session)
    conference = _started(session, case, "Họp báo Chính phủ thường kỳ tháng 11")
    case.question(conference_id=conference.id, title="Về giá điện")
    linked = case.question(conference_id=conference.id, title="Về nhà ở xã hội")
    conferences.mark_conference_held(session, actor=case.spokesperson, conference=conference)
    conferences.replace_transcript(session, actor=case.spokesperson, conference=conference,
                                   data=TranscriptIn(turns=[TurnIn(
                                       speaker_name="Nguyễn Hồng Sâm", text="Xin trả lời về nhà ở.",
                                       question_id=linked.id)]))
    conferences.publish_transcript(session, actor=case.spokesperson, conference=conference)
    client, _user = login_as(user=case.spokesperson)

    page = client.get(f"/staff/conferences/{conference.id}").text

    notes = [_text(n) for n in re.findall(r'<p class="govuk-body-s pr-muted">(.*?)</p>', page, re.S)]
    assert _("On the question: %(title)s", title=f"#{linked.id} {linked.title}") in notes
