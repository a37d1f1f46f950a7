"""Texts for the simulated messages, from the vocabulary in ``vocab/*.yaml``.

The vocabulary (templates per message type and language, sector fillers,
names) lives in data files; this module only compiles templates once and fills
their slots. Consumer texts then get the noise real traffic has: lower case,
typos, dropped accents, elongated words, extra punctuation, emoji, hashtags
and links.
"""

from __future__ import annotations

import random
import string
import unicodedata
from functools import cache
from importlib import resources
from typing import Any

import yaml

TYPES = ("complaint", "question", "compliment", "other")
LANGS = ("nl", "en")
SECTOR_SLOTS = ("product", "place", "staff", "problem", "hashtag")
GENERIC_SLOTS = ("time", "duration", "amount", "emoji_pos", "emoji_neg", "first_name", "initials")


@cache
def load_vocabulary() -> dict[str, Any]:
    """All vocabulary files of the package, keyed by file stem."""
    folder = resources.files("engbench.simulate") / "vocab"
    vocab = {}
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".yaml"):
            vocab[entry.name[:-5]] = yaml.safe_load(entry.read_text(encoding="utf-8"))
    return vocab


class Template:
    """A template compiled into literal parts and slot names."""

    __slots__ = ("fields", "literals")

    def __init__(self, text: str):
        self.literals: list[str] = []
        self.fields: list[str | None] = []
        for literal, field, _, _ in string.Formatter().parse(text):
            self.literals.append(literal)
            self.fields.append(field)

    def fill(self, lookup) -> str:
        out = []
        for literal, field in zip(self.literals, self.fields, strict=True):
            out.append(literal)
            if field is not None:
                out.append(lookup(field))
        return "".join(out)


def _compile(items: list[str]) -> list[Template]:
    return [Template(t) for t in items]


