"""Imports every table so that SQLModel.metadata is complete (Alembic, tests, CLI)."""

from pressroom.accounts.models import LoginAttempt, LoginSession, Outlet, User
from pressroom.alerts.models import AlertedItem, AlertSubscription
from pressroom.answers.models import Answer
from pressroom.conferences.models import (
    Accreditation,
    ConferenceParticipant,
    LiveQuestion,
    LiveVote,
    PressConference,
    TranscriptTurn,
    TrustedOutlet,
)
from pressroom.core.audit import Event
from pressroom.core.idempotency import SubmissionKey
from pressroom.notifications.models import Mail, Notification, NotificationPreference
from pressroom.organizations.models import Membership, Organization, Spokesperson
from pressroom.publishing.models import StoredPdf
from pressroom.questions.models import Assignment, Question
from pressroom.reach.models import ReachDay, ReachLogImport
from pressroom.search.models import SearchEntry

__all__ = [
    "Accreditation",
    "AlertSubscription",
    "AlertedItem",
    "Answer",
    "Assignment",
    "ConferenceParticipant",
    "Event",
    "LiveQuestion",
    "LiveVote",
    "LoginAttempt",
    "LoginSession",
    "Mail",
    "Membership",
    "Notification",
    "NotificationPreference",
    "Organization",
    "Outlet",
    "PressConference",
    "Question",
    "ReachDay",
    "ReachLogImport",
    "SearchEntry",
    "Spokesperson",
    "StoredPdf",
    "SubmissionKey",
    "TranscriptTurn",
    "TrustedOutlet",
    "User",
]
