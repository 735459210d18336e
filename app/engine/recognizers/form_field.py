"""``kind: form_field`` — ``Label: value`` rows of forms (spec §3.17).

Government forms (sơ yếu lý lịch, tờ khai, danh sách) carry personal data as
``Số CCCD: …``, ``Giới tính: Nam``, ``Dân tộc: Kinh``. The label decides the type, so the
value is redacted whatever its shape (a mistyped ID is still an ID). Labels are matched
on the folded copy, so ``So CCCD:`` and ``SỐ CCCD:`` work too. A value runs to the end of
the line, cell or clause, or to the next label on the same line ("Giới tính: Nam  Dân tộc:
Kinh"). Fields whose ``shape`` is ``id`` take only the first ID-like token.

Options (YAML): ``fields``: list of {labels, entity, label, shape: id|text};
``stop_labels``: labels that only end a value (``Fax``, ``Website``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

import regex

from ..textutil import Anchored, fold, fold_phrase
from .base import RuleRecognizer, Span, register

_COLON = regex.compile("[:：]")
_LABEL_WINDOW = 90


class _Label(NamedTuple):
    start: int
    end: int  # just past the colon
    name: str


_ID_VALUE = regex.compile(r"[\p{L}\d][\p{L}\d.\- /]*[\p{L}\d]|[\p{L}\d]")
_VALUE_END = regex.compile(r"[\n\t|;]")
_HAS_CONTENT = regex.compile(r"[\p{L}\d]")
_URL = regex.compile(r"[A-Za-z][A-Za-z0-9+.\-]{1,15}://")
# Sensitive data (Decree 356 Art. 4): redacted and the user is told.
_SENSITIVE = frozenset({"VN_SENSITIVE_FIELD"})
_FILLER = regex.compile(r"^[\s.…_\-–—:*x/]*$", regex.IGNORECASE)


@register("form_field")
class FormFieldRule(RuleRecognizer):
    OPTIONS = frozenset({"fields", "stop_labels"})

    def setup(self) -> None:
        from ..rules import RulePackError

        self._fields: dict[str, tuple[str, str, str]] = {}
        fields = self.rule.options.get("fields") or []
        if not isinstance(fields, list) or not fields:
            raise RulePackError(f"{self.rule.source}: option 'fields' must be a non-empty list")
        for index, field in enumerate(fields):
            where = f"{self.rule.source} field #{index + 1}"
            if not isinstance(field, dict) or not {"labels", "entity", "label"} <= set(field):
                raise RulePackError(f"{where}: needs labels, entity and label")
            unknown = set(field) - {"labels", "entity", "label", "shape"}
            if unknown:
                raise RulePackError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
            shape = field.get("shape", "text")
            if shape not in ("id", "text"):
                raise RulePackError(f"{where}: shape must be 'id' or 'text'")
            for label in field["labels"]:
                self._fields[fold_phrase(label).strip()] = (field["entity"], field["label"], shape)
        self.supported_entities = sorted({entity for entity, _, _ in self._fields.values()})
        stops = [fold_phrase(s).strip() for s in self.rule.options.get("stop_labels") or []]
        names = sorted(set(self._fields) | set(stops), key=len, reverse=True)
        body = "|".join(regex.escape(n).replace(r"\ ", r"\s+") for n in names)
        # Labels are found freely (one alternation, cheap), then ``_starts_field`` checks
        # that each one opens a line, a cell or a clause, or sits after an aligned gap
        # ("Giới tính: Nam   Dân tộc: Kinh"). An optional bracketed note may sit between
        # the label and its colon: "Số CCCD (hoặc CMND):".
        # Anchored at the end of a short window before each colon: colons are rare, so
        # the label alternation runs on a few dozen characters per colon, not everywhere.
        self._label = regex.compile(
            rf"(?<![\p{{L}}\d])(?P<name>{body})\s*(?:\([^)\n]{{0,40}}\))?\s*\Z")
        # Each word of a label is a whole word of the text: a text without all the words
        # of some label is skipped without looking at its colons.
        self._labels = Anchored(self._label, names, words="whole")

    def find(self, text: str) -> Iterator[Span]:
        folded = fold(text)
        if self._labels.absent(folded):
            return
        matches = []
        for colon in _COLON.finditer(folded):
            found = self._label.search(folded, max(0, colon.start() - _LABEL_WINDOW), colon.start())
            if found is not None and _starts_field(folded, found.start()):
                matches.append(_Label(found.start(), colon.end(), found.group("name")))
        for index, match in enumerate(matches):
            field = self._fields.get(" ".join(match.name.split()))
            if field is None:
                continue  # a stop label
            entity, label, shape = field
            start = match.end
            limit = matches[index + 1].start if index + 1 < len(matches) else len(text)
            stop = _VALUE_END.search(text, start, limit)
            end = stop.start() if stop else limit
            value = text[start:end]
            if not _HAS_CONTENT.search(value) or _FILLER.match(value):
                continue
            lead = len(value) - len(value.lstrip())
            start += lead
            if _URL.match(text, start):
                continue  # "Zalo: https://zalo.me/09…": the link's own rules read it
            if shape == "id":
                token = _ID_VALUE.match(text, start, end)
                # An ID has digits (an e-mail its "@"): "Điện thoại: Email" in a header
                # row, "Số CCCD: Chưa có" hold none.
                if token is None or not any(ch.isdigit() or ch == "@" for ch in token.group()):
                    continue
                end = token.end()
            else:
                end = start + len(text[start:end].rstrip(" ,.\t"))
            if end > start:
                yield Span(start, end, reason=f"form:{match.name}", has_context=True,
                           entity=entity, label=label, notify=entity in _SENSITIVE)


def _starts_field(folded: str, start: int) -> bool:
    pos = start
    while pos > 0 and folded[pos - 1] in " \t*•-":
        pos -= 1
    if pos == 0 or folded[pos - 1] in "\n\t|;,(–—":
        return True
    gap = start - pos
    return gap >= 2 or (gap >= 1 and folded[pos - 1] in ".:")
