import datetime as dt

import pytest

from commitments.io.dates import date_from_filename, find_dateline, normalise_date, parse_line


@pytest.mark.parametrize("name,expected", [
    ("2024-12-25_slug.txt", "2024-12-25"),
    ("2024-12-25.txt", "2024-12-25"),
    ("2024-12_slug.txt", "2024-12"),
    ("2024-02-30_slug.txt", None),      # impossible day: no date
    ("2024-13-01_slug.txt", None),
    ("20241225_slug.txt", None),
    ("slug_2024-12-25.txt", None),      # only a prefix counts
    ("2024_slug.txt", None),            # a bare year is too weak
])
def test_date_from_filename(name, expected):
    assert date_from_filename(name) == expected


@pytest.mark.parametrize("line,expected", [
    ("TOKYO, Dec. 11, 2024 /PRNewswire/ -- The company said", "2024-12-11"),
    ("WASHINGTON, D.C., March 3, 2024 - The two sides", "2024-03-03"),
    ("October 14, 2018", "2018-10-14"),
    ("Updated: 2006-10-09 08:55", "2006-10-09"),
    ("[Date] November 7, 2014", "2014-11-07"),
    ("DATE: Jun 28 2019", "2019-06-28"),
    ("26 OCTOBER 2021", "2021-10-26"),
    ("Geneva, 3 May 2022", "2022-05-03"),
    ("Wednesday, May 9, 2018", "2018-05-09"),
    ("Published: 2018/10/26 23:57:54", "2018-10-26"),
    ("By A. Writer | Daily News | Updated: 2017-12-07 09:06", "2017-12-07"),
    ("May 20, 2017 (Agency)\u2014The ministers met", "2017-05-20"),
    ("June 2012", "2012-06"),
])
def test_clear_datelines(line, expected):
    assert parse_line(line)[0] == expected


@pytest.mark.parametrize("line", [
    "The ministers met on Oct. 27, 2013 in Beijing.",   # a date inside a sentence
    "Summit of 2024 adopted a declaration",
    "February 30, 2024",                                # impossible
    "Leaders agreed to meet again by December 2025 at the latest.",
])
def test_not_datelines(line):
    assert parse_line(line) is None


def test_yearless_dateline_is_found_without_a_date():
    found = parse_line("BEIJING, May 9 (Xinhua) -- China and Japan agreed")
    assert found == (None, "May 9")


def test_find_dateline_looks_only_near_the_top():
    head = "Title of the statement\n\nSubtitle\n"
    assert find_dateline(head + "October 14, 2018\n\nBody.").date == "2018-10-14"
    far = "\n".join(f"Line {i}" for i in range(6)) + "\nOctober 14, 2018\n"
    assert find_dateline(far) is None
    assert find_dateline(far, max_lines=10).line == 6


def test_full_dateline_wins_over_an_earlier_yearless_one():
    text = "BEIJING, May 9 (Xinhua) -- Talks.\nUpdated: 2019-05-10 08:00\n"
    found = find_dateline(text)
    assert found.date == "2019-05-10" and found.line == 1
    only = find_dateline("BEIJING, May 9 (Xinhua) -- Talks.\n")
    assert only.date is None and only.text == "May 9"


def test_normalise_date():
    assert normalise_date(" 2024-05-01 ") == "2024-05-01"
    assert normalise_date("2024-05-01T10:30:00Z") == "2024-05-01"
    assert normalise_date(dt.datetime(2024, 5, 1, 9, 0)) == "2024-05-01"
    assert normalise_date(dt.date(2024, 5, 1)) == "2024-05-01"
    assert normalise_date("") is None and normalise_date(None) is None
    with pytest.raises(ValueError, match="impossible day"):
        normalise_date("2024-02-30")
    with pytest.raises(ValueError):
        normalise_date("1 May 2024")
