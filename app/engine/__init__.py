"""Detection and redaction engine (pure Python, no Qt).

Public API::

    from app.engine import default_engine
    engine = default_engine()
    findings = engine.analyze(text)             # list[Finding]
    result = engine.redact(text)                # Redaction: verdict, text, placeholders
"""

from .core import Engine, Policy, default_engine, reset_default_engine
from .model import BLOCK, REDACT, WARN, Finding, PlaceholderMap, Redaction, Verdict
from .rules import Rule, RulePack, RulePackError, load_pack

__all__ = [
    "BLOCK", "REDACT", "WARN", "Engine", "Finding", "PlaceholderMap", "Policy", "Redaction",
    "Rule", "RulePack", "RulePackError", "Verdict", "default_engine", "load_pack",
    "reset_default_engine",
]
