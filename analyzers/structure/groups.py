"""Candidate groups: repeated elements that may be a page's listings, and their scores."""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from analyzers.structure.elements import (
    HEADING_TAGS,
    NAVIGATION_TOKENS,
    NO_TEXT_TAGS,
    NON_ITEM_TAGS,
    TextCache,
    boilerplate_reason,
    class_tokens,
    is_element,
    iter_elements,
    leading_bold,
    node_flag,
    stable_classes,
)
from analyzers.structure.patterns import AGE_RE, BAD_TITLE_RE, MAX_SCORED_ITEMS, PRICE_RE, TIME_RE, has_date
from famact.normalize.text import collapse_spaces


@dataclass
class UnitFeatures:
    text: str
    has_date: bool
    has_time: bool
    has_link: bool
    link_ratio: float
    headings: int
    has_title: bool
    has_price: bool
    has_age: bool
    has_img: bool
    elements: int
    heading_texts: tuple[str, ...] = ()


@dataclass
class Group:
    """Elements that look like repetitions of one kind of thing on a page."""

    kind: Literal["element", "segment"]
    members: list[Any]  # item roots; for segments, the heading that starts each item
    units: list[list[Any]]  # the elements making up each item (segment: heading + followers)
    signature: str
    flag: str = ""
    features: list[UnitFeatures] = field(default_factory=list)
    quality: float = 0.0
    score: float = 0.0
    shares: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    platform_match: bool = False


def _signature(el: Any) -> str:
    classes = stable_classes(el)
    return el.tag + "".join("." + c for c in classes)


def _path_signatures(root: Any) -> dict[Any, str]:
    paths: dict[Any, str] = {}
    for el in iter_elements(root):
        parent = el.getparent()
        prefix = paths.get(parent, "") if parent is not None else ""
        paths[el] = prefix + "/" + _signature(el)
    return paths


def _core_split(elements: list[Any], min_size: int) -> list[list[Any]]:
    """Split same-path elements by the classes most of them share (per-item classes drop out)."""
    freq = Counter(c for e in elements for c in set(stable_classes(e)))
    core = {c for c, k in freq.items() if k >= 0.5 * len(elements)}
    parts: dict[frozenset[str], list[Any]] = defaultdict(list)
    for e in elements:
        parts[frozenset(set(stable_classes(e)) & core)].append(e)
    return [p for p in parts.values() if len(p) >= min_size]


def _striped(elements: list[Any], parts: list[list[Any]]) -> bool:
    """Siblings whose class alternates from one to the next between two parts of similar size:
    the zebra striping of one table or list, whatever the class names are."""
    if len(parts) != 2 or min(len(p) for p in parts) < 0.4 * max(len(p) for p in parts):
        return False
    part_of = {id(m): i for i, p in enumerate(parts) for m in p}
    if _one_of_each_per_parent(elements, part_of, len(parts)):
        return False
    order = [part_of[id(e)] for e in elements if id(e) in part_of]
    changes = sum(1 for a, b in itertools.pairwise(order) if a != b)
    return len(order) >= 4 and changes >= 0.7 * (len(order) - 1)


def _one_of_each_per_parent(elements: list[Any], part_of: dict[int, int], parts: int) -> bool:
    """Whether nearly every parent holds exactly one member of each part (`part_of`: element id
    -> part): the parts are pieces of one item (a summary row and its pop-up details), which
    alternate like stripes but are no list of their own."""
    by_parent: dict[int, list[int]] = defaultdict(list)
    for e in elements:
        if id(e) in part_of:
            by_parent[id(e.getparent())].append(part_of[id(e)])
    whole = sum(1 for found in by_parent.values() if sorted(found) == list(range(parts)))
    return len(by_parent) >= 2 and whole >= 0.8 * len(by_parent)


