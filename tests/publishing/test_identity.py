"""The portal's identity (Decree 42/2022/ND-CP): its name, the agency that runs it, the
agency's address and contacts and the person responsible are settings, shown in the header,
the footer and the page titles; the software's name appears only in a "powered by" line."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from typer.testing import CliRunner

from pressroom.cli import app as cli
from pressroom.core.config import get_settings
from pressroom.core.i18n import gettext as _
from pressroom.core.security import LANG_COOKIE
from pressroom.demo import DEMO_PORTAL
from tests.reading import page_text

IDENTITY = {
    "portal_name": "Cổng Thông tin điện tử Bộ Y tế",
    "agency_name": "Bộ Y tế",
    "agency_address": "138A Giảng Võ, Ba Đình, Hà Nội",
    "agency_phone": "024 0000 1234",
    "agency_email": "banbientap@moh.example",
    "responsible_person": "Nguyễn Văn Ấn, Trưởng Ban Biên tập",
}


def _between(html: str, start: str, end: str) -> str:
    match = re.search(re.escape(start) + "(.*?)" + re.escape(end), html, re.S)
    assert match, f"no {start!r} on the page"
    return match.group(1)


def _header(html: str) -> str:
    return page_text(_between(html, '<div class="pr-header__brand">', "</div>"))


def _footer(html: str) -> str:
    return page_text(_between(html, '<footer class="govuk-footer pr-footer">', "</footer>"))


def _title(html: str) -> str:
    return page_text(_between(html, "<title>", "</title>"))


def test_header_footer_and_title_name_the_configured_portal_and_agency(
        client: Any, configure: Callable[..., None]) -> None:
    configure(**IDENTITY)

    html = client.get("/conferences").text

    assert _header(html) == "Cổng Thông tin điện tử Bộ Y tế Bộ Y tế"
    assert _title(html) == f"{_('Press conferences')} – Cổng Thông tin điện tử Bộ Y tế"
    assert _footer(html).startswith(
        f"Cổng Thông tin điện tử Bộ Y tế {_('Managing agency')}: Bộ Y tế "
        f"{_('Person responsible')}: Nguyễn Văn Ấn, Trưởng Ban Biên tập "
        f"{_('Address')}: 138A Giảng Võ, Ba Đình, Hà Nội "
        f"{_('Phone')}: 024 0000 1234 {_('E-mail')}: banbientap@moh.example ")
    assert 'href="tel:02400001234"' in html
    assert 'href="mailto:banbientap@moh.example"' in html


def test_the_product_name_appears_only_in_the_powered_by_line(
        client: Any, configure: Callable[..., None]) -> None:
    configure(**IDENTITY)

    html = client.get("/").text

    assert page_text(html).count("Pressroom") == 1
    assert page_text(_between(html, '<p class="govuk-body-s pr-footer__text pr-footer__powered">',
                              "</p>")) == _("Powered by %(product)s", product="Pressroom")


def test_a_fresh_install_shows_the_generic_name_and_no_empty_contact_lines(client: Any) -> None:
    html = client.get("/").text

    assert _header(html) == _("Press conferences and official answers")
    assert _title(html) == f"{_('Home')} – {_('Press conferences and official answers')}"
    assert 'class="pr-footer__facts"' not in html
    assert _("Managing agency") not in html


def test_only_the_configured_contacts_are_listed(client: Any,
                                                configure: Callable[..., None]) -> None:
    configure(portal_name="Cổng Thông tin Họp báo", agency_email="lienhe@hopbao.example")

    footer = _footer(client.get("/").text)

    assert footer.startswith(f"Cổng Thông tin Họp báo {_('E-mail')}: lienhe@hopbao.example ")
    assert _("Address") not in footer and _("Managing agency") not in footer


def test_identity_text_is_escaped_and_kept_on_one_line(client: Any,
                                                      configure: Callable[..., None]) -> None:
    configure(portal_name='Cổng <b>"Họp báo"</b>\n  Chính phủ', agency_name="Bộ <i>Y tế</i>")

    html = client.get("/").text

    assert "<b>" not in html and "<i>" not in html
    assert _header(html) == 'Cổng <b>"Họp báo"</b> Chính phủ Bộ <i>Y tế</i>'


def test_english_interface_marks_the_vietnamese_identity_with_lang_vi(
        client: Any, configure: Callable[..., None]) -> None:
    configure(**IDENTITY)
    client.cookies.set(LANG_COOKIE, "en")

    html = client.get("/").text

    assert '<a href="/" class="pr-header__product"><span lang="vi">Cổng Thông tin điện tử Bộ Y tế' \
           '</span></a>' in html
    assert '<span class="pr-header__subtitle"><span lang="vi">Bộ Y tế</span></span>' in html
    assert '<dd><span lang="vi">138A Giảng Võ, Ba Đình, Hà Nội</span></dd>' in html
    assert "Powered by Pressroom" in html


def test_vietnamese_interface_needs_no_lang_marks(client: Any,
                                                 configure: Callable[..., None]) -> None:
    configure(**IDENTITY)

    html = client.get("/").text

    assert 'lang="vi"' not in html.replace('<html lang="vi"', "").replace(
        'lang="vi" class="pr-lang__button"', "")


@pytest.fixture
def environment_cleaned(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The identity variables as unset, and removed again after the test (the demo command
    sets them for the server it starts)."""
    for name in DEMO_PORTAL:
        monkeypatch.setenv(f"PRESSROOM_{name.upper()}", "")
    get_settings.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    get_settings.cache_clear()


def test_demo_names_the_government_press_office_portal(committed_database: str,
                                                       environment_cleaned: Any) -> None:
    result = CliRunner().invoke(cli, ["demo", "--no-serve"])

    assert result.exit_code == 0, result.output
    settings = get_settings()
    assert settings.portal_name == "Cổng Thông tin Họp báo Chính phủ"
    assert settings.agency_name == "Văn phòng Chính phủ"
    assert settings.responsible_person == "Trần Quang Minh, Trưởng Ban Biên tập"


def test_demo_keeps_an_identity_set_in_the_environment(committed_database: str,
                                                       environment_cleaned: Any) -> None:
    environment_cleaned.setenv("PRESSROOM_PORTAL_NAME", "Cổng Thông tin điện tử Bộ Tài chính")
    get_settings.cache_clear()

    result = CliRunner().invoke(cli, ["demo", "--no-serve"])

    assert result.exit_code == 0, result.output
    assert get_settings().portal_name == "Cổng Thông tin điện tử Bộ Tài chính"
    assert get_settings().agency_name == ""
