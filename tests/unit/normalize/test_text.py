"""clean_text / clean_lines / truncate: entities, invisible characters, whitespace."""

from __future__ import annotations

import pytest

from famact.normalize.text import clean_lines, clean_text, fold, truncate


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, None),
        ("", None),
        ("   \n\t ", None),
        ("&nbsp;", None),
        ("Family&nbsp;Paint Night", "Family Paint Night"),
        ("Arts &amp; Crafts", "Arts & Crafts"),
        ("Arts &amp;amp; Crafts", "Arts & Crafts"),  # double-escaped feeds
        ("10am &#8211; noon", "10am – noon"),
        ("Caf&eacute; story time", "Café story time"),
        ("Zero\u200bwidth\u200d join\ufeff", "Zerowidth join"),
        ("soft\u00adhyphen", "softhyphen"),
        ("  lots   of\n\nspace\t here ", "lots of space here"),
        ("<b>FREE</b> admission", "FREE admission"),
        ("line<br>break", "line break"),
        ("<p>one</p><p>two</p>", "one two"),
        ("in<span>line</span>", "inline"),
        ("ages <5 and >2", "ages <5 and >2"),  # not tags
        ("AT&T; sponsor", "AT&T; sponsor"),  # unknown entity kept
        ("🎨 Paint 🎨", "🎨 Paint 🎨"),
        ("sábado\u00a05 de diciembre", "sábado 5 de diciembre"),
        ("全角\u3000スペース", "全角 スペース"),
    ],
)
def test_clean_text(raw: str | None, expected: str | None) -> None:
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, []),
        (
            "Seattle Art Museum\n1300 1st Ave\nSeattle, WA 98101",
            ["Seattle Art Museum", "1300 1st Ave", "Seattle, WA 98101"],
        ),
        ("1300 1st Ave<br/>Seattle,&nbsp;WA", ["1300 1st Ave", "Seattle, WA"]),
        ("  a  \n\n  b ", ["a", "b"]),
    ],
)
def test_clean_lines(raw: str | None, expected: list[str]) -> None:
    assert clean_lines(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Jan. 9 – Feb. 27", "jan. 9 - feb. 27"),
        ("１２月５日", "12月5日"),
        ("10:00—11:30", "10:00-11:30"),
        ("ALL   CAPS", "all caps"),
    ],
)
def test_fold(raw: str, expected: str) -> None:
    assert fold(raw) == expected


@pytest.mark.parametrize(
    ("value", "limit", "expected"),
    [
        (None, 10, None),
        ("short", 10, "short"),
        ("exactly ten", 11, "exactly ten"),
        ("Family paint night at the museum", 20, "Family paint night…"),
        ("Family paint, night at the museum", 14, "Family paint…"),
        ("Supercalifragilisticexpialidocious", 10, "Supercali…"),
        ("ab cd", 1, "…"),
    ],
)
def test_truncate(value: str | None, limit: int, expected: str | None) -> None:
    result = truncate(value, limit)
    assert result == expected
    if result is not None:
        assert len(result) <= limit


def test_truncate_rejects_a_non_positive_limit() -> None:
    with pytest.raises(ValueError, match="limit"):
        truncate("text", 0)