def collect_groups(root: Any, text: TextCache, *, min_size: int = 2) -> list[Group]:
    """Every plausible group of repeated elements or heading-led segments under root."""
    paths = _path_signatures(root)
    by_path: dict[tuple[str, str, str], list[Any]] = defaultdict(list)
    by_class: dict[tuple[str, str, str], list[Any]] = defaultdict(list)
    flags: dict[Any, str] = {}
    for el in paths:
        if el.tag in NON_ITEM_TAGS:
            continue
        parent = el.getparent()
        flag = node_flag(el, text)
        flags[el] = flag
        by_path[(paths.get(parent, ""), el.tag, flag)].append(el)
        classes = stable_classes(el)
        if classes:
            by_class[(el.tag, ".".join(classes), flag)].append(el)
    groups: list[Group] = []
    seen: set[tuple[str, frozenset[int]]] = set()

    def add(
        kind: Literal["element", "segment"], members: list[Any], units: list[list[Any]], flag: str
    ) -> None:
        key = (kind, frozenset(id(m) for m in members))
        if key in seen:
            return
        seen.add(key)
        groups.append(Group(kind, members, units, _signature(members[0]), flag=flag))

    for (_path, _tag, flag), els in by_path.items():
        if len(els) < min_size:
            continue
        parts = _core_split(els, min_size)
        for part in parts:
            add("element", part, [[m] for m in part], flag)
        if len(parts) > 1 and (
            set.intersection(*(set(stable_classes(e)) for e in els)) or _striped(els, parts)
        ):
            # Optional per-item classes ("has-image", "has-excerpt") split one list in two, and
            # so do striped rows ("rgRow"/"rgAltRow", "row1"/"row2" in a grid control): the
            # members are also offered whole, and scoring decides.
            add("element", els, [[m] for m in els], flag)
    for (_tag, _classes, flag), els in by_class.items():
        if len(els) >= min_size:
            add("element", els, [[m] for m in els], flag)
    for members, units, flag in _segment_groups(root, flags, min_size=max(3, min_size)):
        add("segment", members, units, flag)
    return groups


HEAD_RANK = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


def _segment_groups(
    root: Any, flags: dict[Any, str], *, min_size: int
) -> list[tuple[list[Any], list[list[Any]], str]]:
    """Headings (h2-h6, dt, bold-only paragraphs) repeated among siblings, each with the
    siblings that follow it up to the next such heading: the prose and definition-list forms."""
    found = []
    for parent in iter_elements(root):
        children = [c for c in parent if is_element(c) and c.tag not in NO_TEXT_TAGS]
        if len(children) < min_size:
            continue
        keys: Counter[tuple[str, str]] = Counter()
        for c in children:
            key = _head_key(c, flags)
            if key:
                keys[key] += 1
        for key, count in keys.items():
            if count < min_size:
                continue
            heads, units = [], []
            current: list[Any] | None = None
            for c in children:
                if _head_key(c, flags) == key:
                    current = [c]
                    heads.append(c)
                    units.append(current)
                elif current is not None:
                    rank = HEAD_RANK.get(c.tag)
                    if rank is not None and key[0] in HEAD_RANK and rank <= HEAD_RANK[key[0]]:
                        current = None  # a same-or-higher heading closes the segment
                    else:
                        current.append(c)
            # Headings with nothing after them are a plain list of titles, not segments.
            if sum(len(u) > 1 for u in units) >= 0.6 * len(units):
                found.append((heads, units, key[1]))
    return found


def _head_key(el: Any, flags: dict[Any, str]) -> tuple[str, str] | None:
    if el.tag in ("h2", "h3", "h4", "h5", "h6"):
        return (el.tag, "")
    if el.tag == "dt":
        return ("dt", "")
    if el.tag == "p" and flags.get(el) == "strong-only":
        return ("p", "strong-only")
    return None


def unit_features(unit: list[Any], text: TextCache, base_host: str | None = None) -> UnitFeatures:
    body = collapse_spaces(" ".join(text(e) for e in unit))
    links = 0
    link_chars = 0
    headings = 0
    heading_texts: list[str] = []
    title_hint = False
    has_time_el = False
    price_hint = False
    age_hint = False
    img = False
    count = 0
    for top in unit:
        for el in iter_elements(top):
            count += 1
            tag = el.tag
            if tag == "a":
                href = (el.get("href") or "").strip()
                if href and not href.startswith(("#", "javascript:", "mailto:", "tel:")):
                    links += 1
                    link_chars += len(text(el))
            elif tag in HEADING_TAGS:
                headings += 1
                heading_texts.append(text(el).casefold())
            elif tag == "time" or el.get("datetime"):
                has_time_el = True
            elif tag == "img" or (
                tag in ("div", "figure", "span") and "background-image" in (el.get("style") or "")
            ):
                img = True
            tokens = class_tokens(el) if el.get("class") or el.get("id") else set()
            if tokens:
                if tokens & {"title", "name", "heading", "headline"}:
                    title_hint = True
                if tokens & {"date", "when", "time", "datetime", "dates"}:
                    has_time_el = has_time_el or bool(text(el))
                if tokens & {"price", "cost", "fee", "fees", "admission"}:
                    price_hint = True
                if tokens & {"age", "ages", "grade", "grades", "audience"}:
                    age_hint = True
    first = unit[0]
    bold_lead = leading_bold(first) is not None or first.tag in ("dt", "strong", "b")
    if not (headings or title_hint or bold_lead):
        # A link whose words read like a name ("Family Swim Night") is the item's title.
        title_hint = any(
            len(t) >= 8 and " " in t and not BAD_TITLE_RE.match(t)
            for top in unit
            for a in top.iter("a")
            for t in [text(a)]
        )
    return UnitFeatures(
        text=body,
        has_date=has_time_el or has_date(body),
        has_time=bool(TIME_RE.search(body)),
        has_link=links > 0,
        link_ratio=(link_chars / len(body)) if body else 0.0,
        headings=headings,
        has_title=headings > 0 or title_hint or bold_lead or first.tag in HEADING_TAGS,
        has_price=price_hint or bool(PRICE_RE.search(body)),
        has_age=age_hint or bool(AGE_RE.search(body)),
        has_img=img,
        elements=count,
        heading_texts=tuple(heading_texts),
    )


