"""Round trips FORMAT.md -> tool format -> FORMAT.md, and what each tool
format looks like where an annotator edits it."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))
from format_samples import TEXT, sample_document  # noqa: E402

from commitments.cli import main  # noqa: E402
from commitments.errors import InputError, UsageError  # noqa: E402
from commitments.io.formats import read_as, write_as  # noqa: E402
from commitments.model import Document, read_documents, write_jsonl  # noqa: E402

LOSSLESS = {"brat": "out", "labelstudio": "out.json", "prodigy": "out.jsonl",
            "doccano": "out.jsonl", "docbin": "out.spacy"}


def plain_document() -> Document:
    """No layer annotated except commitments, which is empty."""
    return Document(id="plain", text="Nothing is promised here.", commitments=[])


@pytest.mark.parametrize("fmt", sorted(LOSSLESS))
def test_round_trip_is_lossless(tmp_path, fmt):
    docs = [sample_document(), plain_document()]
    path = tmp_path / LOSSLESS[fmt]
    assert write_as(docs, path, fmt) == 2
    back = read_as(path, fmt)
    assert [d.to_dict() for d in back] == [d.to_dict() for d in docs]
    # the absent layers stay absent, the empty one stays empty
    assert back[1].segments is None and back[1].commitments == []


def test_conll_keeps_text_spans_and_tags_and_drops_the_rest(tmp_path):
    doc = sample_document()
    write_as([doc], tmp_path / "x.conll", "conll")
    back = read_as(tmp_path / "x.conll", "conll")[0]
    assert back.text == doc.text and back.id == doc.id and back.date == "2025-03-01"
    for layer in ("segments", "actors", "commitments"):
        assert [(r.start, r.end) for r in getattr(back, layer)] == \
               [(r.start, r.end) for r in getattr(doc, layer)]
    assert [s.kind for s in back.segments] == ["commentary", "consensus", "readout"]
    assert [a.type for a in back.actors] == ["state", "state", "collective", "person", "state"]
    assert [c.kind for c in back.commitments] == ["agreement", "agreement", "pledge"]
    # points list and items keep spans, status and labels; commitments find them by containment
    assert [(i.label, i.start, i.end) for i in back.points[0].items] == \
           [(i.label, i.start, i.end) for i in doc.points[0].items]
    assert back.points[0].status == "agreed"
    assert [(c.points, c.item) for c in back.commitments] == [("p1", "1"), ("p1", "2"), (None, None)]
    # dropped: holders, modality, deadline, keys, voice
    assert back.commitments[2].modality == "firm" and back.commitments[2].deadline is None
    assert all(c.holders == [] for c in back.commitments)
    assert all(a.key is None for a in back.actors)
    assert back.segments[2].voice is None and back.points[0].declared_count is None


def test_conll_columns(tmp_path):
    write_as([sample_document()], tmp_path / "x.conll", "conll")
    rows = [line.split("\t") for line in (tmp_path / "x.conll").read_text().splitlines()
            if line and not line.startswith("#")]
    assert all(len(r) == 7 for r in rows)
    assert rows[0][:3] == ["Ruritania", "B-commentary", "B-state"]
    kovacs = [r for r in rows if r[0] in ("Anna", "Kovacs")]
    assert [r[2] for r in kovacs] == ["B-person", "I-person"]


def test_brat_files_and_edits(tmp_path):
    out = tmp_path / "brat"
    write_as([sample_document()], out, "brat")
    assert sorted(p.name for p in out.iterdir()) == [
        "annotation.conf", "documents.jsonl", "test-doc_1.ann", "test-doc_1.txt"]
    conf = (out / "annotation.conf").read_text()
    assert "Modality Arg:Commitment, Value:firm|qualified" in conf
    assert "Holder Arg1:Commitment, Arg2:Actor" in conf
    ann = (out / "test-doc_1.ann").read_text()
    # the consensus segment crosses two line breaks: three fragments
    seg = next(line for line in ann.splitlines() if "\tSegment 51 " in line)
    assert seg.split("\t")[1].count(";") == 2
    # c3 (Ruritania's pledge) relates to the nearest earlier Ruritania mention
    tids = {line.split("\t")[2]: line.split("\t")[0] for line in ann.splitlines() if line.startswith("T")}
    c3 = tids["fund a joint laboratory by the end of 2027"]
    holder_lines = [line for line in ann.splitlines() if line.startswith("R") and f"Arg1:{c3} " in line]
    second_rur = next(line.split("\t")[0] for line in ann.splitlines()
                      if line.startswith("T") and line.split("\t")[1] == "Actor 211 220")
    assert holder_lines == [holder_lines[0]] and holder_lines[0].endswith(f"Arg2:{second_rur}")
    # an annotator switches c3's modality in brat
    ann = ann.replace(f"Modality {c3} qualified", f"Modality {c3} firm")
    (out / "test-doc_1.ann").write_text(ann)
    back = read_as(out, "brat")[0]
    assert back.commitment("c3").modality == "firm"
    assert back.commitment("c3").deadline == "2027"


def test_brat_without_metadata_file(tmp_path):
    (tmp_path / "d1.txt").write_text("China will host the summit.")
    (tmp_path / "d1.ann").write_text(
        "T1\tActor 0 5\tChina\nA1\tActorType T1 state\nT2\tCommitment 11 26\thost the summit\n"
        "R1\tHolder Arg1:T2 Arg2:T1\n#1\tAnnotatorNotes T1\t{\"key\": \"CHN\"}\n")
    doc = read_as(tmp_path, "brat")[0]
    assert doc.id == "d1" and doc.segments is None
    assert doc.actors[0].key == "CHN"
    # holders come from the Holder relation when no note gives them
    assert doc.commitments[0].holders == ["CHN"] and doc.commitments[0].kind == "pledge"
    assert doc.problems() == []


def test_labelstudio_tasks_use_utf16_offsets(tmp_path):
    write_as([sample_document()], tmp_path / "t.json", "labelstudio")
    tasks = json.loads((tmp_path / "t.json").read_text())
    assert tasks[0]["data"]["text"] == TEXT and "predictions" in tasks[0]
    result = tasks[0]["predictions"][0]["result"]
    last = [r for r in result if r["type"] == "labels" and r["value"]["labels"] == ["Segment"]][-1]
    assert last["value"]["end"] == len(TEXT) + 1  # the globe emoji is two UTF-16 units
    c3 = [r for r in result if r.get("id") == "c3"]
    assert {r["from_name"] for r in c3} >= {"label", "commitment_kind", "modality", "holders", "deadline"}
    assert next(r for r in c3 if r["from_name"] == "holders")["value"]["text"] == ["RUR"]
    assert any(r["type"] == "relation" and r["from_id"] == "c3" for r in result)
    config = (tmp_path / "t.label_config.xml").read_text()
    assert '<Choices name="modality"' in config and 'perRegion="true"' in config


def test_labelstudio_reviewed_annotation_wins(tmp_path):
    write_as([sample_document()], tmp_path / "t.json", "labelstudio")
    tasks = json.loads((tmp_path / "t.json").read_text())
    result = [dict(r) for r in tasks[0]["predictions"][0]["result"]]
    # the reviewer deletes c2, makes c3 firm and adds a commitment with only a holder relation
    result = [r for r in result if r.get("id") != "c2" and r.get("from_id") != "c2"]
    for r in result:
        if r.get("id") == "c3" and r["from_name"] == "modality":
            r["value"]["choices"] = ["firm"]
    start = TEXT.index("issued a joint statement")
    end = start + len("issued a joint statement")
    result.append({"id": "new1", "from_name": "label", "to_name": "text", "type": "labels",
                   "value": {"start": start, "end": end, "labels": ["Commitment"]}})
    result.append({"type": "relation", "from_id": "new1", "to_id": "a2", "labels": ["holder"]})
    tasks[0]["annotations"] = [{"result": result}]
    (tmp_path / "t.json").write_text(json.dumps(tasks))
    doc = read_as(tmp_path / "t.json", "labelstudio")[0]
    texts = [c.text for c in doc.commitments]
    assert "expand student exchanges" not in texts and doc.commitment("c3").modality == "firm"
    new = next(c for c in doc.commitments if c.text == "issued a joint statement")
    assert new.holders == ["FRE"] and new.kind == "pledge"
    assert len({c.id for c in doc.commitments}) == 3
    assert doc.problems() == []


def test_prodigy_spans_relations_and_rejected(tmp_path):
    path = tmp_path / "p.jsonl"
    write_as([sample_document(), plain_document()], path, "prodigy")
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    task = lines[0]
    assert task["meta"]["id"] == "test-doc/1"
    tokens = task["tokens"]
    for span in task["spans"]:
        assert tokens[span["token_start"]]["start"] == span["start"]
        assert tokens[span["token_end"]]["end"] == span["end"]
    rel = task["relations"][0]
    assert rel["label"] == "HOLDER" and rel["head_span"]["label"] == "COMMITMENT"
    assert rel["child_span"]["label"] == "ACTOR"
    lines[1]["answer"] = "reject"
    path.write_text("".join(json.dumps(x) + "\n" for x in lines))
    assert [d.id for d in read_as(path, "prodigy")] == ["test-doc/1"]


def test_doccano_sequence_labelling_export(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"id": 7, "text": "Japan will open a consulate.",
                                "label": [[0, 5, "Actor"], [11, 27, "Commitment"]]}) + "\n")
    doc = read_as(path, "doccano")[0]
    assert doc.id == "7" and doc.actors[0].text == "Japan"
    assert doc.commitments[0].text == "open a consulate" and doc.commitments[0].id == "c1"


def test_docbin_sets_pipeline_span_attributes():
    from commitments.io.formats.docbin import document_to_doc

    doc = document_to_doc(sample_document())
    coms = doc.spans["commitments"]
    assert [s._.holders for s in coms] == [["FRE", "RUR"], ["FRE", "RUR"], ["RUR"]]
    assert coms[2]._.modality == "qualified" and coms[0]._.item_label == "1"
    assert doc.spans["points"][0]._.point_items == [("1", 100, 154), ("2", 155, 183)]
    assert doc._.doc_id == "test-doc/1"


def test_registry_errors(tmp_path):
    with pytest.raises(UsageError):
        write_as([], tmp_path / "x", "excel")
    (tmp_path / "f.json").write_text("[]")
    with pytest.raises(InputError):
        read_as(tmp_path / "f.json", "brat")
    with pytest.raises(InputError):
        read_as(tmp_path / "missing.jsonl", "prodigy")
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(InputError):
        read_as(tmp_path / "bad.json", "labelstudio")


def test_convert_command_round_trip(tmp_path):
    src = tmp_path / "in.jsonl"
    write_jsonl([sample_document()], src)
    runner = CliRunner()
    res = runner.invoke(main, ["convert", str(src), "--to", "brat", "-o", str(tmp_path / "b")])
    assert res.exit_code == 0, res.output
    res = runner.invoke(main, ["convert", str(tmp_path / "b"), "--from", "brat",
                               "-o", str(tmp_path / "back.jsonl")])
    assert res.exit_code == 0, res.output
    assert read_documents(tmp_path / "back.jsonl")[0].to_dict() == sample_document().to_dict()
    res = runner.invoke(main, ["convert", str(src), "-o", str(tmp_path / "x.jsonl")])
    assert res.exit_code == 2 and "--to" in res.output


def test_seeds_gold_round_trip(tmp_path, seeds_gold):
    if not seeds_gold.exists():
        pytest.skip("corpora/gold/seeds.jsonl is not there yet")
    docs = read_documents(seeds_gold)
    for fmt, name in LOSSLESS.items():
        back = read_as(tmp_path / name if write_as(docs, tmp_path / name, fmt) else None, fmt)
        assert [d.to_dict() for d in back] == [d.to_dict() for d in docs], fmt


def test_tokens_reproduce_text_and_hit_every_boundary():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from commitments.io.formats._tokens import token_offsets, words_and_spaces

    @settings(max_examples=60, deadline=None)
    @given(st.text(alphabet=st.sampled_from(list("ab .,-\n\t(1)")), max_size=40), st.data())
    def check(text, data):
        cuts = data.draw(st.lists(st.integers(0, len(text)), max_size=6))
        offsets = token_offsets(text, cuts)
        words, spaces = words_and_spaces(text, offsets, cuts)
        assert "".join(w + (" " if s else "") for w, s in zip(words, spaces)) == text
        assert all(words)
        starts = [sum(len(w) + (1 if s else 0) for w, s in zip(words[:i], spaces[:i]))
                  for i in range(len(words) + 1)]
        assert set(cuts) <= set(starts) | {len(text)}

    check()


@pytest.mark.parametrize("fmt", ["doccano", "prodigy"])
def test_jsonl_export_with_a_malformed_line_names_its_place(tmp_path, fmt):
    path = tmp_path / "export.jsonl"
    good = json.dumps({"id": 1, "text": "Japan will open a consulate.", "label": []})
    if fmt == "prodigy":
        good = json.dumps({"text": "Japan will open a consulate.", "meta": {"id": "a"}})
    path.write_text(good + "\n{broken\n")
    with pytest.raises(InputError, match=r"export\.jsonl:2"):
        read_as(path, fmt)
