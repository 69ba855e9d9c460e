"""Data of the reach tests: public things to count, and the counter rows as tuples."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, col, select

from pressroom.conferences import service as conferences
from pressroom.conferences.models import PressConference
from pressroom.conferences.schemas import TranscriptIn, TurnIn
from pressroom.core.clock import now
from pressroom.reach.models import ReachDay
from tests import factories

BROWSER = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/131.0.0.0 Safari/537.36")
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def counters(session: Session) -> list[tuple[str, int, date, int, int]]:
    """Every counter row: (kind, id, day, views, downloads), in order."""
    session.expire_all()
    rows = session.exec(select(ReachDay).order_by(col(ReachDay.day), col(ReachDay.kind),
                                                  col(ReachDay.object_id)))
    return [(row.kind.value, row.object_id, row.day, row.views, row.downloads) for row in rows]


def held_with_transcript(session: Session, case: factories.Case,
                         title: str = "Họp báo Chính phủ thường kỳ tháng 11") -> PressConference:
    """A conference held three hours ago whose transcript is published."""
    conference = factories.conference(session, case.spokesperson, case.ministry, title=title,
                                      starts_at=now() - timedelta(hours=3))
    conferences.mark_conference_held(session, actor=case.spokesperson, conference=conference)
    conferences.replace_transcript(session, actor=case.spokesperson, conference=conference,
                                   data=TranscriptIn(turns=[TurnIn(
                                       speaker_name="Nguyễn Hồng Sâm",
                                       text="Bộ sẽ công bố kết quả rà soát trong quý I.")]))
    conferences.publish_transcript(session, actor=case.spokesperson, conference=conference)
    return conference
