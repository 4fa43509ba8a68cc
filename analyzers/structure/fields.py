"""Field selectors: per field, a selector that holds on most items and whose values behave like the field."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from parsel import Selector

from analyzers.structure.elements import (
    HEADING_TAGS,
    TextCache,
    class_tokens,
    element_text,
    is_element,
    iter_elements,
    leading_bold,
    ranked_classes,
    stable_classes,
    xpath_literal,
)
from analyzers.structure.groups import (
    CALENDAR_CELL_DATE,
    HEAD_RANK,
    PRECEDING_HEADING,
    calendar_cell_date,
)
from analyzers.structure.item_selectors import FLAG_PREDICATES
from analyzers.structure.patterns import (
    AGE_RE,
    BAD_TITLE_RE,
    DATE_EXTRACT_REGEX,
    DATE_RE,
    LABEL_FIELDS,
    LABEL_ONLY_RE,
    LABEL_PREFIX_RE,
    MAX_SCORED_ITEMS,
    PRICE_RE,
    STREET_RE,
    TIME_RE,
    date_time_only,
    has_date,
    label_value_regex,
)
from analyzers.structure.selecting import select_value, spec_matches
from famact.constants import ExtractMode, SelectorKind
from famact.models import SelectorSpec
from famact.normalize.text import collapse_spaces
from famact_crawler.extract.selectors import apply_regex


@dataclass
class FieldCandidate:
    spec: SelectorSpec
    values: list[str | None]
    hint: set[str]  # class/tag words of the matched elements
    tag: str
    origin: str = ""  # "label:ages", "self", "preceding", "segment:2"
    elements: tuple[int | None, ...] = ()  # the first matched element in each item

    def same_element(self, other: FieldCandidate) -> bool:
        pairs = [(a, b) for a, b in zip(self.elements, other.elements, strict=False) if a is not None]
        return bool(pairs) and sum(1 for a, b in pairs if a == b) >= 0.8 * len(pairs)

    @property
    def coverage(self) -> float:
        return sum(1 for v in self.values if v) / len(self.values) if self.values else 0.0

    @property
    def present(self) -> list[str]:
        return [v for v in self.values if v]

    @property
    def distinct(self) -> float:
        present = self.present
        return len(set(present)) / len(present) if present else 0.0

    @property
    def avg_len(self) -> float:
        present = self.present
        return sum(len(v) for v in present) / len(present) if present else 0.0

    def share(self, pattern: Callable[[str], Any]) -> float:
        present = self.present
        return sum(1 for v in present if pattern(v)) / len(present) if present else 0.0

    def key(self) -> str:
        return f"{self.spec.kind}:{self.spec.query}:{self.spec.extract}:{self.spec.attr}:{self.spec.regex}"


_FIELD_TEXT_TAGS = frozenset(
    {
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "time",
        "strong",
        "b",
        "em",
        "p",
        "address",
        "small",
        "dd",
        "figcaption",
        "cite",
        "a",
        "li",
        "span",
        "div",
    }
)
_BARE_TAGS_OK = frozenset(
    {
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "time",
        "strong",
        "b",
        "em",
        "p",
        "address",
        "small",
        "dd",
        "figcaption",
        "cite",
        "span",
        "a",
    }
)


def hint_words(el: Any) -> set[str]:
    words = class_tokens(el) if (el.get("class") or el.get("id")) else set()
    words.add(el.tag)
    if el.get("itemprop"):
        words.add("itemprop-" + el.get("itemprop").lower())
    return words


def _relative_css_candidates(member: Any) -> list[tuple[str, Any]]:
    """CSS selectors (relative to the item) for the item's descendants, with a sample element."""
    out: list[tuple[str, Any]] = []
    for el in iter_elements(member):
        if el is member:
            continue
        tag = el.tag
        classes = ranked_classes(stable_classes(el))
        for c in classes[:3]:
            out.append((f"{tag}.{c}", el))
            out.append((f".{c}", el))
        if tag in _BARE_TAGS_OK or tag == "img":
            out.append((tag, el))
        parent = el.getparent()
        if not classes and parent is not None and tag in _BARE_TAGS_OK:
            sibling_classes = {
                c
                for sib in parent
                if is_element(sib) and sib.tag == tag and sib is not el
                for c in stable_classes(sib)
            }
            if sibling_classes:
                out.append((tag + "".join(f":not(.{c})" for c in sorted(sibling_classes)[:3]), el))
        if parent is not None and parent is not member and not classes:
            pclasses = ranked_classes(stable_classes(parent))
            if pclasses:
                out.append((f"{parent.tag}.{pclasses[0]} > {tag}", el))
            elif parent.tag in HEADING_TAGS or parent.tag in ("p", "li", "dd"):
                out.append((f"{parent.tag} > {tag}", el))
        itemprop = el.get("itemprop")
        if itemprop and re.fullmatch(r"[A-Za-z]+", itemprop):
            out.append((f"[itemprop={itemprop}]", el))
    return out


# Elements a positional selector is tried for: cells and blocks that neither a class nor a
# bare tag name can pick out (`<td id="ctl00_titleCell">` inside a table per event).
_POSITIONAL_TAGS = frozenset({"td", "th", "div", "li", "dt", "font", "label"})
_MAX_POSITIONAL = 24


