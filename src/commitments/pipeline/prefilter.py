"""Literal prefilters for regular expressions (docs/batch.md, "Performance").

Python's ``re`` tries a pattern that starts with an alternation or a word
boundary at every position of the text. Most cue patterns, though, cannot
match unless the text holds one of a few literal strings (``\\b(?:said|says)
\\b`` needs "said" or "says"). :func:`required_literals` works that set out
from the parsed pattern, and :class:`Prefiltered` runs the pattern only on a
text holding one of them: a few substring tests (``str.__contains__``, in C)
instead of a regex scan. The answer is always the pattern's own: the
prefilter only skips texts on which the pattern cannot match.

Case-insensitive patterns compare their lowercased literals with the
lowercased text, and only on ASCII text (``re`` folds some non-ASCII
characters onto ASCII letters: the long s, the Kelvin sign); a non-ASCII
text always goes to the pattern.
"""
from __future__ import annotations

import re
from itertools import product

try:  # Python >= 3.11
    from re import _constants as _c
    from re import _parser as _p
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

#: The largest set of strings a piece of pattern may expand to.
MAX_SET = 64
#: The largest character class expanded to its characters.
MAX_CLASS = 8
#: The shortest literal worth a prefilter: a one-character literal is in
#: nearly every text, so testing for it would only cost.
MIN_LEN = 2

_ZERO_WIDTH = {_c.AT, _c.ASSERT, _c.ASSERT_NOT}


def _class_chars(items) -> set[str] | None:
    """The characters of a character class, if it is a small plain one."""
    chars: set[str] = set()
    for op, av in items:
        if op is _c.LITERAL:
            chars.add(chr(av))
        elif op is _c.RANGE and av[1] - av[0] < MAX_CLASS:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        else:  # NEGATE, CATEGORY, large ranges
            return None
    return chars if len(chars) <= MAX_CLASS else None


def _exact(op, av) -> set[str] | None:
    """The strings one parsed item matches, if few and fixed; else None."""
    if op is _c.LITERAL:
        return {chr(av)}
    if op in _ZERO_WIDTH:
        return {""}
    if op is _c.IN:
        return _class_chars(av)
    if op is _c.SUBPATTERN:
        return None if av[1] or av[2] else _exact_seq(av[-1])
    if op is _c.BRANCH:
        out: set[str] = set()
        for alt in av[1]:
            sub = _exact_seq(alt)
            if sub is None:
                return None
            out |= sub
            if len(out) > MAX_SET:
                return None
        return out
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[1] == 1:
        body = _exact_seq(av[2])
        if body is None:
            return None
        return body if av[0] == 1 else body | {""}
    return None


def _exact_seq(seq) -> set[str] | None:
    out = {""}
    for op, av in seq:
        item = _exact(op, av)
        if item is None:
            return None
        out = {a + b for a, b in product(out, item)}
        if len(out) > MAX_SET:
            return None
    return out


def _better(a: set[str] | None, b: set[str] | None) -> set[str] | None:
    """The more selective of two required sets (longest shortest string)."""
    if a is None or "" in a:
        return None if b is None or "" in b else b
    if b is None or "" in b:
        return a
    key_a, key_b = (min(map(len, a)), -len(a)), (min(map(len, b)), -len(b))
    return a if key_a >= key_b else b


def _required(op, av) -> set[str] | None:
    """Strings one of which any match of a non-exact item holds; None if unknown."""
    if op is _c.SUBPATTERN:
        return None if av[1] or av[2] else _required_seq(av[-1])
    if op is _c.BRANCH:
        out: set[str] = set()
        for alt in av[1]:
            sub = _required_seq(alt)
            if sub is None or "" in sub:
                return None
            out |= sub
        return out
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)) and av[0] >= 1:
        return _required_seq(av[2])
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _required_seq(av)
    return None


def _required_seq(seq) -> set[str] | None:
    best: set[str] | None = None
    run: set[str] | None = {""}
    for op, av in list(seq) + [(None, None)]:
        item = _exact(op, av) if op is not None else None
        if item is not None and run is not None:
            joined = {a + b for a, b in product(run, item)}
            if len(joined) <= MAX_SET:
                run = joined
                continue
        best = _better(best, run)
        run = item if item is not None else {""}
        if op is not None and item is None:
            best = _better(best, _required(op, av))
    return best


def required_literals(pattern: re.Pattern) -> frozenset[str] | None:
    """Strings one of which every match of ``pattern`` contains, or None
    where no such small set is known. For a case-insensitive pattern the
    strings are lowercased (compare them with the lowercased text)."""
    if pattern.flags & re.VERBOSE or not isinstance(pattern.pattern, str):
        return None
    parsed = _p.parse(pattern.pattern, pattern.flags)
    found = _required_seq(parsed)
    if not found or "" in found:
        return None
    if pattern.flags & re.IGNORECASE:
        if not all(s.isascii() for s in found):
            return None
        found = {s.lower() for s in found}
    # a string holding a shorter one is implied by it
    kept = {s for s in found if not any(t != s and t in s for t in found)}
    return frozenset(kept)


class Prefiltered:
    """A compiled pattern that skips texts lacking its required literals.

    ``search``, ``match``, ``fullmatch`` and ``sub`` answer what the
    pattern's own methods answer. Other attributes are the
    pattern's.
    """

    __slots__ = ("regex", "literals", "folded", "pattern", "flags")

    def __init__(self, regex: re.Pattern):
        self.regex = regex
        self.pattern = regex.pattern
        self.flags = regex.flags
        self.literals = required_literals(regex)
        self.folded = bool(regex.flags & re.IGNORECASE)

    def may_match(self, text: str) -> bool:
        """False only where the pattern cannot match ``text``."""
        literals = self.literals
        if literals is None:
            return True
        if self.folded:
            if not text.isascii():
                return True
            text = text.lower()
        return any(map(text.__contains__, literals))

    # ``match`` and ``fullmatch`` only try one position, which costs less
    # than the literal test: they run the pattern as is. With ``pos`` or
    # ``endpos`` the caller scans one stretch of a longer text, where testing
    # the whole text would cost: the pattern runs as is too.
    def search(self, text: str, *args):
        return self.regex.search(text, *args) if args or self.may_match(text) else None

    def match(self, text: str, *args):
        return self.regex.match(text, *args)

    def fullmatch(self, text: str, *args):
        return self.regex.fullmatch(text, *args)

    def sub(self, repl, text: str, count: int = 0):
        return self.regex.sub(repl, text, count) if self.may_match(text) else text

    def __getattr__(self, name):
        if name in Prefiltered.__slots__ or name.startswith("__"):
            raise AttributeError(name)  # not yet set (as while unpickling): never recurse
        return getattr(self.regex, name)

    def __reduce__(self):
        return Prefiltered, (self.regex,)

    def __repr__(self) -> str:
        return f"Prefiltered({self.regex!r}, literals={sorted(self.literals or ())!r})"


def prefiltered(regex: re.Pattern) -> "Prefiltered | re.Pattern":
    """``regex`` with a literal prefilter, or ``regex`` itself where no
    required literal is known (the prefilter would only cost)."""
    if isinstance(regex, Prefiltered):
        return regex
    wrapped = Prefiltered(regex)
    if wrapped.literals is None or min(map(len, wrapped.literals)) < MIN_LEN:
        return regex
    return wrapped
