"""From scored pairs to merges: which entity keeps, which ones merge into it, which pairs
the admin decides (pure; the merge job and the benchmark both use it).

Confident pairs are grouped transitively (a library, a calendar and a blog listing one
storytime are one group). The keeper is an entity that already keeps other sources' links,
else the listing of the most authoritative source (the venue's own site over a calendar over
a blog: its facts win), then the fuller record. A member merges only when it scores
confidently against the keeper itself and its source is not in the group yet (a source lists
an activity once), so a chain A~B~C never merges A and C on B's word alone; the rest of the
group, and every unsure pair outside a group, is listed for the admin.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

from famact.merge.listing import Listing
from famact.merge.score import PairScore, Verdict, score_pair

Pair = tuple[str, str, PairScore]  # (keeper, merged-away, score)


class _Groups:
    """Union-find over entity keys."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)

    def groups(self) -> list[list[str]]:
        out: dict[str, list[str]] = {}
        for x in self.parent:
            out.setdefault(self.find(x), []).append(x)
        return [sorted(g) for g in out.values() if len(g) > 1]


def _ordered(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def decide(
    scored: Mapping[tuple[str, str], PairScore],
    listings: Mapping[str, Listing],
    *,
    keepers: Collection[str] = (),
    richness: Callable[[str], Any] = lambda key: 0,
) -> tuple[list[Pair], list[Pair]]:
    """(merges, unsure pairs) from pairs scored once each, keyed by (smaller, larger) key."""

    def rank(key: str) -> tuple[bool, int, Any, str]:
        return (key in keepers, listings[key].authority, richness(key), key)

    groups = _Groups()
    for (a, b), result in scored.items():
        if result.verdict is Verdict.MERGE:
            groups.union(a, b)
    merges: list[Pair] = []
    unsure: list[Pair] = []
    decided: set[tuple[str, str]] = set()
    for members in groups.groups():
        keeper = max(members, key=rank)
        taken = {listings[keeper].source_id}
        results = {}
        for member in members:
            if member != keeper:
                pair = _ordered(keeper, member)
                results[member] = scored.get(pair) or score_pair(listings[keeper], listings[member])
                decided.add(pair)
        for member in sorted(results, key=lambda m: (-results[m].score, m)):
            result = results[member]
            source = listings[member].source_id
            if result.verdict is Verdict.MERGE and source not in taken and member not in keepers:
                taken.add(source)
                merges.append((keeper, member, result))
            elif result.score >= 0.0 and result.veto is None:
                unsure.append((keeper, member, result))
    for pair, result in scored.items():
        if pair in decided or result.verdict is not Verdict.UNSURE:
            continue
        keeper = max(pair, key=rank)
        unsure.append((keeper, pair[1] if keeper == pair[0] else pair[0], result))
    return merges, unsure
