"""Tests of famact.classify against docs/classification-rules.md.

Hand-labelled sets live in tests/fixtures/classification/:
- labelled.jsonl: listings the rules were tuned on (accuracy must stay >= 0.97);
- holdout.jsonl: 80 listings written before tuning and never edited afterwards, the best
  estimate of accuracy on unseen sites (measured 80/80 when first run after tuning);
- independent.jsonl: 240 listings by a second writer in other styles (parks catalogue rows,
  library calendars, Eventbrite/Facebook/Meetup blurbs, sparse teasers, brand names that hide
  the subject, Spanish/Chinese/Vietnamese/Korean/emoji/ALL CAPS/typos). Written before the
  second round of tuning; the classifier of that time scored 218/240 (0.908) on it, and the
  round was tuned on its misses, so it now guards the generalisation it bought;
- holdout2.jsonl: 60 more listings in yet other styles, written after that round and run
  once, blind: 56/60 (0.933). Its four misses were fixed afterwards by general changes;
- blind3.jsonl: 200 listings by a third writer, built on every bullet of R1-R4 and T1-T7 and on
  scraped-looking rows (library calendars, ActiveNet catalogue rows, museum, theater, farm,
  holiday, sport, parent-group and aggregator listings; 12% non-English or messy). Run once,
  blind: 191/200 (0.955); its misses were then fixed by general changes (dates followed by a
  clock time, deadlines read as days, "X Day" titles, possessive hosts, self-guided offerings,
  tenants of a building, Spanish play areas);
- blind4.jsonl: 80 more in new genres (bookstores, hospitals, churches, cultural festivals,
  school-district catalogues, map and review snippets, press releases, trails), written after
  that round and run once, blind: 76/80 (0.950). Its four misses were fixed afterwards;
- blind5.jsonl: 220 listings modelled on crawler output (site badges and org names in titles,
  host-first titles, a dozen calendar date shapes, catalogue schedules and prices, exhibits with
  closing dates, seasonal attractions, 12% non-English or messy). Run once, blind: 213/220
  (0.968); its misses, mostly title-parsing gaps, were fixed by general changes (title
  segments and badges, "Host Park Feature" titles, ISO datetimes, "Oct 31 5-7pm", seasonal
  places at their own address);
- blind6.jsonl: 80 more in other page styles (Facebook, Eventbrite, LibCal, Meetup, ActiveNet/
  RecDesk/Amilia rows, Yelp and Maps snippets, Japanese), run once, blind: 77/80 (0.9625);
- out_of_scope.jsonl: T7 listings with their expected reason, and in-scope near misses.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from famact.classify import (
    WEIGHTS,
    ClassificationResult,
    ClassifierInput,
    categorize,
    classify,
    extract_evidence,
    fold,
    out_of_scope_reason,
    read_dates,
    read_times,
)
from famact.classify.learned import LinearModel
from famact.constants import Category, ClassificationMethod, EntityType

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "classification"
RULE_IDS = {"R1", "R1a", "R1b", "R1c", "R2", "R2a", "R2b", "R3", "R4", "R4a", "R4b"} | {
    f"T{n}" for n in range(1, 7)
}

V, E, P, A = EntityType.VENUE, EntityType.EVENT, EntityType.PROGRAM, EntityType.ATTRACTION


def _rows(name: str) -> list[dict[str, Any]]:
    with (FIXTURES / name).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _accuracy(rows: list[dict[str, Any]]) -> tuple[float, dict[str, str], list[str]]:
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    wrong: list[str] = []
    for row in rows:
        result = classify(ClassifierInput.from_json(row))
        total[row["label"]] += 1
        if result.entity_type.value == row["label"]:
            right[row["label"]] += 1
        else:
            wrong.append(f"{row['id']} {row['title']!r}: {row['label']} -> {result.entity_type.value}")
    per_type = {label: f"{right[label]}/{total[label]}" for label in sorted(total)}
    return sum(right.values()) / len(rows), per_type, wrong


# --------------------------------------------------------------------------------------------
# Fixture sets
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, minimum",
    [
        ("labelled.jsonl", 260),
        ("holdout.jsonl", 80),
        ("independent.jsonl", 240),
        ("holdout2.jsonl", 60),
        ("blind3.jsonl", 200),
        ("blind4.jsonl", 80),
        ("blind5.jsonl", 220),
        ("blind6.jsonl", 80),
        ("blind7.jsonl", 240),
        ("blind8.jsonl", 240),
    ],
)
def test_fixture_sets_are_well_formed(name: str, minimum: int) -> None:
    rows = _rows(name)
    assert len(rows) >= minimum
    assert len({row["id"] for row in rows}) == len(rows), "duplicate ids"
    counts = Counter(row["label"] for row in rows)
    assert set(counts) == {t.value for t in EntityType}
    # Roughly balanced: no type below 20% of the set.
    assert min(counts.values()) >= 0.2 * len(rows), counts
    for row in rows:
        assert row["rule"] in RULE_IDS, row
        ClassifierInput.from_json(row)  # every line is valid `famact classify` input


def test_labelled_set_covers_every_rule_several_times() -> None:
    rules = Counter(row["rule"] for row in _rows("labelled.jsonl"))
    thin = {rule: rules[rule] for rule in RULE_IDS if rules[rule] < 2}
    assert not thin, f"rules covered fewer than twice: {thin}"


def test_accuracy_on_labelled_set() -> None:
    accuracy, per_type, wrong = _accuracy(_rows("labelled.jsonl"))
    assert accuracy >= 0.97, f"accuracy {accuracy:.3f} per type {per_type}; wrong: {wrong}"


def test_accuracy_on_holdout_set() -> None:
    # Measured 1.000 (80/80) on the first and only run after tuning. The floor is the
    # product target minus two listings of sampling noise (1 listing = 1.25% of 80): a drop
    # below it means a rule change broke generalization, not bad luck.
    accuracy, per_type, wrong = _accuracy(_rows("holdout.jsonl"))
    assert accuracy >= 0.95, f"holdout accuracy {accuracy:.3f} per type {per_type}; wrong: {wrong}"


def test_accuracy_on_independent_set() -> None:
    # The product target. Measured 0.908 before the tuning round that used this set, 1.000 after.
    accuracy, per_type, wrong = _accuracy(_rows("independent.jsonl"))
    assert accuracy >= 0.97, f"independent accuracy {accuracy:.3f} per type {per_type}; wrong: {wrong}"


def test_accuracy_on_holdout2_set() -> None:
    # Blind run: 56/60 = 0.933 (the classifier before both tuning rounds: 51/60). The floor is
    # that honest figure minus 2 points; the four blind misses were fixed afterwards by general
    # changes (hashtags and "glow in the dark" in titles, "Tonight!!", "Jan 24, 1-3 PM" read as
    # one date, "Intro to" as a possible one-off, "one practice per week", "located behind").
    accuracy, per_type, wrong = _accuracy(_rows("holdout2.jsonl"))
    assert accuracy >= 0.913, f"holdout2 accuracy {accuracy:.3f} per type {per_type}; wrong: {wrong}"


def test_accuracy_on_blind3_set() -> None:
    # Blind run: 191/200 = 0.955; tuned on its misses afterwards, so it must now meet the
    # product target.
    accuracy, per_type, wrong = _accuracy(_rows("blind3.jsonl"))
    assert accuracy >= 0.97, f"blind3 accuracy {accuracy:.3f} per type {per_type}; wrong: {wrong}"


def test_accuracy_on_blind4_set() -> None:
    # Blind run after the blind3 round: 76/80 = 0.950. The floor is that honest figure minus
    # 2 points; its misses (a hatchery page naming the salmon season, "Junior Golf Academy" with
    # "six Sunday lessons starting April 12", "six Saturday hikes", a Chinese touch pool) were
    # fixed afterwards by general changes.
    accuracy, per_type, wrong = _accuracy(_rows("blind4.jsonl"))
    assert accuracy >= 0.93, f"blind4 accuracy {accuracy:.3f} per type {per_type}; wrong: {wrong}"


def test_accuracy_on_blind5_set() -> None:
    # Blind run after the blind4 round: 213/220 = 0.968, by a writer modelling crawler output
    # (site badges in titles, calendar date shapes, catalogue rows, host-first titles). Five of
    # its seven misses were title-parsing gaps ("Host: Feature", "Feature - Host", "Woodland Park
    # Rose Garden"), four of them confident (0.68-0.97); all seven were fixed by general changes,
    # so it must now meet the product target.
    accuracy, per_type, wrong = _accuracy(_rows("blind5.jsonl"))
    assert accuracy >= 0.97, f"blind5 accuracy {accuracy:.3f} per type {per_type}; wrong: {wrong}"


def test_accuracy_on_blind6_set() -> None:
    # Blind run after the blind5 round: 77/80 = 0.9625 (Facebook/Eventbrite/LibCal/Meetup/
    # ActiveNet/RecDesk/Amilia/Yelp/Maps styles, Japanese). The floor is that honest figure minus
    # 2 points; its three unsure misses ("ZooCamp", a dated "Ice Rink - Seattle Center", a
    # Spanish corn maze open "de 10 a 18 h") were fixed afterwards by general changes.
    accuracy, per_type, wrong = _accuracy(_rows("blind6.jsonl"))
    assert accuracy >= 0.9425, f"blind6 accuracy {accuracy:.3f} per type {per_type}; wrong: {wrong}"


def test_most_labelled_listings_are_classified_confidently() -> None:
    results = [classify(ClassifierInput.from_json(row)) for row in _rows("labelled.jsonl")]
    unsure = [r for r in results if r.confidence < 0.6]
    assert len(unsure) <= 0.06 * len(results), len(unsure)
    assert all(0.0 <= r.confidence <= 1.0 for r in results)


# --------------------------------------------------------------------------------------------
# One table row per rule and tie-breaker: (rule, listing, expected type, expected reason)
# --------------------------------------------------------------------------------------------

RULE_CASES: list[tuple[str, ClassifierInput, EntityType, str | None]] = [
    (
        "R1 museum page",
        ClassifierInput(
            "Lakeside Children's Museum",
            "Hands-on galleries for kids 0-8. Open Tue-Sun 10am-5pm. Admission $14, under 1 free. "
            "Free parking.",
            venue_text="4100 Lake Washington Blvd NE, Kirkland",
        ),
        V,
        "R1:hours",
    ),
    (
        "R1a venue mentioning its storytime and camps",
        ClassifierInput(
            "Fremont Branch Library",
            "Hours Mon-Sat 10-6. Toddler storytime every Wednesday at 10:30; "
            "summer camps and classes available.",
        ),
        V,
        "R1:title-place",
    ),
    (
        "R1a now open venue with an opening date",
        ClassifierInput(
            "Climb Cove Kids Gym - Now Open!",
            "We opened our doors March 3! Bouldering walls for ages 3-12. Open daily 9-7, $16 per child.",
        ),
        V,
        "R1a:title-now-open",
    ),
    (
        "R1b park as a whole",
        ClassifierInput(
            "Gas Works Park",
            "A 19-acre park on Lake Union with a play barn, kite hill and picnic shelter. Open 6am-10pm.",
        ),
        V,
        None,
    ),
    (
        "R1b splash pad inside a park",
        ClassifierInput(
            "Splash Pad at Gas Works Park",
            "Open daily 11am-7pm from Memorial Day through Labor Day. Free.",
        ),
        A,
        "R4:title-feature",
    ),
    (
        "R1c standalone waterpark",
        ClassifierInput(
            "Cascade Splash Waterpark",
            "Open June 10 through Labor Day, 10am-6pm. Wave pool and lazy river. Tickets $38, free parking.",
        ),
        V,
        None,
    ),
    (
        "R1c seasonal offering of a farm",
        ClassifierInput(
            "Pumpkin Patch at Maple Hill Farm", date_text="Oct 1 - Oct 31", schedule_text="Daily 10-6"
        ),
        A,
        "T5:seasonal-operation",
    ),
    (
        "R2 parks & rec row",
        ClassifierInput("Swim Lvl 3 | Tu 6:00-6:30p | 1/13-3/3 | $90"),
        P,
        "R2:term-schedule",
    ),
    (
        "R2 league",
        ClassifierInput("Spring Youth Basketball League (Gr 4-6)", date_text="Mar 7 - May 16"),
        P,
        "R2:title-program",
    ),
    (
        "R2 sign-up reading challenge",
        ClassifierInput(
            "Summer Reading Challenge", "Sign up and read 20 hours for prizes.", date_text="June 15 - Aug 31"
        ),
        P,
        "R2:reading-challenge",
    ),
    (
        "R2a drop-ins welcome if space allows",
        ClassifierInput(
            "Kids Clay Series",
            "A six-week series; drop-ins welcome if space allows ($25).",
            date_text="Tuesdays, Feb 3 - Mar 10",
            schedule_text="4-5:30pm",
        ),
        P,
        "R2a:drop-in-if-space",
    ),
    (
        "R2b free trial for a term class",
        ClassifierInput(
            "Free Trial: Kids Karate", "Try a free trial class, then join our fall term (Sept-Dec)."
        ),
        P,
        "R2b:free-trial",
    ),
    (
        "R3 dated storytime",
        ClassifierInput("Baby Storytime", date_text="Thu, Jan 15", schedule_text="10:30-11:00 AM"),
        E,
        "R3:title-event",
    ),
    (
        "R3 recurring drop-in without a date",
        ClassifierInput(
            "Toddler Storytime", "Drop in for songs and stories.", schedule_text="Every Tuesday at 10"
        ),
        E,
        "T3:drop-in",
    ),
    (
        "R3 run of performances is one event",
        ClassifierInput(
            "Peter Pan (youth theater)",
            "Twelve performances.",
            date_text="Nov 20 - Dec 21",
            schedule_text="Fri 7pm, Sat & Sun 2pm",
        ),
        E,
        None,
    ),
    (
        "R4 exhibit with opening and closing dates",
        ClassifierInput(
            "Bugs! A Traveling Exhibition",
            "Giant robotic insects. Included with general admission.",
            date_text="Jan 24 - May 3",
        ),
        A,
        "R4:title-feature",
    ),
    (
        "R4 planetarium show every hour",
        ClassifierInput(
            "Planetarium Show: Stars Tonight", "Shows every hour on the hour, daily, free with admission."
        ),
        A,
        "R4:continuous-show",
    ),
    (
        "R4a two-day harvest festival",
        ClassifierInput(
            "Harvest Festival",
            "Hayrides, cider pressing and a pie contest.",
            date_text="Oct 10-11",
            schedule_text="10am-4pm",
        ),
        E,
        None,
    ),
    (
        "R4a farm festival that is a daily seasonal operation",
        ClassifierInput(
            "Fall Festival Pumpkin Patch", date_text="Sept 26 - Oct 31", schedule_text="Open daily 9am-6pm"
        ),
        A,
        "T5:seasonal-operation",
    ),
    (
        "R4b exhibit opening party",
        ClassifierInput(
            "Opening Party: Bugs! exhibition",
            date_text="Fri, Jan 23",
            schedule_text="6-9pm",
            price_text="$20",
        ),
        E,
        None,
    ),
    (
        "R4b dated talk inside an exhibit",
        ClassifierInput(
            "Curator Talk in the Bugs! Exhibit", date_text="Sunday, March 8", schedule_text="2:00 PM"
        ),
        E,
        "R3:dated-start-time",
    ),
    (
        "R3 a public body's meeting is one happening, not a school or a term's session",
        ClassifierInput("Regular School Board Meeting", date_text="Tue, Jun 14", schedule_text="6:00 PM"),
        E,
        "R3:title-event-head",
    ),
    (
        "R3 a special session of a sitting body",
        ClassifierInput("Full Commission Special Session", date_text="Tue, Jun 14", schedule_text="6:00 PM"),
        E,
        "R3:title-event-head",
    ),
    (
        "T1 one-day camp",
        ClassifierInput(
            "No-School Day Camp", date_text="Mon, Jan 19", schedule_text="9am-3pm", price_text="$70"
        ),
        E,
        "T1:camp-one-day",
    ),
    (
        "T1 week camp",
        ClassifierInput("Nature Camp", date_text="July 13-17", schedule_text="9am-3pm"),
        P,
        "T1:camp-multi-day",
    ),
    (
        "T1 a camp named only by its description's lead",
        ClassifierInput(
            "Forest Forts & Fairy Houses",
            "A gentle half-day camp of stories and mud kitchens.",
            schedule_text="Aug 9-13 | 9:30 am - 12:30 pm | Mon-Fri",
            price_text="$260/week",
        ),
        P,
        "T1:camp-multi-day",
    ),
    (
        "T1 a camp filed under the site's /camps/ path",
        ClassifierInput(
            "Archery & Outdoor Skills",
            "Archery range time, map and compass, knots and fire-building.",
            schedule_text="Jul 26-30 | 9:00 am - 3:00 pm | Mon-Fri",
            url="https://example.org/camps/archery-and-outdoor-skills/",
        ),
        P,
        "T1:camp-multi-day",
    ),
    (
        "T1 camp without dates is enrolled as a unit",
        ClassifierInput("Spring Break Camp", "Games and crafts while school is out."),
        P,
        "T1:camp-length-unknown",
    ),
    (
        "T2 registration-required single workshop",
        ClassifierInput(
            "Birdhouse Building Workshop",
            "Registration required; 15 spots.",
            date_text="Sat, Apr 11",
            schedule_text="1-3pm",
        ),
        E,
        None,
    ),
    (
        "T3 series you must sign up for",
        ClassifierInput(
            "Baby Sign Language",
            "Four-week series; register once for all four sessions.",
            date_text="Mondays, Mar 2 - Mar 23",
            schedule_text="10am",
        ),
        P,
        None,
    ),
    (
        "T4 garden with its own gate",
        ClassifierInput(
            "Hillside Japanese Garden",
            "A walled garden with its own entrance. Open Tue-Sun 10-5. Admission $10. Parking on the street.",
        ),
        V,
        None,
    ),
    (
        "T4 garden inside a larger venue",
        ClassifierInput(
            "Fern Garden", "Inside the arboretum; open during arboretum hours, free with admission."
        ),
        A,
        None,
    ),
    (
        "T5 holiday light display",
        ClassifierInput("Holiday Lights Walk", date_text="Nov 28 - Jan 3", schedule_text="Nightly 5-9pm"),
        A,
        "T5:seasonal-operation",
    ),
    (
        "T5 scheduled departures on dates",
        ClassifierInput(
            "Santa Express Train", date_text="Dec 6, 7, 13, 14", schedule_text="Departures 10am, noon, 2pm"
        ),
        E,
        "T5:departures",
    ),
    (
        "T6 open gym slot separate from admission",
        ClassifierInput(
            "Open Gym Night",
            "Drop-in tumbling outside class hours.",
            schedule_text="Fridays 6-8pm",
            price_text="$10",
            venue_text="Northshore Gymnastics",
        ),
        E,
        "T3:drop-in",
    ),
    (
        "T6 open play is how the place admits everyone",
        ClassifierInput(
            "Wobble Play Cafe",
            "Open play all day for ages 0-5 with coffee for parents. Open 9-5 daily. $14 per child.",
        ),
        V,
        "T6:open-play-all-day",
    ),
    (
        "language: Spanish class term",
        ClassifierInput(
            "Clases de baile folklórico",
            "Curso de 8 semanas. Inscripción abierta.",
            schedule_text="sábados 10:00",
        ),
        P,
        None,
    ),
    ("language: Chinese exhibit", ClassifierInput("展览：海洋生物", "门票已包含。至6月30日"), A, None),
    ("style: ALL CAPS storytime", ClassifierInput("PAJAMA STORYTIME", date_text="FRI 2/6 6:30PM"), E, None),
]


@pytest.mark.parametrize(
    "listing, expected, reason", [c[1:] for c in RULE_CASES], ids=[c[0] for c in RULE_CASES]
)
def test_rule_cases(listing: ClassifierInput, expected: EntityType, reason: str | None) -> None:
    result = classify(listing)
    assert result.entity_type == expected, (result, extract_evidence(listing).features)
    assert result.method == ClassificationMethod.RULES
    assert result.reasons, "every result names the rules behind it"
    if reason is not None:
        assert reason in result.reasons, result.reasons


def _model_sure_of(entity_type: EntityType) -> LinearModel:
    """A model that reads nothing and answers `entity_type` with 0.99."""
    classes = tuple(EntityType)
    logits = tuple(5.0 if c is entity_type else 0.0 for c in classes)
    return LinearModel(classes=classes, intercept=logits, weights={}, rules=False)


def test_a_written_tie_breaker_that_fired_stands_against_a_sure_model() -> None:
    show = ClassifierInput(
        "Starry Night Planetarium Show",
        "Lie back under our dome for a 20-minute tour of tonight's sky.",
        schedule_text="Shows every hour on the hour, 10 am - 4 pm, every day the museum is open.",
        price_text="Included with admission. No reservation needed.",
    )
    result = classify(show, model=_model_sure_of(EntityType.EVENT))
    assert result.entity_type is EntityType.ATTRACTION, result
    assert result.method is ClassificationMethod.RULES
    assert "R4:continuous-show" in result.reasons
    camp = ClassifierInput("Nature Camp", date_text="July 13-17", schedule_text="9am-3pm")
    assert classify(camp, model=_model_sure_of(EntityType.EVENT)).entity_type is EntityType.PROGRAM


def test_without_a_written_tie_breaker_a_sure_model_outweighs_unsure_rules() -> None:
    # One half of the R4 sentence (a show every hour) is not the tie-breaker: tickets are sold
    # per departure, so the rules' guess is mixed with the model as usual.
    train = ClassifierInput(
        "Holiday Lights Train",
        "Ride the miniature train through the lights! Departures every 20 minutes. Tickets are for "
        "a specific departure time.",
        price_text="$9 per rider",
    )
    result = classify(train, model=_model_sure_of(EntityType.EVENT))
    assert result.entity_type is EntityType.EVENT, result


def test_every_weight_row_names_a_rule_of_the_procedure() -> None:
    for name, weight in WEIGHTS.items():
        assert weight.rule in RULE_IDS, (name, weight.rule)


def test_a_bare_title_is_unsure() -> None:
    assert classify(ClassifierInput("Blue Door")).confidence < 0.6  # the rules mixed with the model
    result = classify(ClassifierInput("Blue Door"), model=False)
    assert result.confidence < 0.6
    assert result.reasons == ("R1:no-dates",)  # the only evidence: nothing is dated


# --------------------------------------------------------------------------------------------
# Date and time reading
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, count, max_span",
    [
        ("jan 6 - feb 24", 2, 49),
        ("june 22-26", 2, 4),
        ("1/9-2/27", 2, 49),
        ("nov 28 - jan 4", 2, 37),  # wraps over New Year
        ("dec 6, 7, 13, 14, 2025", 4, -1),  # a list, the year is not a day
        ("13 al 17 de julio", 2, 4),
        ("9月13日-12月20日", 2, 98),
        ("wednesday, january 14, 2026", 1, -1),
        ("ages 6-12, $85", 0, -1),  # age ranges and prices are not dates
        ("a 1/4-mile kids dash", 0, -1),
        ("may 5pm", 0, -1),  # a clock time, not May 5
        ("sat may 30 10am-1pm", 1, -1),  # a date followed by its start time
        ("oct 4-5 10am-4pm", 2, 1),
        ("dec 6 2025", 1, -1),  # a year after the day, no comma
        ("fri/sat nights in october 7-10pm", 0, -1),  # October, 7 to 10 pm: not October 7
        ("register by nov 5. camp day nov 11", 1, -1),  # a deadline is not a day it happens
        ("apply by 12/15; meets weekly", 0, -1),
        ("deadline: march 1", 0, -1),
    ],
)
def test_read_dates(text: str, count: int, max_span: int) -> None:
    facts = read_dates(text)
    assert (facts.count, facts.max_span) == (count, max_span)


def test_read_dates_month_ranges_and_end_dates() -> None:
    assert read_dates("wednesdays 3-7pm, may through october").month_span >= 150
    assert read_dates("memorial day weekend through labor day").month_span >= 30
    until = read_dates("now through jan 5")
    assert until.until and until.count == 0  # an end date is not a day something happens


@pytest.mark.parametrize(
    "text, ranges, singles",
    [
        ("10:30am - 11:00am", 1, 0),
        ("sa 9:00-9:30a", 1, 0),
        ("departures 10am, 11:30am, 1pm", 0, 3),
        ("open daily 9-6", 1, 0),
        ("ages 6-12", 0, 0),
        ("下午2点", 0, 1),
    ],
)
def test_read_times(text: str, ranges: int, singles: int) -> None:
    facts = read_times(text)
    assert (facts.ranges, facts.singles) == (ranges, singles)


def test_fold_normalises_case_accents_and_dashes() -> None:
    assert fold("  Día  de los MUERTOS – Sábado ") == "dia de los muertos - sabado"
    assert fold(None) == ""


@pytest.mark.parametrize(
    "text, folded",
    [
        ("OPEN DAILY THRU OCT 31", "open daily through oct 31"),  # an end date, not a dash
        ("Công viên Đà Nẵng", "cong vien da nang"),  # Vietnamese đ has no combining form
        ("어린이 태권도 봄학기", "어린이 태권도 봄학기"),  # Hangul stays composed
    ],
)
def test_fold_reads_thru_vietnamese_and_korean(text: str, folded: str) -> None:
    assert fold(text) == folded


# --------------------------------------------------------------------------------------------
# Readers added for unseen styles: dates, times, counts, place shapes (table-driven)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, count, max_span",
    [
        ("3월 14일 (토)", 1, -1),  # Korean month-day
        ("3월 14일 - 4월 2일", 2, 19),
        ("7月6日-10日", 2, 4),  # same-month Chinese range
        ("thu bay, 4 thang 10", 1, -1),  # Vietnamese day-month ("4 tháng 10")
        ("6 - 10 thang 7", 2, 4),
        ("week of july 13", 2, 4),  # a camp week
        ("2026-03-14", 1, -1),  # ISO
        ("saturday, january 24, 1-3 pm", 1, -1),  # "24, 1-3 pm" is a date and a time range
        ("dec 6, 7, 13, 14", 4, -1),  # lists still count every day
        ("2026-12-06t10:00:00-08:00", 1, -1),  # ISO datetime with an offset (folded)
        ("2026-01-12 to 2026-03-02", 2, 49),  # ISO range
        ("oct 31 5-7pm", 1, -1),  # a date, then a bare time range
        ("sat, dec 6 10-11am", 1, -1),
        ("mon 1/12 - mon 3/2", 2, 49),  # weekday before each end of a slash range
        ("1/12/2026 through 3/2/2026", 2, 49),
        ("20 dec 2025 - 4 jan 2026", 2, 15),  # day-first English range
        ("session 1: jan 12-feb 16, mondays", 2, 35),
    ],
)
def test_read_dates_in_more_forms(text: str, count: int, max_span: int) -> None:
    facts = read_dates(text)
    assert (facts.count, facts.max_span) == (count, max_span)


@pytest.mark.parametrize("text", ["即日起至2026年3月1日", "2월 28일까지", "now through jan 4"])
def test_read_dates_end_dates_in_more_languages(text: str) -> None:
    facts = read_dates(text)
    assert facts.until and facts.count == 0


@pytest.mark.parametrize(
    "text, ranges, singles",
    [
        ("오후 2시", 0, 1),
        ("오전 10시 - 오후 6시", 1, 0),
        ("2 gio chieu - 6 gio toi", 1, 0),
        ("9-11 gio sang", 1, 0),
        ("3 gio chieu", 0, 1),
        ("family-friendly until 8pm", 0, 0),  # a closing time starts nothing
        ("10-5", 1, 0),  # a schedule field that is only a bare range
        ("open daily, 10 a.m.-6 p.m.", 1, 0),  # dotted a.m./p.m. before a dash
        ("at 7 p.m.", 0, 1),
        ("2026-12-06t10:00:00-08:00", 0, 1),  # the UTC offset is not a time range
        ("2026-12-06t00:00:00", 0, 0),  # midnight marks an all-day entry
        ("abierto todos los dias de 10 a 18 h", 1, 0),  # Spanish 24-hour range, not "10 am"
        ("de 9:30 a 16:00", 1, 0),
    ],
)
def test_read_times_in_more_forms(text: str, ranges: int, singles: int) -> None:
    facts = read_times(text)
    assert (facts.ranges, facts.singles) == (ranges, singles)


def _features(listing: ClassifierInput) -> set[str]:
    return set(extract_evidence(listing).features)


# (case, listing, feature that must fire, feature that must not fire)
EVIDENCE_CASES: list[tuple[str, ClassifierInput, str | None, str | None]] = [
    (
        "counted weekdays",
        ClassifierInput("Volleyball Clinic", "Four Wednesdays in May."),
        "session-count",
        None,
    ),
    (
        "catalogue meetings",
        ClassifierInput("Tot Tumbling", schedule_text="Sa 9:00-9:45a · 8 mtgs"),
        "session-count",
        None,
    ),
    ("Vietnamese weeks", ClassifierInput("Lớp vẽ", "Khóa học 10 tuần."), "session-count", None),
    ("Korean weeks", ClassifierInput("코딩 교실", "8주 과정"), "session-count", None),
    (
        "weekly meetups",
        ClassifierInput("Junior Rangers", "Five weekly meetups this summer."),
        "session-count",
        None,
    ),
    (
        "a two-day festival is not a series",
        ClassifierInput("Kite Fest", "A two-day festival.", date_text="Aug 8-9"),
        None,
        "session-count",
    ),
    ("mornings a week", ClassifierInput("Forest School", "3 mornings a week, Sept-June."), "per-week", None),
    (
        "practice per week",
        ClassifierInput("U8 Soccer", "Games Saturdays; one practice per week."),
        "per-week",
        None,
    ),
    ("open 3 days a week is hours", ClassifierInput("Toy Library", "Open 3 days a week."), None, "per-week"),
    ("week of opening hours", ClassifierInput("Lil' Climbers", "Mon–Fri 2–8, weekends 9–6."), "hours", None),
    (
        "branch of a business",
        ClassifierInput("Jump Zone Bellevue", "Open 10am-8pm daily."),
        "branch-title",
        None,
    ),
    (
        "own address, hours and prices",
        ClassifierInput(
            "Great Wheel", "Open daily 11am-10pm. Tickets $20 adults.", venue_text="1301 Alaskan Way, Seattle"
        ),
        "standalone-place",
        "hosted-undated",
    ),
    (
        "shares the host's hours",
        ClassifierInput("Glow Mini Golf", "18 holes; open center hours.", venue_text="Wonderland Fun Center"),
        "inside-place",
        None,
    ),
    (
        "feature of a host, undated",
        ClassifierInput(
            "Climbing Wall", "Auto-belays; included with admission.", venue_text="Redmond Community Center"
        ),
        "hosted-undated",
        "standalone-place",
    ),
    (
        "a store in a mall is still a store",
        ClassifierInput("Lego Shop", "A toy store. Open daily 10-7.", venue_text="Crossroads Mall"),
        None,
        "hosted-undated",
    ),
    (
        "showtimes of a run",
        ClassifierInput(
            "Charlotte's Web", date_text="Jan 15 - Feb 22", schedule_text="Fri 7pm, Sat & Sun 11am & 2pm"
        ),
        "showtimes",
        "term-schedule",
    ),
    (
        "timed tickets",
        ClassifierInput("Lantern Walk", schedule_text="Nightly 5-9pm; timed tickets"),
        "timed-entry",
        None,
    ),
    ("bare range, no times", ClassifierInput("Story Stroll", date_text="Jan 5 - Feb 28"), "open-range", None),
    (
        "date to be announced",
        ClassifierInput("Mud Puddle Stomp", "Date to be announced; watch this space."),
        "date-tba",
        None,
    ),
    (
        "festival weekends over a season",
        ClassifierInput(
            "Harvest Fest Weekends", date_text="Oct 3 - Nov 1", schedule_text="Sat & Sun 10am-5pm"
        ),
        "seasonal-festival",
        None,
    ),
    ("class level", ClassifierInput("Ballet I (ages 6-8)"), "title-level", None),
    (
        "social post",
        ClassifierInput("Tonight!! Glow in the dark bingo #bellevue", "6:30pm, free"),
        "relative-date",
        "branch-title",
    ),
    (
        "idiom is not 'held in the'",
        ClassifierInput("Glow in the Dark Bingo"),
        "title-event",
        "title-at-place",
    ),
    ("typo in a deciding word", ClassifierInput("Butterfly exibit"), "title-feature", None),
    ("typo table leaves real words alone", ClassifierInput("Light Rail Ride"), None, "title-seasonal"),
    (
        "dimmed lights are not holiday lights",
        ClassifierInput("Sensory Swim", "Lights low, music off."),
        None,
        "lead-seasonal",
    ),
    (
        "a camp's dates are read by T1 only",
        ClassifierInput("Mini Camp", date_text="Dec 29-30", schedule_text="9-3"),
        "camp-multi-day",
        "few-dates",
    ),
    ("Chinese noun inside a word", ClassifierInput("恐龙展", "凭博物馆门票参观。"), "title-feature", None),
    ("Korean place noun", ClassifierInput("린우드 수영장"), "title-place", None),
    ("a day named for its theme", ClassifierInput("Tide Pool Day at Richmond Beach"), "title-event", None),
    ("'every day' is not a happening", ClassifierInput("Open Every Day Playground"), None, "title-event"),
    ("'no school' is not a school", ClassifierInput("No School Fun Day"), "title-event", "title-place"),
    (
        "self-guided hunt",
        ClassifierInput("Holiday Scavenger Hunt", "Self-guided; pick up a map at the visitor center."),
        "self-guided",
        None,
    ),
    (
        "possessive host in a teaser",
        ClassifierInput("Don't miss the zoo's new rhino reserve", "The habitat opened this spring."),
        "title-at-place",
        "title-place",
    ),
    (
        "'at' inside a name",
        ClassifierInput("Artists at Play Playground", "Seattle Center's popular playground."),
        "title-feature",
        "title-at-place",
    ),
    (
        "a possessor is not the lead noun",
        ClassifierInput("Wild Hearts", "Seattle Center's new playground with a climbing tower."),
        "lead-feature",
        "lead-place",
    ),
    (
        "tenant of a building keeps its own admission",
        ClassifierInput(
            "Tot Harbor",
            "Indoor play space; open play sessions run back to back daily 9-5, $15 per child. Espresso bar.",
            venue_text="Crossroads Mall",
        ),
        "standalone-place",
        "hosted-undated",
    ),
    (
        "Spanish splash play area",
        ClassifierInput("Zona de juegos de agua del Parque Cascade"),
        "title-feature",
        None,
    ),
    (
        "Chinese inside and included",
        ClassifierInput("触摸池", "水族馆内的触摸池，随门票参观。"),
        "included-with-admission",
        None,
    ),
    (
        "weekday lessons counted",
        ClassifierInput("Junior Golf", "Six Sunday lessons starting April 12."),
        "session-count",
        "single-date",
    ),
    ("apply now is enrollment", ClassifierInput("Teen Leadership Academy", "Apply now."), "enroll", None),
    (
        "a place page keeps its season",
        ClassifierInput(
            "Salmon Hatchery", "Grounds open daily dawn to dusk. Salmon return September through November."
        ),
        None,
        "seasonal-operation",
    ),
    (
        "a dated card for a rink is the season itself",
        ClassifierInput("Holiday Ice Rink", date_text="Nov 28 - Jan 4", schedule_text="Daily 11am-7pm"),
        "seasonal-operation",
        None,
    ),
    (
        "a place noun that is also seasonal, with a season of its own",
        ClassifierInput(
            "Winterfest Ice Rink - Seattle Center",
            date_text="Nov 27 - Jan 4",
            schedule_text="Open daily 11am-8pm",
        ),
        "title-seasonal",
        None,
    ),
    (
        "a pool at its own address keeps its summer season",
        ClassifierInput(
            "Colman Pool",
            "Outdoor pool, open summer season only. Lap swim and public swim daily.",
            date_text="Jun 20 - Sep 7",
            venue_text="8603 Fauntleroy Way SW, Seattle",
        ),
        None,
        "seasonal-operation",
    ),
    (
        "a compound camp name is a camp",
        ClassifierInput("ZooCamp: Animal Adventures", date_text="July 13-17"),
        "camp-multi-day",
        None,
    ),
    (
        "a calendar that folded its dates",
        ClassifierInput("Reptile Show", date_text="Multiple dates"),
        "date-list",
        None,
    ),
    (
        "an open-ended date field names no time",
        ClassifierInput("Infinity Room", date_text="Ongoing"),
        "no-dates",
        None,
    ),
    (
        "host first, then the subject",
        ClassifierInput("Woodland Park Zoo: Penguin Encounter"),
        "title-at-place",
        "title-place",
    ),
    (
        "subject first, then the host",
        ClassifierInput("Upper Observation Deck — Snoqualmie Falls Park"),
        "title-at-place",
        "title-place",
    ),
    (
        "a feature named after its host park",
        ClassifierInput("Woodland Park Rose Garden", "2.5-acre garden. Free, open daily 7am-dusk."),
        "hosted-undated",
        "standalone-place",
    ),
    (
        "a page of the host's site is the host",
        ClassifierInput("Seattle Aquarium: Plan Your Visit", "Open daily 9:30-6. Tickets from $34.95."),
        "title-place",
        "title-at-place",
    ),
    (
        "a business named before its mall is the business",
        ClassifierInput("Color Me Mine – Redmond Town Center", "Paint-your-own pottery. Open daily 10-8."),
        None,
        "title-at-place",
    ),
    (
        "site badges are not a segment of the title",
        ClassifierInput("Just added: Kelsey Creek Farm: Pony & Goat Barn"),
        "title-at-place",
        "title-place",
    ),
    (
        "site badges and the city's name around a title",
        ClassifierInput("[FULL] SOLD OUT - NEW! Toddler Storytime | City of Kirkland"),
        "title-event-head",
        "title-at-place",
    ),
    (
        "per-session sign-up is drop-in",
        ClassifierInput(
            "Science Sundays", "Register for each session separately.", schedule_text="Sundays 1-3pm"
        ),
        None,
        "enroll",
    ),
]


@pytest.mark.parametrize(
    "listing, present, absent", [c[1:] for c in EVIDENCE_CASES], ids=[c[0] for c in EVIDENCE_CASES]
)
def test_evidence_readers(listing: ClassifierInput, present: str | None, absent: str | None) -> None:
    features = _features(listing)
    if present is not None:
        assert present in features, features
    if absent is not None:
        assert absent not in features, features


# (case, listing, expected type): the shapes a sparse listing is most likely to have.
DEFAULT_CASES: list[tuple[str, ClassifierInput, EntityType]] = [
    ("teaser with one date", ClassifierInput("Touch-a-Truck", date_text="May 16"), E),
    (
        "teaser with a date and a time",
        ClassifierInput("Lunar New Year Lion Dance", date_text="Feb 14 · 11am"),
        E,
    ),
    ("place type with an address", ClassifierInput("Rain City Rock Gym", venue_text="1150 Elliott Ave W"), V),
    ("camp with a multi-day range", ClassifierInput("Spring Break Camp", date_text="April 6-10"), P),
    ("catalogue row", ClassifierInput("Youth Pottery", date_text="2/3-3/10", schedule_text="Tu 4-5:30p"), P),
    ("weekly slot, no dates", ClassifierInput("Pajama Storytime", schedule_text="Tuesdays at 6:30 pm"), E),
    ("feature inside a park", ClassifierInput("Splash Pad", venue_text="Highland Park"), A),
    ("Vietnamese class", ClassifierInput("Lớp tiếng Việt cho trẻ em", "Khóa học 10 tuần, mỗi thứ Bảy."), P),
    (
        "Korean festival",
        ClassifierInput("어린이날 축제", date_text="5월 5일", schedule_text="오전 11시 - 오후 3시"),
        E,
    ),
    ("Chinese exhibit until a date", ClassifierInput("恐龙展", "展期：即日起至2026年3月1日。"), A),
    ("Spanish drop-in storytime", ClassifierInput("Hora del cuento", schedule_text="sábados 11:00 a.m."), E),
    ("ALL CAPS season opening", ClassifierInput("CORN MAZE NOW OPEN!", "OPEN DAILY 10-6 THRU OCT 31"), A),
    ("one-day camp with a deadline", ClassifierInput("Camp Day: No School Nov 11", "Register by Nov 5."), E),
    ("themed day at a beach", ClassifierInput("Tide Pool Day", date_text="Sat May 30 10am-1pm"), E),
    ("haunted ride on set nights", ClassifierInput("Haunted Hayride - Fri/Sat nights in October 7-10pm"), A),
]


@pytest.mark.parametrize(
    "listing, expected", [c[1:] for c in DEFAULT_CASES], ids=[c[0] for c in DEFAULT_CASES]
)
def test_sparse_listing_defaults(listing: ClassifierInput, expected: EntityType) -> None:
    result = classify(listing)
    assert result.entity_type == expected, (result, extract_evidence(listing).features)


# --------------------------------------------------------------------------------------------
# from_json
# --------------------------------------------------------------------------------------------


def test_from_json_reads_the_classify_line_format() -> None:
    listing = ClassifierInput.from_json(
        {
            "id": "x1",
            "title": "  Toddler Storytime ",
            "description": "Songs.",
            "extra": {
                "date_text": "Wed 1/14",
                "schedule_text": "10:30am",
                "price_text": "Free",
                "age_text": "1-3",
                "venue_text": "Ballard Branch",
                "url": "https://example.org/e/1",
                "structured_type": "Event",
                "site_label": "Event",
                "image": "ignored",
            },
            "unknown": 5,
        }
    )
    assert listing == ClassifierInput(
        title="Toddler Storytime",
        description="Songs.",
        date_text="Wed 1/14",
        schedule_text="10:30am",
        price_text="Free",
        age_text="1-3",
        venue_text="Ballard Branch",
        url="https://example.org/e/1",
        structured_type="Event",
        site_label="Event",
    )
    assert ClassifierInput.from_json({"title": "Only a title"}) == ClassifierInput("Only a title")
    assert ClassifierInput.from_json({"title": "T", "extra": None, "description": None}).description is None


@pytest.mark.parametrize(
    "obj, field",
    [
        ({}, "'title' is missing"),
        ({"title": ""}, "'title' is empty"),
        ({"title": "   "}, "'title' is empty"),
        ({"title": 42}, "'title' must be a string, got int"),
        ({"title": "T", "description": ["a"]}, "'description' must be a string, got list"),
        ({"title": "T", "extra": "nope"}, "'extra' must be an object, got str"),
        ({"title": "T", "extra": {"date_text": 20260114}}, "'extra.date_text' must be a string, got int"),
        ({"title": "T", "extra": {"url": {"href": "x"}}}, "'extra.url' must be a string, got dict"),
        (["title"], "listing must be a JSON object, got list"),
    ],
)
def test_from_json_rejects_bad_input_naming_the_field(obj: Any, field: str) -> None:
    with pytest.raises(ValueError, match=field.replace("(", r"\(")):
        ClassifierInput.from_json(obj)


# --------------------------------------------------------------------------------------------
# Second opinion and structured data
# --------------------------------------------------------------------------------------------


class FakeSecondOpinion:
    """Records calls and returns a fixed answer (stands in for an LLM client)."""

    def __init__(self, answer: tuple[EntityType, float] | None) -> None:
        self.answer = answer
        self.calls: list[ClassifierInput] = []

    def classify(self, listing: ClassifierInput) -> tuple[EntityType, float] | None:
        self.calls.append(listing)
        return self.answer


UNSURE = ClassifierInput("Blue Door")
SURE = ClassifierInput("Toddler Storytime", date_text="Wed, Jan 14", schedule_text="10:30-11am")


def test_second_opinion_is_not_asked_when_the_rules_are_sure() -> None:
    fake = FakeSecondOpinion((V, 0.99))
    result = classify(SURE, second_opinion=fake)
    assert fake.calls == []
    assert (result.entity_type, result.method) == (E, ClassificationMethod.RULES)


def test_confident_second_opinion_is_taken_below_threshold() -> None:
    fake = FakeSecondOpinion((A, 0.9))
    result = classify(UNSURE, second_opinion=fake)
    assert fake.calls == [UNSURE]
    assert result == ClassificationResult(A, 0.9, ClassificationMethod.LLM, result.reasons)
    assert result.reasons[-1] == "LLM:second-opinion-ATTRACTION"


@pytest.mark.parametrize("answer", [(A, 0.4), None])
def test_unsure_or_missing_second_opinion_keeps_the_rules_answer(
    answer: tuple[EntityType, float] | None,
) -> None:
    fake = FakeSecondOpinion(answer)
    without = classify(UNSURE)
    result = classify(UNSURE, second_opinion=fake)
    assert len(fake.calls) == 1
    assert result == without
    assert result.method in (ClassificationMethod.RULES, ClassificationMethod.MODEL)


def test_threshold_decides_when_to_ask() -> None:
    fake = FakeSecondOpinion((P, 1.0))
    classify(UNSURE, second_opinion=fake, threshold=0.0)
    assert fake.calls == []
    result = classify(SURE, second_opinion=fake, threshold=1.0)
    assert len(fake.calls) == 1 and result.entity_type == P


def test_structured_type_decides_an_otherwise_unsure_listing() -> None:
    result = classify(ClassifierInput("Blue Door", structured_type="Course"))
    assert (result.entity_type, result.method) == (P, ClassificationMethod.STRUCTURED_DATA)
    assert "R2:schema-course" in result.reasons


def test_structured_event_type_does_not_override_clear_venue_facts() -> None:
    # Calendar plugins mark everything "Event"; the facts of a place page still win.
    listing = ClassifierInput(
        "Harbor Kids Museum",
        "Open Tue-Sun 10-5. Admission $16. Free parking. 1120 Harbor Ave SW.",
        structured_type="Event",
    )
    result = classify(listing)
    assert (result.entity_type, result.method) == (V, ClassificationMethod.RULES)


def test_site_label_camp_applies_camp_length() -> None:
    listing = ClassifierInput("Little Explorers", date_text="June 22-26", site_label="Camp")
    assert classify(listing).entity_type == P


# --------------------------------------------------------------------------------------------
# T7 out of scope
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("row", _rows("out_of_scope.jsonl"), ids=lambda row: row["id"])
def test_out_of_scope_fixtures(row: dict[str, Any]) -> None:
    assert out_of_scope_reason(ClassifierInput.from_json(row)) == row["reason"]


def test_out_of_scope_fixture_has_enough_of_both_kinds() -> None:
    rows = _rows("out_of_scope.jsonl")
    assert sum(1 for r in rows if r["reason"]) >= 15
    assert sum(1 for r in rows if r["reason"] is None) >= 5


@pytest.mark.parametrize(
    "title, reason",
    [
        ("Annual Family Membership", "membership"),
        ("Summer Season Pass", "pass"),
        ("E-Gift Cards", "gift-card"),
        ("Birthday Party Packages", "birthday-party"),
        ("Volunteers Needed for Earth Day", "volunteer"),
        ("Now Hiring: Swim Instructors", "job"),
        ("Sponsored: Back-to-School Sale", "ad"),
        ("Donate Today", "donation"),
        ("Subscribe to our newsletter", "newsletter"),
        ("Members' Preview: Sharks!", None),
        ("Volunteer Park Wading Pool", None),
        ("Pass the Mic: Teen Open Mic", None),
        ("Karate Classes (monthly membership)", None),
    ],
)
def test_out_of_scope_reason_table(title: str, reason: str | None) -> None:
    assert out_of_scope_reason(ClassifierInput(title)) == reason


# --------------------------------------------------------------------------------------------
# Categories
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "listing, entity_type, category",
    [
        (ClassifierInput("Robotics Camp", date_text="July 6-10"), P, Category.CAMPS_PROGRAMS),
        (ClassifierInput("No-School Day Camp", date_text="Feb 16"), E, Category.CAMPS_PROGRAMS),
        (ClassifierInput("After-School Program at Maple Elementary"), P, Category.CAMPS_PROGRAMS),
        (
            ClassifierInput("Toddler Storytime", venue_text="Ballard Branch Library"),
            E,
            Category.FREE_COMMUNITY,
        ),
        (
            ClassifierInput("Juneteenth Festival", "Music and food. Free.", venue_text="Jimi Hendrix Park"),
            E,
            Category.FREE_COMMUNITY,
        ),
        (ClassifierInput("Ballard Branch Library", "Hours Mon-Sat 10-6."), V, Category.FREE_COMMUNITY),
        (
            ClassifierInput("Cascade Science Center", "Exhibits and a planetarium. Admission $29."),
            V,
            Category.EDUCATIONAL_STEM,
        ),
        (
            ClassifierInput("Northwest Art Museum", "Galleries of modern painting. Admission $25."),
            V,
            Category.ARTS_CREATIVITY,
        ),
        (ClassifierInput("Swim Lvl 2 | Sa 9:00-9:30a | 1/9-2/27 | $85"), P, Category.ACTIVE_SPORTS),
        (
            ClassifierInput("Beginning Pottery for Kids", date_text="Jan 10 - Feb 14"),
            P,
            Category.ARTS_CREATIVITY,
        ),
        (ClassifierInput("Intro to Coding (Scratch) | 4 wks"), P, Category.EDUCATIONAL_STEM),
        (ClassifierInput("Kite Festival", price_text="$5 parking"), E, Category.ENTERTAINMENT_EVENTS),
        (
            ClassifierInput("Corn Maze", date_text="Sept 19 - Nov 1", price_text="$14"),
            A,
            Category.ENTERTAINMENT_EVENTS,
        ),
        (
            ClassifierInput("Dinosaurs Unearthed exhibit", venue_text="Cascade Science Center"),
            A,
            Category.EDUCATIONAL_STEM,
        ),
        (ClassifierInput("Bounce Harbor Trampoline Park", "Open jump daily."), V, Category.ACTIVE_SPORTS),
    ],
)
def test_categorize(listing: ClassifierInput, entity_type: EntityType, category: Category) -> None:
    assert categorize(listing, entity_type) == category
