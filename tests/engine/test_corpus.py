"""The labelled corpus (315 synthetic snippets): leak rate, over-redaction, blocks.

Targets: no identifier/credential value leaks beyond 2 %, over-redaction of
non-personal words <= 2 %, every stamped text blocked and no clean text blocked.
Names/addresses/dates have their own corpus and targets (tests/engine/test_people_corpus.py).
"""

import pytest

from tests.engine.corpus_eval import evaluate, load, table

PEOPLE = {"VN_PERSON", "VN_ADDRESS", "VN_DOB", "VN_AGE"}


@pytest.fixture(scope="module")
def score(engine):
    rows = load()
    assert len(rows) >= 300
    result = evaluate(engine, rows)
    print("\n" + table(result))
    return result


def test_identifiers_and_credentials_do_not_leak(score):
    types = set(score.expected) - PEOPLE
    leaks = [leak for leak in score.leaks if leak[1] in types]
    assert score.leak_rate(types) <= 0.02, leaks[:20]


def test_every_identifier_type_is_recalled(score):
    for entity in set(score.expected) - PEOPLE:
        assert score.recall(entity) >= 0.9, (entity, score.recall(entity))


def test_over_redaction_is_small(score):
    assert score.over_redaction <= 0.02


def test_stamps_block_and_nothing_else_does(score):
    assert score.block_missed == []
    assert score.block_false == []
