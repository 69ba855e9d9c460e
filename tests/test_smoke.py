from tests import factories


def test_published_answer_path_through_services(session):
    case = factories.Case(session)
    question, answer = case.published_answer()
    assert question.state == "published"
    assert answer.state == "approved"
    assert answer.approved_by_id == case.spokesperson.id
