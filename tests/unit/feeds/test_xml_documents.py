"""XML data documents (neither RSS nor Atom) read as JSON: one record finder and one JSONPath
config for both. The documents are written here, in the shapes of meeting portals' and
ticketing systems' exports."""

from __future__ import annotations

from datetime import date

import pytest

from analyzers.analyze import trial_config
from analyzers.feed_analysis import FeedCandidate, feed_config
from analyzers.feed_discovery import find_records, sniff_kind
from famact.constants import SourceKind
from famact.feeds import FeedError
from famact.feeds.jsonapi import load_document, parse_json
from famact.feeds.xmldata import xml_document

URL = "https://portal.example.org/Board.nsf/XML-Meetings"

MEETINGS = """<?xml version="1.0" encoding="ISO-8859-1"?>
<!-- exported nightly -->
<meetings xmlns:x="urn:example">
<meeting body="Board of Trustees" id="M1" order="1">
  <name>Regular Board Meeting</name>
  <start><date format="yyyy-mm-dd">2026-12-14</date><x:weekday>Monday</x:weekday></start>
  <description>Held in the library's community room.</description>
  <link>/Board.nsf/goto?id=M1</link>
  <category><name>1. Opening</name></category>
  <category><name>2. Minutes</name></category>
</meeting>
<meeting body="Board of Trustees" id="M2" order="2">
  <name>Budget Workshop</name>
  <start><date format="yyyy-mm-dd">2027-01-11</date><x:weekday>Monday</x:weekday></start>
  <description>Open to the public; comments at the start.</description>
  <link>/Board.nsf/goto?id=M2</link>
</meeting>
<meeting body="Board of Trustees" id="M3" order="3">
  <name>Family Reading Night</name>
  <start><date format="yyyy-mm-dd">2027-01-22</date><x:weekday>Friday</x:weekday></start>
  <description>Stories, crafts and cocoa for every age.</description>
  <link>/Board.nsf/goto?id=M3</link>
</meeting>
</meetings>"""


def test_an_xml_document_reads_as_the_json_a_person_would_write() -> None:
    doc = xml_document(MEETINGS)
    meetings = doc["meetings"]["meeting"]
    assert isinstance(meetings, list) and len(meetings) == 3
    first = meetings[0]
    assert first["body"] == "Board of Trustees" and first["id"] == "M1"  # attributes
    assert first["name"] == "Regular Board Meeting"  # a text-only element is its text
    assert first["start"] == {"date": "2026-12-14", "date@format": "yyyy-mm-dd", "weekday": "Monday"}
    assert [c["name"] for c in first["category"]] == ["1. Opening", "2. Minutes"]  # repeated: a list
    assert meetings[1].get("category") is None


def test_mixed_text_and_clashing_names_are_kept() -> None:
    doc = xml_document('<item name="attr"><name>child</name>tail text</item>')
    assert doc == {"item": {"@name": "attr", "name": "child", "#text": "tail text"}}


def test_entities_are_never_expanded_nor_fetched() -> None:
    hostile = (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">'
        '<!ENTITY ext SYSTEM "file:///etc/passwd">]><r><v>&b;</v><w>&ext;</w></r>'
    )
    doc = xml_document(hostile)
    assert "aaaaaaaaaa" not in str(doc) and "root:" not in str(doc)


@pytest.mark.parametrize("body", ["<<<>>>", "   "])
def test_a_body_with_no_element_is_one_line_feed_error(body: str) -> None:
    with pytest.raises(FeedError):
        load_document(body)


def test_a_broken_export_reads_up_to_its_fault() -> None:
    broken = MEETINGS.replace("</category>\n</meeting>", "</category></category>\n</meeting>", 1)
    assert len(xml_document(broken)["meetings"]["meeting"]) >= 1


def test_sniffing_tells_data_documents_from_feeds_and_pages() -> None:
    assert sniff_kind(MEETINGS) == SourceKind.JSON_API
    assert sniff_kind('<?xml version="1.0"?><rss version="2.0"><channel/></rss>') == SourceKind.RSS
    assert sniff_kind('<div class="events"><p>Storytime</p></div>') == SourceKind.HTML  # a fragment
    xhtml = '<?xml version="1.0"?>\n<!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>'
    assert sniff_kind(xhtml) == SourceKind.HTML


def test_the_analyzer_proposes_and_the_crawl_reads_an_xml_export() -> None:
    guess = find_records(load_document(MEETINGS))
    assert guess is not None and guess.records == "$.meetings.meeting[*]"
    assert guess.fields["title"] == "name" and guess.fields["start_date"] == "start.date"
    candidate = FeedCandidate(url=URL, kind=sniff_kind(MEETINGS), why="the submitted URL", body=MEETINGS)
    config = feed_config(candidate, source_id="library-board", source_name="Library Board", base_url=URL)
    assert config is not None and config.kind is SourceKind.JSON_API and config.feed is not None
    records = parse_json(MEETINGS.encode("latin-1"), config.feed, URL).records
    assert [r["title"] for r in records] == [
        "Regular Board Meeting",
        "Budget Workshop",
        "Family Reading Night",
    ]
    assert records[2]["url"] == "https://portal.example.org/Board.nsf/goto?id=M3"
    result = trial_config(config, {URL: MEETINGS}.get, today=date(2026, 12, 1))
    assert result.item_count == 3
