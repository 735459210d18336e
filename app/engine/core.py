"""The engine: rule pack -> Presidio analyzer -> findings -> redaction.

``Engine.analyze(text)`` returns findings on the caller's text; ``Engine.redact(text)``
turns them into a ``Redaction`` (verdict, redacted text, placeholder map). Everything the
desktop, document and CLI layers do goes through these two calls.
"""

from __future__ import annotations

import bisect
import gc
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import regex
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, RecognizerResult
from presidio_analyzer.nlp_engine import NoOpNlpEngine

from . import recognizers as _recognizers  # noqa: F401  (registers the built-in kinds)
from .context import PhraseWindowEnhancer
from .model import BLOCK, REDACT, WARN, Finding, PlaceholderMap, Redaction, Verdict, canonical_value
from .normalize import normalize
from .recognizers.base import CALLER_CONTEXT, KINDS, THRESHOLD
from .redact import apply_findings
from .resolve import resolve_overlaps
from .rules import DEFAULT_PRIORITY, Rule, RulePack, RulePackError, default_pack_dir, load_pack
from .suppress import Suppressor
from .textutil import analysis_memo, fold_phrase
from .validators import VALIDATORS

LANGUAGE = "vi"


@dataclass
class Policy:
    """What IT policy or user settings change in the engine, without editing a pack.

    ``actions`` overrides a rule's action per entity (e.g. VN_INTERNAL_MARK: block);
    ``disabled`` entities are not reported (ignored when listed in ``required``);
    ``allow`` values are never redacted (the agency's own tax code, public officials).
    """

    actions: dict[str, str] = field(default_factory=dict)
    disabled: set[str] = field(default_factory=set)
    required: set[str] = field(default_factory=set)
    allow: list[str] = field(default_factory=list)


