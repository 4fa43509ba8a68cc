"""A title filter from the source's name: one board's listings on a calendar of every board."""

from __future__ import annotations

import pytest

from analyzers.title_filter import infer_title_filter
from famact.models import SourceConfig, TitleFilter

CALENDAR = [
    "City Council - Regular Meeting",
    "Planning Commission - Regular Meeting",
    "Parks and Recreation Commission - Special Meeting",
    "Regular City Council Meeting",
    "Parking and Traffic Commission - Regular Meeting",
] * 4


def test_a_name_that_picks_out_one_board_filters_to_it() -> None:
    found = infer_title_filter("Hanford City Council", CALENDAR)
    assert found == TitleFilter(include=["city council"])
    assert sum(found.keeps(t) for t in CALENDAR) == 8
    assert infer_title_filter("Hanford Planning Commission", CALENDAR) == TitleFilter(
        include=["planning commission"]
    )


@pytest.mark.parametrize(
    ("name", "titles"),
    [
        ("West Hollywood", CALENDAR),  # names no board: nothing to filter on
        ("City Council", ["City Council Regular Meeting", "City Council Budget Workshop"] * 3),
        ("City Council", ["City Council Regular Meeting"] * 5),  # names them all
        ("Planning", CALENDAR),  # a board needs all its words named ("planning commission")
        ("hanfordca.iqm2.com", CALENDAR),  # the default name, the host
    ],
)
def test_no_filter_when_the_name_does_not_tell_listings_apart(name: str, titles: list[str]) -> None:
    assert infer_title_filter(name, titles) is None


def test_the_filter_matches_words_in_any_order_and_case() -> None:
    council = TitleFilter(include=["city council"])
    assert council.keeps("COUNCIL OF THE CITY")
    assert not council.keeps("Citywide Council")
    assert not council.keeps("Planning Commission")


def test_a_config_with_an_empty_filter_is_refused_naming_the_field() -> None:
    with pytest.raises(ValueError, match="title_filter"):
        SourceConfig.model_validate(
            {
                "source_id": "x",
                "source_name": "X",
                "base_url": "https://x.example.org/",
                "structured_data": {"enabled": True},
                "title_filter": {"include": []},
            }
        )


def test_word_forms_count_and_a_url_that_already_filters_is_left_alone() -> None:
    titles = ["Board of Commission Special Meeting", "Full Commission", "Board of Commissioners"] * 2
    found = infer_title_filter("Board Commissioners", titles)
    assert found is not None
    assert found.keeps("Board of Commission Special Meeting")
    assert not found.keeps("Full Commission")
    scoped = "https://x.example.org/v1/Events?$filter=categoryId+in+(31,33)"
    assert infer_title_filter("Board Commissioners", titles, scoped) is None
    assert (
        infer_title_filter("Hanford City Council", CALENDAR, "https://x.example.org/Cal?MeetingType=1")
        is None
    )
    # Empty filter parameters and views select nothing.
    loose = "https://x.example.org/Events?CategoryFilter=&view_id=3"
    assert infer_title_filter("Hanford City Council", CALENDAR, loose) is not None


def test_initials_in_the_name_spell_out_a_board() -> None:
    titles = [
        "Board of Supervisors Regular Meeting",
        "Housing Authority Special Board Meeting",
        "Board of Supervisors Meeting",
        "Homelessness Collaborative",
        "Deferred Comp Meeting",
    ]
    found = infer_title_filter("Kings BOS", titles)
    assert found == TitleFilter(include=["board supervisors"])
    assert [t for t in titles if found.keeps(t)] == [titles[0], titles[2]]
    assert infer_title_filter("Kings XYZ", titles) is None


def test_a_bodys_own_hearings_and_committees_are_not_other_bodies() -> None:
    council = ["City Council Meeting", "Transportation Committee", "Housing and Homelessness Committee"] * 2
    assert infer_title_filter("LA City Council", council) is None
    # "Regular Board Meeting" names only "board": too vague to filter a Board of Supervisors by.
    board = ["Regular Board Meeting", "Public Hearing Meeting", "Policy Presentations Meeting"] * 2
    assert infer_title_filter("Board of Supervisors", board) is None
