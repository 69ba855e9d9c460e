from __future__ import annotations

from sqlalchemy import event

from pressroom.accounts.enums import Role
from tests import factories


def _count_queries(connection, action) -> int:  # type: ignore[no-untyped-def]
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(connection, "before_cursor_execute", record)
    try:
        action()
    finally:
        event.remove(connection, "before_cursor_execute", record)
    return len(statements)


def test_my_questions_names_the_conference(login_as, session):
    case = factories.Case(session)
    conf = factories.conference(session, case.spokesperson, case.ministry,
                                title="Họp báo chuyên đề về chuyển đổi số")
    question = factories.question(session, case.journalist, conference_id=conf.id)
    client, _ = login_as(user=case.journalist)
    page = client.get("/my/questions").text
    assert question.title in page
    assert "Họp báo chuyên đề về chuyển đổi số" in page


def test_screening_list_shows_askers_without_a_query_per_row(login_as, session, connection):
    case = factories.Case(session)
    case.question()
    client, _ = login_as(user=case.spokesperson)
    few = _count_queries(connection, lambda: client.get("/staff/questions"))
    for _ in range(5):
        factories.question(session, factories.user(session, Role.JOURNALIST),
                           addressed_to=case.ministry)
    session.commit()
    response = []
    many = _count_queries(connection, lambda: response.append(client.get("/staff/questions")))
    assert many == few
    assert response[0].text.count("Đặng Thu Hà") >= 6
