"""From scored pairs to merges: which entity keeps, which ones merge into it, which pairs
the admin decides (pure; the merge job and the benchmark both use it).

Confident pairs are grouped transitively, best first (a library, a calendar and a blog listing
one storytime are one group), never into a group holding two listings of one source. The keeper
is an entity that already keeps other sources' links, else the listing of the most
authoritative source (the venue's own site over a calendar over a blog: its facts win), then
the fuller record. A member merges when its source is not in the group yet (a source lists an
activity once) and it scores confidently against the keeper, or confidently against a member
that joined while at least unsure against the keeper: a chain A~B~C never merges A and C on B's
word alone when A and C contradict. The rest of the group, and every unsure pair outside a
group, is listed for the admin.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from datetime import date
from typing import Any

from famact.merge.listing import Listing
from famact.merge.score import PairScore, Verdict, score_pair

Pair = tuple[str, str, PairScore]  # (keeper, merged-away, score)
SEASON_DAYS = 180  # dates this far apart are two seasons of a yearly activity, never one entity


class _Groups:
    """Union-find over entity keys, each group knowing the sources it holds."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.sources: dict[str, set[str]] = {}  # a group's root -> the sources of its members

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union_apart(self, a: str, b: str, source_of: Callable[[str], str]) -> None:
        """Join the groups of a and b unless a source would then list two of its members: a
        source lists an activity once, so its two listings are two activities, and a third
        listing matching both (a blog's "Forest Park" against the park and its animal farm)
        belongs with one of them only, the one it matched first (pairs come best first)."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        sa = self.sources.pop(ra, None) or {source_of(a)}
        sb = self.sources.pop(rb, None) or {source_of(b)}
        if sa & sb:
            self.sources[ra], self.sources[rb] = sa, sb
            return
        self.parent[ra] = rb
        self.sources[rb] = sa | sb

    def groups(self) -> list[list[str]]:
        out: dict[str, list[str]] = {}
        for x in self.parent:
            out.setdefault(self.find(x), []).append(x)
        return [sorted(g) for g in out.values() if len(g) > 1]


def _ordered(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def _joins(
    member: str, with_keeper: PairScore, joined: list[str], scored: Mapping[tuple[str, str], PairScore]
) -> bool:
    """Confident with the keeper; or confident with a member that joined, while the keeper
    pair is at least unsure (never vetoed) and nothing holds it for the admin: a blog may
    match the calendar it copied better than the venue's own wording, but a festival's race
    that matches a blog's write-up of the festival is still not the festival."""
    if with_keeper.verdict is Verdict.MERGE:
        return True
    if with_keeper.verdict is not Verdict.UNSURE or with_keeper.held:
        return False
    return any(
        (found := scored.get(_ordered(member, other))) is not None and found.verdict is Verdict.MERGE
        for other in joined[1:]
    )


def _contradicts(member: str, joined: list[str], listings: Mapping[str, Listing]) -> bool:
    """A member that joined is dated in another season than this one: last year's run, which
    matches the undated attraction as well as this year's does, joins no group holding this
    year's. (Other days of one run are no contradiction: the run's own listing holds both.)"""
    mine = _days(listings[member])
    for other in joined:
        theirs = _days(listings[other])
        if mine and theirs and min(abs((x - y).days) for x in mine for y in theirs) >= SEASON_DAYS:
            return True
    return False


def _days(listing: Listing) -> list[date]:
    return [*listing.dates, *(d for d in (listing.range_start, listing.range_end) if d is not None)]


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
    confident = [(pair, r) for pair, r in scored.items() if r.verdict is Verdict.MERGE]
    for (a, b), _ in sorted(confident, key=lambda item: (-item[1].score, item[0])):
        groups.union_apart(a, b, lambda key: listings[key].source_id)
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
        joined = [keeper]
        waiting = sorted(results, key=lambda m: (-results[m].score, m))
        progress = True
        while progress:  # members confident with the keeper first, then with those who joined
            progress = False
            for member in list(waiting):
                result = results[member]
                source = listings[member].source_id
                if source in taken or member in keepers or not _joins(member, result, joined, scored):
                    continue
                if _contradicts(member, joined, listings):
                    continue
                taken.add(source)
                joined.append(member)
                waiting.remove(member)
                merges.append((keeper, member, result))
                progress = True
        unsure.extend((keeper, m, results[m]) for m in waiting if results[m].veto is None)
    for pair, result in scored.items():
        if pair in decided or result.verdict is not Verdict.UNSURE:
            continue
        keeper = max(pair, key=rank)
        unsure.append((keeper, pair[1] if keeper == pair[0] else pair[0], result))
    return merges, unsure