def _positional_candidates(member: Any) -> list[tuple[str, Any]]:
    """XPath paths by position from the item to its unclassed text cells (`./tr[1]/td[1]`):
    templated items repeat one shape, so a position names the same field in each."""
    out: list[tuple[str, Any]] = []
    for el in iter_elements(member):
        if len(out) >= _MAX_POSITIONAL:
            break
        if el is member or el.tag not in _POSITIONAL_TAGS or stable_classes(el):
            continue
        if not (el.text or "").strip() and not any((c.tail or "").strip() for c in el):
            continue  # the text lives in children, which are candidates of their own
        path = _path_from(member, el)
        if path is not None:
            out.append((path, el))
    return out


# Lines one element prints with <br> between them ("Sunday, September 27th | 5pm<br>Callisto
# Quartet<br>FREE CONCERT!"): each of its first few own text lines is a candidate, since the
# element's whole text is a card (date, name and notes) and never the title.
_MAX_LINES = 4
_MAX_LINE_ELEMENTS = 6


def _line_candidates(member: Any) -> list[tuple[str, Any]]:
    """XPath paths to the own text lines of the item's line-broken elements
    (`./h1/a/span[2]/text()[normalize-space()][1]`), with the element holding them."""
    out: list[tuple[str, Any]] = []
    elements = 0
    for el in iter_elements(member):
        if elements >= _MAX_LINE_ELEMENTS:
            break
        if not any(is_element(c) and c.tag == "br" for c in el):
            continue
        lines = [t for t in [el.text, *(c.tail for c in el if is_element(c))] if t and t.strip()]
        if not lines:
            continue
        path = _path_from(member, el)
        if path is None:
            continue
        elements += 1
        for k in range(1, min(len(lines), _MAX_LINES) + 1):
            out.append((f"{path}/text()[normalize-space()][{k}]", el))
    return out


def _path_from(member: Any, el: Any) -> str | None:
    """`./h1[1]/a[1]`: the position path from the item down to `el` (at most five steps)."""
    steps: list[str] = []
    node = el
    while node is not member:
        parent = node.getparent()
        if parent is None or len(steps) > 4:
            return None
        same = [c for c in parent if is_element(c) and c.tag == node.tag]
        steps.append(f"{node.tag}[{same.index(node) + 1}]")
        node = parent
    return "./" + "/".join(reversed(steps)) if steps else "."


# Attributes that carry a listing's facts for scripts and styles rather than for reading:
# `<div data-date="2026-01-06" data-title="...">`, `<meta itemprop="startDate" content=...>`.
_FACT_ATTR = re.compile(r"^data-(?:[a-z]+-)*(?:date|start|starts|start-date|datetime|title|name)$")


def _attribute_candidates(member: Any) -> list[tuple[SelectorSpec, Any]]:
    """Selectors reading a fact held only in an attribute of the item or a descendant."""
    out: list[tuple[SelectorSpec, Any]] = []
    for el in iter_elements(member):
        attrs = [a for a in el.attrib if _FACT_ATTR.match(a)]
        if el.tag == "meta" and el.get("itemprop") and el.get("content"):
            attrs.append("content")
        if not attrs:
            continue
        if el is member:
            query, kind = ".", SelectorKind.XPATH
        else:
            classes = ranked_classes(stable_classes(el))
            if el.tag == "meta" and re.fullmatch(r"[A-Za-z]+", el.get("itemprop", "")):
                query = f"meta[itemprop={el.get('itemprop')}]"
            elif classes:
                query = f"{el.tag}.{classes[0]}"
            else:
                query = f"{el.tag}[{attrs[0]}]"
            kind = SelectorKind.CSS
        for attr in attrs:
            out.append((SelectorSpec(kind=kind, query=query, extract=ExtractMode.ATTR, attr=attr), el))
    return out


def label_candidates(member: Any, text: TextCache) -> list[tuple[SelectorSpec, str, Any]]:
    """XPath selectors keyed on printed labels ("Ages:", <dt>When</dt>): (spec, field, element)."""
    out: list[tuple[SelectorSpec, str, Any]] = []
    for el in iter_elements(member):
        if el is member:
            continue
        own = text(el)
        if not own or len(own) > 300:
            continue
        only = LABEL_ONLY_RE.match(own)
        if only and el.tag in ("dt", "th"):
            value_tag = "dd" if el.tag == "dt" else "td"
            label = own
            query = f".//{el.tag}[normalize-space()={xpath_literal(label)}]/following-sibling::{value_tag}[1]"
            out.append(
                (SelectorSpec(kind=SelectorKind.XPATH, query=query), LABEL_FIELDS[only.group(1).lower()], el)
            )
            continue
        if only and el.tag in ("strong", "b", "span", "label", "em") and el.getparent() is not None:
            parent = el.getparent()
            if parent is member or len(text(parent)) <= len(own) + 1:
                continue
            label = own
            query = f".//{parent.tag}[{el.tag}[normalize-space()={xpath_literal(label)}]]"
            regex = label_value_regex(only.group(1))
            out.append(
                (
                    SelectorSpec(kind=SelectorKind.XPATH, query=query, regex=regex),
                    LABEL_FIELDS[only.group(1).lower()],
                    parent,
                )
            )
            continue
        prefix = LABEL_PREFIX_RE.match(own)
        if (
            prefix
            and el.tag in ("p", "li", "div", "dd", "span", "td")
            and len(own) > len(prefix.group(0)) + 1
        ):
            label = prefix.group(1)
            query = (
                f".//{el.tag}[starts-with(normalize-space(), {xpath_literal(own[: prefix.end()].strip())})]"
            )
            out.append(
                (
                    SelectorSpec(kind=SelectorKind.XPATH, query=query, regex=label_value_regex(label)),
                    LABEL_FIELDS[label.lower()],
                    el,
                )
            )
    return out


