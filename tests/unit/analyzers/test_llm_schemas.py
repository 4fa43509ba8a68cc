"""ProposedConfig -> SourceConfig conversion (analyzers/llm_schemas.py)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from analyzers.llm_schemas import ProposedConfig
from famact.constants import EntityType, ExtractMode, RenderMode, SelectorKind
from famact.second_opinion import ClassificationAnswer

BASE = "https://www.library.example.org/events"
# Note: `library.example.org.evil.com` and `evil.example.com` are other sites.


def convert(data: dict[str, Any], target_urls: list[str] | None = None) -> Any:
    proposal = ProposedConfig.model_validate(data)
    return proposal.to_source_config("kcls-events", "KCLS events", BASE, target_urls or [BASE])


def error_locs(exc: ValidationError) -> list[tuple[str | int, ...]]:
    return [tuple(e["loc"]) for e in exc.errors()]


def test_full_proposal_becomes_a_valid_source_config() -> None:
    config = convert(
        {
            "render": "browser",
            "listing_item": "div.event-card",
            "fields": {
                "title": "h3.title",
                "date": "time::attr(datetime)",
                "url": "a::attr(href)",
                "ages": "xpath:.//dt[.='Ages']/following-sibling::dd[1]",
                "price": None,
            },
            "detail_link": "a.more::attr(href)",
            "detail_fields": {"description": "div.body"},
            "page_url_template": "/events?page={page}",
            "entity_type_hint": "EVENT",
            "notes": "calendar widget",
        },
        target_urls=[BASE, "https://events.library.example.org/calendar"],
    )
    assert config.render is RenderMode.BROWSER
    assert config.allowed_domains == ["example.org"]  # the registered domain: subdomains pass
    assert config.listing.item.query == "div.event-card"
    assert set(config.listing.fields) == {"title", "date", "url", "ages"}
    assert config.listing.fields["date"].extract is ExtractMode.ATTR
    assert config.listing.fields["date"].attr == "datetime"
    assert config.listing.fields["ages"].kind is SelectorKind.XPATH
    assert config.listing.pagination.url_template == "https://www.library.example.org/events?page={page}"
    assert config.detail.follow.attr == "href"
    assert config.detail.fields["description"].query == "div.body"
    assert config.defaults.entity_type is EntityType.EVENT


def test_minimal_proposal_relies_on_structured_data() -> None:
    config = convert({})
    assert config.listing is None and config.detail is None
    assert config.structured_data.enabled
    assert config.target_urls == [BASE]


def test_fields_without_an_item_make_the_page_one_listing() -> None:
    config = convert({"fields": {"title": "h1"}, "next_page": "a.next::attr(href)"})
    assert config.listing.item.query == "body"
    assert config.listing.fields["title"].query == "h1"
    assert config.listing.pagination.next_page.attr == "href"


@pytest.mark.parametrize(
    ("data", "loc", "message"),
    [
        ({"listing_item": "div.card", "fields": {"title": "div[@class='card']/h3"}},
         ("listing", "fields", "title"), "invalid CSS selector"),
        ({"listing_item": "div.card", "fields": {"price": "(//span)[1"}},
         ("listing", "fields", "price"), "looks like XPath, not CSS"),
        ({"listing_item": "//div[@class='card']", "fields": {}},
         ("listing", "item"), "looks like XPath, not CSS"),
        ({"listing_item": "div.card", "fields": {"price": "xpath:(//span)[1"}},
         ("listing", "fields", "price"), "invalid XPath"),
        ({"listing_item": "xpath://div[@class='card'", "fields": {}}, ("listing", "item"), "invalid XPath"),
        ({"listing_item": "div.card", "next_page": "a[rel=next"},
         ("listing", "pagination", "next_page"), "invalid CSS"),
        ({"detail_fields": {"date": "span >> time"}}, ("detail", "fields", "date"), "invalid CSS"),
        ({"listing_item": "li", "page_url_template": "/events?page=2"},
         ("listing", "pagination"), "{page}"),
    ],
)  # fmt: skip
def test_bad_selectors_are_rejected_naming_the_field(
    data: dict[str, Any], loc: tuple[str, ...], message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        convert(data)
    assert any(found[: len(loc)] == loc for found in error_locs(caught.value)), error_locs(caught.value)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    "template",
    [
        "https://evil.example.com/events?page={page}",
        "https://library.example.org.evil.com/?p={page}",
        "//evil.example.com/?p={page}",
    ],
)
def test_off_domain_page_template_is_rejected(template: str) -> None:
    with pytest.raises(ValidationError) as caught:
        convert({"listing_item": "li", "page_url_template": template})
    assert error_locs(caught.value) == [("page_url_template",)]
    assert "outside the source's domain example.org" in str(caught.value)


def test_off_domain_target_url_is_rejected() -> None:
    with pytest.raises(ValidationError) as caught:
        convert({"listing_item": "li"}, target_urls=[BASE, "https://tracker.example.net/events"])
    assert error_locs(caught.value) == [("target_urls", 1)]


def test_unknown_keys_in_an_answer_are_errors() -> None:
    with pytest.raises(ValidationError) as caught:
        ProposedConfig.model_validate({"listing_item": "li", "fields": {"titel": "h3"}})
    assert ("fields", "titel") in error_locs(caught.value)
    with pytest.raises(ValidationError):
        ProposedConfig.model_validate({"python_code": "import os"})


def test_json_schema_is_self_contained_for_response_format() -> None:
    schema = ProposedConfig.model_json_schema()
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) >= {"listing_item", "fields", "next_page", "page_url_template"}
    assert "ProposedFields" in schema["$defs"]


@pytest.mark.parametrize(
    ("entity_type", "expected"),
    [("VENUE", EntityType.VENUE), ("PROGRAM", EntityType.PROGRAM), ("NOT_A_LISTING", None)],
)
def test_classification_answer(entity_type: str, expected: EntityType | None) -> None:
    answer = ClassificationAnswer(entity_type=entity_type, confidence=0.5, reason="r")
    assert answer.as_entity_type == expected
