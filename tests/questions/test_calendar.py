"""Deadlines on the working calendar: public holidays (Tết included) and weekends are not
counted, an admin adds extra days off and make-up Saturdays, a ministry has its own default
time to answer, and each case page says how its due date was counted."""

from __future__ import annotations

from datetime import date

import time_machine
from sqlmodel import Session

from pressroom.core.i18n import set_locale
from pressroom.core.workdays import NONE, Overrides, add_working_days, reckon
from pressroom.organizations.models import Organization
from pressroom.questions import service as questions
from pressroom.questions.models import CalendarDay
from pressroom.questions.queries import calendar_overrides
from tests.conftest import post_form
from tests.factories import Case
from tests.reading import field_value, hidden, page_text


def test_tet_and_weekends_are_not_working_days() -> None:
    set_locale("vi")
    # Friday 13 February 2026, then the weekend and the Tết holiday (16-20 February).
    reckoning = reckon(date(2026, 2, 13), date(2026, 2, 24))

    assert add_working_days(date(2026, 2, 13), 2) == date(2026, 2, 24)
    assert reckoning.working_days == 2
    assert [(d.day, reason) for d, reason in reckoning.skipped] == [
        (14, "Thứ Bảy"), (15, "Chủ Nhật"), (16, "Giao thừa Tết Nguyên Đán"),
        (17, "Tết Nguyên Đán"), (18, "Mùng hai Tết Nguyên Đán"), (19, "Mùng ba Tết Nguyên Đán"),
        (20, "Mùng bốn Tết Nguyên Đán"), (21, "Thứ Bảy"), (22, "Chủ Nhật")]


def test_extra_days_off_and_make_up_saturdays_count() -> None:
    friday = date(2026, 12, 4)
    overrides = Overrides(days_off={date(2026, 12, 7): "Nghỉ bù"},
                          working_days={date(2026, 12, 5): "Làm bù"})

    assert add_working_days(friday, 1, NONE) == date(2026, 12, 7)
    assert add_working_days(friday, 1, overrides) == date(2026, 12, 5)
    assert add_working_days(friday, 2, overrides) == date(2026, 12, 8)


def test_admin_edits_the_calendar_and_ministry_defaults(login_as, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    session.commit()
    admin, _user = login_as("admin")

    added = post_form(admin, "/admin/calendar", {"day": "2026-12-07", "working": "false",
                                                 "note": "Nghỉ bù theo Quyết định của Thủ tướng"},
                      page="/admin/calendar")
    weekday_as_working = post_form(admin, "/admin/calendar", {
        "day": "2026-12-08", "working": "true", "note": "Sai"}, page="/admin/calendar")
    default = post_form(admin, f"/admin/calendar/defaults/{case.ministry.id}", {"days": "10"},
                        page="/admin/calendar")
    too_long = post_form(admin, f"/admin/calendar/defaults/{case.ministry.id}", {"days": "99"},
                         page="/admin/calendar")
    page = page_text(admin.get("/admin/calendar").text)

    assert added.headers["location"] == "/admin/calendar"  # type: ignore[attr-defined]
    assert weekday_as_working.status_code == 400  # type: ignore[attr-defined]
    assert "Chỉ thứ Bảy hoặc Chủ nhật mới có thể là ngày làm bù." in page_text(
        weekday_as_working.text)  # type: ignore[attr-defined]
    assert default.headers["location"] == "/admin/calendar"  # type: ignore[attr-defined]
    assert too_long.status_code == 400  # type: ignore[attr-defined]
    assert "Nghỉ bù theo Quyết định của Thủ tướng" in page
    session.expire_all()
    assert session.get(CalendarDay, date(2026, 12, 7)).working is False  # type: ignore[union-attr]
    assert session.get(Organization, case.ministry.id).answer_due_working_days == 10  # type: ignore[union-attr]
    assert calendar_overrides(session).days_off == {
        date(2026, 12, 7): "Nghỉ bù theo Quyết định của Thủ tướng"}


def test_the_calendar_is_the_admins(login_as, client, session: Session) -> None:  # type: ignore[no-untyped-def]
    spokesperson, _user = login_as("spokesperson")

    assert client.get("/admin/calendar", follow_redirects=False).status_code == 303
    assert spokesperson.get("/admin/calendar").status_code == 403


def test_assignment_suggests_the_ministry_default_and_the_case_says_how_it_was_counted(
        login_as, session: Session) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(date(2026, 12, 2), tick=False):  # a Wednesday
        case = Case(session)
        case.ministry.answer_due_working_days = 3
        session.add(CalendarDay(day=date(2026, 12, 4), working=False, note="Nghỉ bù"))
        question = case.question()
        questions.accept_question(session, actor=case.spokesperson, question=question)
        session.commit()
        staff, _user = login_as(user=case.spokesperson)

        form_page = staff.get(f"/staff/questions/{question.id}").text
        assigned = post_form(staff, f"/staff/questions/{question.id}/assign", {
            "unit_id": str(case.unit.id), "due_date": field_value(form_page, "due_date"),
            "version": hidden(form_page, "version")}, page=f"/staff/questions/{question.id}")
        case_page = page_text(staff.get(f"/staff/questions/{question.id}").text)

    # Thursday 3, (Friday 4 off, weekend), Monday 7, Tuesday 8.
    assert field_value(form_page, "due_date") == "2026-12-08"
    assert "Gợi ý: 3 ngày làm việc kể từ hôm nay" in page_text(form_page)
    assert assigned.status_code == 303  # type: ignore[attr-defined]
    assert ("3 ngày làm việc kể từ 02/12/2026, ngày giao; không tính: 04/12/2026 (Nghỉ bù), "
            "05/12/2026 (Thứ Bảy), 06/12/2026 (Chủ Nhật).") in case_page
