"""The shapes the LLM answers in, and their conversion to the real data contract.

`ProposedConfig` is deliberately smaller and flatter than `famact.models.SourceConfig`:
selector strings instead of `SelectorSpec` objects, a fixed set of field names, no crawl
settings. Small schemas get better answers from models, and everything the model cannot be
trusted with (domains, rate limits, robots.txt) is set by our code, not by the answer.
`to_source_config` turns it into a `SourceConfig`, so every selector is compiled and every
URL checked by the same validation a hand-written config gets.
"""

from __future__ import annotations

import re
from typing import Any, Literal
from urllib.parse import urljoin

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

from famact.models import SourceConfig
from famact.urls import registered_domain, same_site

Selector = str | None

# Elements that never hold a listing's visible text. A selector aimed at them is what a page
# that says "output selector //script" gets from a model that obeys it, so it is refused by
# name (and fed back) instead of being trusted to score badly.
_HIDDEN_TAG = re.compile(r"(?:^|[\s>+~/,:])(?:script|style|noscript|template)(?![\w-])", re.IGNORECASE)


class _Strict(BaseModel):
    # An unknown key in an answer is an error the retry feedback can name, not a silent loss.
    model_config = ConfigDict(extra="forbid")


class ProposedFields(_Strict):
    """Selectors for the raw fields, relative to the listing item (or to the detail page)."""

    title: Selector = None
    date: Selector = None
    time: Selector = None
    description: Selector = None
    price: Selector = None
    ages: Selector = None
    venue: Selector = None
    address: Selector = None
    url: Selector = None
    image: Selector = None

    def as_dict(self) -> dict[str, str]:
        return {name: value.strip() for name, value in self.model_dump().items() if value and value.strip()}


class ProposedConfig(_Strict):
    """An extraction config as the LLM proposes it (see `prompts.CONFIG_PROPOSAL_SYSTEM`)."""

    render: Literal["http", "browser"] = "http"
    listing_item: Selector = Field(default=None, description="CSS selector matching each listing once")
    fields: ProposedFields = Field(default_factory=ProposedFields)
    detail_link: Selector = None
    detail_fields: ProposedFields = Field(default_factory=ProposedFields)
    next_page: Selector = None
    page_url_template: str | None = Field(default=None, description="listing URL with {page}")
    entity_type_hint: Literal["VENUE", "EVENT", "PROGRAM", "ATTRACTION"] | None = None
    notes: str | None = Field(default=None, max_length=2000)

    def to_source_config(
        self, source_id: str, source_name: str, base_url: str, target_urls: list[str]
    ) -> SourceConfig:
        """The proposal as a validated `SourceConfig`.

        Raises `pydantic.ValidationError` naming the bad field: a selector that does not
        compile (e.g. XPath in a CSS field -> `listing.fields.title`), or a URL outside the
        base URL's registered domain (`page_url_template`, `target_urls`).
        """
        domain = registered_domain(base_url)
        template = urljoin(base_url, self.page_url_template.strip()) if self.page_url_template else None
        off_site: list[tuple[tuple[str | int, ...], str]] = [
            (("target_urls", i), url) for i, url in enumerate(target_urls) if not same_site(url, [domain])
        ]
        if template is not None and not same_site(template.replace("{page}", "1"), [domain]):
            off_site.append((("page_url_template",), template))
        errors = [
            InitErrorDetails(
                type=PydanticCustomError(
                    "off_site_url",
                    "URL {url} is outside the source's domain {domain}",
                    {"url": url, "domain": domain},
                ),
                loc=loc,
                input=url,
            )
            for loc, url in off_site
        ]
        errors += [
            InitErrorDetails(
                type=PydanticCustomError(
                    "hidden_element",
                    "selector '{selector}' targets script/style/noscript/template, which hold no listing",
                    {"selector": selector},
                ),
                loc=loc,
                input=selector,
            )
            for loc, selector in self._selectors()
            if _HIDDEN_TAG.search(selector)
        ]
        if errors:
            raise ValidationError.from_exception_data("ProposedConfig", errors)

        data: dict[str, Any] = {
            "source_id": source_id,
            "source_name": source_name,
            "base_url": base_url,
            "target_urls": list(target_urls) or [base_url],
            "allowed_domains": [domain],
            "render": self.render,
        }
        pagination: dict[str, Any] = {}
        if self.next_page:
            pagination["next_page"] = _css_unless_prefixed(self.next_page)
        if template is not None:
            pagination["url_template"] = template
        listing_fields = {name: _css_unless_prefixed(v) for name, v in self.fields.as_dict().items()}
        if self.listing_item or listing_fields:
            # No item selector but fields: the page itself is the one listing (a detail page).
            data["listing"] = {
                "item": _css_unless_prefixed(self.listing_item or "body"),
                "fields": listing_fields,
            }
            if pagination:
                data["listing"]["pagination"] = pagination
        detail_fields = {name: _css_unless_prefixed(v) for name, v in self.detail_fields.as_dict().items()}
        if self.detail_link or detail_fields:
            follow = _css_unless_prefixed(self.detail_link) if self.detail_link else None
            data["detail"] = {"follow": follow, "fields": detail_fields}
        if self.entity_type_hint:
            data["defaults"] = {"entity_type": self.entity_type_hint}
        return SourceConfig.model_validate(data)

    def _selectors(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Every selector of the proposal with its place in the answer."""
        found: list[tuple[tuple[str | int, ...], str]] = [
            ((name,), value)
            for name, value in (
                ("listing_item", self.listing_item),
                ("detail_link", self.detail_link),
                ("next_page", self.next_page),
            )
            if value
        ]
        for group, fields in (("fields", self.fields), ("detail_fields", self.detail_fields)):
            found += [((group, name), value) for name, value in fields.as_dict().items()]
        return found


def _css_unless_prefixed(selector: str) -> dict[str, str] | str:
    """The prompt asks for CSS, and XPath only with an "xpath:" prefix: a bare "//div" in a
    field is a mistake to report and feed back, not something to guess at."""
    selector = selector.strip()
    if selector.startswith(("xpath:", "css:")):
        return selector
    return {"kind": "css", "query": selector}
