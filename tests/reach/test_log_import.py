"""`pressroom reach import-log`: a proxy's access log (combined format) adds exactly the views
and downloads of the public addresses it holds, once."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlmodel import Session, SQLModel
from typer.testing import CliRunner

from pressroom.cli import app as cli
from pressroom.core.clock import now
from pressroom.core.db import open_session
from pressroom.core.errors import ValidationFailed
from pressroom.core.i18n import in_locale
from pressroom.reach.service import import_log
from tests import factories
from tests.reach.helpers import BROWSER, GOOGLEBOT, counters, held_with_transcript

IP = "203.0.113.77"


def _line(at: datetime, request: str, status: int = 200, agent: str = BROWSER,
          referer: str = "-") -> str:
    stamp = at.strftime("%d/%b/%Y:%H:%M:%S %z")
    return f'{IP} - - [{stamp}] "{request}" {status} 5120 "{referer}" "{agent}"\n'


def _encoded(number: int | None) -> str:
    return "".join(f"%{ord(c):02X}" for c in str(number))


class Sample:
    """A published answer, an unpublished one and a conference whose transcript was published
    two days ago; a log of the last three days with the lines a proxy writes."""

    def __init__(self, session: Session, tmp_path: Path) -> None:
        case = factories.Case(session)
        _q, self.answer = case.published_answer()
        _q, self.draft = case.submitted_answer()
        self.conference = held_with_transcript(session, case)
        base = now().replace(microsecond=0)
        self.days = [(base - timedelta(days=n)) for n in (3, 1)]
        self.conference.transcript_published_at = base - timedelta(days=2)
        session.add(self.conference)
        session.commit()
        a, c, d = self.answer.id, self.conference.id, self.draft.id
        early, late = self.days
        # 23:30 UTC is 06:30 the next day in Hà Nội: counted on the local day.
        night = early.astimezone(UTC).replace(hour=23, minute=30)
        self.lines = [
            _line(early, f"GET /answers/{a} HTTP/1.1",
                  referer="https://www.google.com/search?q=th%E1%BA%BB+nh%C3%A0+b%C3%A1o"),
            _line(early, f"GET /answers/{a}?utm_source=b%C3%A1o-%C4%91i%E1%BB%87n-t%E1%BB%AD "
                         "HTTP/2.0", status=304),
            _line(late, f"GET /answers/{_encoded(a)} HTTP/1.1"),
            _line(night, f"GET /answers/{a} HTTP/1.1"),
            _line(early, f"GET /answers/{a}/pdf HTTP/1.1"),
            _line(late, f"GET /answers/{a}/versions/1/pdf HTTP/1.1"),
            _line(late, f"GET /answers/{a}/pdf HTTP/1.1", status=206),
            _line(late, f"HEAD /answers/{a} HTTP/1.1"),
            _line(late, f"GET /answers/{a} HTTP/1.1", agent=GOOGLEBOT),
            _line(late, f"GET /answers/{a} HTTP/1.1", agent="-"),
            _line(late, f"GET /answers/{d} HTTP/1.1"),
            _line(late, "GET /search?q=gi%C3%A1+x%C4%83ng+d%E1%BA%A7u HTTP/1.1"),
            _line(late, "GET /tin-t%E1%BB%A9c/h%E1%BB%8Dp-b%C3%A1o HTTP/1.1", status=404),
            _line(late, f"GET /answers/{a}/ HTTP/1.1"),
            _line(late, f"POST /conferences/{c} HTTP/1.1"),
            _line(early, f"GET /conferences/{c} HTTP/1.1"),  # before its transcript was out
            _line(late, f"GET /conferences/{c} HTTP/1.1"),  # after: the transcript's view too
            _line(late, f"GET /conferences/{c}/transcript/pdf HTTP/1.1"),
            "this is not a log line\n",
        ]
        self.path = tmp_path / "access.log"
        self.path.write_text("".join(self.lines), encoding="utf-8")

    def local(self, moment: datetime):  # type: ignore[no-untyped-def]
        from pressroom.core.i18n import local_zone
        return moment.astimezone(local_zone()).date()


def test_log_adds_exactly_the_views_and_downloads_it_holds(session: Session, tmp_path: Path,
                                                           configure) -> None:  # type: ignore[no-untyped-def]
    configure(reach_views="log", reach_downloads="log")
    sample = Sample(session, tmp_path)
    early, late = (sample.local(day) for day in sample.days)
    night = sample.local(sample.days[0].astimezone(UTC).replace(hour=23, minute=30))
    a, c = sample.answer.id, sample.conference.id

    with sample.path.open("rb") as log:
        report = import_log(session, log=log)

    assert (report.lines, report.views, report.downloads) == (19, 6, 3)
    assert dict(report.skipped) == {"status": 2, "method": 2, "bot": 2, "not public": 1,
                                    "address": 2, "unreadable": 1}
    expected = {("answer", a, early): (2, 1), ("answer", a, late): (1, 1),
                ("conference", c, early): (1, 0), ("conference", c, late): (1, 0),
                ("transcript", c, late): (1, 1)}
    night_row = expected.get(("answer", a, night), (0, 0))
    expected[("answer", a, night)] = (night_row[0] + 1, night_row[1])
    assert {(k, i, d): (v, dl) for k, i, d, v, dl in counters(session)} == expected
    for table in SQLModel.metadata.sorted_tables:
        for row in session.execute(select(table)).all():
            assert IP not in " ".join(str(value) for value in row), table.name


def test_each_log_is_counted_once_and_a_grown_log_only_for_its_new_lines(
        session: Session, tmp_path: Path, configure) -> None:  # type: ignore[no-untyped-def]
    configure(reach_views="log", reach_downloads="log")
    sample = Sample(session, tmp_path)
    with sample.path.open("rb") as log:
        import_log(session, log=log)
    before = counters(session)

    with sample.path.open("rb") as log, pytest.raises(ValidationFailed) as again, \
            in_locale("en"):
        import_log(session, log=log)
    assert again.value.message == "This log holds no line that was not imported before."
    assert counters(session) == before

    with sample.path.open("a", encoding="utf-8") as log:
        log.write(_line(sample.days[1], f"GET /answers/{sample.answer.id} HTTP/1.1"))
        log.write(_line(sample.days[1], f"GET /answers/{sample.answer.id}/pdf HTTP/1.1"))
        log.write('198.51.100.1 - - [01/Dec/2026:10:00:00 +0700] "GET /answers/1 HTT')  # unfinished
    with sample.path.open("rb") as log:
        grown = import_log(session, log=log)

    assert (grown.lines, grown.views, grown.downloads) == (2, 1, 1)
    assert grown.already_read == len("".join(sample.lines).encode())
    late = sample.local(sample.days[1])
    after = {(k, i, d): (v, dl) for k, i, d, v, dl in counters(session)}
    assert after[("answer", sample.answer.id, late)] == (2, 2)


def test_only_what_the_settings_take_from_the_log_is_counted(session: Session, tmp_path: Path,
                                                             configure) -> None:  # type: ignore[no-untyped-def]
    sample = Sample(session, tmp_path)
    with sample.path.open("rb") as log, pytest.raises(ValidationFailed) as refused, \
            in_locale("en"):
        import_log(session, log=log)
    assert refused.value.message.startswith("Nothing is counted from access logs")

    configure(reach_downloads="log")  # views come from the counting request
    with sample.path.open("rb") as log:
        report = import_log(session, log=log)

    assert (report.views, report.downloads) == (0, 3)
    assert {row[0] for row in counters(session)} == {"answer", "transcript"}
    assert all(views == 0 for _k, _i, _d, views, _dl in counters(session))


def test_command_imports_a_compressed_log_once(committed_database: str, tmp_path: Path,
                                              configure) -> None:  # type: ignore[no-untyped-def]
    configure(reach_views="log", reach_downloads="log")
    with open_session(writing=True) as session:
        sample = Sample(session, tmp_path)
        answer_id = sample.answer.id
    packed = tmp_path / "access.log.1.gz"
    packed.write_bytes(gzip.compress(sample.path.read_bytes()))
    runner = CliRunner()

    first = runner.invoke(cli, ["reach", "import-log", str(packed)])
    second = runner.invoke(cli, ["reach", "import-log", str(packed)])

    assert first.exit_code == 0, first.output
    assert first.output == ("access.log.1.gz: 19 lines, 6 page views and 3 PDF downloads "
                            "added; skipped: 2 address, 2 bot, 2 method, 1 not public, "
                            "2 status, 1 unreadable.\n")
    assert second.exit_code == 1
    # The command speaks the site's language (Vietnamese by default).
    assert second.output == "Nhật ký này không có dòng nào chưa được nhập trước đây.\n"
    with open_session() as session:
        totals = session.execute(text(
            "SELECT SUM(views), SUM(downloads) FROM reach_day WHERE kind = 'answer' "
            "AND object_id = :id"), {"id": answer_id}).one()
        imports = session.execute(text("SELECT lines, views, downloads FROM reach_log_import"))
        assert tuple(totals) == (4, 2)
        assert [tuple(r) for r in imports] == [(19, 6, 3)]
