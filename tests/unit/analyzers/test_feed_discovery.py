"""Finding a source's feeds and the records in an unknown JSON document."""

from __future__ import annotations

import json

from analyzers.feed_discovery import feed_links, find_records, sniff_kind
from famact.constants import SourceKind

PAGE = "https://library.example.org/events/"


def test_announced_feeds_come_first_and_once() -> None:
    html = """<html><head>
    <link rel="alternate" type="text/calendar" href="/events/cal.ics">
    <link rel="alternate" type="application/rss+xml; charset=utf-8" href="https://library.example.org/feed/">
    <link rel="stylesheet" href="/site.css">
    </head><body>
    <a href="webcal://library.example.org/events/cal.ics">Subscribe</a>
    <a href="/events/?ical=1">Export</a>
    <a href="/events/cal.ics">Download</a>
    <a href="/about/">About</a>
    </body></html>"""
    links = feed_links(html, PAGE)
    assert [(link.url, link.kind) for link in links] == [
        ("https://library.example.org/events/cal.ics", SourceKind.ICS),
        ("https://library.example.org/feed/", SourceKind.RSS),
        ("https://library.example.org/events/?ical=1", SourceKind.ICS),
    ]
    assert links[0].why == "link rel=alternate"


def test_platform_endpoints_are_offered_after_announced_feeds() -> None:
    links = feed_links("<html><body></body></html>", PAGE, platform="the-events-calendar")
    assert [link.url for link in links] == [
        "https://library.example.org/wp-json/tribe/events/v1/events?per_page=50",
        "https://library.example.org/events/?ical=1",
    ]
    square = feed_links(
        "<html></html>", "https://studio.example.com/classes?view=list", platform="squarespace"
    )
    assert square[0].url == "https://studio.example.com/classes?view=list&format=json"
    assert square[0].kind == SourceKind.JSON_API


def test_non_http_links_are_ignored() -> None:
    html = '<a href="mailto:x@example.org?subject=ical=1">mail</a><a href="javascript:void(0)/feed/">x</a>'
    assert feed_links(html, PAGE) == []


def test_sniff_kind_reads_the_body_not_the_label() -> None:
    assert sniff_kind("\ufeffBEGIN:VCALENDAR\r\nVERSION:2.0\r\n") == SourceKind.ICS
    assert sniff_kind('<?xml version="1.0"?>\n<rss version="2.0"><channel/></rss>') == SourceKind.RSS
    assert sniff_kind('<feed xmlns="http://www.w3.org/2005/Atom"></feed>') == SourceKind.RSS
    assert sniff_kind('{"events": []}') == SourceKind.JSON_API
    assert sniff_kind("[1, 2") == SourceKind.HTML  # not valid JSON
    assert sniff_kind("<!doctype html><html><body>Events</body></html>") == SourceKind.HTML


def test_find_records_picks_the_listing_array_and_its_fields() -> None:
    data = {
        "meta": {"total": 3, "tags": [{"name": "storytime", "id": 4}, {"name": "stem", "id": 5}]},
        "events": [
            {
                "id": 101,
                "title": "Toddler Tales",
                "start_date": "2026-03-04 10:30:00",
                "end_date": "2026-03-04 11:00:00",
                "url": "https://library.example.org/event/toddler-tales/",
                "venue": {"venue": "Main Branch", "address": "1 Alder Way"},
                "description": "Songs, rhymes and a short story for walkers and talkers with a grown-up.",
                "cost": "Free",
            },
            {
                "id": 102,
                "title": "Lego Club",
                "start_date": "2026-03-07 14:00:00",
                "end_date": "2026-03-07 15:30:00",
                "url": "https://library.example.org/event/lego-club/",
                "venue": {"venue": "East Branch", "address": "9 Birch St"},
                "description": "Build, swap and show off: bricks provided, imaginations required here.",
                "cost": "",
            },
        ],
    }
    guess = find_records(data)
    assert guess is not None
    assert guess.records == "$.events[*]"
    assert guess.count == 2
    assert guess.fields["title"] == "title"
    assert guess.fields["start_date"] == "start_date"
    assert guess.fields["end_date"] == "end_date"
    assert guess.fields["url"] == "url"
    assert guess.fields["venue"] == "venue.venue"
    assert guess.fields["description"] == "description"


def test_find_records_follows_arrays_nested_in_records() -> None:
    data = {
        "days": [
            {"date": "2026-05-01", "items": [{"name": "Splash Pad Opening Day", "when": 1777593600}]},
            {"date": "2026-05-02", "items": [{"name": "Farmers Market Kids Hour", "when": 1777680000}]},
            {"date": "2026-05-03", "items": []},
        ]
    }
    guess = find_records(data)
    assert guess is not None
    assert guess.records == "$.days[*].items[*]"
    assert guess.count == 2
    assert guess.fields["title"] == "name"
    assert guess.fields["start_date"] == "when"