class _Analyzer(AnalyzerEngine):
    """Presidio's engine with a few seams changed for per-call cost:

    - per-recognizer context hooks are not used here (context is ours, phrase-based), so
      skip the pass that splits all results by recognizer for each recognizer
      (O(recognizers x results));
    - the supported entities are listed once: the registry is complete when the engine
      is built (Presidio lists them again on every call);
    - the no-op NLP engine's artifacts are empty whatever the text: built once.
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._entities: dict[tuple, list[str]] = {}
        self.empty_artifacts = self.nlp_engine.process_text("", LANGUAGE)

    def get_supported_entities(self, language: str | None = None) -> list[str]:
        key = (language, len(self.registry.recognizers))
        if key not in self._entities:
            self._entities[key] = super().get_supported_entities(language)
        return list(self._entities[key])

    def _enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers,
                               context=None):
        return self.context_aware_enhancer.enhance_using_context(
            text=text, raw_results=raw_results, nlp_artifacts=nlp_artifacts,
            recognizers=recognizers, context=context)


class Engine:
    def __init__(self, packs: Sequence[RulePack], policy: Policy | None = None) -> None:
        if not packs:
            raise RulePackError("no rule pack to build the engine from")
        self.packs = list(packs)
        self.policy = policy or Policy()
        self.rules: dict[str, Rule] = {}
        registry = RecognizerRegistry(supported_languages=[LANGUAGE])
        for pack in self.packs:
            for rule in pack.rules:
                if rule.id in self.rules:
                    raise RulePackError(f"{rule.source}: rule id '{rule.id}' also in another pack")
                kind = KINDS.get(rule.kind)
                if kind is None:
                    raise RulePackError(f"{rule.source}: unknown recognizer kind '{rule.kind}'")
                self.rules[rule.id] = rule
                registry.add_recognizer(kind(rule))
        self._analyzer = _Analyzer(
            registry=registry,
            nlp_engine=NoOpNlpEngine(models=[{"lang_code": LANGUAGE, "model_name": "no_op"}]),
            supported_languages=[LANGUAGE],
            context_aware_enhancer=PhraseWindowEnhancer(self.rules),
        )
        allow = [a for pack in self.packs for a in pack.allow] + list(self.policy.allow)
        self._allow = {canonical_value("", a) for a in allow}
        self._suppressor = Suppressor()

    # -- construction ---------------------------------------------------------------
    @classmethod
    def from_folders(cls, folders: Iterable[str | Path], policy: Policy | None = None) -> Engine:
        kinds, validators = set(KINDS), set(VALIDATORS)
        packs = [load_pack(f, known_kinds=kinds, known_validators=validators) for f in folders]
        return cls(packs, policy)

    @property
    def version(self) -> str:
        return ", ".join(f"{p.id} {p.version}" for p in self.packs)

    # -- analysis -------------------------------------------------------------------
    def analyze(self, text: str, *, context: Sequence[str] = ()) -> list[Finding]:
        """Findings on ``text``, overlaps resolved, sorted by position.

        ``context`` adds cue phrases that are not in the text itself (a column header for
        a spreadsheet cell, a field name for a document property).
        """
        if not text or not text.strip():
            return []
        norm = normalize(text)
        token = CALLER_CONTEXT.set(tuple(fold_phrase(c) for c in context if c))
        try:
            with analysis_memo():
                raw = self._analyzer.analyze(text=norm.text, language=LANGUAGE,
                                             context=list(context), score_threshold=THRESHOLD,
                                             nlp_artifacts=self._analyzer.empty_artifacts)
        finally:
            CALLER_CONTEXT.reset(token)
        raw = self._suppressor.filter(norm.text, raw)
        findings = []
        for result in raw:
            finding = self._to_finding(result, norm)
            if finding is not None:
                findings.append(finding)
        findings = resolve_overlaps(findings)
        return _add_repeats(norm.original, findings)

    def _to_finding(self, result: RecognizerResult, norm) -> Finding | None:
        meta = result.recognition_metadata or {}
        rule = self.rules[meta[RecognizerResult.RECOGNIZER_IDENTIFIER_KEY]]
        entity = result.entity_type
        if entity in self.policy.disabled and entity not in self.policy.required:
            return None
        start, end = norm.to_original(result.start, result.end)
        value = norm.original[start:end]
        if self._allow and canonical_value(entity, value) in self._allow:
            return None
        action = self.policy.actions.get(entity, rule.action)
        if entity in self.policy.required and action == WARN:
            action = REDACT
        priority = rule.priority if entity == rule.entity else \
            DEFAULT_PRIORITY.get(entity, rule.priority)
        return Finding(entity=entity, start=start, end=end, text=value,
                       score=round(float(result.score), 3), rule_id=rule.id, action=action,
                       label=meta.get("label") or rule.label, reason=meta.get("reason") or "",
                       notify=rule.notify or bool(meta.get("notify")) or action == WARN,
                       priority=priority)

    # -- redaction ------------------------------------------------------------------
    def redact(self, text: str, *, placeholders: PlaceholderMap | None = None,
               context: Sequence[str] = (), findings: list[Finding] | None = None) -> Redaction:
        """Analyze (unless ``findings`` is given, e.g. after the user's review) and redact."""
        placeholders = placeholders if placeholders is not None else PlaceholderMap()
        if findings is None:
            findings = self.analyze(text, context=context)
        blocks = [f for f in findings if f.action == BLOCK]
        warnings = [f for f in findings if f.notify or f.action == WARN]
        if blocks:
            return Redaction(Verdict.BLOCKED, None, findings, [], warnings, blocks, placeholders)
        to_apply = [f for f in findings if f.action == REDACT]
        if not to_apply:
            verdict = Verdict.CLEAN
            return Redaction(verdict, text, findings, [], warnings, [], placeholders)
        redacted = apply_findings(text, to_apply, placeholders)
        return Redaction(Verdict.REDACTED, redacted, findings, to_apply, warnings, [], placeholders)


_TOKEN = regex.compile(r"[^\s,;:()\[\]{}\"'<>|]+")
_SPACED_NUMBER = regex.compile(r"[+(]?\d[\d .()\-]*\d")
_TRAIL_LETTERS = regex.compile(r"[.\p{L}]+$")
_LEAD_LETTERS = regex.compile(r"^[\p{L}]+")


def _add_repeats(text: str, findings: list[Finding]) -> list[Finding]:
    """A value found once is redacted everywhere in the text, even where its context or
    boundaries were missing ("001080000001Số" glued to the next word).

    Only single-token values with a digit or '@' (IDs, phones, e-mails): one token scan
    and set lookups keep this linear; names have their own consistency rules.
    """
    values = {f.text: f for f in findings
              if f.action == REDACT and len(f.text) >= 6 and " " not in f.text
              and any(ch.isdigit() or ch == "@" for ch in f.text)}
    spaced = {f.text: f for f in findings
              if f.action == REDACT and " " in f.text and _SPACED_NUMBER.fullmatch(f.text)
              and sum(ch.isdigit() for ch in f.text) >= 6}
    if not values and not spaced:
        return findings
    starts = [f.start for f in findings]  # sorted, non-overlapping
    extra = _spaced_repeats(text, spaced, findings, starts) if spaced else []
    for token in _TOKEN.finditer(text) if values else ():
        word, start = token.group(0), token.start()
        if word not in values:
            trimmed = _TRAIL_LETTERS.sub("", word) if word[0].isdigit() else word
            lead = _LEAD_LETTERS.match(trimmed)
            if lead and trimmed[-1].isdigit():
                start += lead.end()
                trimmed = trimmed[lead.end():]
            if trimmed not in values:
                continue
            word = trimmed
        end = start + len(word)
        index = bisect.bisect_left(starts, end) - 1
        if index >= 0 and findings[index].end > start or any(
                e.start < end and start < e.end for e in extra):
            continue
        extra.append(replace(values[word], start=start, end=end, reason="repeat of a found value"))
    if not extra:
        return findings
    return sorted(findings + extra, key=lambda f: (f.start, f.end))


def _spaced_repeats(text: str, spaced: dict[str, Finding], findings: list[Finding],
                    starts: list[int]) -> list[Finding]:
    """Exact repeats of a found number written with spaces ("0912 345 678")."""
    extra = []
    for value, finding in spaced.items():
        start = text.find(value)
        while start >= 0:
            end = start + len(value)
            index = bisect.bisect_left(starts, end) - 1
            if not (start and text[start - 1].isalnum() or end < len(text) and text[end].isalnum()
                    or index >= 0 and findings[index].end > start):
                extra.append(replace(finding, start=start, end=end,
                                     reason="repeat of a found value"))
            start = text.find(value, start + 1)
    return extra


_default_lock = threading.Lock()
_default: Engine | None = None


def default_engine() -> Engine:
    """The engine on the active rule pack under the IT policy (built once per process).

    The active pack is the installed signed update, else the shipped ``rules/default``;
    both lookups live in ``app.updates`` and are imported lazily: the engine itself
    knows nothing of files on disk beyond a folder list.
    """
    global _default
    with _default_lock:
        if _default is None:
            _default = Engine.from_folders(active_pack_folders(), _it_policy())
            # The modules and the engine live as long as the process: out of the cyclic
            # collector's sight, a document's many small objects no longer make each
            # collection walk them (10-15 % of a document's time).
            gc.freeze()
        return _default


def reset_default_engine() -> None:
    """Forget the built engine (a new rule pack was installed, or the policy changed)."""
    global _default
    with _default_lock:
        _default = None
        gc.unfreeze()  # the old engine can be collected; the next one freezes again


def active_pack_folders() -> list[Path]:
    from app.updates.store import active_pack_dir

    installed = active_pack_dir()
    return [installed] if installed is not None else [default_pack_dir()]


def _it_policy() -> Policy:
    from app.updates.policy import engine_policy, read_policy

    return engine_policy(read_policy())