def _printed_labels(container: Any, text: TextCache) -> list[str]:
    """Labels printed as their own element inside container ("<b>When:</b> Sat..."), or at
    the start of a line of it; never a word that merely precedes a colon in a title."""
    labels: list[str] = []
    for el in iter_elements(container):
        own = text(el)
        if el.tag in ("strong", "b", "span", "em", "label", "dt", "th", "i"):
            only = LABEL_ONLY_RE.match(own)
            if only:
                labels.append(only.group(1))
                continue
        if el.tag in ("p", "li", "div", "dd", "span", "td") and len(el) <= 2:
            start = LABEL_PREFIX_RE.match((el.text or "").strip())
            if start:
                labels.append(start.group(1))
    return list(dict.fromkeys(labels))


def value_specs(css: str, el: Any) -> list[SelectorSpec]:
    """How a matched element can yield a value: its text, and for links/images/times an attr."""
    specs = []
    if el.tag == "a":
        specs.append(SelectorSpec(query=css, extract=ExtractMode.ATTR, attr="href"))
    if el.tag == "img":
        for attr in ("src", "data-src", "data-lazy-src"):
            if el.get(attr) and not el.get(attr, "").startswith("data:"):
                specs.append(SelectorSpec(query=css, extract=ExtractMode.ATTR, attr=attr))
                break
        return specs
    if el.get("datetime"):
        specs.append(SelectorSpec(query=css, extract=ExtractMode.ATTR, attr="datetime"))
    specs.append(SelectorSpec(query=css))
    return specs


_HEADER_FIELDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.I), f)
    for p, f in (
        (
            r"^(?:course|activity|class|program|programme|event|camp|name|title|session|workshop|"
            r"actividad|clase|programa|evento|nombre)(?:\s+(?:name|title))?$",
            "title",
        ),
        (r"^(?:dates?|date\(s\)|when|start(?:\s+date)?|fechas?)$", "date"),
        (r"^(?:days?|day\(s\)|schedule|meets|d[ií]as?)$", "schedule"),
        (r"^(?:times?|hours|hora|horario)$", "time"),
        (r"^(?:ages?|age range|grades?|edad(?:es)?|audience)$", "ages"),
        (r"^(?:fees?|cost|price|tuition|costo|precio|resident fee)$", "price"),
        (r"^(?:location|where|venue|site|facility|place|lugar|ubicaci[oó]n)$", "venue"),
        (r"^(?:address|direcci[oó]n)$", "address"),
        (r"^(?:description|details|about|descripci[oó]n)$", "description"),
        (r"^(?:status|availability|openings|spots)$", "status"),
        (r"^(?:category|type|tipo)$", "category"),
    )
)


def header_field_name(header: str) -> str | None:
    """The raw field a table column header names ("Course" -> title, "Fee" -> price)."""
    clean = collapse_spaces(header).strip(" :*").lower()
    for pattern, name in _HEADER_FIELDS:
        if pattern.match(clean):
            return name
    return None


def table_headers(row: Any) -> list[str]:
    """Column header texts of the table a row belongs to (thead, or the first row of th)."""
    table = row.getparent()
    while table is not None and table.tag != "table":
        table = table.getparent()
    if table is None:
        return []
    for tr in table.iter("tr"):
        cells = [c for c in tr if is_element(c) and c.tag in ("td", "th")]
        if cells and all(c.tag == "th" for c in cells):
            return [element_text(c) for c in cells]
        if tr is row:
            break
    return []


