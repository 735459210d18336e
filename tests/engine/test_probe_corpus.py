"""Four probes of unseen text (441 synthetic snippets, tests/corpus/probe/cases.jsonl).

Written by engineers who did not read the rules: the first set blind, then variations
around its misses; the second to fourth sets blind after the fixes that followed (each
held out until it was scored once). Kept as a regression guard: values a reader may or may not redact
are listed as "optional" and count neither way; warnings (``VN_SECRET_SUSPECT``) are
not redactions, so they cannot leak.
"""

from pathlib import Path

import pytest

from tests.engine.corpus_eval import evaluate, load, table

CASES = Path(__file__).resolve().parent.parent / "corpus" / "probe" / "cases.jsonl"
WARN_ONLY = {"VN_SECRET_SUSPECT"}


@pytest.fixture(scope="module")
def score(engine):
    rows = load(CASES)
    assert len(rows) >= 440
    result = evaluate(engine, rows)
    print("\n" + table(result))
    return result


def test_few_values_leak(score):
    types = set(score.expected) - WARN_ONLY
    assert score.leak_rate(types) <= 0.03, [leak for leak in score.leaks
                                             if leak[1] in types]


def test_little_over_redaction(score):
    assert score.over_redaction <= 0.015


def test_stamps_block_and_nothing_else_does(score):
    assert score.block_missed == []
    assert score.block_false == []
