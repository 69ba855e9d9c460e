"""Plain factory functions that build test data through the services."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from sqlmodel import Session

from pressroom.accounts import service as accounts
from pressroom.accounts.enums import Role
from pressroom.accounts.models import User
from pressroom.accounts.service import start_login_session
from pressroom.answers import service as answers
from pressroom.answers.models import Answer
from pressroom.answers.schemas import AnswerDraft, AnswerPublish
from pressroom.conferences import service as conferences
from pressroom.conferences.models import PressConference
from pressroom.conferences.schemas import ConferenceCreate
from pressroom.core.clock import now
from pressroom.organizations import service as organizations
from pressroom.organizations.enums import OrgKind
from pressroom.organizations.models import Organization
from pressroom.questions import service as questions
from pressroom.questions.models import Question
from pressroom.questions.schemas import QuestionAssign, QuestionCreate

PASSWORD = "mật-khẩu-thử-nghiệm"
_seq = itertools.count(1)


def ministry(session: Session, name: str = "Bộ Thông tin và Truyền thông",
             short: str = "Bộ TTTT") -> Organization:
    return organizations.create_organization(session, name=f"{name} {next(_seq)}",
                                             short_name=short, kind=OrgKind.MINISTRY)


def government(session: Session) -> tuple[Organization, Organization, Organization, Organization]:
    """The Government Office, a ministry, a Government agency and another ministry, recorded
    out of name order (Bộ Y tế, Thanh tra Chính phủ, Bộ Công an)."""
    office = organizations.create_organization(session, name="Văn phòng Chính phủ",
                                               short_name="VPCP",
                                               kind=OrgKind.GOVERNMENT_OFFICE)
    health = organizations.create_organization(session, name="Bộ Y tế", short_name="BYT",
                                               kind=OrgKind.MINISTRY)
    inspectorate = organizations.create_organization(
        session, name="Thanh tra Chính phủ", short_name="TTCP", kind=OrgKind.AGENCY)
    police = organizations.create_organization(session, name="Bộ Công an", short_name="Bộ CA",
                                               kind=OrgKind.MINISTRY)
    return office, health, inspectorate, police


def unit(session: Session, parent: Organization, name: str = "Trung tâm Thông tin") -> Organization:
    return organizations.create_organization(session, name=f"{name} {next(_seq)}",
                                             kind=OrgKind.UNIT, parent_id=parent.id)


def user(session: Session, role: Role, *, org_id: int | None = None,
         full_name: str | None = None, email: str | None = None) -> User:
    n = next(_seq)
    outlet = (accounts.get_or_create_outlet(session, name=f"Báo Nhân Dân {n}")
              if role == Role.JOURNALIST else None)
    account = accounts.create_user(
        session, email=email or f"{role.value}{n}@example.vn",
        full_name=full_name or {"journalist": "Đặng Thu Hà", "unit_officer": "Lê Hải Yến",
                                "spokesperson": "Nguyễn Hồng Sâm",
                                "admin": "Quản Trị Viên"}[role.value],
        password=PASSWORD, role=role, outlet=outlet, press_card_number=f"TNB-{n:05d}")
    if role in (Role.UNIT_OFFICER, Role.SPOKESPERSON):
        if org_id is None:
            org = ministry(session)
            org_id = unit(session, org).id if role == Role.UNIT_OFFICER else org.id
        organizations.add_member(session, user_id=account.id or 0, organization_id=org_id or 0)
        if role == Role.SPOKESPERSON:
            organizations.add_spokesperson(
                session, organization_id=org_id or 0, full_name=account.full_name,
                title="Người phát ngôn, Chánh Văn phòng Bộ", phone="024 3943 7120",
                email=account.email, user_id=account.id)
    return account


def conference(session: Session, spokesperson: User, host: Organization, *,
               starts_at: datetime | None = None, hours: int = 2, announce: bool = True,
               title: str = "Họp báo thường kỳ quý IV năm 2026",
               participants: tuple[Organization, ...] = ()) -> PressConference:
    """A conference (announced unless ``announce=False``) at ``starts_at``. The services only
    schedule ahead, so one in the past or within a day is scheduled a week ahead, announced,
    and then moved to its time directly (as the demo does for history)."""
    start = starts_at or now() + timedelta(days=7)
    ahead = max(start, now() + timedelta(days=7))
    item = conferences.create_conference(session, actor=spokesperson, data=ConferenceCreate(
        title=title, host_organization_id=host.id or 0, starts_at=ahead,
        ends_at=ahead + timedelta(hours=hours), venue="18 Nguyễn Du, Hà Nội",
        description="Thông tin về công tác chuyển đổi số và Cổng Thông tin điện tử.",
        participant_ids=[org.id or 0 for org in participants]))
    if announce:
        conferences.announce_conference(session, actor=spokesperson, conference=item)
    if ahead != start:
        item.starts_at, item.ends_at = start, start + timedelta(hours=hours)
        session.add(item)
        session.flush()
    return item


def question(session: Session, journalist: User, *, addressed_to: Organization | None = None,
             conference_id: int | None = None,
             title: str = "Về tiến độ cấp thẻ nhà báo",
             body: str = "Xin Bộ cho biết tiến độ cấp đổi thẻ nhà báo nhiệm kỳ mới?") -> Question:
    return questions.submit_question(session, actor=journalist, data=QuestionCreate(
        title=f"{title} {next(_seq)}", body=body, conference_id=conference_id,
        addressed_to_id=addressed_to.id if addressed_to else None))


class Case:
    """A ministry with a unit, its spokesperson and officer, and a journalist."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.ministry = ministry(session)
        self.unit = unit(session, self.ministry)
        self.spokesperson = user(session, Role.SPOKESPERSON, org_id=self.ministry.id)
        self.officer = user(session, Role.UNIT_OFFICER, org_id=self.unit.id)
        self.journalist = user(session, Role.JOURNALIST)

    def question(self, **kwargs: object) -> Question:
        return question(self.session, self.journalist, addressed_to=self.ministry, **kwargs)  # type: ignore[arg-type]

    def assigned(self, **kwargs: object) -> Question:
        item = self.question(**kwargs)
        questions.accept_question(self.session, actor=self.spokesperson, question=item)
        questions.assign_question(self.session, actor=self.spokesperson, question=item,
                                  data=QuestionAssign(unit_id=self.unit.id or 0,
                                                      due_date=now().date() + timedelta(days=7)))
        return item

    def submitted_answer(
        self, body: str = "Trả lời: Bộ đã hoàn thành việc cấp đổi thẻ."
    ) -> tuple[Question, Answer]:
        item = self.assigned()
        answer = answers.save_draft(self.session, actor=self.officer, question=item,
                                    data=AnswerDraft(body=body))
        answers.submit_answer(self.session, actor=self.officer, question=item, answer=answer)
        return item, answer

    def published_answer(self, publish_at: datetime | None = None) -> tuple[Question, Answer]:
        item, answer = self.submitted_answer()
        answers.approve_answer(self.session, actor=self.spokesperson, question=item, answer=answer)
        answers.publish_answer(self.session, actor=self.spokesperson, question=item, answer=answer,
                               data=AnswerPublish(publish_at=publish_at))
        return item, answer


def bearer(session: Session, user: User) -> dict[str, str]:
    """API headers of a new login session of ``user`` (committed, as the API reads it)."""
    token = start_login_session(session, user=user)
    session.commit()
    return {"Authorization": f"Bearer {token}"}
