"""The portal's identity as pages, feeds and link previews show it (settings PRESSROOM_PORTAL_NAME,
PRESSROOM_AGENCY_NAME and the agency's contacts; see core/config.py)."""

from __future__ import annotations

from dataclasses import dataclass

from pressroom.core.config import get_settings
from pressroom.core.i18n import gettext as _

PRODUCT = "Pressroom"
"""The software's name: shown only in the footer's "powered by" line."""


@dataclass(frozen=True)
class Portal:
    name: str
    # The name is the configured one (Vietnamese text, marked lang="vi" in another language)
    # rather than the generic one in the reader's language.
    named: bool
    agency_name: str
    agency_address: str
    agency_phone: str
    agency_email: str
    responsible_person: str
    base_url: str

    @property
    def has_contacts(self) -> bool:
        return bool(self.agency_name or self.agency_address or self.agency_phone
                    or self.agency_email or self.responsible_person)

    def url(self, path: str) -> str:
        """``path`` (starting with /) as an absolute address at the configured base URL."""
        return f"{self.base_url}{path}"


def portal() -> Portal:
    """The identity, with the name in the current locale when none is configured."""
    settings = get_settings()
    return Portal(
        name=settings.portal_name or _("Press conferences and official answers"),
        named=bool(settings.portal_name),
        agency_name=settings.agency_name,
        agency_address=settings.agency_address,
        agency_phone=settings.agency_phone,
        agency_email=settings.agency_email,
        responsible_person=settings.responsible_person,
        base_url=settings.base_url,
    )
