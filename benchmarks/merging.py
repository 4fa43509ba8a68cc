"""Cross-source merging on a labelled set of duplicates written outside this project.

`tests/fixtures/merge/listings.jsonl`: listings of Seattle family activities as several
sources print them (a library, a calendar, a parents' blog...), each with the `cluster` of
the real-world activity it lists (the truth). Clusters are split once into dev (tuned on) and
held-out (scored only) by a salted hash of the cluster id (`split_of`).

On each split, every pair of listings is scored (`famact.merge.score`) and the pairs are
decided as the merge job decides them (`famact.merge.groups.decide`: groups, one keeper
each). A predicted pair is two listings that end up in one entity; a true pair is two listings
of one cluster from different sources. Reported: pair precision and recall, the share of
listings merged away, and the unsure pairs left for the admin.

Hard negatives from the real-page corpus (FAMACT_CORPUS, as `analyzer_corpus` reads it): civic
boards meet monthly under one title at one place; every pair of a page's listings with the
same title on different dates, or with other titles on the same date, must never merge.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, write_result
from famact.merge.groups import decide
from famact.merge.listing import Listing, from_record
from famact.merge.score import MERGE_AT, UNSURE_AT, PairScore, Verdict, score_pair

DATA = ROOT / "tests" / "fixtures" / "merge" / "listings.jsonl"
SPLIT_SALT = "famact-merge-2026-12"  # fixed once: changing it re-deals dev and held-out
HELDOUT_SHARE = 0.5
MAX_CORPUS_GROUP = 40  # listings of one title per page scored against each other (pairs grow fast)
# Fresh sets written later, each by a writer who saw only the field list and what a duplicate
# is (never the code nor listings.jsonl), scored whole: their first run is the honest figure.
BLIND_SETS = {
    name: ROOT / "tests" / "fixtures" / "merge" / f"{name}.jsonl"
    for name in (f"blind{n}" for n in range(2, 16))
}
# Each blind set's first run, recorded by hand as it came out (later runs are tuned-on figures).
BLIND_FIRST_RUNS: dict[str, dict[str, Any]] = {
    "blind2": {
        "date": "2026-12-07",
        "git_commit": "91e9fc4",
        "listings": 170,
        "clusters": 100,
        "true_pairs": 80,
        "precision": 0.9277,
        "recall": 0.9625,
        "merged_share": 0.4118,
        "wrong_merges": "6 of 83: 4 pairs of a festival and its parade (this writer counts a parade "
        "as its own activity, listings.jsonl's writer as a part of the fair: the two disagree), 2 "
        "pairs of a park and an attraction inside it, chained through a blog listing that matched "
        "both (fixed after this run: a group never holds two listings of one source)",
    },
    "blind3": {
        "date": "2026-12-07",
        "git_commit": "2051dbb",
        "listings": 205,
        "clusters": 123,
        "true_pairs": 102,
        "precision": 0.9643,
        "recall": 0.7941,
        "recall_if_unsure_accepted": 0.8824,
        "merged_share": 0.3268,
        "wrong_merges": "3 of 84: an exhibit of one museum and the museum next door (coordinates "
        "130 m apart outweighed other addresses and names), a conservatory 'in Wright Park' and "
        "the park, a festival's ice-sculpting event and the festival",
        "missed": "21 of 102: 6 by a city written with its state ('Everett, WA' against "
        "'Everett'), 1 by an abbreviation with the city after it ('MOHAI Seattle'), 2 by venue "
        "names of a place and a hall inside it, the rest unsure or other start times",
    },
    "blind4": {
        "date": "2026-12-07",
        "git_commit": "013a53a",
        "listings": 210,
        "clusters": 127,
        "true_pairs": 101,
        "precision": 1.0,
        "recall": 0.8614,
        "recall_if_unsure_accepted": 0.9208,
        "merged_share": 0.3476,
        "wrong_merges": "0 of 87",
        "note": "written after blind3's fixes by a writer who saw neither the code nor any earlier "
        "set; the first blind first run to meet precision >= 0.98 at recall >= 0.8",
    },
    "blind5": {
        "date": "2026-12-07",
        "git_commit": "892d067",
        "listings": 212,
        "clusters": 121,
        "true_pairs": 117,
        "precision": 0.9083,
        "recall": 0.8462,
        "recall_if_unsure_accepted": 0.906,
        "merged_share": 0.3915,
        "wrong_merges": "10 of 109: a park and a feature inside it, three times (Crossroads Park "
        "and its spray playground, Green Lake Park and its wading pool, the Seattle Aquarium and "
        "its Ocean Pavilion: same address, undated, titles sharing the place's name), chained "
        "through a second listing of each; and a festival with the 5K race run on its second day",
        "missed": "18 of 117: a blog's reworded title against the festival's own (4th of July "
        "guides), the same screening listed with gates and start times apart, an exhibit listed "
        "undated against its dated run, an entrance's address against the zoo's",
        "note": "a new writer, who saw neither the code nor any earlier set; misses the precision target",
    },
    "blind6": {
        "date": "2026-12-07",
        "git_commit": "ff90146",
        "listings": 205,
        "clusters": 121,
        "true_pairs": 103,
        "precision": 0.9691,
        "recall": 0.9126,
        "recall_if_unsure_accepted": 0.9612,
        "merged_share": 0.3805,
        "wrong_merges": "3 of 97, one fault: a festival's kids' bike parade, which this writer counts "
        "as its own activity (it is registered for), merged with the festival and chained to two "
        "more listings of it (blind2's writer counts a parade apart too, listings.jsonl's writer "
        "as part of the fair)",
        "missed": "9 of 103: a blog's 'opens!' listing of a run with the theatre's hall as its "
        "venue, an address written with and without its direction ('802 E Mukilteo Blvd'), "
        "listings left unsure (an exhibit's opening day, a preschool listed undated)",
        "note": "written after blind5's fixes (30fbbd9) by a sixth writer who saw neither the code "
        "nor any earlier set; misses the precision target by one wrong merge",
    },
    "blind7": {
        "date": "2026-12-07",
        "git_commit": "5087a93",
        "listings": 208,
        "clusters": 124,
        "true_pairs": 102,
        "precision": 0.9783,
        "recall": 0.8824,
        "recall_if_unsure_accepted": 0.9314,
        "merged_share": 0.3654,
        "wrong_merges": "2 of 92, one fault: 'PacSci' merged with 'The Butterfly House at Pacific "
        "Science Center' (the 'A at B' rule did not see B abbreviated on the other side), which "
        "chained the science center's own listing to the butterfly house",
        "missed": "12 of 102: a venue given in two cities (Seattle / Tukwila) or at two of its "
        "entrances' addresses, a fair at its fairgrounds' other names, listings left unsure "
        "(a reworded egg hunt, a New Year's event with other start times)",
        "note": "written after blind6's fixes by a seventh writer who saw neither the code nor any "
        "earlier set; misses the precision target (0.98) by one wrong merge, meets the recall one",
    },
    "blind8": {
        "date": "2026-12-07",
        "git_commit": "2cdc1ad",
        "listings": 206,
        "clusters": 119,
        "true_pairs": 111,
        "precision": 0.9259,
        "recall": 0.9009,
        "recall_if_unsure_accepted": 0.9459,
        "merged_share": 0.4175,
        "wrong_merges": "8 of 108, four faults: a lantern show's last season (dated 2026) joined the "
        "group of this season's through the zoo's undated listing (3 pairs); a blog's bare 'Green "
        "Lake' at Green Lake Park matched the library's Green Lake Branch and chained the park to it "
        "(2); a summer-long camp listing against one week's session (2) and a season of swim "
        "lessons against its first session (1), both of which this writer counts as other "
        "activities and calls the softest labels of the set",
        "missed": "11 of 111: a venue at two entrances' addresses, other start times on one day, "
        "reworded titles left unsure",
        "note": "written after blind7's fixes by an eighth writer who saw neither the code nor any "
        "earlier set; meets recall, misses the precision target; the same figures at 0eeb068",
    },
    "blind9": {
        "date": "2026-12-07",
        "git_commit": "362472e",
        "listings": 201,
        "clusters": 119,
        "true_pairs": 99,
        "precision": 1.0,
        "recall": 0.7879,
        "recall_if_unsure_accepted": 0.899,
        "merged_share": 0.3383,
        "wrong_merges": "0 of 78",
        "missed": "21 of 99: a zoo and a park each given at two of their entrances' addresses (vetoed "
        "as other addresses), a festival at 'Seattle Center' against its hall 'Seattle Center "
        "Armory' (vetoed as other venues, which split a group of four), a downtown festival at two "
        "addresses, and pairs left unsure (a parade night of a light show, a tree lighting retitled, "
        "a course's third session against its first)",
        "note": "written after blind8's fixes (merge code as at 12a800c) by a ninth writer who saw "
        "neither the code nor any earlier set; meets the precision target, recall one pair short",
    },
    "blind10": {
        "date": "2026-12-08",
        "git_commit": "c45df19",
        "listings": 212,
        "clusters": 119,
        "true_pairs": 101,
        "precision": 0.9787,
        "recall": 0.9109,
        "recall_if_unsure_accepted": 0.9703,
        "merged_share": 0.4057,
        "wrong_merges": "2 of 94: a library's Pajama Story Time on one date against a calendar's "
        "listing of the weekly series (its writer flags the pair as doubtful), and 'Seattle "
        "Children's Museum at Seattle Center' against 'Seattle Center' at one address (the head's "
        "'Seattle' was read as naming the campus; fixed after this run)",
        "missed": "9 of 101: a pool titled with its park in parentheses (read as a park), a "
        "fountain titled 'Splash at the International Fountain' (the place tail was its name), a "
        "playground at a campus with no street address, the Locks by two names, two camp and rink "
        "listings retitled, a movie night's gate and film times, a festival's two days at two "
        "start times, and one pair lost with the wrong merge above",
        "note": "written after blind9's fixes (merge code as at c45df19) by a tenth writer who saw "
        "neither the code nor any earlier set; the precision target missed by the writer's own "
        "doubtful pair and one real error",
    },
    "blind11": {
        "date": "2026-12-08",
        "git_commit": "d9f95a2",
        "listings": 212,
        "clusters": 122,
        "true_pairs": 94,
        "precision": 0.9663,
        "recall": 0.9149,
        "recall_if_unsure_accepted": 1.0,
        "merged_share": 0.3915,
        "wrong_merges": "3 of 89, one error: a festival's kids' race ('Salmon Days Fry Dash for "
        "Kids') merged into the festival's group of three (a dash was no race word; fixed after "
        "this run)",
        "missed": "8 of 94: the same race from two sources (one read as a race, one not), a park "
        "titled with its features after a colon, a movie night's gate and film times, a landing "
        "an hour apart, a fireworks guide retitled, a viewing season, a ballet and a farm class "
        "retitled",
        "note": "written with blind10, after blind9's fixes, by an eleventh writer who saw neither "
        "the code nor any earlier set; scored first on d9f95a2 (blind10's fixes)",
    },
    "blind12": {
        "date": "2026-12-08",
        "git_commit": "b37afc0",
        "listings": 207,
        "clusters": 118,
        "true_pairs": 93,
        "precision": 0.9765,
        "recall": 0.8925,
        "recall_if_unsure_accepted": 0.9677,
        "merged_share": 0.3865,
        "wrong_merges": "2 of 85, one listing: a calendar's undated 'Railroad Days in Snoqualmie' "
        "joined the museum's 'Railroad Days Excursion Train' and a calendar's 'Railroad Days Train "
        "Rides' instead of the city's festival listing (its writer flags the festival and its "
        "trains as a pair a parent might call one activity)",
        "missed": "10 of 93: that festival pair, a hall of a museum under its postal city and its "
        "municipality without a street address, a library system's program under a city and a "
        "county, a race one side titles without a race word ('Salmon Days Run'), a park titled "
        "with its playground, an outdoor movie's two times, and four exhibits or rinks retitled",
        "note": "written after blind10's and blind11's fixes (merge code as at b37afc0) by a twelfth "
        "writer who saw neither the code nor any earlier set",
    },
    "blind13": {
        "date": "2026-12-08",
        "git_commit": "2f1c0e0",
        "listings": 211,
        "clusters": 120,
        "true_pairs": 103,
        "precision": 0.9352,
        "recall": 0.9806,
        "recall_if_unsure_accepted": 0.9903,
        "merged_share": 0.4313,
        "wrong_merges": "7 of 108, two listings, both pairs its writer flags as doubtful: a "
        "sensory-friendly performance merged into its show's run (3 pairs), and a festival's "
        "ice rink into the festival (4 pairs; blind5's and blind10's writers count the rink apart "
        "too). Fixed after this run: a listing naming an audience of its own on a date of the "
        "other's run, and an event's name ended by a kind of place ('Winterfest Ice Rink'), are "
        "held for the admin",
        "missed": "2 of 103: a museum under its postal city and its municipality, and one race "
        "that one side titles without its distance",
        "note": "written after blind12's first run (merge code as at b37afc0) by a thirteenth "
        "writer who saw neither the code nor any earlier set",
    },
    "blind14": {
        "date": "2026-12-08",
        "git_commit": "783da18",
        "listings": 212,
        "clusters": 120,
        "true_pairs": 99,
        "precision": 0.9794,
        "recall": 0.9596,
        "recall_if_unsure_accepted": 1.0,
        "merged_share": 0.4198,
        "wrong_merges": "2 of 97, one listing: a festival's free train display ('Winter Train and "
        "Village') merged into the festival's group ('Winterfest at Seattle Center'), 'winter' "
        "read as a spelling of 'winterfest' (its writer flags the pair as doubtful; fixed after "
        "this run: a word and a compound of it are two words)",
        "missed": "4 of 99: two New Year's events at other start times, an outdoor movie's "
        "activities and film times, a parade against a listing of the run and the parade",
        "note": "written after blind13's fixes (merge code as at 783da18) by a fourteenth writer "
        "who saw neither the code nor any earlier set",
    },
    "blind15": {
        "date": "2026-12-08",
        "git_commit": "a27d97e",
        "listings": 207,
        "clusters": 120,
        "true_pairs": 92,
        "precision": 1.0,
        "recall": 1.0,
        "recall_if_unsure_accepted": 1.0,
        "merged_share": 0.4203,
        "wrong_merges": "0 of 92",
        "missed": "0 of 92 (18 pairs left unsure, none of them true)",
        "note": "written after blind14's first run by a fifteenth writer who saw neither the code "
        "nor any earlier set; scored first on a27d97e (blind14's fix and the one-spelling kinds of "
        "venue names)",
    },
}


def split_of(cluster: str) -> str:
    digest = hashlib.sha256(f"{SPLIT_SALT}:{cluster}".encode()).digest()
    return "heldout" if digest[0] / 256 < HELDOUT_SHARE else "dev"


def load(path: Path) -> list[tuple[Listing, str]]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            record = json.loads(line)
            rows.append((from_record(record, key=f"L{n:04d}"), str(record["cluster"])))
    return rows


def _ordered(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def evaluate(rows: list[tuple[Listing, str]]) -> dict[str, Any]:
    listings = {listing.key: listing for listing, _ in rows}
    cluster = {listing.key: c for listing, c in rows}
    started = time.perf_counter()
    scored: dict[tuple[str, str], PairScore] = {}
    for (a, _), (b, _) in itertools.combinations(rows, 2):
        scored[_ordered(a.key, b.key)] = score_pair(a, b)
    merges, unsure = decide(scored, listings)
    elapsed = time.perf_counter() - started
    entity_of = {key: key for key in listings}
    for keeper, merged, _ in merges:
        entity_of[merged] = keeper
    predicted = {p for p in scored if entity_of[p[0]] == entity_of[p[1]]}
    truth = {
        p
        for p in scored
        if cluster[p[0]] == cluster[p[1]] and listings[p[0]].source_id != listings[p[1]].source_id
    }
    hits = len(predicted & truth)
    scorer_merge = {p for p, r in scored.items() if r.verdict is Verdict.MERGE}
    accepted = predicted | {_ordered(k, m) for k, m, _ in unsure}  # the admin accepts every unsure pair
    misses = sorted(truth - predicted)
    wrong = sorted(predicted - truth)
    return {
        "listings": len(listings),
        "clusters": len(set(cluster.values())),
        "true_pairs": len(truth),
        "predicted_pairs": len(predicted),
        "precision": round(hits / len(predicted), 4) if predicted else None,
        "recall": round(hits / len(truth), 4) if truth else None,
        "scorer_precision": round(len(scorer_merge & truth) / len(scorer_merge), 4) if scorer_merge else None,
        "scorer_recall": round(len(scorer_merge & truth) / len(truth), 4) if truth else None,
        "merged_share": round(len(merges) / len(listings), 4),
        "unsure_pairs": len(unsure),
        "unsure_share": round(len(unsure) / len(listings), 4),
        "unsure_true": sum(1 for k, m, _ in unsure if _ordered(k, m) in truth),
        "recall_if_unsure_accepted": round(len(accepted & truth) / len(truth), 4) if truth else None,
        "ms_per_pair": round(1000 * elapsed / max(1, len(scored)), 4),
        "_misses": [(a, b, scored[(a, b)].as_dict()) for a, b in misses],
        "_wrong": [(a, b, scored[(a, b)].as_dict()) for a, b in wrong],
    }


def corpus_dir() -> Path:
    return Path(os.environ.get("FAMACT_CORPUS") or ROOT / ".corpus")


def _page_listings(root: Path, entry: dict[str, Any]) -> list[Listing]:
    """A corpus page's dated listings, as if two sources printed the calendar (alternate
    rows get another source id), so the same-source veto is not what keeps them apart."""
    expected = root / "pages" / entry["id"] / "expected.jsonl"
    if not expected.exists():
        return []
    lines = expected.read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    return [
        from_record(
            {
                "title": row["title"],
                "start": row["start_date"],
                "venue_name": entry["site"],
                "city": "Seattle",
                "source_id": f"copy-{n % 2}",
            },
            key=f"{entry['id']}:{n}",
        )
        for n, row in enumerate(rows)
        if row.get("start_date")
    ]


def _negative_pairs(listings: list[Listing]) -> list[tuple[Listing, Listing, str]]:
    by_title: dict[str, list[Listing]] = {}
    by_date: dict[Any, list[Listing]] = {}
    for listing in listings:
        by_title.setdefault(listing.title.casefold(), []).append(listing)
        by_date.setdefault(min(listing.dates), []).append(listing)
    pairs = [
        (a, b, "same_title_other_date")
        for group in by_title.values()
        for a, b in itertools.combinations(group[:MAX_CORPUS_GROUP], 2)
        if a.dates != b.dates
    ]
    pairs += [
        (a, b, "other_title_same_date")
        for group in by_date.values()
        for a, b in itertools.combinations(group[:MAX_CORPUS_GROUP], 2)
        if a.title.casefold() != b.title.casefold()
    ]
    return [(a, replace(b, source_id="copy-x") if a.source_id == b.source_id else b, k) for a, b, k in pairs]


def corpus_negatives(root: Path) -> dict[str, Any] | None:
    """Same title on other dates, or other titles on one date, on one page: never one entity."""
    manifest_path = root / "manifest.json"
    if not manifest_path.exists():
        return None
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    unsure = 0
    by_kind: Counter[str] = Counter()
    merged_by_kind: Counter[str] = Counter()
    examples: list[dict[str, Any]] = []
    for entry in manifest["pages"]:
        for a, b, kind in _negative_pairs(_page_listings(root, entry)):
            result = score_pair(a, b)
            by_kind[kind] += 1
            if result.verdict is Verdict.MERGE:
                merged_by_kind[kind] += 1
                if len(examples) < 5 and entry["split"] == "dev":
                    examples.append({"a": a.title, "b": b.title, **result.as_dict()})
            elif result.verdict is Verdict.UNSURE:
                unsure += 1
    return {
        # the brief's hard negatives: one board, one place, another month
        "corpus_same_title_other_date_pairs": by_kind["same_title_other_date"],
        "corpus_same_title_other_date_merged": merged_by_kind["same_title_other_date"],
        # informative only: many are one meeting's agenda items listed apart ("Board Meeting -
        # Item No. 6 - Attachment A" beside "Board Meeting"), which one entity may well hold
        "corpus_same_date_other_title_pairs": by_kind["other_title_same_date"],
        "corpus_same_date_other_title_merged": merged_by_kind["other_title_same_date"],
        "corpus_unsure_pairs": unsure,
        "corpus_pages": len(manifest["pages"]),
        "_examples": examples,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks merging")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--show-dev", action="store_true", help="print dev misses and wrong merges")
    args = parser.parse_args(argv or [])
    rows = load(args.data)
    splits = {name: [r for r in rows if split_of(r[1]) == name] for name in ("dev", "heldout")}
    results = {name: evaluate(part) for name, part in splits.items()}
    results.update({name: evaluate(load(path)) for name, path in BLIND_SETS.items() if path.exists()})
    if args.show_dev:
        for key in ("_misses", "_wrong"):
            print(key)
            texts = {
                listing.key: f"{listing.source_id}: {listing.title} | {listing.venue_name} | "
                f"{sorted(listing.dates)[:2]} {dict(listing.times)}"
                for listing, _ in splits["dev"]
            }
            for a, b, detail in results["dev"][key]:
                print(f"  {texts[a]}\n  {texts[b]}\n    {detail}")
    negatives = corpus_negatives(corpus_dir())
    metrics: dict[str, Any] = {}
    for name, result in results.items():
        for key, value in result.items():
            if not key.startswith("_"):
                metrics[f"{name}_{key}"] = value
    metrics["merge_precision"] = results["heldout"]["precision"]
    metrics["merge_recall"] = results["heldout"]["recall"]
    metrics["merged_share"] = results["heldout"]["merged_share"]
    metrics["unsure_share"] = results["heldout"]["unsure_share"]
    if negatives:
        metrics.update({k: v for k, v in negatives.items() if not k.startswith("_")})
    write_result(
        "merging",
        params={
            "data": str(args.data.relative_to(ROOT)) if args.data.is_relative_to(ROOT) else str(args.data),
            "split_salt": SPLIT_SALT,
            "heldout_share": HELDOUT_SHARE,
            "merge_at": MERGE_AT,
            "unsure_at": UNSURE_AT,
            "corpus": str(corpus_dir()) if negatives else None,
        },
        metrics=metrics,
        targets={
            "heldout_precision": ">= 0.98",
            "heldout_recall": ">= 0.8",
            "corpus_same_title_other_date_merged": "0",
            **{f"{name}_precision": ">= 0.98" for name in BLIND_SETS},
            **{f"{name}_recall": ">= 0.8" for name in BLIND_SETS},
        },
        notes=(
            "Pairs are scored all against all inside each split, then decided as the merge job "
            "decides them. The job's GSI blocking (same city, a common date, or both undated of one "
            "type) would not reach 1 of the 40 dev merges and none of the 51 held-out ones (a dated "
            "listing against an undated one). Tuned on dev only; held-out scored as a whole (no "
            "per-pair look), nine times in all, each after a change tuned on dev (first scorer, "
            "tuned scorer, grouping, timeless places, kinds of place; then on 2026-12-07, sixth: a "
            "day of the other's run or festival at another start time counts half and may merge, "
            "unless it names an audience of its own (held-out unchanged at precision 1.0, recall "
            "0.76; dev recall 0.824 -> 0.882); seventh: ordinals in words or digits and place-name "
            "abbreviations (rec, ctr, mt) are one word (held-out recall 0.787, dev 0.922); eighth, after "
            "blind2's first run: groups form best pair first and never hold two listings of one "
            "source (held-out and dev unchanged; blind2, now tuned on, 0.928 -> 0.952 precision, "
            "0.963 -> 0.988 recall, the parade pairs left as the writers' disagreement); ninth: a "
            "title 'Name: a tagline' matches the other's whole title 'Name' for one type, and a place "
            "against a listing of another type titled the place's name and more is never merged "
            "without the admin (dev recall 0.922 -> 0.941; held-out unchanged at 1.0 / 0.787; blind2 "
            "unchanged); tenth and eleventh, after blind3's first run: a city with its state is the "
            "city, an abbreviation with the city after it is the abbreviation, near coordinates with "
            "other addresses and names count nothing, 'A in B' / 'A at B' against B is for the "
            "admin, 'for' is no distinctive venue word (held-out, dev, blind2 unchanged; blind3, now "
            "tuned on, 0.964 -> 1.0 precision, 0.794 -> 0.882 recall); later rounds after each "
            "blind set's first run, the held-out part scored once a round; on 2026-12-08, twelfth, "
            "after blind9 to blind11 were tuned on (place tails, a place word both titles print, "
            "facility words of activities, 'A at B' heads, dashes as races, held pairs never "
            "chained): held-out recall 0.787 -> 0.8 at precision 1.0, dev unchanged). "
            "blind2 ... blind12: fresh sets, each by a writer who saw only the field list and "
            "what a duplicate is, scored whole; their first runs are in blind_first_runs. "
            "Corpus negatives: "
            + (
                "not run (no corpus)"
                if negatives is None
                else "every same-title pair of a page on other dates (must never merge) and, for "
                f"information, every other-title pair on one date; up to {MAX_CORPUS_GROUP} listings "
                "per group"
            )
        ),
        extra={
            "corpus_dev_examples": negatives["_examples"] if negatives else [],
            "blind_first_runs": BLIND_FIRST_RUNS,
        },
    )


if __name__ == "__main__":
    main(sys.argv[1:])