def field_candidates(
    group_kind: str, contexts: list[Selector], flag: str, text: TextCache
) -> list[FieldCandidate]:
    """Every field selector worth testing on these items, evaluated on all of them."""
    proposals: dict[str, tuple[SelectorSpec, set[str], str, str]] = {}

    def propose(spec: SelectorSpec, el: Any | None, origin: str = "") -> None:
        key = f"{spec.kind}:{spec.query}:{spec.extract}:{spec.attr}:{spec.regex}"
        if key in proposals:
            if el is not None:
                proposals[key][1].update(hint_words(el))
            return
        proposals[key] = (
            spec,
            hint_words(el) if el is not None else set(),
            el.tag if el is not None else "",
            origin,
        )

    sample = contexts[:25]
    for ctx in sample:
        member = ctx.root
        if group_kind == "element":
            for css, el in _relative_css_candidates(member):
                try:
                    for spec in value_specs(css, el):
                        propose(spec, el)
                except ValueError:
                    continue
            for spec, fname, el in label_candidates(member, text):
                propose(spec, el, f"label:{fname}")
            if member.tag != "tr":
                for path, el in _positional_candidates(member):
                    propose(SelectorSpec(kind=SelectorKind.XPATH, query=path), el, "position")
            for path, el in _line_candidates(member):
                propose(SelectorSpec(kind=SelectorKind.XPATH, query=path), el, "line")
            if member.tag == "tr":
                cells = [c for c in member if is_element(c) and c.tag in ("td", "th")]
                headers = table_headers(member)
                for i, cell in enumerate(cells, start=1):
                    query = f"./*[self::td or self::th][{i}]"
                    header_field = header_field_name(headers[i - 1]) if i <= len(headers) else None
                    origin = f"label:{header_field}" if header_field else f"cell:{i}"
                    propose(SelectorSpec(kind=SelectorKind.XPATH, query=query), cell, origin)
                    link = next((a for a in cell.iter("a") if a.get("href")), None)
                    if link is not None:
                        propose(
                            SelectorSpec(
                                kind=SelectorKind.XPATH,
                                query=query + "//a",
                                extract=ExtractMode.ATTR,
                                attr="href",
                            ),
                            link,
                            f"cell:{i}",
                        )
            if member.tag == "a":
                propose(
                    SelectorSpec(kind=SelectorKind.XPATH, query=".", extract=ExtractMode.ATTR, attr="href"),
                    member,
                    "self",
                )
            for spec, el in _attribute_candidates(member):
                propose(spec, el, "attr")
        else:
            propose(SelectorSpec(kind=SelectorKind.XPATH, query="."), member, "head")
            if member.tag != "dt":
                propose(
                    SelectorSpec(
                        kind=SelectorKind.XPATH, query=".//a", extract=ExtractMode.ATTR, attr="href"
                    ),
                    member,
                    "self",
                )
            head_pred = _segment_head_predicate(member, flag)
            sibling = member.getnext()
            k = 0
            while sibling is not None and k < 5:
                if not is_element(sibling):
                    sibling = sibling.getnext()
                    continue
                k += 1
                if _segment_head_matches(sibling, member, flag):
                    break
                base = f"following-sibling::*[{k}][not({head_pred})]"
                if k > 1:
                    base += f"[not(preceding-sibling::*[position() < {k}][{head_pred}])]"
                propose(SelectorSpec(kind=SelectorKind.XPATH, query=base), sibling, f"segment:{k}")
                img = next((i for i in sibling.iter("img") if i.get("src")), None)
                if img is not None:
                    propose(
                        SelectorSpec(
                            kind=SelectorKind.XPATH,
                            query=base + "//img",
                            extract=ExtractMode.ATTR,
                            attr="src",
                        ),
                        img,
                        f"segment:{k}",
                    )
                if member.tag == "dt":
                    link = next((a for a in sibling.iter("a") if a.get("href")), None)
                    if link is not None:
                        propose(
                            SelectorSpec(
                                kind=SelectorKind.XPATH,
                                query=base + "//a",
                                extract=ExtractMode.ATTR,
                                attr="href",
                            ),
                            link,
                            f"segment:{k}",
                        )
                for label in _printed_labels(sibling, text):
                    propose(
                        SelectorSpec(kind=SelectorKind.XPATH, query=base, regex=label_value_regex(label)),
                        sibling,
                        f"label:{LABEL_FIELDS[label.lower()]}",
                    )
                sibling = sibling.getnext()
        # Text-pattern fallbacks on the whole item (dates inside running text).
        if group_kind == "element":
            propose(
                SelectorSpec(kind=SelectorKind.XPATH, query=".", regex=DATE_EXTRACT_REGEX),
                member,
                "self-date",
            )
            propose(
                SelectorSpec(kind=SelectorKind.XPATH, query=".", regex=PRICE_EXTRACT_REGEX),
                member,
                "self-price",
            )
            propose(
                SelectorSpec(kind=SelectorKind.XPATH, query=".", regex=AGES_EXTRACT_REGEX),
                member,
                "self-ages",
            )
            if flag == "lead-strong":
                # A "<p><strong>Title</strong> - when, where, what</p>" item: the paragraph is
                # the description.
                propose(SelectorSpec(kind=SelectorKind.XPATH, query="."), member, "self")
            for label in _printed_labels(member, text):
                propose(
                    SelectorSpec(kind=SelectorKind.XPATH, query=".", regex=label_value_regex(label)),
                    member,
                    f"label:{LABEL_FIELDS[label.lower()]}",
                )
            for level in ("h2", "h3", "h4"):
                if member.find(f".//{level}") is None:
                    propose(
                        SelectorSpec(kind=SelectorKind.XPATH, query=f"preceding::{level}[1]"),
                        None,
                        "preceding",
                    )
            if not any(member.find(f".//{h}") is not None for h in HEADING_TAGS):
                propose(SelectorSpec(kind=SelectorKind.XPATH, query=PRECEDING_HEADING), None, "preceding")
            if calendar_cell_date(member):
                cell_date = SelectorSpec(kind=SelectorKind.XPATH, query=CALENDAR_CELL_DATE)
                propose(cell_date, None, "calendar-cell")
    candidates = []
    scored = contexts[:MAX_SCORED_ITEMS]
    for spec, proposed_hints, tag, origin in proposals.values():
        hints = proposed_hints
        try:
            values = [select_value(ctx, spec) for ctx in scored]
            firsts = [spec_matches(ctx, spec)[:1] for ctx in contexts[:12]]
        except ValueError:
            continue
        elements = tuple(id(f[0].root) if f and is_element(f[0].root) else None for f in firsts)
        if spec.regex is None and spec.extract is ExtractMode.TEXT:
            # Hints come from what the selector really hits (a bare "p" may hit p.date).
            for f in firsts:
                if f and is_element(f[0].root):
                    hints = hints | hint_words(f[0].root)
        candidates.append(FieldCandidate(spec, values, hints, tag, origin, elements))
    return candidates + _date_title_splits(candidates)