def test_find_records_takes_a_bare_array_and_odd_keys() -> None:
    data = json.loads(
        '[{"Event Name": "Family Skate", "Starts": "March 8, 2026"},'
        ' {"Event Name": "Teen Open Gym", "Starts": "March 9, 2026"}]'
    )
    guess = find_records(data)
    assert guess is not None
    assert guess.records == "$[*]"
    assert guess.fields["title"] == "['Event Name']"
    assert guess.fields["start_date"] == "Starts"


def test_find_records_never_takes_ids_or_slugs_as_titles() -> None:
    data = {"rows": [{"slug": "family-skate-night", "id": "abc-123"}, {"slug": "teen-gym", "id": "def-456"}]}
    assert find_records(data) is None


def test_no_records_in_a_document_without_listing_arrays() -> None:
    assert find_records({"status": "ok", "count": 0}) is None
    assert find_records([1, 2, 3]) is None
    assert find_records([]) is None


def test_a_feed_replaces_the_page_only_when_it_covers_the_page() -> None:
    from analyzers.feed_analysis import coverage, feed_wins

    page = ["Lego Club", "Toddler Tales", "Family Science Night"]
    assert coverage(["lego  club", "Toddler Tales", "Chess"], page) == 2 / 3
    assert feed_wins(["Lego Club", "Toddler Tales", "Family Science Night", "Chess"], page)[0]
    wins, why = feed_wins(["Library board minutes", "New hours"], page)
    assert not wins and "covers only 0%" in why
    assert feed_wins(["Lego Club"], [])[0]  # the markup found nothing: any listing feed wins
    assert not feed_wins([], page)[0]


def test_url_shapes_that_say_feed() -> None:
    from analyzers.feed_discovery import looks_like_feed_url

    for url in (
        "https://x.org/cal.ics",
        "https://x.org/events/?ical=1",
        "https://x.org/feed/",
        "https://x.org/wp-json/tribe/events/v1/events",
        "https://x.org/classes?format=json",
        "https://x.org/api/events",
    ):
        assert looks_like_feed_url(url), url
    for url in ("https://x.org/events/", "https://x.org/feedback", "https://x.org/calendar/list"):
        assert not looks_like_feed_url(url), url


def test_find_records_reads_dates_in_one_member_lists() -> None:
    # Drupal JSON:API: each event's date sits in a list of one object.
    data = {
        "data": [
            {"type": "node--event", "attributes": {"title": t, "field_event_datetime": [{"value": d}]}}
            for t, d in (
                ("Board Meeting", "2026-04-21T22:00:00+00:00"),
                ("Planning Commission", "2026-05-11T22:00:00+00:00"),
            )
        ]
    }  # fmt: skip
    guess = find_records(data)
    assert guess is not None
    assert guess.records == "$.data[*]"
    assert guess.fields["title"] == "attributes.title"
    assert guess.fields["start_date"] == "attributes.field_event_datetime[0].value"


def test_find_records_takes_the_start_key_over_a_publication_date() -> None:
    # A WordPress-style events feed: `date` is when the post was written, `start_date` and
    # `startDateTime` when the event happens; `modified` and the UTC copy are bookkeeping.
    records = [
        {
            "date": f"2026-01-0{i} 08:50:46",
            "modified": f"2026-01-0{i} 09:00:00",
            "title": name,
            "utc_start_date": f"2026-03-1{i} 17:00:00",
            "start_date": f"2026-03-1{i} 13:00:00",
            "end_date": f"2026-03-1{i} 14:00:00",
        }
        for i, name in enumerate(["Board Meeting", "Budget Hearing", "Town Hall"], start=1)
    ]
    guess = find_records({"events": records})
    assert guess is not None
    assert guess.fields["start_date"] == "start_date"
    camel = [
        {"createdDate": "2026-01-01T00:00:00", "meetingStartDateTime": f"2026-05-0{i}T10:00:00", "name": n}
        for i, n in enumerate(["Court", "Council"], start=1)
    ]
    guess = find_records(camel)
    assert guess is not None
    assert guess.fields["start_date"] == "meetingStartDateTime"
    # Drupal's JSON:API: `revision_timestamp` is when the node was last saved, `value` of the
    # date range field when the event starts
    drupal = [
        {
            "attributes": {
                "title": n,
                "revision_timestamp": f"2026-02-0{i}T10:00:00+00:00",
                "field_when": {
                    "value": f"2026-07-1{i}T09:00:00-04:00",
                    "end_value": f"2026-07-1{i}T17:00:00-04:00",
                },
            }
        }
        for i, n in enumerate(["Golf Outing", "Dry Tri"], start=1)
    ]
    guess = find_records({"data": drupal})
    assert guess is not None
    assert guess.fields["start_date"] == "attributes.field_when.value"


