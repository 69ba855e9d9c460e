"""What a notification is about (its kind, with its texts), how a user gets mail, and the
states of an outgoing mail."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pressroom.core.i18n import lazy


class NotificationKind(StrEnum):
    """Every event that notifies someone; the comment names who is meant to receive it (the
    caller chooses the recipients)."""

    QUESTION_SUBMITTED = "question_submitted"  # the ministry's spokespersons
    QUESTION_ASSIGNED = "question_assigned"  # the unit's officers
    QUESTION_TRANSFERRED_TO_UNIT = "question_transferred_to_unit"  # the new unit's officers
    INPUT_REQUESTED = "input_requested"  # a helper unit's officers
    ANSWER_DUE_SOON = "answer_due_soon"  # the unit's officers (due in 2 working days)
    ANSWER_OVERDUE = "answer_overdue"  # the unit's officers, then the spokesperson
    ANSWER_RETURNED = "answer_returned"  # the officer who submitted the answer
    ANSWER_AWAITING_APPROVAL = "answer_awaiting_approval"  # the spokesperson
    QUESTION_DECLINED = "question_declined"  # the journalist
    QUESTION_MERGED = "question_merged"  # the journalist
    QUESTION_TRANSFERRED = "question_transferred"  # the journalist
    HOLDING_ANSWER = "holding_answer"  # the journalist
    QUESTION_ANSWERED = "question_answered"  # the journalist
    ANSWER_PUBLISHED = "answer_published"  # the journalist
    ANSWER_CORRECTED = "answer_corrected"  # the journalist
    ACCREDITATION_APPROVED = "accreditation_approved"  # the journalist
    ACCREDITATION_DECLINED = "accreditation_declined"  # the journalist


@dataclass(frozen=True)
class KindText:
    """A kind's subject and text (English message ids, translated for each recipient) and the
    parameters both need. Values may be text, dates or times (shown in the recipient's
    language) or numbers."""

    subject: str
    text: str
    params: frozenset[str]


def _text(subject: str, text: str, *params: str) -> KindText:
    return KindText(subject, text, frozenset(("title", *params)))


KIND_TEXTS: dict[NotificationKind, KindText] = {
    NotificationKind.QUESTION_SUBMITTED: _text(
        lazy("New question: «%(title)s»"),
        lazy("%(asker)s sent a question to %(organization)s. Screen it: accept and assign it, "
             "transfer, merge or decline it."),
        "asker", "organization"),
    NotificationKind.QUESTION_ASSIGNED: _text(
        lazy("Question assigned to your unit: «%(title)s»"),
        lazy("%(unit)s is to answer this question by %(due_date)s."),
        "unit", "due_date"),
    NotificationKind.QUESTION_TRANSFERRED_TO_UNIT: _text(
        lazy("Question transferred to your unit: «%(title)s»"),
        lazy("The question was transferred to %(unit)s, which is to answer it by %(due_date)s."),
        "unit", "due_date"),
    NotificationKind.ANSWER_DUE_SOON: _text(
        lazy("Answer due soon: «%(title)s»"),
        lazy("The answer of %(unit)s is due on %(due_date)s."),
        "unit", "due_date"),
    NotificationKind.ANSWER_OVERDUE: _text(
        lazy("Answer overdue: «%(title)s»"),
        lazy("%(unit)s has not answered yet; the due date was %(due_date)s."),
        "unit", "due_date"),
    NotificationKind.ANSWER_RETURNED: _text(
        lazy("Answer returned: «%(title)s»"),
        lazy("%(reviewer)s returned the answer with this comment: %(comment)s"),
        "reviewer", "comment"),
    NotificationKind.ANSWER_AWAITING_APPROVAL: _text(
        lazy("Answer awaiting approval: «%(title)s»"),
        lazy("%(unit)s submitted an answer for your approval."),
        "unit"),
    NotificationKind.QUESTION_DECLINED: _text(
        lazy("Your question was declined: «%(title)s»"),
        lazy("%(organization)s declined the question. Reason: %(reason)s"),
        "organization", "reason"),
    NotificationKind.QUESTION_MERGED: _text(
        lazy("Your question was merged: «%(title)s»"),
        lazy("It asks the same as «%(other_title)s»; you will receive that question's answer."),
        "other_title"),
    NotificationKind.QUESTION_TRANSFERRED: _text(
        lazy("Your question was transferred: «%(title)s»"),
        lazy("It was transferred to %(organization)s, which will answer it. Reason: "
             "%(reason)s"),
        "organization", "reason"),
    NotificationKind.HOLDING_ANSWER: _text(
        lazy("Holding answer to your question: «%(title)s»"),
        lazy("%(organization)s will answer by %(answer_by)s: %(message)s"),
        "organization", "answer_by", "message"),
    NotificationKind.QUESTION_ANSWERED: _text(
        lazy("Your question was answered: «%(title)s»"),
        lazy("%(organization)s approved the official answer to your question."),
        "organization"),
    NotificationKind.ANSWER_PUBLISHED: _text(
        lazy("Answer published: «%(title)s»"),
        lazy("The official answer of %(organization)s is published."),
        "organization"),
    NotificationKind.INPUT_REQUESTED: _text(
        lazy("Your unit's input is asked: «%(title)s»"),
        lazy("%(unit)s answers this question and asks your unit for input by %(due_date)s, in "
             "the question's internal comments."),
        "unit", "due_date"),
    NotificationKind.ANSWER_CORRECTED: _text(
        lazy("Answer corrected: «%(title)s»"),
        lazy("%(organization)s published a corrected version of the official answer. "
             "Reason: %(reason)s"),
        "organization", "reason"),
    NotificationKind.ACCREDITATION_APPROVED: _text(
        lazy("Accredited: «%(title)s»"),
        lazy("You are accredited to attend this press conference at %(starts_at)s, %(venue)s. "
             "Bring your press card."),
        "starts_at", "venue"),
    NotificationKind.ACCREDITATION_DECLINED: _text(
        lazy("Accreditation declined: «%(title)s»"),
        lazy("Your registration for this press conference was declined. Reason: %(reason)s"),
        "reason"),
}


class Delivery(StrEnum):
    """How a user gets notification mail (the in-app list always has every notification)."""

    IMMEDIATE = "immediate"
    DIGEST = "digest"


DELIVERY_LABELS = {
    Delivery.IMMEDIATE: lazy("An e-mail for each notification, straight away"),
    Delivery.DIGEST: lazy("One e-mail a day with all notifications (daily digest)"),
}


class MailState(StrEnum):
    """An outgoing mail: pending (waiting, perhaps for a retry), sending (a dispatcher holds
    it), sent (handed over to the mail server), failed (given up), kept (no mail server is
    set: kept for the administrators' outbox page)."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    KEPT = "kept"


MAIL_STATE_LABELS = {
    MailState.PENDING: lazy("Waiting to be sent"),
    MailState.SENDING: lazy("Sending"),
    MailState.SENT: lazy("Sent"),
    MailState.FAILED: lazy("Not sent (gave up)"),
    MailState.KEPT: lazy("Kept (no mail server set)"),
}
