import pytest

from commitments.pipeline.deadlines import find_deadline, find_event_deadline, normalize_deadline


@pytest.mark.parametrize("expression, date, expected", [
    ("in January 2021", "2020-11-02", "2021-01"),
    ("next year", "2024-12-25", "2025"),
    ("2025–2034", "2024-05-01", "2025/2034"),
    ("from 2025 to 2034", "2024", "2025/2034"),
    ("by the end of 2022", "2021-06-01", "2022"),
    ("in the first half of 2024", "2023-10-01", "2024-01/2024-06"),
    ("in the second half of next year", "2023-10-01", "2024-07/2024-12"),
    ("by 2030", "2024-01-01", "2030"),
    ("on 1 March 2026", "2025-12-01", "2026-03-01"),
    ("on November 15", "2023-11-10", "2023-11-15"),
    # a month already past at the document's date is next year's
    ("in February", "2023-11-10", "2024-02"),
    ("from Oct. 25 to 27", "2018-10-15", "2018-10-25/2018-10-27"),
    ("next spring", "2019-06-27", "2020-03/2020-05"),
    ("by year-end", "2018-05-09", "2018"),
    # the twelve months ahead: mostly next year when said late in the year
    ("in the coming year", "2022-12-12", "2023"),
    ("in the coming year", "2022-02-01", "2022"),
    # 2025-03-18 is a Tuesday: the coming Saturday is the 22nd
    ("this weekend", "2025-03-18", "2025-03-22"),
    ("on Wednesday", "2023-11-10", "2023-11-15"),
])
def test_normalises(expression, date, expected):
    assert normalize_deadline(expression, date) == expected


@pytest.mark.parametrize("expression", [
    "in the coming years", "at an early date", "as soon as possible", "in the future",
])
def test_vague_periods_give_none(expression):
    assert normalize_deadline(expression, "2024-05-01") is None


def test_relative_expressions_need_a_date():
    assert normalize_deadline("next year", None) is None
    assert normalize_deadline("in July 2008", None) == "2008-07"
    # a weekday cannot be resolved against a year-only date
    assert normalize_deadline("on Friday", "2024") is None


def test_past_years_are_not_deadlines():
    assert normalize_deadline("as agreed at the 2015 summit", "2020-05-01") is None


def test_find_gives_offsets_of_the_first_expression():
    text = "hold the next round of consultations in Japan in the first half of 2018"
    found = find_deadline(text, "2017-12-06")
    assert found.value == "2018-01/2018-06"
    assert text[found.start:found.end].startswith("in the first half")


@pytest.mark.parametrize("expression, date, expected", [
    ("over the next decade", "2024-11-05", "2025/2034"),
    ("in the next five years", "2021-03-01", "2022/2026"),
])
def test_coming_decade_and_years(expression, date, expected):
    assert normalize_deadline(expression, date) == expected


def test_day_range_with_the_before_the_second_day():
    found = find_deadline("made an official visit to Japan from April 11th to the 13th, 2007, at the invitation",
                          "2007-04-11")
    assert found.value == "2007-04-11/2007-04-13"


def test_a_year_naming_an_event_gives_way_to_the_time_of_the_action():
    text = ("A report covering the period between the 2023 New Delhi Summit and the 2024 Rio Summit "
            "will be published in November 2024")
    assert find_deadline(text, "2024-09-17").value == "2024"          # the first expression
    assert find_deadline(text, "2024-09-17", attributive=False).value == "2024-11"
    text = "the report on the 2022 and 2023 summits will be out in May 2023"
    assert find_deadline(text, "2023-03-07", attributive=False).value == "2023-05"
    # a year after a preposition is the time of the action, not an attribute
    assert find_deadline("In 2026 Japan will host it", "2025-01-01", attributive=False).value == "2026"
    assert find_deadline("between 2025 and 2027 the fund will grow", "2024-01-01",
                         attributive=False).value == "2025/2027"
    # with nothing else, the event's year is what there is (the caller falls back on it)
    assert find_deadline("leverage the 2025 Osaka-Kansai World Expo", "2024-12-25", attributive=False) is None



@pytest.mark.parametrize("text, date, expected", [
    ("leverage the 2025 Osaka-Kansai World Expo", "2024-12-25", "2025"),
    # several events: from the first year to the last
    ("support the hosting of the 2025 Harbin Asian Winter Games and the 2026 Aichi-Nagoya Asian Games",
     "2024-12-25", "2025/2026"),
    # a past event is background, not a deadline
    ("implement the 2015 Paris Agreement", "2024-12-25", None),
    # a year that is the time of the action is not an event's
    ("hold the summit in 2026", "2025-01-01", None),
    ("strengthen sports exchange and cooperation", "2024-12-25", None),
])
def test_the_years_of_the_events_an_action_names(text, date, expected):
    assert find_event_deadline(text, date) == expected


MEETING = ["President Biden will meet President Xi in San Francisco on Wednesday, November 15.",
           "It will be their first meeting in a year."]


@pytest.mark.parametrize("action, sentence, expected", [
    # an activity of the scheduled meeting takes its date
    ("discuss the management of competition", "The Leaders will discuss the management of competition.",
     "2023-11-15"),
    ("hold bilateral talks on the sidelines", "They will also hold bilateral talks on the sidelines.",
     "2023-11-15"),
    ("exchange comprehensive views", "The ministers will exchange comprehensive views.", "2023-11-15"),
    # a pledge that is not part of the meeting is never dated from context
    ("continue to promote trade", "Both countries will continue to promote trade.", None),
    ("address overcapacity", "They will address overcapacity.", None),
    # recurring or explicitly vague timing rules the inference out
    ("hold summits", "They will hold summits once a year.", None),
    ("visit China", "He will visit China at an appropriate time.", None),
])
def test_scheduled_event_deadline(action, sentence, expected):
    from commitments.pipeline.deadlines import scheduled_event_deadline
    before = sentence[:sentence.index(action)]
    assert scheduled_event_deadline(action, sentence, before, MEETING, "2023-11-10") == expected


def test_scheduled_event_deadline_needs_a_meeting_sentence_and_a_future_date():
    from commitments.pipeline.deadlines import scheduled_event_deadline
    action, sentence = "discuss trade", "The Leaders will discuss trade."
    # the earlier sentence names no meeting or visit: its date is not the event's
    assert scheduled_event_deadline(action, sentence, "The Leaders will ",
                                    ["Exports rose on Wednesday, November 15."], "2023-11-10") is None
    # a meeting already past at the document's date dates nothing
    assert scheduled_event_deadline(action, sentence, "The Leaders will ",
                                    ["They last met on November 15, 2022."], "2023-11-10") is None
    # a time expression earlier in the action's own sentence comes first
    assert scheduled_event_deadline(action, "On Friday the Leaders will discuss trade.", "On Friday the Leaders will ",
                                    MEETING, "2023-11-10") == "2023-11-10"