def test_find_records_names_the_dated_thing_and_reads_keys_by_words() -> None:
    # A portal's list of a meeting's documents: `title` names the document, `meetingTitle`
    # the meeting its date belongs to; `language`, `calendarId`, `cutOffDateTime` and a
    # currency position hold "age", "end", "to" and "cost" only by chance.
    records = [
        {
            "title": "Meeting Notice",
            "meetingTitle": board,
            "meetingDate": f"2026-0{i}-14T15:15:00",
            "documentList": [{"language": "en-US", "calendarId": 7}],
            "cutOffDateTime": f"2026-0{i}-13T12:00:00",
            "cost_details": {"currency_position": "prefix"},
        }
        for i, board in enumerate(["Planning Board", "Zoning Board", "Planning Board"], start=1)
    ]
    guess = find_records(records)
    assert guess is not None
    assert guess.fields["title"] == "meetingTitle"
    assert guess.fields["start_date"] == "meetingDate"
    assert not {"ages", "end_date", "price"} & set(guess.fields), guess.fields


def test_placeholder_dates_name_no_end() -> None:
    # An unset end is "1900-01-01T00:00:00Z" in some APIs: no record ends before it starts.
    records = [
        {"eventName": n, "startDateTime": f"2026-02-{d}T17:00:00Z", "liveEndTime": "1900-01-01T00:00:00Z"}
        for n, d in (("City Commission Meeting", 10), ("Budget Session", 17))
    ]
    guess = find_records({"value": records})
    assert guess is not None
    assert guess.fields["start_date"] == "startDateTime"
    assert "end_date" not in guess.fields


def test_find_records_reads_compact_dates_only_under_a_date_key() -> None:
    # BoardDocs' meetings list: `numberdate` "20241220"; eight digits under `unique` or an
    # id key are not dates.
    records = [
        {"unique": f"DC2QWY{i}", "name": n, "numberdate": f"2024121{i}", "unid": f"2024111{i}"}
        for i, n in enumerate(["Board Business Meeting", "Audit Committee Meeting", "Special Meeting"])
    ]
    guess = find_records(records)
    assert guess is not None
    assert guess.fields["start_date"] == "numberdate" and guess.fields["title"] == "name"
    undated = [{"name": r["name"], "unid": r["unid"]} for r in records]
    guess = find_records(undated)
    assert guess is None or "start_date" not in guess.fields


def test_a_title_may_start_with_its_date_and_a_record_key_is_no_title() -> None:
    # BoardDocs' civil service list: "November 7, 2024 Civil Service Commission" is the name,
    # "CZQLFH5631AD" the record's key; "November 7, 2024 7:00 PM" is only a date.
    records = [
        {
            "unique": f"CZQLFH563{i}AD",
            "name": f"November {i}, 2024 Civil Service Commission",
            "numberdate": f"2024110{i}",
        }
        for i in range(1, 5)
    ]
    guess = find_records(records)
    assert guess is not None and guess.fields["title"] == "name"
    timed = [
        {"key": f"CZQ{i}", "when": f"November {i}, 2024 7:00 PM", "label": f"Item {i}"} for i in range(1, 5)
    ]
    guess = find_records(timed)
    assert guess is not None and guess.fields["title"] == "label"


def test_a_hearing_list_named_only_by_its_kind_takes_the_kind_over_the_address() -> None:
    # LA City Planning's hearings: "Type" is the only name, "Address" says where; a feed whose
    # "type" is a one-word kind ("event") still never titles its records by it.
    hearings = [
        {"Date": f"1/{d}/2025", "Type": t, "Address": a, "ID": f"7798{d}"}
        for d, t, a in [
            (30, "Zoning Administration", "2010 Canal Street"),
            (29, "Hearing Officer (APC/CPC)", "700 S. Flower St."),
            (23, "Area Planning Commission (APC)", "8620 West 3rd Street"),
        ]
    ]
    guess = find_records({"Entries": hearings})
    assert guess is not None and guess.fields["title"] == "Type"
    assert guess.fields.get("venue") == "Address"
    events = [{**h, "Type": "event", "Name": f"Story Hour {i}"} for i, h in enumerate(hearings)]
    guess = find_records({"Entries": events})
    assert guess is not None and guess.fields["title"] == "Name"
