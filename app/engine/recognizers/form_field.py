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

import regex

from ..textutil import fold, fold_phrase
from .base import RuleRecognizer, Span, register

_ID_VALUE = regex.compile(r"[\p{L}\d][\p{L}\d.\- /]*[\p{L}\d]|[\p{L}\d]")
_VALUE_END = regex.compile(r"[\n\t|;]")
_HAS_CONTENT = regex.compile(r"[\p{L}\d]")
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
        # A label starts a line, a cell or follows a separator; a colon ends it (an
        # optional bracketed note may sit between: "Số CCCD (hoặc CMND):").
        self._label = regex.compile(
            rf"(?:(?<=^|[\n\t|;,(])|(?<=\s\s)|(?<=[.]\s)|(?<=^\s))[ \t*•\-]*(?P<name>{body})"
            rf"\s*(?:\([^)\n]{{0,40}}\))?\s*[:：]",
            regex.MULTILINE,
        )

    def find(self, text: str) -> Iterator[Span]:
        folded = fold(text)
        matches = list(self._label.finditer(folded))
        for index, match in enumerate(matches):
            field = self._fields.get(" ".join(match.group("name").split()))
            if field is None:
                continue  # a stop label
            entity, label, shape = field
            start = match.end()
            limit = matches[index + 1].start() if index + 1 < len(matches) else len(text)
            stop = _VALUE_END.search(text, start, limit)
            end = stop.start() if stop else limit
            value = text[start:end]
            if not _HAS_CONTENT.search(value) or _FILLER.match(value):
                continue
            lead = len(value) - len(value.lstrip())
            start += lead
            if shape == "id":
                token = _ID_VALUE.match(text, start, end)
                if token is None:
                    continue
                end = token.end()
            else:
                end = start + len(text[start:end].rstrip(" ,.\t"))
            if end > start:
                yield Span(start, end, reason=f"form:{match.group('name')}", has_context=True,
                           entity=entity, label=label, notify=entity in _SENSITIVE)
