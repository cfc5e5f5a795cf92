"""Label Studio tasks JSON, for pre-annotation and review.

Each document is a task ``{"data": {"text", "meta"}, "predictions": [...]}``
(or ``"annotations"``). Its result list holds, per span, one ``labels``
region (from ``label``: ``Segment``, ``Actor``, ``Points``, ``PointItem``,
``Commitment``) and, under the same region id, per-region ``choices``
(segment kind, actor type, points status, commitment kind and modality) and
``textarea`` results (voice, reporter, actor key and country, holders,
deadline, declared count, item label, and ``attrs``: the remaining
attributes as JSON); holder relations are ``relation`` results from the
commitment region to an actor region.

Label Studio counts offsets in UTF-16 code units (JavaScript strings); they
are converted from and to Python's code points here. :func:`label_config`
gives the labeling interface these tasks expect (written next to the file as
``<name>.label_config.xml``).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ... import __version__
from ...errors import InputError
from ...model import ACTOR_TYPES, COMMITMENT_KINDS, MODALITIES, POINTS_STATUSES, SEGMENT_KINDS, Document
from ._flat import HOLDER, LABELS, LAYER_OF_LABEL, Flat, Relation, Span, flatten, unflatten

TO_NAME = "text"
LABEL_CONTROL = "label"
#: per-region choices: control name -> (layer, attribute, values)
CHOICES = {
    "segment_kind": ("segments", "kind", SEGMENT_KINDS),
    "actor_type": ("actors", "type", ACTOR_TYPES),
    "points_status": ("points", "status", POINTS_STATUSES),
    "commitment_kind": ("commitments", "kind", COMMITMENT_KINDS),
    "modality": ("commitments", "modality", MODALITIES),
}
#: per-region text areas: control name -> (layer, attribute, how the value is written)
TEXTAREAS = {
    "voice": ("segments", "voice", "str"),
    "reporter": ("segments", "reporter", "str"),
    "actor_key": ("actors", "key", "str"),
    "actor_country": ("actors", "country", "str"),
    "holders": ("commitments", "holders", "list"),
    "deadline": ("commitments", "deadline", "str"),
    "declared_count": ("points", "declared_count", "int"),
    "item_label": ("point_items", "label", "str"),
}
ATTRS_CONTROL = "attrs"


# ---------------------------------------------------------------- offsets
def utf16_offsets(text: str) -> list[int]:
    """``table[i]`` = UTF-16 offset of code point ``i`` (``len(text) + 1`` entries)."""
    table, pos = [0], 0
    for ch in text:
        pos += 2 if ord(ch) > 0xFFFF else 1
        table.append(pos)
    return table


def from_utf16(table: list[int], offset: int) -> int:
    import bisect

    i = bisect.bisect_left(table, offset)
    return min(i, len(table) - 1)


# ---------------------------------------------------------------- config
def label_config() -> str:
    """The Label Studio labeling interface (XML) for these tasks."""
    colours = {"Segment": "#d9e4f5", "Actor": "#9ad0a6", "Points": "#f5dfb0",
               "PointItem": "#e8c7f0", "Commitment": "#f59c9c"}
    out = ["<View>", '  <Relations>', '    <Relation value="holder"/>', '  </Relations>',
           f'  <Labels name="{LABEL_CONTROL}" toName="{TO_NAME}">']
    out += [f'    <Label value="{label}" background="{colours[label]}"/>' for label in LABELS.values()]
    out += ["  </Labels>", f'  <Text name="{TO_NAME}" value="$text"/>']
    for name, (layer, _attr, values) in CHOICES.items():
        out.append(f'  <Choices name="{name}" toName="{TO_NAME}" perRegion="true" '
                   f'visibleWhen="region-selected" whenLabelValue="{LABELS[layer]}">')
        out += [f'    <Choice value="{v}"/>' for v in values]
        out.append("  </Choices>")
    for name, (layer, _attr, how) in TEXTAREAS.items():
        limit = "" if how == "list" else 'maxSubmissions="1" '
        out.append(f'  <TextArea name="{name}" toName="{TO_NAME}" perRegion="true" {limit}'
                   f'editable="true" visibleWhen="region-selected" whenLabelValue="{LABELS[layer]}" '
                   f'placeholder="{name}"/>')
    out.append(f'  <TextArea name="{ATTRS_CONTROL}" toName="{TO_NAME}" perRegion="true" '
               'maxSubmissions="1" editable="true" visibleWhen="region-selected" placeholder="attrs (JSON)"/>')
    out.append("</View>")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- writing
def _write_value(value: Any, how: str) -> list[str]:
    if how == "list":  # one entry per holder (keys may contain spaces)
        return [str(v) for v in value or []]
    return ["" if value is None else str(value)]


def task_results(flat: Flat) -> list[dict[str, Any]]:
    table = utf16_offsets(flat.text)
    results: list[dict[str, Any]] = []
    for span in flat.spans:
        rid = span.key
        where = {"start": table[span.start], "end": table[span.end]}
        results.append({"id": rid, "from_name": LABEL_CONTROL, "to_name": TO_NAME, "type": "labels",
                        "value": {**where, "text": flat.text[span.start:span.end],
                                  "labels": [span.label]}})
        attrs = dict(span.attrs)
        for name, (layer, attr, _values) in CHOICES.items():
            if layer == span.layer and attrs.get(attr) is not None:
                results.append({"id": rid, "from_name": name, "to_name": TO_NAME, "type": "choices",
                                "value": {**where, "choices": [attrs.pop(attr)]}})
        for name, (layer, attr, how) in TEXTAREAS.items():
            if layer == span.layer and attr in attrs:
                value = attrs.pop(attr)
                if value is None or value == []:
                    continue
                results.append({"id": rid, "from_name": name, "to_name": TO_NAME, "type": "textarea",
                                "value": {**where, "text": _write_value(value, how)}})
        if span.layer == "commitments":
            # an empty holders list is a value: keep it explicit in attrs
            if span.attrs.get("holders") == []:
                attrs["holders"] = []
        if attrs:
            results.append({"id": rid, "from_name": ATTRS_CONTROL, "to_name": TO_NAME, "type": "textarea",
                            "value": {**where, "text": [json.dumps(attrs, ensure_ascii=False)]}})
    for rel in flat.relations:
        results.append({"from_id": rel.head, "to_id": rel.child, "type": "relation",
                        "direction": "right", "labels": [rel.label]})
    return results


def to_task(doc: Document, as_annotations: bool = False) -> dict[str, Any]:
    flat = flatten(doc)
    body = {"result": task_results(flat)}
    task: dict[str, Any] = {"data": {"text": doc.text, "meta": flat.meta}}
    if as_annotations:
        task["annotations"] = [body]
    else:
        task["predictions"] = [{"model_version": f"commitments {__version__}", **body}]
    return task


def write(documents: list[Document], path: Path, as_annotations: bool = False) -> int:
    tasks = [to_task(d, as_annotations) for d in documents]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(tasks, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    config = path.with_name(path.stem + ".label_config.xml")
    config.write_text(label_config(), encoding="utf-8")
    return len(tasks)


# ---------------------------------------------------------------- reading
def _read_value(entries: list[str], how: str) -> Any:
    if how == "list":  # one holder per entry or line; ';' also separates
        return sorted({part.strip() for entry in entries for line in str(entry).splitlines()
                       for part in line.split(";") if part.strip()})
    text = "\n".join(str(e) for e in entries).strip()
    if how == "int":
        try:
            return int(text) if text else None
        except ValueError:
            return None
    return text or None


def from_task(task: dict[str, Any], index: int, where: str) -> Document:
    data = task.get("data") or {}
    text = data.get("text")
    if not isinstance(text, str):
        raise InputError(f"{where}: task {index} has no data.text")
    meta = dict(data.get("meta") or {})
    meta.setdefault("id", str(task.get("id", f"task{index}")))
    table = utf16_offsets(text)
    # the reviewer's latest annotation wins over the model's predictions
    annotations = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
    chosen = annotations[-1] if annotations else (task.get("predictions") or [None])[0]
    results = (chosen or {}).get("result") or []
    spans: dict[str, Span] = {}
    extra: dict[str, dict] = {}
    relations = []
    for res in results:
        kind = res.get("type")
        if kind == "relation":
            relations.append(Relation(str(res.get("from_id")), str(res.get("to_id")),
                                      (res.get("labels") or [HOLDER])[0]))
            continue
        rid = str(res.get("id"))
        value = res.get("value") or {}
        if kind == "labels":
            label = (value.get("labels") or [None])[0]
            if label not in LAYER_OF_LABEL:
                continue
            start, end = from_utf16(table, value["start"]), from_utf16(table, value["end"])
            spans[rid] = Span(rid, LAYER_OF_LABEL[label], start, end)
        elif kind == "choices" and res.get("from_name") in CHOICES:
            _layer, attr, _values = CHOICES[res["from_name"]]
            if value.get("choices"):
                extra.setdefault(rid, {})[attr] = value["choices"][0]
        elif kind == "textarea":
            content = "\n".join(value.get("text") or [])
            name = res.get("from_name")
            if name == ATTRS_CONTROL:
                try:
                    loaded = json.loads(content) if content.strip() else {}
                except json.JSONDecodeError:
                    raise InputError(f"{where}: task {index}: region {rid} has attrs that are not "
                                     "JSON") from None
                for k, v in loaded.items():
                    extra.setdefault(rid, {}).setdefault(k, v)
            elif name in TEXTAREAS:
                _layer, attr, how = TEXTAREAS[name]
                extra.setdefault(rid, {})[attr] = _read_value(value.get("text") or [], how)
    for rid, span in spans.items():
        for attr, value in extra.get(rid, {}).items():
            span.attrs[attr] = value
    relations = [r for r in relations if r.head in spans and r.child in spans]
    return unflatten(Flat(text=text, meta=meta, spans=list(spans.values()), relations=relations))


def read(path: Path) -> list[Document]:
    try:
        tasks = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not Label Studio JSON ({exc.msg}, line {exc.lineno})") from None
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        raise InputError(f"{path}: expected a list of Label Studio tasks")
    return [from_task(t, i, str(path)) for i, t in enumerate(tasks, 1)]
