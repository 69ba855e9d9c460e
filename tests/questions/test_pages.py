from __future__ import annotations

from pressroom.accounts.enums import Role
from tests import factories
from tests.conftest import count_queries


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
    few = count_queries(connection, lambda: client.get("/staff/questions"))
    for _ in range(5):
        factories.question(session, factories.user(session, Role.JOURNALIST),
                           addressed_to=case.ministry)
    session.commit()
    response = []
    many = count_queries(connection, lambda: response.append(client.get("/staff/questions")))
    assert many == few
    assert response[0].text.count("Đặng Thu Hà") >= 6
