"""Known event/program platforms: how to recognise them and where their listing items are.

Many small family-activity sites run one of a dozen calendar products (WordPress plugins,
Squarespace, Localist, LibCal, ActiveNet...). Their markup is the product's, not the site's,
so a platform's item classes are general knowledge: the structure detector gives a bonus to a
group those selectors match, but still verifies it like any other group. Platforms whose
listings are drawn by JavaScript are also a reason to render in a browser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from famact.constants import SourceType


@dataclass(frozen=True)
class Platform:
    name: str
    signatures: tuple[re.Pattern[str], ...]
    item_selectors: tuple[str, ...] = ()
    source_type: SourceType = SourceType.EVENT_CALENDAR
    script_rendered: bool = False  # its listings are usually drawn by JavaScript


def _res(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.I) for p in patterns)


# Ordered: event products before the CMS they run on (a Squarespace site that embeds Localist
# is a Localist source), ticket-link embeds late (many calendars link to Eventbrite).
PLATFORMS: tuple[Platform, ...] = (
    Platform(
        "the-events-calendar",
        _res(r"class=\"[^\"]*\btribe-events\b", r"/wp-content/plugins/the-events-calendar/", r"tribe-common"),
        (
            ".tribe-events-calendar-list__event-row",
            ".tribe-events-calendar-day__event",
            ".tribe-events-pro-photo__event",
            ".tribe-events-widget-events-list__event-row",
            ".type-tribe_events",
        ),
    ),
    Platform(
        "modern-events-calendar",
        _res(r"class=\"[^\"]*\bmec-(?:wrap|event-article|container)", r"/plugins/modern-events-calendar"),
        (".mec-event-article",),
    ),
    Platform(
        "eventon",
        _res(r"\beventon_list_event\b", r"ajde_evcal_calendar", r"/plugins/eventON/"),
        (".eventon_list_event",),
    ),
    Platform(
        "events-manager",
        _res(r"class=\"[^\"]*\bem-(?:item|events-list|event)\b", r"/plugins/events-manager/"),
        (".em-item", ".em-events-list .em-event", ".em-events-list tbody tr"),
    ),
    Platform(
        "localist",
        _res(r"localist\.com", r"\blocalist[-_]", r"\blw_cal_event\b", r"data-lw-"),
        (".lw_cal_event", ".em-card"),
        script_rendered=True,
    ),
    Platform(
        "libcal",
        _res(r"libcal\.com", r"\bs-lc-(?:c-evt|ev|whw)", r"springshare"),
        (".s-lc-c-evt", ".s-lc-ev-list-item"),
        source_type=SourceType.LIBRARY,
    ),
    Platform(
        "bibliocommons",
        _res(r"bibliocommons\.com", r"biblioevents", r"\bcp-events-search-item\b"),
        (".cp-events-search-item",),
        source_type=SourceType.LIBRARY,
        script_rendered=True,
    ),
    Platform(
        "activenet",
        _res(r"activecommunities\.com", r"\bactivenet\b", r"\bactivecommunities\b"),
        (".activity-card",),
        source_type=SourceType.PROGRAM_DIRECTORY,
        script_rendered=True,
    ),
    Platform(
        "civicrec",
        _res(r"\bcivicrec\b", r"secure\.rec1\.com", r"\brec1-catalog"),
        (),
        source_type=SourceType.PROGRAM_DIRECTORY,
        script_rendered=True,
    ),
    Platform(
        "recdesk",
        _res(r"recdesk\.com", r"\brecdesk\b"),
        (),
        source_type=SourceType.PROGRAM_DIRECTORY,
    ),
    Platform(
        "squarespace",
        _res(
            r"class=\"[^\"]*\beventlist(?:-event)?\b",
            r"class=\"[^\"]*\bsummary-item\b[^\"]*\"[^>]*>[\s\S]{0,400}squarespace",
        ),
        ("article.eventlist-event", ".summary-item"),
    ),
    Platform(
        "wix-events",
        _res(r"wix-events", r"data-hook=\"ev-(?:list|rsvp|full)"),
        (),
        script_rendered=True,
    ),
    Platform(
        "trumba",
        _res(r"trumba\.com/scripts/spuds", r"\$Trumba\b"),
        (),
        script_rendered=True,
    ),
    Platform(
        "timely",
        _res(r"events\.time\.ly", r"timely-(?:embed|calendar)", r"\btimely_script\b"),
        (),
        script_rendered=True,
    ),
    Platform(
        "google-calendar",
        _res(r"calendar\.google\.com/calendar/(?:u/\d+/)?embed"),
        (),
        script_rendered=True,
    ),
    Platform(
        "eventbrite",
        _res(r"eventbrite\.com/(?:static/widgets|e/|o/)", r"eventbrite-widget", r"\beb_widgets\b"),
        (),
    ),
    Platform(
        "drupal-views",
        _res(r"\bviews-row\b", r"data-drupal-", r"Drupal\.settings", r"name=\"Generator\" content=\"Drupal"),
        (".views-row",),
        source_type=SourceType.OTHER,
    ),
    Platform(
        "squarespace-site",
        _res(r"static1\.squarespace\.com", r"Static\.SQUARESPACE_CONTEXT"),
        ("article.eventlist-event", ".summary-item"),
        source_type=SourceType.OTHER,
    ),
    Platform(
        "wix-site",
        _res(r"static\.wixstatic\.com", r"\bwix-thunderbolt\b"),
        (),
        source_type=SourceType.OTHER,
        script_rendered=True,
    ),
)
PLATFORMS_BY_NAME: dict[str, Platform] = {p.name: p for p in PLATFORMS}

# Microdata items are the same kind of evidence on any platform.
GENERIC_ITEM_SELECTORS: tuple[str, ...] = (
    '[itemtype*="schema.org/Event"]',
    '[itemtype*="schema.org/Course"]',
)


def detect_platform_html(html: str) -> str | None:
    """The first platform whose signature appears in the page, in `PLATFORMS` order."""
    for platform in PLATFORMS:
        if any(sig.search(html) for sig in platform.signatures):
            return platform.name
    return None


def known_item_selectors(platform: str | None) -> tuple[str, ...]:
    found = PLATFORMS_BY_NAME.get(platform or "")
    return (found.item_selectors if found else ()) + GENERIC_ITEM_SELECTORS


def platform_source_type(platform: str | None) -> SourceType | None:
    found = PLATFORMS_BY_NAME.get(platform or "")
    return found.source_type if found else None


def is_script_rendered(platform: str | None) -> bool:
    found = PLATFORMS_BY_NAME.get(platform or "")
    return bool(found and found.script_rendered)