# "Wednesday, January 7th: Snow Day Crafts", "Jan 9 | Family Yoga", "Sat 1/10 - Kids Cooking":
# a date printed before the title in one element; "Regular Board Meeting – February 22, 2022":
# one printed after it. Group 1 of each pattern is its part.
_SPLIT_SEP = r"(?::\s|\s\|\s|\s[-–—]\s)"
DATE_PREFIX_REGEX = rf"^\s*(.{{3,60}}?)\s*{_SPLIT_SEP}\s*\S.*$"
TITLE_AFTER_DATE_REGEX = rf"^\s*.{{3,60}}?\s*{_SPLIT_SEP}\s*(\S.*)$"
# The title is what comes before the first separator that a date follows ("California
# Transportation Commission Meeting: October 12, 2022 - Santa Barbara").
_DATE_START = (
    r"(?i:(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d|\d{1,2}/\d{1,2})"
)
DATE_SUFFIX_REGEX = rf"^\s*\S.*?\s*{_SPLIT_SEP}\s*({_DATE_START}.*)$"
TITLE_BEFORE_DATE_REGEX = rf"^\s*(\S.*?)\s*{_SPLIT_SEP}\s*(?={_DATE_START})"
# "12/05/22 Regular Meeting", "2024-03-05  Board Meeting": a numeric date needs no separator
# before the title (nothing in a name reads like "12/05/22").
_NUMERIC_DATE = r"(?:\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2})"
DATE_HEAD_REGEX = rf"^\s*({_NUMERIC_DATE})\s+\S.*$"
TITLE_AFTER_HEAD_REGEX = rf"^\s*{_NUMERIC_DATE}\s+(\S.*)$"
_DATE_PREFIX = re.compile(DATE_PREFIX_REGEX, re.S)
_DATE_HEAD = re.compile(DATE_HEAD_REGEX, re.S)
_DATE_SUFFIX = re.compile(DATE_SUFFIX_REGEX, re.S)
# Most items must print their date and title this way for the halves to be offered.
_SPLIT_SHARE = 0.6


def _date_prefixed(value: str) -> bool:
    m = _DATE_PREFIX.match(value)
    if m is None or not has_date(m.group(1)):
        return False
    rest = re.sub(rf"^\s*{_SPLIT_SEP}\s*", "", value[m.end(1) :])
    # "Tue, 02/04/2025 - 2:00pm" is a date and a time, not a date and a title.
    return not has_date(rest) and not TIME_RE.match(rest) and _looks_like_title(rest)


def _date_headed(value: str) -> bool:
    m = _DATE_HEAD.match(value)
    if m is None or _date_prefixed(value):
        return False
    rest = value[m.end(1) :].strip()
    return not has_date(rest) and not TIME_RE.match(rest) and _looks_like_title(rest)


def _date_suffixed(value: str) -> bool:
    m = _DATE_SUFFIX.match(value)
    if m is None or not has_date(m.group(1)):
        return False
    head = re.sub(rf"\s*{_SPLIT_SEP}\s*$", "", value[: m.start(1)])
    return not has_date(head) and _looks_like_title(head)


def _date_split(value: str) -> bool:
    return _date_prefixed(value) or _date_suffixed(value) or _date_headed(value)


def _date_title_splits(candidates: list[FieldCandidate]) -> list[FieldCandidate]:
    """For an element whose text is "date: title" or "title - date" on most items, its two
    halves as a date and a title candidate (the whole text is then no title: see `_score_field`)."""
    out: list[FieldCandidate] = []
    for c in candidates:
        if c.spec.extract is not ExtractMode.TEXT or c.spec.regex is not None or c.coverage < 0.5:
            continue
        if c.share(_date_prefixed) >= _SPLIT_SHARE:
            halves = ((DATE_PREFIX_REGEX, "split-date"), (TITLE_AFTER_DATE_REGEX, "split-title"))
        elif c.share(_date_suffixed) >= _SPLIT_SHARE:
            halves = ((DATE_SUFFIX_REGEX, "split-date"), (TITLE_BEFORE_DATE_REGEX, "split-title"))
        elif c.share(_date_headed) >= _SPLIT_SHARE:
            halves = ((DATE_HEAD_REGEX, "split-date"), (TITLE_AFTER_HEAD_REGEX, "split-title"))
        else:
            continue
        for regex, origin in halves:
            values = [apply_regex(regex, v) if v else None for v in c.values]
            spec = c.spec.model_copy(update={"regex": regex})
            out.append(replace(c, spec=spec, values=values, origin=origin))
    return out


def _segment_head_predicate(head: Any, flag: str) -> str:
    if flag == "strong-only":
        return "self::p[" + FLAG_PREDICATES["strong-only"] + "]"
    return f"self::{head.tag}"


def _segment_head_matches(el: Any, head: Any, flag: str) -> bool:
    if el.tag != head.tag:
        return el.tag in HEAD_RANK and head.tag in HEAD_RANK and HEAD_RANK[el.tag] <= HEAD_RANK[head.tag]
    if flag == "strong-only":
        return (
            leading_bold(el) is not None and len(element_text(el)) <= len(element_text(leading_bold(el))) + 2
        )
    return True


_TITLE_WORDS = {"title", "name", "heading", "headline", "summary", "itemprop-name"}
_DATE_WORDS = {"date", "dates", "when", "datetime", "day", "start", "itemprop-startdate", "time"}
_TIME_WORDS = {"time", "times", "hours", "clock"}
_PRICE_WORDS = {"price", "cost", "fee", "fees", "admission", "tuition", "ticket", "tickets", "itemprop-price"}
_AGE_WORDS = {"age", "ages", "grade", "grades", "audience"}
_VENUE_WORDS = {
    "venue",
    "location",
    "where",
    "place",
    "room",
    "branch",
    "facility",
    "itemprop-location",
    "site",
}
_ADDRESS_WORDS = {"address", "street", "adr", "itemprop-address", "addr"}
_DESC_WORDS = {
    "desc",
    "description",
    "summary",
    "excerpt",
    "teaser",
    "intro",
    "body",
    "content",
    "text",
    "details",
    "blurb",
    "itemprop-description",
    "abstract",
}
_CATEGORY_WORDS = {"category", "categories", "topic", "topics", "genre", "tags"}
_TYPE_WORDS = {"type", "kind", "format"}
_STATUS_WORDS = {"status", "badge", "availability", "spots"}


