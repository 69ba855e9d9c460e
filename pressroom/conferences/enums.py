from __future__ import annotations

from enum import StrEnum

from pressroom.core.i18n import lazy


class ConferenceStatus(StrEnum):
    DRAFT = "draft"
    ANNOUNCED = "announced"
    POSTPONED = "postponed"
    LIVE = "live"
    HELD = "held"
    TRANSCRIPT_DRAFT = "transcript_draft"
    TRANSCRIPT_PUBLISHED = "transcript_published"
    CANCELLED = "cancelled"


CONFERENCE_TRANSITIONS: dict[ConferenceStatus, frozenset[ConferenceStatus]] = {
    ConferenceStatus.DRAFT: frozenset({ConferenceStatus.ANNOUNCED, ConferenceStatus.CANCELLED}),
    # Held without going live: recorded after the fact.
    ConferenceStatus.ANNOUNCED: frozenset({ConferenceStatus.POSTPONED, ConferenceStatus.LIVE,
                                           ConferenceStatus.HELD, ConferenceStatus.CANCELLED}),
    # Postponed to a new time: still upcoming (questions welcome), may be postponed again.
    ConferenceStatus.POSTPONED: frozenset({ConferenceStatus.POSTPONED, ConferenceStatus.LIVE,
                                           ConferenceStatus.HELD, ConferenceStatus.CANCELLED}),
    ConferenceStatus.LIVE: frozenset({ConferenceStatus.HELD}),
    # The first save of its transcript makes the draft; publishing makes it final (locked).
    ConferenceStatus.HELD: frozenset({ConferenceStatus.TRANSCRIPT_DRAFT}),
    ConferenceStatus.TRANSCRIPT_DRAFT: frozenset({ConferenceStatus.TRANSCRIPT_PUBLISHED}),
    ConferenceStatus.TRANSCRIPT_PUBLISHED: frozenset(),
    ConferenceStatus.CANCELLED: frozenset(),
}

UPCOMING_STATUSES = frozenset({ConferenceStatus.ANNOUNCED, ConferenceStatus.POSTPONED})
"""Public and still to come: journalists may send questions until it ends."""

PUBLIC_STATUSES = frozenset(
    {*UPCOMING_STATUSES, ConferenceStatus.LIVE, ConferenceStatus.HELD,
     ConferenceStatus.TRANSCRIPT_DRAFT, ConferenceStatus.TRANSCRIPT_PUBLISHED}
)
"""Public pages show these; a conference cancelled after it was announced stays public too
(its page says it was cancelled and why)."""

TRANSCRIPT_EDITABLE = frozenset({ConferenceStatus.HELD, ConferenceStatus.TRANSCRIPT_DRAFT})
"""The transcript is entered, imported and corrected until it is published (final, locked)."""

CONFERENCE_STATUS_LABELS = {
    ConferenceStatus.DRAFT: lazy("Draft"),
    ConferenceStatus.ANNOUNCED: lazy("Announced"),
    ConferenceStatus.POSTPONED: lazy("Postponed"),
    ConferenceStatus.LIVE: lazy("Live now"),
    ConferenceStatus.HELD: lazy("Held"),
    ConferenceStatus.TRANSCRIPT_DRAFT: lazy("Transcript in draft"),
    ConferenceStatus.TRANSCRIPT_PUBLISHED: lazy("Transcript published"),
    ConferenceStatus.CANCELLED: lazy("Cancelled"),
}


class AccreditationStatus(StrEnum):
    """A journalist's registration for a conference (đăng ký tác nghiệp)."""

    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"


ACCREDITATION_STATUS_LABELS = {
    AccreditationStatus.PENDING: lazy("Awaiting approval"),
    AccreditationStatus.APPROVED: lazy("Accredited"),
    AccreditationStatus.DECLINED: lazy("Declined"),
}

ACCREDITATION_OPEN = frozenset({*UPCOMING_STATUSES, ConferenceStatus.LIVE})
"""Journalists register, and the press office decides, until the conference ends."""


class LiveQuestionStatus(StrEnum):
    """A question asked in the room or online while the conference is live."""

    PENDING = "pending"
    APPROVED = "approved"
    ON_SCREEN = "on_screen"
    ANSWERED = "answered"
    DEFERRED = "deferred"
    DECLINED = "declined"


LIVE_MOVES: dict[str, tuple[frozenset[LiveQuestionStatus], LiveQuestionStatus]] = {
    # action: (from, to)
    "approve": (frozenset({LiveQuestionStatus.PENDING, LiveQuestionStatus.DECLINED}),
                LiveQuestionStatus.APPROVED),
    "decline": (frozenset({LiveQuestionStatus.PENDING, LiveQuestionStatus.APPROVED}),
                LiveQuestionStatus.DECLINED),
    "screen": (frozenset({LiveQuestionStatus.APPROVED}), LiveQuestionStatus.ON_SCREEN),
    "unscreen": (frozenset({LiveQuestionStatus.ON_SCREEN}), LiveQuestionStatus.APPROVED),
    "answered": (frozenset({LiveQuestionStatus.APPROVED, LiveQuestionStatus.ON_SCREEN}),
                 LiveQuestionStatus.ANSWERED),
}
"""The moderator's moves. Deferral to writing (approved or on screen → deferred) belongs to
the questions domain, which makes the written question."""

SHOWN_LIVE = frozenset({LiveQuestionStatus.APPROVED, LiveQuestionStatus.ON_SCREEN,
                        LiveQuestionStatus.ANSWERED, LiveQuestionStatus.DEFERRED})
"""What everyone watching sees; pending and declined questions only their asker and the
moderators."""

LIVE_STATUS_LABELS = {
    LiveQuestionStatus.PENDING: lazy("Awaiting moderation"),
    LiveQuestionStatus.APPROVED: lazy("In the queue"),
    LiveQuestionStatus.ON_SCREEN: lazy("On screen"),
    LiveQuestionStatus.ANSWERED: lazy("Answered live"),
    LiveQuestionStatus.DEFERRED: lazy("To be answered in writing"),
    LiveQuestionStatus.DECLINED: lazy("Declined"),
}