def _len_score(length: int) -> float:
    if 25 <= length <= 1500:
        return 1.0
    if 12 <= length < 25 or 1500 < length <= 4000:
        return 0.5
    return 0.0


DATED_MENU_PLACE = 0.6  # a navigation block whose entries are each dated listings, against 0.15 for chrome
# boilerplate_reason's words for an element inside a site's navigation
_MENU_REASONS = frozenset(f"inside {word}" for word in NAVIGATION_TOKENS)


def _count_factor(n: int) -> float:
    if n < 2:
        return 0.0
    if n == 2:
        return 0.4
    return 0.6 + 0.4 * min(1.0, math.log(n / 3 + 1) / math.log(5))


def score_group(group: Group, text: TextCache) -> None:
    """Fill in the group's features, quality (0..1 per item) and score (quality x count x place)."""
    feats = [unit_features(u, text) for u in group.units]
    group.features = feats
    n = len(feats)
    if n == 0:
        return

    def share(pred: Callable[[UnitFeatures], bool]) -> float:
        return sum(1 for f in feats if pred(f)) / n

    shares = {
        "date": share(lambda f: f.has_date),
        "link": share(lambda f: f.has_link),
        "title": share(lambda f: f.has_title),
        "price_or_age": share(lambda f: f.has_price or f.has_age),
        "time": share(lambda f: f.has_time),
        "length_ok": sum(_len_score(len(f.text)) for f in feats) / n,
        "rich": share(lambda f: f.elements >= 3 or len(f.text) >= 60),
        "image": share(lambda f: f.has_img),
    }
    _dates_from_context(group, feats, shares, text)
    quality = (
        0.28 * shares["date"]
        + 0.14 * shares["link"]
        + 0.18 * shares["title"]
        + 0.10 * shares["price_or_age"]
        + 0.06 * shares["time"]
        + 0.14 * shares["length_ok"]
        + 0.10 * shares["rich"]
    )
    notes = group.notes
    lengths = sorted(len(f.text) for f in feats)
    median = lengths[n // 2]
    modifier = 1.0
    if median < 12:
        modifier *= 0.2
        notes.append("members are single words")
    mean_link_ratio = sum(f.link_ratio for f in feats) / n
    if mean_link_ratio > 0.85 and shares["date"] < 0.6 and median < 40:
        modifier *= 0.35
        notes.append("members are bare links (a menu?)")
    distinct = len({f.text.lower() for f in feats}) / n
    if distinct < 0.7:
        modifier *= 0.4
        notes.append("members repeat the same text")
    # A heading that several members print alike is a label ("theatre", "Family") above each
    # card's own title, not a second item inside it.
    seen = Counter(t for f in feats for t in set(f.heading_texts))
    labels = {t for t, c in seen.items() if c >= 2} if n >= 3 else set()
    mean_headings = sum(f.headings - sum(1 for t in f.heading_texts if t in labels) for f in feats) / n
    if mean_headings > 1.6:
        modifier *= 0.6
        notes.append("members hold several headings (a container of items?)")
    if shares["date"] == 0 and shares["price_or_age"] == 0 and shares["title"] < 0.5:
        modifier *= 0.5
    if median > 3000:
        modifier *= 0.3
        notes.append("members are whole page sections")
    reason, place = boilerplate_reason(group.members[0], text)
    if reason and place < 1:
        notes.append(reason)
        if reason in _MENU_REASONS and min(shares["date"], shares["title"], shares["link"]) >= 0.8:
            # every entry a titled, dated link: a "what's on" menu of the shows, which may be
            # all the page gives before its script draws the calendar
            place = max(place, DATED_MENU_PLACE)
            notes.append("a menu of dated listings")
    modifier *= place
    if group.platform_match:
        modifier *= 1.25
    group.shares = shares
    group.quality = quality
    group.notes = notes
    group.score = quality * _count_factor(n) * modifier


def _dates_from_context(
    group: Group, feats: list[UnitFeatures], shares: dict[str, float], text: TextCache
) -> None:
    """Undated items dated by where they sit: under date headings (a calendar grouped by day),
    or in the day cells of a month grid."""
    n = len(feats)
    if shares["date"] >= 0.5 or group.kind != "element":
        return
    members = group.members[:MAX_SCORED_ITEMS]
    note = None
    if n >= 3 and shares["link"] >= 0.5 and _dated_apart(_heading_dates(members, text)):
        note = "dates come from the headings above the items"
    elif n >= 2 and _dated_apart([calendar_cell_date(m) for m in members]):
        note = "dates come from the month grid's day cells"
    if note:
        shares["date"] = 1.0
        for f in feats:
            f.has_date = True
        group.notes.append(note)


def _dated_apart(dates: list[str | None]) -> bool:
    """Most items have a date from their context, and not all the same one."""
    return sum(1 for d in dates if d) >= 0.8 * len(dates) and len(set(dates)) >= 2


PRECEDING_HEADING = "preceding::*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6][1]"
# An item in a month grid's day cell: the cell's day number before the grid's month heading
# (its caption, else the nearest heading above the table): "3" and "March 2026" -> "3 March 2026".
CALENDAR_CELL_DATE = (
    "concat(normalize-space(ancestor::td[1]/descendant::text()[normalize-space()][1]), ' ', "
    "normalize-space((ancestor::table[1]/caption | ancestor::table[1]/preceding::*"
    "[self::h1 or self::h2 or self::h3 or self::h4][1])[last()]))"
)
_DAY_NUMBER_LEAD = re.compile(r"^(?:0?[1-9]|[12]\d|3[01]) \S")


def calendar_cell_date(member: Any) -> str | None:
    """The date a month grid gives an item in one of its day cells, or None when the item is
    in no such cell (the cell's first text is no day number, or no month heads the grid)."""
    if member.tag == "td" or not member.xpath("ancestor::td[1]"):
        return None
    value = member.xpath(CALENDAR_CELL_DATE)
    if not isinstance(value, str) or not _DAY_NUMBER_LEAD.match(value) or len(value) > 60:
        return None
    return value if has_date(value) else None


def _heading_dates(members: list[Any], text: TextCache) -> list[str | None]:
    """For each member, the nearest heading before it when that heading is a date
    (a calendar grouped by day: "Saturday, May 3" then the day's events)."""
    out: list[str | None] = []
    for m in members:
        found = m.xpath(PRECEDING_HEADING)
        value = text(found[0]) if found else ""
        out.append(value if value and has_date(value) and len(value) < 60 else None)
    return out


def resolve_nesting(groups: list[Group]) -> None:
    """When one group's items each hold exactly one item of another group, they describe the
    same listings: keep the smallest element that still carries everything the larger has.
    A group whose members each hold several members of a good group is a container."""
    ordered = [g for g in sorted(groups, key=lambda g: g.score, reverse=True)[:40] if g.kind == "element"]
    # One walk up from every member: which members of other groups contain it (linear in the
    # page size, where pairwise walks were quadratic on pages with hundreds of items).
    member_of: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for gi, g in enumerate(ordered):
        for mi, m in enumerate(g.members):
            member_of[id(m)].append((gi, mi))
    owners: dict[tuple[int, int], Counter[int]] = defaultdict(Counter)  # (inner, outer) -> member counts
    for gi, g in enumerate(ordered):
        for m in g.members:
            reached: set[int] = set()
            node = m.getparent()
            depth = 0
            while node is not None and depth < 60:
                for ogi, omi in member_of.get(id(node), ()):
                    if ogi not in reached:  # the nearest containing member only
                        reached.add(ogi)
                        owners[(gi, ogi)][omi] += 1
                node = node.getparent()
                depth += 1
    for oi, outer in enumerate(ordered):
        for ii, inner in enumerate(ordered):
            if inner is outer or inner.score <= 0 or outer.score <= 0:
                continue
            if len(inner.members) < len(outer.members):
                continue
            owned = owners.get((ii, oi))
            if not owned or sum(owned.values()) < 0.9 * len(inner.members):
                continue
            if len(owned) == len(outer.members) and all(v == 1 for v in owned.values()):
                covers = all(
                    inner.shares.get(k, 0) >= outer.shares.get(k, 0) - 0.05
                    for k in ("date", "link", "title", "price_or_age", "image")
                )
                outer_len = sum(len(f.text) for f in outer.features) or 1
                inner_len = sum(len(f.text) for f in inner.features)
                if covers and inner_len >= 0.8 * outer_len:
                    outer.score = min(outer.score, inner.score * 0.99)
                    outer.notes.append("wraps a group that carries the same fields")
                else:
                    inner.score = min(inner.score, outer.score * 0.99)
                    inner.notes.append("part of a larger item")
            elif sum(owned.values()) / max(1, len(owned)) >= 1.5 and inner.quality >= 0.8 * outer.quality:
                outer.score *= 0.7
                outer.notes.append("holds several items each")
