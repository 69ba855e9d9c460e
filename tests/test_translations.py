"""The translation catalogues: every message in the code and templates has a Vietnamese
translation, placeholders survive translation, and the catalogue compiles to what users read.

The messages are extracted afresh (as `make extract` does), so a string added to a template
without running `make extract` and translating it fails here, not in front of a press officer.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "pressroom" / "translations"
VI_PO = TRANSLATIONS / "vi" / "LC_MESSAGES" / "messages.po"
ALL_PO = sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))

# `%(name)s`-style placeholders (Python and Jinja2 newstyle gettext) and `%{name}`-style ones
# (GOV.UK Frontend's JavaScript i18n).
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|%\{\w+\}")


def _load(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f)


def _ids(message: Message) -> tuple[str, ...]:
    return (message.id,) if isinstance(message.id, str) else tuple(message.id)


def _strings(message: Message) -> tuple[str, ...]:
    return (message.string,) if isinstance(message.string, str) else tuple(message.string)


def _label(message: Message) -> str:
    return " | ".join(_ids(message))


def _entries(catalog: Catalog) -> Iterator[Message]:
    return (m for m in catalog if m.id)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """The messages as the code and templates have them now (`make extract`, first half)."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    CommandLineInterface().run([
        "pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-k", "lazy",
        "-o", str(pot), str(ROOT),
    ])
    return _load(pot)


@pytest.fixture(scope="module")
def vi() -> Catalog:
    return _load(VI_PO)


def test_every_message_has_a_vietnamese_translation(template: Catalog, vi: Catalog) -> None:
    assert len(template) > 0, "extraction found no messages; check babel.cfg"
    missing = []
    for message in _entries(template):
        translated = vi.get(message.id)
        if translated is None or not all(s.strip() for s in _strings(translated)):
            locations = ", ".join(
                f"{str(file).removeprefix(f'{ROOT}/')}:{line}" for file, line in message.locations[:2]
            )
            missing.append(f"{_label(message)!r} ({locations})")
    assert not missing, (
        f"{len(missing)} message(s) have no Vietnamese translation; run `make extract` and "
        "translate them in pressroom/translations/vi/LC_MESSAGES/messages.po:\n  "
        + "\n  ".join(missing)
    )


@pytest.mark.parametrize("po", ALL_PO, ids=lambda p: p.parts[-3])
def test_no_fuzzy_entries(po: Path) -> None:
    catalog = _load(po)
    assert not catalog.fuzzy, f"{po.relative_to(ROOT)}: the header is marked fuzzy"
    fuzzy = [_label(m) for m in _entries(catalog) if m.fuzzy]
    assert not fuzzy, (
        f"{po.relative_to(ROOT)}: fuzzy entries are not used at run time; check each "
        "translation and remove the `#, fuzzy` flag:\n  " + "\n  ".join(fuzzy)
    )


def test_vietnamese_has_one_plural_form(vi: Catalog) -> None:
    assert vi.num_plurals == 1
    assert vi.plural_expr == "0"


def test_placeholders_are_kept(vi: Catalog) -> None:
    wrong = []
    for message in _entries(vi):
        ids = _ids(message)
        # Vietnamese has a single form; it is used for every n, so it takes the plural's
        # placeholders.
        expected = sorted(PLACEHOLDER.findall(ids[-1]))
        for text in _strings(message):
            if not text:
                continue
            found = sorted(PLACEHOLDER.findall(text))
            # Jinja2's newstyle gettext always applies `%`, so a stray `%` breaks rendering.
            stray = PLACEHOLDER.sub("", text).replace("%%", "").count("%")
            if found != expected or stray != PLACEHOLDER.sub("", ids[-1]).replace("%%", "").count("%"):
                wrong.append(f"{_label(message)!r}: expected {expected}, got {found} in {text!r}")
    assert not wrong, "placeholders differ between msgid and msgstr:\n  " + "\n  ".join(wrong)


def test_vietnamese_text_is_nfc(vi: Catalog) -> None:
    not_nfc = [
        text for message in _entries(vi) for text in _strings(message)
        if text != unicodedata.normalize("NFC", text)
    ]
    assert not not_nfc, "translations must be in Unicode NFC:\n  " + "\n  ".join(not_nfc)


def test_compiled_catalogue_speaks_the_glossary(vi: Catalog) -> None:
    mo = BytesIO()
    write_mo(mo, vi)
    mo.seek(0)
    translations = Translations(fp=mo, domain="messages")

    assert translations.gettext("Log in") == "Đăng nhập"
    assert translations.gettext("Spokesperson") == "Người phát ngôn"

    # Further glossary terms (GLOSSARY.md), checked where the interface still uses them.
    glossary = {
        "Focal officer": "Cán bộ đầu mối",
        "Press conference": "Họp báo",
        "Written question": "Câu hỏi bằng văn bản",
        "Due date": "Hạn trả lời",
        "Decline": "Từ chối",
        "Assign": "Giao xử lý",
        "Awaiting approval": "Chờ duyệt",
        "Returned": "Trả lại",
        "Approved": "Đã duyệt",
        "Official answer": "Câu trả lời chính thức",
        "Download PDF": "Tải PDF",
        "Page not found": "Không tìm thấy trang",
        "You are not allowed to do this": "Bạn không có quyền thực hiện thao tác này",
    }
    for english, vietnamese in glossary.items():
        if english in vi:
            assert translations.gettext(english) == vietnamese, english
