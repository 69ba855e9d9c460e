"""Form handling for answer pages."""

from __future__ import annotations

from typing import Any, NamedTuple

from starlette.datastructures import FormData, UploadFile

from pressroom.answers import files
from pressroom.answers.schemas import (
    AnswerCorrection,
    AnswerDraft,
    AnswerPublish,
    AnswerReturn,
    CommentIn,
)
from pressroom.core.formtools import local_datetime, text_of, validate
from pressroom.core.i18n import gettext as _
from pressroom.questions.schemas import (
    DueExtension,
    HoldingReply,
    QuestionAssign,
    QuestionEdit,
    QuestionMerge,
    QuestionReject,
    QuestionTransfer,
)


class DraftPost(NamedTuple):
    draft: AnswerDraft
    upload: tuple[str, bytes] | None  # a file attached to the draft: its name and bytes


def _upload(form: FormData, name: str) -> tuple[str, bytes] | None:
    """The file sent in field ``name``, if any (read up to one byte over the limit, so that a
    larger one is told apart without reading it all)."""
    sent = form.get(name)
    if isinstance(sent, UploadFile) and sent.filename:
        return sent.filename, sent.file.read(files.MAX_BYTES + 1)
    return None


def draft_form(form: FormData) -> tuple[DraftPost | None, dict[str, Any], dict[str, str]]:
    raw = {"body": text_of(form, "body")}
    model, errors = validate(AnswerDraft, raw)
    return (DraftPost(model, _upload(form, "answer_file")) if model is not None else None), \
        raw, errors


def return_form(form: FormData) -> tuple[AnswerReturn | None, dict[str, Any], dict[str, str]]:
    raw = {"comment": text_of(form, "comment")}
    model, errors = validate(AnswerReturn, raw)
    return model, raw, errors


def publish_form(form: FormData) -> tuple[AnswerPublish | None, dict[str, Any], dict[str, str]]:
    raw = {"publish_at": text_of(form, "publish_at")}
    when = "" if form.get("when") == "now" else raw["publish_at"]
    if form.get("when") == "later" and not when:
        return None, raw, {"publish_at": _("Enter the publication time.")}
    model, errors = validate(AnswerPublish, {"publish_at": local_datetime(when)})
    return model, raw, errors


def correction_form(form: FormData
                    ) -> tuple[AnswerCorrection | None, dict[str, Any], dict[str, str]]:
    raw = {name: text_of(form, name) for name in ("body", "reason")}
    model, errors = validate(AnswerCorrection, raw)
    return model, raw, errors


def reject_form(form: FormData) -> tuple[QuestionReject | None, dict[str, Any], dict[str, str]]:
    raw = {"ground": text_of(form, "ground"), "message": text_of(form, "message")}
    model, errors = validate(QuestionReject, {**raw, "ground": raw["ground"] or None})
    return model, raw, errors


def question_edit_form(form: FormData
                       ) -> tuple[QuestionEdit | None, dict[str, Any], dict[str, str]]:
    raw = {"title": text_of(form, "title"), "body": text_of(form, "body")}
    model, errors = validate(QuestionEdit, raw)
    return model, raw, errors


def merge_form(form: FormData) -> tuple[QuestionMerge | None, dict[str, Any], dict[str, str]]:
    raw = {"into_id": text_of(form, "into_id")}
    model, errors = validate(QuestionMerge, {"into_id": raw["into_id"] or None})
    return model, raw, errors


def assign_form(form: FormData) -> tuple[QuestionAssign | None, dict[str, Any], dict[str, str]]:
    raw: dict[str, Any] = {name: text_of(form, name)
                           for name in ("unit_id", "due_date", "urgent_hours", "note")}
    raw["helper_unit_ids"] = [v for v in form.getlist("helper_unit_ids") if isinstance(v, str)]
    model, errors = validate(QuestionAssign, {
        **raw, "unit_id": raw["unit_id"] or None, "due_date": raw["due_date"] or None,
        "urgent_hours": raw["urgent_hours"] or None})
    return model, raw, errors


def holding_form(form: FormData) -> tuple[HoldingReply | None, dict[str, Any], dict[str, str]]:
    raw = {name: text_of(form, name) for name in ("answer_by", "message")}
    # An empty date is a missing one ("required"), not an invalid one.
    model, errors = validate(HoldingReply, {k: v for k, v in raw.items() if v})
    return model, raw, errors


def extension_form(form: FormData) -> tuple[DueExtension | None, dict[str, Any], dict[str, str]]:
    raw = {name: text_of(form, name) for name in ("extended_to", "reason")}
    model, errors = validate(DueExtension, {k: v for k, v in raw.items() if v})
    return model, raw, errors


def transfer_form(form: FormData
                  ) -> tuple[QuestionTransfer | None, dict[str, Any], dict[str, str]]:
    raw = {name: text_of(form, name) for name in ("to_id", "reason")}
    model, errors = validate(QuestionTransfer, {k: v for k, v in raw.items() if v})
    return model, raw, errors


class CommentPost(NamedTuple):
    comment: CommentIn
    upload: tuple[str, bytes] | None  # a file sent with it: its name and bytes


def comment_form(form: FormData) -> tuple[CommentPost | None, dict[str, Any], dict[str, str]]:
    """A comment and the file sent with it, if any."""
    raw = {"text": text_of(form, "text")}
    model, errors = validate(CommentIn, raw)
    return (CommentPost(model, _upload(form, "file")) if model is not None else None), raw, \
        errors