_CONTACT_RE = re.compile(r"(?i)^\s*(?:\S+@\S+\.[a-z]{2,}|https?://\S+|www\.\S+|\+?[\d\s().-]{7,})\s*$")
# "Agenda Packet More...", "Minutes | Video", "PDF": links to a meeting's documents, not its name.
_DOCUMENT_LINKS_RE = re.compile(
    r"(?i)^(?:\W*(?:agendas?|packets?|minutes|videos?|audio|pdf|mp[34]|html|download|more|view|"
    r"documents?|attachments?|captions?|transcripts?|files?|links?)\b\W*)+$"
)


# "2025.01.09 AGENDA - Regular Meeting.pdf": a link printed as the file it downloads.
_FILE_NAME_RE = re.compile(r"(?i)\.(?:pdf|docx?|xlsx?|pptx?|rtf|txt|csv|zip|mp[34]|m4a|wav|jpe?g|png)\s*$")


# "01h 45m", "1 hr 30 min", "1:45:00": how long a recording or a meeting ran, a cell of its own.
_DURATION_RE = re.compile(
    r"(?i)^\s*(?:\d{1,3}\s*h(?:ours?|rs?)?\.?\s*(?:\d{1,2}\s*m(?:in(?:utes?|s)?)?\.?)?"
    r"|\d{1,3}\s*m(?:in(?:utes?|s)?)?\.?(?:\s*\d{1,2}\s*s(?:ec(?:onds?|s)?)?)?|\d{1,2}:\d{2}:\d{2})\s*$"
)


def _looks_like_title(value: str) -> bool:
    if _DURATION_RE.match(value):
        return False  # a recording's length is no name
    if _FILE_NAME_RE.search(value):
        return False  # a document's file name, not the name of what the item is
    if LABEL_ONLY_RE.match(value) or (len(value) < 30 and value.rstrip().endswith(":")):
        return False  # "When:", "Tip:" are labels, not names
    if _CONTACT_RE.match(value):
        return False  # an e-mail address, a link or a phone number names nobody's activity
    if _DOCUMENT_LINKS_RE.match(value):
        return False
    return (
        3 <= len(value) <= 200
        and not BAD_TITLE_RE.match(value)
        and not (DATE_RE.fullmatch(value) or TIME_RE.fullmatch(value))
    )


_ISO_DATE = re.compile(r"^\s*\d{4}-\d{2}-\d{2}")


def _attribute_score(name: str, c: FieldCandidate, cov: float) -> float:
    """A value read from an attribute (`datetime`, `data-date`, `data-title`, a microdata
    `content`): a machine-readable date loses to a printed calendar date (a UTC stamp can fall
    on another local day) but beats a printed weekday and time; an attribute title only
    stands in when no printed title scores."""
    attr = (c.spec.attr or "").lower()
    if cov < 0.5:
        return 0.0
    if name == "date":
        iso = c.share(lambda v: _ISO_DATE.match(v) is not None)
        if attr == "datetime" or (iso >= 0.8 and ("date" in attr or "start" in attr or attr == "content")):
            return cov * 1.2
        return 0.0
    if name == "title" and attr.startswith("data-") and ("title" in attr or "name" in attr):
        return cov * c.distinct * c.share(_looks_like_title) * 0.8
    return 0.0


