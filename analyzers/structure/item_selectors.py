"""Item selectors: a selector verified to match exactly a group's members."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from parsel import Selector

from analyzers.structure.elements import (
    is_element,
    ranked_classes,
    stable_classes,
    stable_id,
    xpath_class,
    xpath_literal,
)
from analyzers.structure.groups import Group
from analyzers.structure.selecting import spec_matches
from famact.constants import SelectorKind
from famact.models import MAX_SELECTOR_CHARS, SelectorSpec


@dataclass
class _Step:
    tag: str
    classes: tuple[str, ...] = ()
    ident: str | None = None
    pred: str | None = None  # an XPath predicate CSS cannot say

    def css(self) -> str:
        out = self.tag if self.tag != "*" else ""
        if self.ident:
            out += "#" + self.ident
        out += "".join("." + c for c in self.classes)
        return out or "*"

    def xpath(self) -> str:
        out = self.tag
        if self.ident:
            out += f"[@id={xpath_literal(self.ident)}]"
        for c in self.classes:
            out += f"[{xpath_class(c)}]"
        if self.pred:
            out += f"[{self.pred}]"
        return out


FLAG_PREDICATES = {
    "lead-strong": "node()[normalize-space()][1][self::strong or self::b or self::a[strong or b]]"
    " and string-length(normalize-space()) > string-length(normalize-space(*[1])) + 2"
    " and not(substring(normalize-space(*[1]), string-length(normalize-space(*[1]))) = ':')",
    "strong-only": "(strong or b or a[strong or b]) and string-length(normalize-space()) <= "
    "string-length(normalize-space(*[1])) + 2",
    "th": "not(td)",
    "span-row": "count(td|th) = 1",
    "": "",
}


def _ancestor_step(el: Any) -> _Step | None:
    ident = stable_id(el)
    if ident:
        return _Step(el.tag, ident=ident)
    classes = ranked_classes(stable_classes(el))
    if classes:
        return _Step(el.tag, classes=(classes[0],))
    return None


def _render(chain: list[tuple[_Step, str]], use_xpath: bool) -> SelectorSpec | None:
    """chain: (step, combinator before it) with combinator '' (first), ' ' or '>'.
    None when the selector would be longer than a config may hold (a deep month grid)."""
    if not use_xpath:
        parts = []
        for step, comb in chain:
            if comb == ">":
                parts.append("> ")
            parts.append(step.css() + " ")
        kind, query = SelectorKind.CSS, " ".join("".join(parts).split())
    else:
        kind, query = SelectorKind.XPATH, ""
        for step, comb in chain:
            query += ("/" if comb == ">" else "//") + step.xpath()
    return SelectorSpec(kind=kind, query=query) if len(query) <= MAX_SELECTOR_CHARS else None


def item_selector_candidates(group: Group) -> list[SelectorSpec]:
    """Selectors for the group's members, simplest first."""
    el = group.members[0]
    pred = FLAG_PREDICATES.get(group.flag) or None
    if group.flag == "" and el.tag == "tr":
        pred = "td"  # rows with cells, never the header row
        if all(sum(1 for c in m if is_element(c) and c.tag in ("td", "th")) > 1 for m in group.members):
            pred = "td and count(td|th) > 1"  # nor a section's heading row of one wide cell
    common = set(stable_classes(el))
    for m in group.members[1:]:
        common &= set(stable_classes(m))
    own_classes = ranked_classes(common)
    steps: list[_Step] = []
    if own_classes:
        steps.append(_Step(el.tag, classes=(own_classes[0],)))
        if len(own_classes) > 1:
            steps.append(_Step(el.tag, classes=tuple(own_classes[:2])))
    steps.append(_Step(el.tag))
    own_best = steps[0]
    chains: list[list[tuple[_Step, str]]] = []
    if own_classes:
        chains.append([(own_best, "")])
        if len(steps) > 2:
            chains.append([(steps[1], "")])
    # Ancestors shared by all members (nearest first), as context.
    ancestors: list[Any] = []
    node = el.getparent()
    while node is not None and is_element(node) and node.tag not in ("html",) and len(ancestors) < 40:
        ancestors.append(node)
        node = node.getparent()
    near = ancestors[:8]  # context steps come from the nearest ancestors; the path may go further
    parent = el.getparent()
    parent_step = _ancestor_step(parent) if parent is not None else None
    same_parent = all(m.getparent() is parent for m in group.members)
    for own in (own_best, _Step(el.tag)):
        if parent_step is not None:
            chains.append([(parent_step, ""), (own, ">")])
        for anc in near[1:]:
            step = _ancestor_step(anc)
            if step is None:
                continue
            if parent_step is not None:
                chains.append([(step, ""), (parent_step, " "), (own, ">")])
            chains.append([(step, ""), (own, " ")])
        if parent is not None and parent_step is None and same_parent is False:
            chains.append([(_Step(parent.tag), ""), (own, ">")])
    # Last resort: the tag path from the nearest identifiable ancestor.
    path: list[Any] = []
    for anc in ancestors:
        path.append(anc)
        if _ancestor_step(anc) is not None:
            break
    path.reverse()
    full: list[tuple[_Step, str]] = []
    for i, anc in enumerate(path):
        step = _ancestor_step(anc) or _Step(anc.tag, classes=stable_classes(anc)[:1])
        full.append((step, "" if i == 0 else ">"))
    full.append((own_best, ">" if full else ""))
    chains.append(full)
    chains.append([(_Step(el.tag), "")])
    specs: list[SelectorSpec] = []
    seen: set[str] = set()
    # CSS first (it reads better and survives small changes); the structural predicate that
    # only XPath can say (bold-led paragraph, data row) when CSS cannot isolate the group.
    rendered = [_render(chain, False) for chain in chains]
    if pred is not None:
        rendered += [
            _render([*chain[:-1], (replace(chain[-1][0], pred=pred), chain[-1][1])], True) for chain in chains
        ]
    for spec in rendered:
        if spec is not None and spec.query not in seen:
            seen.add(spec.query)
            specs.append(spec)
    return specs


def choose_item_selector(group: Group, page: Selector) -> tuple[SelectorSpec | None, float, float]:
    """The simplest candidate selecting exactly the group (else the best close one):
    (spec, precision, recall)."""
    wanted = {id(m) for m in group.members}
    best: tuple[float, SelectorSpec | None, float, float] = (-1.0, None, 0.0, 0.0)
    for spec in item_selector_candidates(group):
        try:
            found = [m.root for m in spec_matches(page, spec)]
        except ValueError:
            continue
        if not found:
            continue
        hit = sum(1 for f in found if id(f) in wanted)
        precision = hit / len(found)
        recall = hit / len(wanted)
        if precision == 1.0 and recall == 1.0:
            return spec, 1.0, 1.0
        f1 = 2 * precision * recall / (precision + recall) if hit else 0.0
        if f1 > best[0]:
            best = (f1, spec, precision, recall)
    return best[1], best[2], best[3]