class TextGenerator:
    """Fills templates deterministically from one seeded ``random.Random``."""

    def __init__(self, seed: int, vocabulary: dict[str, Any] | None = None):
        vocab = vocabulary or load_vocabulary()
        self.rng = random.Random(seed)
        self.consumer = {
            lang: {t: _compile(vocab["consumer"][lang][t]) for t in TYPES} for lang in LANGS
        }
        self.followup = {
            lang: {t: _compile(vocab["followup"][lang][t]) for t in TYPES} for lang in LANGS
        }
        self.reply = {
            lang: {t: _compile(vocab["org"]["reply"][lang][t]) for t in TYPES} for lang in LANGS
        }
        self.broadcasts = {lang: _compile(vocab["org"]["broadcast"][lang]) for lang in LANGS}
        self.chatter = {lang: _compile(vocab["chatter"][lang]) for lang in LANGS}
        self.sectors = vocab["sectors"]
        self.generic = vocab["generic"]
        self.names = vocab["names"]
        # context for the current message
        self._sector: dict[str, list[str]] = {}
        self._lang = "nl"
        self._brand = ""
        self._friend = ""
        self._first_name = ""

    # -- slots -------------------------------------------------------------------------
    def _lookup(self, field: str) -> str:
        rng = self.rng
        if field in SECTOR_SLOTS:
            return rng.choice(self._sector[field])
        if field == "first_name" and self._first_name:
            return self._first_name
        if field in GENERIC_SLOTS:
            options = self.generic[self._lang].get(field) or self.generic["nl"][field]
            return rng.choice(options)
        if field == "url":
            return "https://t.co/" + "".join(
                rng.choices(string.ascii_letters + string.digits, k=10)
            )
        if field == "ref":
            style = rng.random()
            if style < 0.4:
                return f"#{rng.randrange(1_000_000, 9_999_999)}"
            if style < 0.7:
                return f"{rng.choice(['NL', 'BK', 'OR'])}-{rng.randrange(10_000, 99_999)}"
            return str(rng.randrange(100_000_000, 999_999_999))
        if field == "brand":
            return self._brand
        if field == "friend":
            return self._friend
        raise KeyError(f"unknown slot {{{field}}} in the simulator's vocabulary")

    def _set_context(
        self, lang: str, sector: str, brand: str = "", friend: str = "", first_name: str = ""
    ) -> None:
        self._first_name = first_name
        self._lang = lang
        self._sector = self.sectors[sector][lang]
        self._brand = brand
        self._friend = friend

    # -- messages ---------------------------------------------------------------------
    def consumer_text(
        self, kind: str, message_type: str, lang: str, sector: str, brand: str, friend: str
    ) -> str:
        """``kind`` is ``consumer`` (opens a conversation) or ``followup``.

        ``friend`` is how a friend is tagged (an @handle on Twitter, a name on Facebook).
        """
        self._set_context(lang, sector, brand, friend)
        pool = (self.consumer if kind == "consumer" else self.followup)[lang][message_type]
        return self.noise(self.rng.choice(pool).fill(self._lookup), lang)

    def reply_text(
        self, answered_type: str, lang: str, sector: str, brand: str, first_name: str = ""
    ) -> str:
        """A webcare reply; ``first_name`` greets the consumer as agents do."""
        self._set_context(lang, sector, brand, first_name=first_name)
        return self.rng.choice(self.reply[lang][answered_type]).fill(self._lookup)

    def broadcast_text(self, lang: str, sector: str, brand: str) -> str:
        self._set_context(lang, sector, brand)
        return self.rng.choice(self.broadcasts[lang]).fill(self._lookup)

    def chatter_text(self, lang: str, sector: str, brand: str) -> str:
        self._set_context(lang, sector, brand)
        return self.noise(self.rng.choice(self.chatter[lang]).fill(self._lookup), lang)

    def person(self, lang: str) -> tuple[str, str]:
        """A fictional display name and a handle derived from it."""
        names = self.names[lang]
        first, last = self.rng.choice(names["first"]), self.rng.choice(names["last"])
        name = f"{first} {last}"
        base = _ascii(first + last.split()[-1]).lower()
        style = self.rng.random()
        if style < 0.35:
            handle = base[:12] + str(self.rng.randrange(1, 999))
        elif style < 0.6:
            handle = _ascii(first).lower() + "_" + _ascii(last.split()[-1][:1]).lower()
            handle += str(self.rng.randrange(10, 99))
        elif style < 0.8:
            handle = _ascii(first[:1] + last.split()[-1]).lower() + str(self.rng.randrange(70, 99))
        else:
            handle = _ascii(first).lower() + "x" + str(self.rng.randrange(100, 9999))
        return name, handle[:15]

    # -- noise ------------------------------------------------------------------------
    def noise(self, text: str, lang: str) -> str:
        rng = self.rng
        r = rng.random
        if r() < 0.25:
            text = text.lower()
        elif r() < 0.15 and text:
            text = text[0].lower() + text[1:]
        if r() < 0.12:
            text = _ascii(text)
        if r() < 0.18:
            text = _typo(text, rng)
        if r() < 0.06:
            text = _elongate(text, rng)
        if r() < 0.08:
            text = text.rstrip(".") + rng.choice(["!!", "!!!", "??", "?!", "..."])
        if r() < 0.10:
            emoji = self.generic[lang].get("emoji_neg" if r() < 0.5 else "emoji_pos") or ["🙂"]
            text = f"{text} {rng.choice(emoji)}"
        if r() < 0.05 and self._sector:
            text = f"{text} {rng.choice(self._sector['hashtag'])}"
        if r() < 0.04:
            text = f"{text} {self._lookup('url')}"
        if r() < 0.03:
            text = text.upper()
        return " ".join(text.split())


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _typo(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) > 3 and w.isalpha()]
    if not candidates:
        return text
    i = rng.choice(candidates)
    w = words[i]
    j = rng.randrange(len(w) - 1)
    kind = rng.random()
    if kind < 0.5:
        w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]  # swap two letters
    elif kind < 0.8:
        w = w[:j] + w[j + 1 :]  # drop a letter
    else:
        w = w[:j] + w[j] + w[j:]  # double a letter
    words[i] = w
    return " ".join(words)


def _elongate(text: str, rng: random.Random) -> str:
    vowels = [i for i, c in enumerate(text) if c in "aeiouAEIOU"]
    if not vowels:
        return text
    i = rng.choice(vowels)
    return text[: i + 1] + text[i] * rng.randrange(2, 5) + text[i + 1 :]
