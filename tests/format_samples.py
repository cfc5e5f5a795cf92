"""A small hand-written document with every layer and attribute set, shared
by the format and display tests."""
from __future__ import annotations

from commitments.model import ActorMention, Commitment, Document, PointItem, PointsList, Segment

TEXT = (
    "Ruritania and Freedonia issued a joint statement.\n\n"
    "Both sides agreed on the following three points:\n"
    "1. hold the next ministerial meeting in Tokyo in 2026;\n"
    "2. expand student exchanges.\n\n"
    "Minister Anna Kovacs said Ruritania is willing to fund a joint "
    "laboratory by the end of 2027 \u2014 an \U0001F30D first."
)


def find(sub: str, start: int = 0) -> tuple[int, int]:
    i = TEXT.index(sub, start)
    return i, i + len(sub)


def sample_document() -> Document:
    """Five layers, attributes of every kind, a span across a line break,
    a non-BMP character (Label Studio counts UTF-16 units) and extras."""
    p1 = TEXT.index("\n\n") + 2
    p3 = TEXT.index("Minister")
    rur = find("Ruritania")
    fre = find("Freedonia")
    both = find("Both sides")
    kov = find("Anna Kovacs")
    rur2 = find("Ruritania", p3)
    list_start = TEXT.index("1. hold")
    list_end = TEXT.index("exchanges.") + len("exchanges.")
    item1 = (list_start, TEXT.index("2026;") + len("2026;"))
    item2 = (TEXT.index("2. expand"), list_end)
    c1 = find("hold the next ministerial meeting in Tokyo in 2026")
    c2 = find("expand student exchanges")
    c3 = find("fund a joint laboratory by the end of 2027")
    return Document(
        id="test-doc/1", text=TEXT, date="2025-03-01", title="A test", source="https://example.org/x",
        genre="joint_statement",
        segments=[
            Segment(0, p1 - 2, "commentary"),
            Segment(p1, list_end, "consensus", None, None),
            Segment(p3, len(TEXT), "readout", "RUR", "Freedonia News", extra={"note": "lead-in"}),
        ],
        actors=[
            ActorMention(*rur, "Ruritania", "state", "RUR", "RUR"),
            ActorMention(*fre, "Freedonia", "state", "FRE", "FRE"),
            ActorMention(*both, "Both sides", "collective", "FRE+RUR", None),
            ActorMention(*kov, "Anna Kovacs", "person", "Anna Kovacs", "RUR"),
            ActorMention(*rur2, "Ruritania", "state", "RUR", "RUR"),
        ],
        commitments=[
            Commitment("c1", *c1, TEXT[c1[0]:c1[1]], "agreement", ["FRE", "RUR"], "firm", "2026",
                       "p1", "1", extra={"trigger": "agreed", "score": 0.9}),
            Commitment("c2", *c2, TEXT[c2[0]:c2[1]], "agreement", ["FRE", "RUR"], "firm", None, "p1", "2"),
            Commitment("c3", *c3, TEXT[c3[0]:c3[1]], "pledge", ["RUR"], "qualified", "2027"),
        ],
        points=[PointsList("p1", list_start, list_end, "agreed", 3,
                           [PointItem("1", *item1), PointItem("2", *item2)])],
        extra={"warnings": ["points p1 declares 3 items, 2 found"]},
    )
