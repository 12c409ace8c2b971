"""Blanks test the idea: recallable words, no second right answer, model answers that explain."""

from __future__ import annotations

import re

from coursegen.engines.extractive.blanks import (
    LessonVocabulary,
    explains_opening,
    fair_distractor,
    gives_away,
    other_names,
    recallable,
)
from coursegen.engines.types import GraphConcept


def _concept(cid: str, name: str, *aliases: str) -> GraphConcept:
    return GraphConcept(id=cid, name=name, aliases=list(aliases), definition=name)


def test_another_name_is_not_another_form_of_the_name() -> None:
    assert other_names(_concept("p", "parameter", "parameters", "weights")) == ["weights"]
    # A longer or shorter form names the same thing in the same slot.
    assert other_names(_concept("s", "self-driving", "self driving", "self-driving cars")) == []
    assert other_names(_concept("n", "neural network", "neural networks", "neural net")) == ["neural net"]


def test_a_word_the_lesson_repeats_is_rare_and_in_several_quotes() -> None:
    quotes = ["The optimizer keeps a momentum term.", "Momentum smooths the steps.", "People like it."]
    vocabulary = LessonVocabulary.of(quotes)
    assert vocabulary.repeats("momentum")
    assert not vocabulary.repeats("optimizer")  # in one quote only
    common = LessonVocabulary.of(["People say so.", "Many people agree."])
    assert not common.repeats("people")  # everyday English
    assert vocabulary.shows("momentum term") and not vocabulary.shows("replay buffer")


def test_a_recallable_blank_is_a_taught_name_a_shown_term_or_a_repeated_rare_word() -> None:
    vocabulary = LessonVocabulary.of(["The replay buffer stores transitions.", "The cortex and the buffer."])
    assert recallable("replay buffer", (), ("replay buffer",), vocabulary)
    assert recallable("transitions", ("transitions",), (), vocabulary)  # a term the lesson shows
    assert not recallable("batching", ("batching",), (), vocabulary)  # a term the lesson never shows
    assert not recallable("cortex", (), (), vocabulary)  # a one-off word, however rare
    assert not recallable("centers", (), (), LessonVocabulary.of(["data centers here", "centers there"]))


def test_an_option_is_never_a_second_right_answer() -> None:
    answer = _concept("p", "parameter", "weights")
    neighbour = _concept("n", "neuron", "neurons")
    assert not fair_distractor("weights", answer, [])  # another name of the answer
    assert not fair_distractor("neuron", answer, [answer, neighbour])  # taught alongside it
    assert fair_distractor("neuron", answer, [answer])


def test_a_model_answer_opens_on_a_sentence_that_explains() -> None:
    names = re.compile(r"\breplay buffers?\b", re.I)
    assert explains_opening("A replay buffer is a store of past transitions.", names)
    assert not explains_opening("We found it in the replay buffer paper from last year.", names)
    # A statement widened with the sentence before it opens on that one.
    widened = "Last year was busy for everyone. A replay buffer is a store of past transitions."
    assert not explains_opening(widened, names)


def test_a_stem_that_spells_the_initials_gives_the_answer_away() -> None:
    assert gives_away("devices like _____ accelerators, very ML focused GPUs", "machine learning")
    assert not gives_away("devices like _____ accelerators and GPUs", "machine learning")
    assert not gives_away("a _____ is a model", "transformer")


def test_fact_blanks_of_a_written_lesson_are_recallable_words() -> None:
    from tests.pipeline.test_question_fairness import _gradient_descent_lesson, _quoting_everything

    engine, plan, ctx = _gradient_descent_lesson()
    draft = _quoting_everything(plan, ctx)
    result = engine.assessment(plan, draft, ctx)
    quotes = [ctx.sources.text(c.sentence_ids) for b in draft.blocks for c in b.cites]
    vocabulary = LessonVocabulary.of(quotes)
    names = tuple(n for c in ctx.graph.concepts for n in (c.name, *c.aliases))
    facts = [q for q in result.questions if "-fact-" in q.id and q.kind == "cloze"]
    assert facts
    assert all(recallable(str(q.answer), (), names, vocabulary) for q in facts), [q.answer for q in facts]
    # No "explain it back" answer that only names the idea.
    shorts = [q for q in result.questions if q.kind == "short" and "-short-" in q.id]
    assert shorts and all(" is " in str(q.answer) for q in shorts)


def test_two_names_are_two_the_talks_say() -> None:
    from coursegen.engines.extractive.blanks import has_two_names

    spoken = "the model parameters store facts. the weights move a bit."
    assert has_two_names(_concept("p", "parameter", "parameters", "weights"), spoken)
    # An instructor's rename the speakers never say is no second answer to their blank.
    renamed = _concept("c", "Experiments (the research loop)", "compute")
    assert not has_two_names(renamed, "we need more compute for experiments.")
