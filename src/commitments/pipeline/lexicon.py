"""The actor lexicon: states, officials and organisations as data.

Three packaged files under ``commitments/resources/actors/``:

- ``lexicon.jsonl``: one person or organisation a line, ``{"name", "type",
  "country", "variants", "role", "years", "party"}``. ``name`` is the key
  written into annotations; ``variants`` are other spellings matched in text.
- ``states.json``: state aliases beyond pycountry, article forms ("the
  United States"), demonyms, capitals, names that are not actors.
- ``patterns.json``: cue words (titles, collective nouns, modifier heads ...).

Users extend the lexicon with their own JSONL file in the same shape (see
``docs/pipeline-segments-actors.md``).
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable

from ..errors import InputError
from ..packaged import resource_json, resource_text

LEXICON_TYPES = ("person", "organization", "state")
_ENTRY_KEYS = {"name", "type", "country", "variants", "role", "years", "party"}


@dataclass(frozen=True)
class LexiconEntry:
    """One known actor: ``name`` is its key; ``variants`` other spellings."""

    name: str
    type: str
    country: str | None = None
    variants: tuple[str, ...] = ()
    role: str = ""
    years: str = ""
    party: bool = False  # an organisation that acts as a party (ASEAN, EU)

    def to_dict(self) -> dict:
        out = asdict(self)
        out["variants"] = list(self.variants)
        if not self.party:
            out.pop("party")
        return out

    @property
    def forms(self) -> tuple[str, ...]:
        """Every spelling matched in text (the name first)."""
        return (self.name, *self.variants)


def entry_from_dict(data: dict, where: str = "lexicon") -> LexiconEntry:
    """Validate one lexicon record (unknown keys and bad types are rejected)."""
    if not isinstance(data, dict):
        raise InputError(f"{where}: expected a JSON object")
    unknown = set(data) - _ENTRY_KEYS
    if unknown:
        raise InputError(f"{where}: unknown key(s) {', '.join(sorted(unknown))} "
                         f"(allowed: {', '.join(sorted(_ENTRY_KEYS))})")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InputError(f"{where}: 'name' must be a non-empty string")
    kind = data.get("type")
    if kind not in LEXICON_TYPES:
        raise InputError(f"{where}: 'type' must be one of {', '.join(LEXICON_TYPES)}, got {kind!r}")
    country = data.get("country")
    if country is not None and not (isinstance(country, str) and len(country) == 3 and country.isupper()):
        raise InputError(f"{where}: 'country' must be an ISO 3166-1 alpha-3 code or null, got {country!r}")
    variants = data.get("variants", [])
    if not isinstance(variants, list) or not all(isinstance(v, str) and v.strip() for v in variants):
        raise InputError(f"{where}: 'variants' must be a list of strings")
    return LexiconEntry(name=name.strip(), type=kind, country=country,
                        variants=tuple(v.strip() for v in variants),
                        role=str(data.get("role", "") or ""), years=str(data.get("years", "") or ""),
                        party=bool(data.get("party", False)))


def parse_lexicon(text: str, source: str = "lexicon") -> list[LexiconEntry]:
    """Entries of a JSONL lexicon given as text."""
    out = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{source}:{lineno}: malformed JSON: {exc.msg}") from None
        out.append(entry_from_dict(data, f"{source}:{lineno}"))
    return out


def read_lexicon(path: str | Path) -> list[LexiconEntry]:
    """Entries of a JSONL lexicon file."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such lexicon file")
    return parse_lexicon(path.read_text(encoding="utf-8"), str(path))


def dump_lexicon(entries: Iterable[LexiconEntry]) -> str:
    return "".join(json.dumps(e.to_dict(), ensure_ascii=False) + "\n" for e in entries)


def default_lexicon() -> list[LexiconEntry]:
    return parse_lexicon(resource_text("actors", "lexicon.jsonl"), "actors/lexicon.jsonl")


def default_states() -> dict:
    return resource_json("actors", "states.json")


def default_patterns() -> dict:
    return resource_json("actors", "patterns.json")


@dataclass
class StateNames:
    """Every name of a state the toolkit matches, with its ISO3 code."""

    names: dict[str, str] = field(default_factory=dict)
    article_forms: set[str] = field(default_factory=set)
    demonyms: dict[str, str] = field(default_factory=dict)
    capitals: dict[str, str] = field(default_factory=dict)
    not_actors: list[str] = field(default_factory=list)
    official_names: dict[str, str] = field(default_factory=dict)
    ministry_keys: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, data: dict) -> "StateNames":
        """pycountry's names (short, official, common) plus ``data`` (states.json)."""
        import pycountry

        names: dict[str, str] = {}
        for country in pycountry.countries:
            for attr in ("name", "official_name", "common_name"):
                value = getattr(country, attr, None)
                if value and "," not in value and "(" not in value:
                    names.setdefault(value, country.alpha_3)
        names.update(data.get("aliases", {}))
        return cls(names=names, article_forms=set(data.get("article_forms", [])),
                   demonyms=dict(data.get("demonyms", {})), capitals=dict(data.get("capitals", {})),
                   not_actors=list(data.get("not_actors", [])),
                   official_names=dict(data.get("official_names", {})),
                   ministry_keys=dict(data.get("ministry_keys", {})))

    def ministry_key(self, iso3: str) -> str:
        """Key of a state's foreign ministry ('Ministry of Foreign Affairs of Japan')."""
        if iso3 in self.ministry_keys:
            return self.ministry_keys[iso3]
        name = self.official_names.get(iso3)
        if name is None:
            import pycountry

            country = pycountry.countries.get(alpha_3=iso3)
            name = getattr(country, "common_name", None) or getattr(country, "name", iso3) if country else iso3
        return f"Ministry of Foreign Affairs of {name}"