def _score_field(name: str, c: FieldCandidate, n: int) -> float:
    """How well a candidate fits a field (0 = not at all)."""
    cov = c.coverage
    if cov == 0:
        return 0.0
    hint = c.hint
    label = c.origin.startswith("label:")
    label_field = c.origin.split(":", 1)[1] if label else ""
    text_mode = c.spec.extract is ExtractMode.TEXT
    varies = c.distinct >= 0.6 or n < 3
    avg = c.avg_len
    if name == "url":
        if c.spec.extract is not ExtractMode.ATTR or c.spec.attr != "href":
            return 0.0
        good = c.share(lambda v: not v.startswith(("#", "javascript:", "mailto:", "tel:")))
        if cov < 0.5 or not varies or good < 0.8:
            return 0.0
        bonus = 1.0
        if c.origin == "self":
            bonus += 0.6
        if hint & (_TITLE_WORDS | set(HEADING_TAGS)) or re.search(r"\bh[1-6]\b", c.spec.query):
            bonus += 0.5
        if hint & {"register", "registration", "ticket", "tickets", "buy", "share", "facebook"}:
            bonus -= 0.5
        return cov * c.distinct * bonus
    if name == "image":
        if c.spec.extract is not ExtractMode.ATTR or c.tag != "img" or cov < 0.5:
            return 0.0
        return cov
    if not text_mode:
        return _attribute_score(name, c, cov)
    if label:
        if label_field != name:
            return 0.0
        # The labelled element itself beats a regex over the whole item.
        return (cov * 1.5 + (0.0 if c.spec.query == "." else 0.01)) if cov >= 0.3 else 0.0
    if c.origin == "preceding":
        return cov * 0.9 if name == "date" and c.share(has_date) >= 0.8 and cov >= 0.8 else 0.0
    if c.origin == "calendar-cell":
        # The day in the grid beats the month heading alone (a "preceding" candidate).
        return cov * 0.95 if name == "date" and c.share(has_date) >= 0.8 and cov >= 0.8 else 0.0
    if name == "title":
        # Titles may repeat (a board meets as "City Commission" every month, storytime runs
        # weekly): the date tells such listings apart, so repetition only lowers the score.
        if cov < 0.5 or avg > 200 or c.origin == "self" or c.origin.startswith("self-"):
            return 0.0
        titles = c.share(_looks_like_title)
        if titles < 0.7 or c.share(date_time_only) > 0.3:
            return 0.0
        if c.origin != "split-title" and c.share(_date_split) >= _SPLIT_SHARE:
            return 0.0  # "Wednesday, January 7th: Title": the title is the part after the date
        bonus = 1.0
        if c.tag in HEADING_TAGS or c.origin == "head":
            bonus += 0.8
        if hint & _TITLE_WORDS:
            bonus += 0.6
        if c.tag == "a":
            bonus += 0.3
        if c.tag in ("strong", "b"):
            bonus += 0.25
        if c.origin.startswith("cell:") or c.origin == "split-title":
            bonus += 0.2  # a table cell's text, or what is left of one once its date is read
        if hint & (_DATE_WORDS | _PRICE_WORDS | _AGE_WORDS | _VENUE_WORDS | _DESC_WORDS) - {"summary"}:
            bonus -= 0.6
        if avg > 120:
            bonus *= 0.5
        return cov * (0.4 + 0.6 * c.distinct) * titles * bonus
    if name == "date":
        dates = c.share(has_date)
        hinted = bool(hint & _DATE_WORDS)
        if cov < 0.5 or (dates < 0.6 and not (hinted and dates >= 0.4)):
            return 0.0
        bonus = 1.0 + (0.4 if hinted else 0) + (0.4 if c.tag == "time" else 0)
        if c.origin == "self-date":
            bonus -= 0.4
        if c.share(lambda v: DATE_RE.search(v) is not None) < 0.5:
            bonus *= 0.5  # "Tue 10:30": a weekday and a time name no calendar day
        if c.origin != "split-date" and c.share(_date_split) >= _SPLIT_SHARE:
            bonus *= 0.5  # "Wednesday, January 7th: Title": the date is the part before the title
        brevity = min(1.0, 60 / avg) if avg else 0
        return cov * dates * bonus * brevity
    if name == "time":
        times = c.share(TIME_RE.search)
        if cov < 0.5 or times < 0.7 or not (hint & _TIME_WORDS):
            return 0.0
        return cov * times * min(1.0, 40 / max(avg, 1))
    if name in ("price", "ages", "venue", "address", "category", "type", "status"):
        words = {
            "price": _PRICE_WORDS,
            "ages": _AGE_WORDS,
            "venue": _VENUE_WORDS,
            "address": _ADDRESS_WORDS,
            "category": _CATEGORY_WORDS,
            "type": _TYPE_WORDS,
            "status": _STATUS_WORDS,
        }[name]
        hinted = bool(hint & words)
        pattern = {"price": PRICE_RE, "ages": AGE_RE, "address": STREET_RE}.get(name)
        fit = c.share(pattern.search) if pattern else 0.0
        if c.origin in ("self-price", "self-ages"):
            # A price or age range inside running text, taken with a regex: the fallback.
            wanted = "self-price" if name == "price" else "self-ages" if name == "ages" else ""
            return cov * 0.8 if c.origin == wanted and cov >= 0.6 else 0.0
        if c.origin in ("self", "self-date", "head"):
            return 0.0
        typical = {"venue": 50, "address": 60}.get(name, 30)
        if avg > typical * 3:
            return 0.0
        if name in ("venue", "category", "type", "status") and not hinted:
            return 0.0
        if name in ("venue", "category", "type") and c.share(has_date) > 0.5:
            return 0.0
        brevity = min(1.0, typical / max(avg, 1))
        if hinted and cov >= 0.3:
            return cov * (1.2 + fit) * (0.5 + 0.5 * brevity)
        if pattern is not None and fit >= 0.8 and cov >= 0.5 and avg <= typical * 1.5:
            return cov * fit * brevity
        return 0.0
    if name == "description":
        if cov < 0.5 or avg < 40 or not varies or c.origin.startswith("self-"):
            return 0.0
        bonus = 1.0 + (0.6 if hint & _DESC_WORDS else 0) + (0.2 if c.tag == "p" else 0)
        if c.origin == "self":
            bonus -= 0.5
        if hint & (_TITLE_WORDS | _DATE_WORDS | _VENUE_WORDS):
            bonus -= 0.5
        return cov * bonus * min(1.0, avg / 120)
    return 0.0


TITLE_VARIETY_WEIGHT = 0.3  # the score a title candidate loses when all its texts are one
VARIETY_MIN_ITEMS = 6

_FIELD_ORDER = (
    "url",
    "image",
    "date",
    "time",
    "title",
    "price",
    "ages",
    "venue",
    "address",
    "description",
    "category",
    "type",
    "status",
    "schedule",
    "registration",
)


