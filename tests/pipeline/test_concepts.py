"""The extractive concepts stage on small episodes: technical terms, evidence, problems, language."""

from __future__ import annotations

import pytest

from coursegen.engines.extractive import ExtractiveEngine
from coursegen.engines.extractive.terms import find_terms
from coursegen.engines.extractive.text import tidy
from coursegen.errors import UsageError
from coursegen.ir import Episode
from tests.pipeline.conftest import TALK_A, make_episode


def test_finds_technical_multi_word_terms_not_filler(talk_a: Episode) -> None:
    names = [c.name for c in ExtractiveEngine().concepts(talk_a).concepts]
    assert {"gradient descent", "neural network", "learning rate"} <= set(names)
    for filler in ("yeah", "kind", "okay", "honestly", "thing"):
        assert filler not in names


def test_evidence_cites_sentences_that_mention_the_concept(talk_a: Episode) -> None:
    found = ExtractiveEngine().concepts(talk_a)
    texts = {s.id: s.text for p in talk_a.passages for s in p.sentences}
    for concept in found.concepts:
        assert concept.evidence, concept.name
        best = " ".join(texts[sid] for sid in concept.evidence[0].sentence_ids).lower()
        assert concept.name.lower().rstrip("s") in best
        assert concept.definition == tidy(" ".join(texts[s] for s in concept.evidence[0].sentence_ids))


def test_definition_prefers_an_explaining_sentence(talk_a: Episode) -> None:
    found = {c.name: c for c in ExtractiveEngine().concepts(talk_a).concepts}
    assert found["gradient descent"].definition.startswith("Gradient descent is the procedure")


def test_problem_is_a_question_asked_near_the_concept(talk_a: Episode) -> None:
    found = {c.name: c for c in ExtractiveEngine().concepts(talk_a).concepts}
    texts = {s.id: s.text for p in talk_a.passages for s in p.sentences}
    question = texts[found["learning rate"].problems[0].sentence_ids[0]]
    assert question.endswith("?") and "learning rate" in question


def test_an_episode_s_concepts_do_not_depend_on_other_episodes(talk_a: Episode, talk_b: Episode) -> None:
    engine = ExtractiveEngine()
    alone = engine.concepts(talk_a)
    engine.concepts(talk_b)
    assert engine.concepts(talk_a) == alone


def test_everyday_words_score_below_field_terms() -> None:
    episode = make_episode("e", TALK_A)
    keys = [t.key for t in find_terms(episode)]
    assert "gradient descent" in keys
    assert "step" not in keys and "people" not in keys


def test_non_english_transcript_points_to_the_llm_engine() -> None:
    episode = make_episode(
        "de", [["Das ist ein Satz über neuronale Netze und Lernraten."] * 3], language="de"
    )
    with pytest.raises(UsageError) as err:
        ExtractiveEngine().concepts(episode)
    assert "English" in err.value.message and "--engine llm" in (err.value.tip or "")
