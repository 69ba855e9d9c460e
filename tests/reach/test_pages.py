"""The press office's reach page and its CSV: a ministry's numbers, a chart with the right
bars, the most read, and only for those allowed."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlmodel import Session

from pressroom.core.security import LANG_COOKIE
from pressroom.reach.chart import daily_chart, nice_step
from pressroom.reach.enums import ReachKind
from pressroom.reach.queries import ReachRow
from pressroom.reach.report import reach_csv
from pressroom.reach.service import add_counts, today
from tests import factories
from tests.conftest import count_queries


class Counted:
    """Two ministries with read answers (and a conference of the first)."""

    def __init__(self, session: Session) -> None:
        self.case = factories.Case(session)
        self.other = factories.Case(session)
        _q, self.answer = self.case.published_answer()
        self.question = _q
        self.conference = factories.conference(session, self.case.spokesperson,
                                               self.case.ministry)
        _q2, self.foreign = self.other.published_answer()
        self.foreign_question = _q2
        self.today, self.yesterday = today(), today() - timedelta(days=1)
        add_counts(session, {
            (ReachKind.ANSWER, self.answer.id or 0, self.today): (8, 2),
            (ReachKind.ANSWER, self.answer.id or 0, self.yesterday): (4, 0),
            (ReachKind.CONFERENCE, self.conference.id or 0, self.yesterday): (1, 0),
            (ReachKind.ANSWER, self.foreign.id or 0, self.today): (50, 5),
        })
        session.commit()


def _bar(html: str, day: date, series: str) -> tuple[str, str]:
    found = re.search(rf'<rect class="pr-chart__bar pr-chart__bar--{series}" x="[0-9.]+" '
                      rf'y="([0-9.]+)" width="[0-9.]+" height="([0-9.]+)" '
                      rf'data-day="{day.isoformat()}"', html)
    assert found, (day, series)
    return found.group(1), found.group(2)


def test_spokesperson_sees_their_ministry_with_chart_and_most_read(session: Session,
                                                                   login_as) -> None:  # type: ignore[no-untyped-def]
    data = Counted(session)
    client, _user = login_as(user=data.case.spokesperson)
    client.cookies.set(LANG_COOKIE, "en")

    html = client.get("/staff/reach").text

    assert '<dd class="govuk-summary-list__value" id="reach-views">13</dd>' in html
    assert '<dd class="govuk-summary-list__value" id="reach-downloads">2</dd>' in html
    assert data.case.ministry.name in html
    assert data.foreign_question.title not in html
    # Scale: the highest day (8 views) rounds up to 8 in steps of 2; the plot is 218 high.
    assert html.count('<rect class="pr-chart__bar') == 60
    assert _bar(html, data.today, "views") == ("12.0", "218.0")
    assert _bar(html, data.today, "downloads") == ("175.5", "54.5")
    assert _bar(html, data.yesterday, "views") == ("93.75", "136.25")
    assert _bar(html, data.yesterday - timedelta(days=3), "views") == ("230.0", "0.0")
    assert '<title id="reach-chart-title">Views and downloads by day</title>' in html
    assert "13 page views and 2 PDF downloads in all" in html
    most_read = html[html.index("Most read</caption>"):]
    rows = re.findall(r'<a class="govuk-link" href="(/[a-z]+/\d+)">([^<]+)</a>\s*</td>\s*'
                      r'<td class="govuk-table__cell govuk-table__cell--numeric">(\d+)</td>\s*'
                      r'<td class="govuk-table__cell govuk-table__cell--numeric">(\d+)</td>',
                      most_read)
    assert rows == [(f"/answers/{data.answer.id}", data.question.title, "12", "2"),
                    (f"/conferences/{data.conference.id}", data.conference.title, "1", "0")]
    assert 'href="/staff/reach.csv?from=' in html


def test_page_in_vietnamese_by_default(session: Session, login_as) -> None:  # type: ignore[no-untyped-def]
    data = Counted(session)
    client, _user = login_as(user=data.case.spokesperson)

    html = client.get("/staff/reach").text

    assert "<title>Lượt xem và tải về" in html
    assert "Lượt xem trang" in html and "Lượt tải PDF" in html


def test_period_is_chosen_and_bad_dates_are_explained(session: Session, login_as) -> None:  # type: ignore[no-untyped-def]
    data = Counted(session)
    client, _user = login_as(user=data.case.spokesperson)
    client.cookies.set(LANG_COOKIE, "en")
    day = data.today.isoformat()

    only_today = client.get(f"/staff/reach?from={day}&to={day}").text
    reversed_ = client.get(f"/staff/reach?from={day}&to=2020-01-01")
    garbled = client.get("/staff/reach?from=h%C3%B4m-qua&to=")
    csv_refused = client.get("/staff/reach.csv?from=2020-01-01&to=2026-12-31")

    assert 'id="reach-views">8</dd>' in only_today
    assert only_today.count('<rect class="pr-chart__bar') == 2
    assert reversed_.status_code == 200
    assert "The first day must not be after the last day." in reversed_.text
    assert 'value="hôm-qua"' in garbled.text
    assert "Enter the first day as a date, for example 2026-11-01." in garbled.text
    assert csv_refused.status_code == 422
    assert "Choose at most 366 days." in csv_refused.text


def test_csv_holds_the_day_rows_in_utf8_with_bom(session: Session, login_as) -> None:  # type: ignore[no-untyped-def]
    data = Counted(session)
    client, _user = login_as(user=data.case.spokesperson)

    response = client.get(f"/staff/reach.csv?from={data.yesterday}&to={data.today}")

    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="luot-doc-{data.case.ministry.id}-{data.yesterday}-'
        f'{data.today}.csv"')
    assert response.content.decode("utf-8") == (
        "\ufeffday,kind,id,title,views,downloads\r\n"
        f"{data.yesterday},answer,{data.answer.id},{data.question.title},4,0\r\n"
        f"{data.yesterday},conference,{data.conference.id},{data.conference.title},1,0\r\n"
        f"{data.today},answer,{data.answer.id},{data.question.title},8,2\r\n")


def test_csv_titles_never_run_as_formulas() -> None:
    rows = [ReachRow(date(2026, 12, 1), ReachKind.ANSWER, 7, '=HYPERLINK("http://x","Bấm")',
                     3, 1, 1),
            ReachRow(date(2026, 12, 1), ReachKind.CONFERENCE, 8, "Họp báo, \"đặc biệt\"", 2, 0, 1)]

    assert reach_csv(rows).decode("utf-8") == (
        "\ufeffday,kind,id,title,views,downloads\r\n"
        "2026-12-01,answer,7,\"'=HYPERLINK(\"\"http://x\"\",\"\"Bấm\"\")\",3,1\r\n"
        "2026-12-01,conference,8,\"Họp báo, \"\"đặc biệt\"\"\",2,0\r\n")


def test_administrator_sees_every_ministry_and_may_choose_one(session: Session,
                                                              login_as) -> None:  # type: ignore[no-untyped-def]
    data = Counted(session)
    client, _user = login_as("admin")
    client.cookies.set(LANG_COOKIE, "en")

    everything = client.get("/staff/reach").text
    one = client.get(f"/staff/reach?ministry={data.other.ministry.id}").text

    assert 'id="reach-views">63</dd>' in everything
    by_ministry = everything[everything.index("By ministry or agency</caption>"):]
    assert re.search(rf">{re.escape(data.case.ministry.name)}</a></td>\s*<td[^>]*>13</td>\s*"
                     r"<td[^>]*>2</td>", by_ministry)
    assert re.search(rf">{re.escape(data.other.ministry.name)}</a></td>\s*<td[^>]*>50</td>\s*"
                     r"<td[^>]*>5</td>", by_ministry)
    assert 'id="reach-views">50</dd>' in one
    assert data.question.title not in one


def test_only_the_press_office_of_the_ministry_may_see_it(session: Session, client,
                                                          login_as) -> None:  # type: ignore[no-untyped-def]
    data = Counted(session)
    spokesperson, _user = login_as(user=data.case.spokesperson)
    journalist, _j = login_as(user=data.case.journalist)
    officer, _o = login_as(user=data.case.officer)

    anonymous = client.get("/staff/reach", follow_redirects=False)
    other = spokesperson.get(f"/staff/reach?ministry={data.other.ministry.id}")
    other_csv = spokesperson.get(f"/staff/reach.csv?ministry={data.other.ministry.id}")

    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == "/login?next=%2Fstaff%2Freach"
    assert journalist.get("/staff/reach").status_code == 403
    assert officer.get("/staff/reach.csv").status_code == 403
    assert other.status_code == 403 and data.foreign_question.title not in other.text
    assert other_csv.status_code == 403 and data.foreign_question.title not in other_csv.text


def test_page_reads_a_fixed_number_of_queries(session: Session, connection,
                                              login_as) -> None:  # type: ignore[no-untyped-def]
    data = Counted(session)
    client, _user = login_as(user=data.case.spokesperson)
    client.get("/staff/reach")
    few = count_queries(connection, lambda: client.get("/staff/reach"))
    for _ in range(4):
        _q, answer = data.case.published_answer()
        add_counts(session, {(ReachKind.ANSWER, answer.id or 0, data.today): (1, 1)})
    session.commit()

    many = count_queries(connection, lambda: client.get("/staff/reach"))

    assert many == few


def test_chart_scale_rounds_up_to_round_steps() -> None:
    assert [nice_step(v) for v in (0, 0.5, 1, 1.2, 2, 3, 7, 12, 26, 140)] == [
        1, 1, 1, 2, 2, 5, 10, 20, 50, 200]
    chart = daily_chart([(date(2026, 12, 1), 0, 0), (date(2026, 12, 2), 30, 10)])
    assert chart.top_value == 40
    assert [t.value for t in chart.ticks] == [0, 10, 20, 30, 40]
    assert [(b.series, b.value, b.height) for b in chart.bars] == [
        ("views", 0, 0.0), ("downloads", 0, 0.0), ("views", 30, 163.5),
        ("downloads", 10, 54.5)]
    assert [label.day.day for label in chart.labels] == [1, 2]


def test_hostile_query_values_never_break_the_page(session: Session, login_as) -> None:  # type: ignore[no-untyped-def]
    data = Counted(session)
    client, _user = login_as(user=data.case.spokesperson)
    hostile = ["ministry=1000000000000000000000000", "ministry=-1", "ministry=abc",
               "from=2026-02-30", "from=%00", "to=%ED%A0%80", "from=" + "9" * 39,
               "from=0001-01-01&to=9999-12-31", "to=<script>alert(1)</script>"]

    answers = {query: client.get(f"/staff/reach?{query}").status_code for query in hostile}
    files = {query: client.get(f"/staff/reach.csv?{query}").status_code for query in hostile}

    assert set(answers.values()) | set(files.values()) <= {200, 400, 422}, (answers, files)
    assert answers["to=<script>alert(1)</script>"] == 200
    assert "<script>alert(1)</script>" not in client.get(
        "/staff/reach?to=<script>alert(1)</script>").text