def assign_fields(
    candidates: list[FieldCandidate], n: int
) -> tuple[dict[str, SelectorSpec], dict[str, float]]:
    """Pick at most one selector per field; an element's text serves one field only."""
    fields: dict[str, SelectorSpec] = {}
    coverage: dict[str, float] = {}
    chosen_by: dict[str, FieldCandidate] = {}
    values: dict[str, list[str | None]] = {}
    # Titles may repeat, but the title tells items apart better than a link every row labels
    # alike ("Board Agenda" beside "Board of Commissioners Meeting" / "... Special Meeting"):
    # a title candidate is weighed by its count of distinct texts against the most varied one
    # (on a handful of items a repeated title is as likely as a label: not weighed).
    variety = (
        {id(c): _distinct_count(c) for c in candidates if _score_field("title", c, n) > 0}
        if n >= VARIETY_MIN_ITEMS
        else {}
    )
    varied = max(variety.values(), default=0)
    for name in _FIELD_ORDER:
        best: tuple[float, FieldCandidate | None] = (0.0, None)
        for c in candidates:
            plain_text = c.spec.extract is ExtractMode.TEXT and c.spec.regex is None
            if plain_text and any(
                o.spec.extract is ExtractMode.TEXT
                and o.spec.regex is None
                and o.origin != "self"
                and c.same_element(o)
                and not {name, other} <= {"price", "ages"}  # one "Ages 3-12 · $25" element: split below
                and not _dated_title({name, other}, c)
                for other, o in chosen_by.items()
            ):
                continue
            if name in ("schedule", "registration"):
                score = c.coverage * 1.5 if c.origin == f"label:{name}" and c.coverage >= 0.3 else 0.0
            else:
                score = _score_field(name, c, n)
            if score > 0 and name == "title" and varied:
                score *= 1 - TITLE_VARIETY_WEIGHT * (1 - variety[id(c)] / varied)
            if score > 0 and name == "title" and "date" in values:
                if c.same_element(chosen_by["date"]) and c.origin != "split-title":
                    # The date's own element as the title ("July 28, 2022 Planning Commission
                    # Meeting"): only when no element of its own names the listing better.
                    score *= 0.4
                else:
                    # A cell holding the date element and more ("Sep 26, 2022 - Posted ...
                    # Regular Meeting"): the title is the rest, in an element of its own.
                    score *= 1 - 0.7 * _containment(c.values, values["date"])
            if score > 0 and name == "description" and ("title" in values or "date" in values):
                # The description is the text beside the title and date, not a block holding them.
                holds = _containment(c.values, values.get("title"), values.get("date"))
                score = 0.0 if holds >= 0.8 and c.origin != "self" else score * (1 - 0.7 * holds)
            # Ties: a class-qualified CSS selector (robust), then the shorter one.
            if score > 0:
                score += 0.02 if (c.spec.kind is SelectorKind.CSS and "." in c.spec.query) else 0.0
                score -= len(c.spec.query) / 10_000 + (0.001 if c.spec.kind is SelectorKind.XPATH else 0)
            if score > best[0]:
                best = (score, c)
        chosen = best[1]
        if chosen is None or best[0] <= 0.05:
            continue
        if name == "time" and "date" in values and _share_present(values["date"], TIME_RE.search) >= 0.8:
            continue  # the date text already says when it starts and ends
        values[name] = chosen.values
        fields[name] = chosen.spec
        chosen_by[name] = chosen
        coverage[name] = round(chosen.coverage, 3)
    _split_shared(fields, chosen_by, coverage)
    return fields, coverage


def _distinct_count(c: FieldCandidate) -> int:
    """How many texts the candidate tells apart, its dates and times aside (a row's "Jan 10,
    2022 5:30 PM Agenda Minutes" varies by its date alone)."""
    return len({TIME_RE.sub("", DATE_RE.sub("", v)).strip() for v in c.present})


def _dated_title(names: set[str], c: FieldCandidate) -> bool:
    """A short heading that names its own date ("July 28, 2022 Planning Commission Meeting")
    is the title and the date at once; a longer text holding a date is a card, never a title."""
    return names == {"title", "date"} and c.avg_len <= 80


def _share_present(values: list[str | None], pattern: Callable[[str], Any]) -> float:
    present = [v for v in values if v]
    return sum(1 for v in present if pattern(v)) / len(present) if present else 0.0


PRICE_EXTRACT_REGEX = (
    r"(?i)((?:\$\s?\d[\d,]*(?:\.\d{2})?(?:\s*(?:-|–|to|/)\s*\$?\s?\d[\d,]*(?:\.\d{2})?)?|\bfree\b|\bgratis\b)"
    r"(?:[^|·;]{0,40}?(?:members?|residents?|non-?members?|community|per\s+\w+|each))?)"
)
# The word ends at a boundary: "Agenda" and "Agency" (on every meeting listing) are no ages.
AGES_EXTRACT_REGEX = (
    r"(?i)(\b(?:ages?|edades?|grades?)\b\s*:?\s*\S+(?:\s*(?:-|–|to|and)\s*(?:up|older|\d+))?(?:\s*(?:yrs?|years?|months?))?"
    r"|\d{1,2}\s*(?:-|–|to)\s*\d{1,2}\s*(?:yrs?|years?|months?|mos?)|all\s+ages)"
)


def _split_shared(
    fields: dict[str, SelectorSpec], chosen: dict[str, FieldCandidate], coverage: dict[str, float]
) -> None:
    """Price and ages printed in one element ("Ages 3-12 · $25"): take each with a regex."""
    price, ages = chosen.get("price"), chosen.get("ages")
    if price is None or ages is None or not price.same_element(ages) or price.spec.regex or ages.spec.regex:
        return
    for name, regex, cand in (("price", PRICE_EXTRACT_REGEX, price), ("ages", AGES_EXTRACT_REGEX, ages)):
        found = [re.search(regex, v) for v in cand.values if v]
        share = sum(1 for f in found if f) / len(cand.values) if cand.values else 0
        if share >= 0.5:
            fields[name] = cand.spec.model_copy(update={"regex": regex})
            coverage[name] = round(share, 3)
        elif name == "ages":
            del fields[name]
            coverage.pop(name, None)


def _containment(candidate: list[str | None], *others: list[str | None] | None) -> float:
    """Share of items whose candidate value contains another field's value."""
    hits = total = 0
    for i, value in enumerate(candidate):
        if not value:
            continue
        total += 1
        if any(o is not None and i < len(o) and o[i] and o[i] in value for o in others):  # type: ignore[operator]
            hits += 1
    return hits / total if total else 0.0
