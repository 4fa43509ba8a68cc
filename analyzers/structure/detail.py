"""Detail pages: fields read from a page that is one listing."""

from __future__ import annotations

from typing import Any

from parsel import Selector

from analyzers.structure.elements import (
    TextCache,
    boilerplate_reason,
    iter_elements,
    ranked_classes,
    stable_classes,
)
from analyzers.structure.fields import (
    FieldCandidate,
    assign_fields,
    hint_words,
    label_candidates,
    value_specs,
)
from analyzers.structure.selecting import select_value
from famact.constants import ExtractMode
from famact.models import SelectorSpec
from famact.normalize.text import collapse_spaces


def propose_detail_fields(pages: list[str]) -> tuple[dict[str, SelectorSpec], dict[str, float]]:
    """Page-level field selectors for detail pages, verified on every sample given."""
    if not pages:
        return {}, {}
    sels = [Selector(text=h) for h in pages]
    text = TextCache()
    proposals: dict[str, tuple[SelectorSpec, set[str], str, str]] = {}

    def propose(spec: SelectorSpec, el: Any | None, origin: str = "") -> None:
        key = f"{spec.kind}:{spec.query}:{spec.extract}:{spec.attr}:{spec.regex}"
        if key not in proposals:
            proposals[key] = (
                spec,
                hint_words(el) if el is not None else set(),
                el.tag if el is not None else "",
                origin,
            )

    for sel in sels:
        body = sel.root.find(".//body")
        if body is None:
            continue
        for el in iter_elements(body):
            if el is body or boilerplate_reason(el, text)[1] < 0.5:
                continue
            tag = el.tag
            for c in ranked_classes(stable_classes(el))[:2]:
                for spec in value_specs(f"{tag}.{c}", el):
                    propose(spec, el)
            if tag in ("h1", "time", "address"):
                for spec in value_specs(tag, el):
                    propose(spec, el)
        for relative, fname, el in label_candidates(body, text):
            query = relative.query[1:] if relative.query.startswith(".//") else relative.query
            propose(relative.model_copy(update={"query": query}), el, f"label:{fname}")  # page-level //li
    candidates = []
    for spec, hints, tag, origin in proposals.values():
        try:
            values = [select_value(s, spec) for s in sels]
        except ValueError:
            continue
        candidates.append(FieldCandidate(spec, values, hints, tag, origin))
    fields: dict[str, SelectorSpec] = {}
    coverage: dict[str, float] = {}
    h1 = [c for c in candidates if c.spec.query == "h1" and c.spec.extract is ExtractMode.TEXT]
    if h1 and h1[0].coverage >= 0.5:
        fields["title"] = h1[0].spec
        coverage["title"] = h1[0].coverage
    chosen, cov = assign_fields([c for c in candidates if c.tag != "h1" or "title" not in fields], len(sels))
    for name, spec in chosen.items():
        if name in ("url", "title") and name in fields:
            continue
        if name == "url":
            continue  # a detail page's own URL is the request URL
        if name == "description" and cov[name] < 0.5:
            continue
        fields.setdefault(name, spec)
        coverage.setdefault(name, cov[name])
    if "image" not in fields and all(s.css('meta[property="og:image"]') for s in sels):
        fields["image"] = SelectorSpec(
            query='meta[property="og:image"]', extract=ExtractMode.ATTR, attr="content"
        )
        coverage["image"] = 1.0
    if "description" not in fields:
        desc = _main_text_selector(sels)
        if desc is not None:
            fields["description"] = desc
            coverage["description"] = 1.0
    return fields, coverage


def _main_text_selector(sels: list[Selector]) -> SelectorSpec | None:
    """The paragraphs of the main content block, joined, when one block clearly holds them."""
    for query in ("article p", "main p", "[role=main] p", ".entry-content p", "#content p", ".content p"):
        texts = [s.css(query).xpath("string()").getall() for s in sels]
        if all(sum(len(collapse_spaces(t)) for t in block) >= 80 for block in texts):
            return SelectorSpec(query=query, multiple=True)
    return None
