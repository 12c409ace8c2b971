"""Which sentences make fair check-yourself items (coursegen.engines.extractive.fairness)."""

from __future__ import annotations

import re
from typing import Any

from coursegen.engines.extractive.fairness import (
    inside_longer_name,
    is_assertion,
    key_points,
    pinned,
    reads_cleanly,
    stands_alone,
    trim_fillers,
)

MOE = re.compile(r"\bmixture of experts?\b", re.I)
COMPUTE = re.compile(r"\bcompute\b", re.I)
NONE: frozenset[str] = frozenset()


def test_true_false_keeps_checkable_claims_and_refuses_remarks() -> None:
    claim = "Mixture of experts is a model that sends each token to a small part of the network."
    assert is_assertion(claim, MOE, NONE)
    remarks = [
        "This is one thing I think people don't really like talk about too much with mixture of experts",
        "The first mixture of experts paper, you could just like look at the expert.",
        "Mixture of experts, that's interesting to think about because the routing is not bottlenecked.",
        "If mixture of experts worked on every chip that would be incredible.",
        "It's a bit more convenient than putting mixture of experts models on one chip.",
        "Mixture of experts may be the answer to most of the serving cost.",
    ]
    assert not any(is_assertion(r, MOE, NONE) for r in remarks)


def test_a_stem_must_read_cleanly() -> None:
    assert reads_cleanly("Gradient descent moves every weight a little against the gradient.", NONE)
    assert not reads_cleanly("So gradient gradient descent is like, you know, kind of like the thing.", NONE)
    assert not reads_cleanly("The microat of gradient descent moves every weight a little.", NONE)
    assert not reads_cleanly("You mentioned gradient descent and I'm curious how you thought about it.", NONE)


def test_a_blank_is_pinned_by_words_the_concept_repeats() -> None:
    topical = frozenset({"expert", "token", "model", "machine"})
    assert pinned("The _____ models send each token to two experts.", "_____", topical)
    # No word of the concept's context: many words fit.
    assert not pinned(
        "Then more recently the general purpose thing _____ has not been as good.", "_____", topical
    )
    # A noun right before the blank that the evidence never uses: "CPU-based machines _____".
    assert not pinned("Every token on CPU-based servers _____ has not been as good.", "_____", topical)


def test_a_mention_next_to_a_longer_names_word_is_that_concept() -> None:
    text = "One of the big areas of improvement is this entrance time compute."
    assert inside_longer_name(text, COMPUTE, ["test time compute"])
    assert not inside_longer_name("More compute would convert into progress.", COMPUTE, ["test time compute"])


def test_model_answers_lose_fillers_and_name_what_to_cover() -> None:
    trimmed = trim_fillers(
        "Mixture of experts is, you know, kind of a model where like, each token goes to two experts."
    )
    assert trimmed == "Mixture of experts is a model where each token goes to two experts."
    assert (
        trim_fillers("What kind of model is it, the the router?") == "What kind of model is it, the router?"
    )
    points = key_points(
        "Mixture of experts routes each token to two experts out of many.", "mixture of experts"
    )
    assert "routes" in points and "mixture" not in points


def test_a_blank_needs_the_concepts_own_name_not_another_form() -> None:
    from coursegen.engines.extractive.assessment import named_as_itself
    from coursegen.engines.types import GraphConcept

    scaling = GraphConcept(id="scaling", name="scaling", aliases=["scale", "scaled"], definition="d")
    pattern = re.compile(r"\b(?:scaling|scale|scaled)\b", re.I)
    assert named_as_itself("Scaling the model to more chips made training faster.", scaling, pattern)
    # "scale" here is another word ("a large scale model"), and the blank's answer would be "scale".
    assert not named_as_itself("You could get a large scale model without overfitting.", scaling, pattern)
    # An instructor's rename keeps the spoken name as an alias, and blanks on it stay possible.
    renamed = GraphConcept(
        id="compute", name="Experiments (the research loop)", aliases=["compute"], definition="d"
    )
    spoken = re.compile(r"\bcompute\b", re.I)
    assert named_as_itself("More compute would directly convert into progress.", renamed, spoken)


def test_a_concepts_questions_span_two_difficulties() -> None:
    from coursegen.engines.extractive.assessment import _spread_difficulty
    from coursegen.engines.types import QuestionDraft

    def mcq(n: int) -> QuestionDraft:
        return QuestionDraft(
            id=f"x-mcq-{n}",
            concept="x",
            kind="mcq",
            stem=f'Which term completes the statement? "The _____ number {n} moves."',
            options=["alpha", "beta", "gamma"],
            answer=1,
            difficulty=1,
            fact=f"term:{n}",
        )

    spread = _spread_difficulty([mcq(1), mcq(2)])
    assert [q.kind for q in spread] == ["mcq", "cloze"]
    assert spread[1].answer == "beta" and spread[1].stem == 'Fill in the blank: "The _____ number 2 moves."'
    assert {q.difficulty for q in spread} == {1, 2}


def _gradient_descent_lesson() -> tuple[Any, Any, Any]:
    """(engine, plan, context) of the made-up talk's lesson on gradient descent."""
    from coursegen.engines.base import LessonContext
    from coursegen.engines.extractive import ExtractiveEngine
    from coursegen.engines.sources import SourceIndex
    from coursegen.engines.types import RampOptions
    from tests.pipeline.conftest import TALK_A, make_episode

    episode = make_episode("talk-a", TALK_A)
    engine = ExtractiveEngine()
    graph = engine.merge([engine.concepts(episode)])
    plan = next(p for p in engine.ramp(graph, RampOptions()).lessons if "gradient-descent" in p.concepts)
    return engine, plan, LessonContext(graph=graph, sources=SourceIndex([episode]))


def test_questions_come_first_from_the_sentences_the_lesson_quotes() -> None:
    from coursegen.engines.types import BlockDraft, LessonDraft

    engine, plan, ctx = _gradient_descent_lesson()

    def first_blank(draft: LessonDraft) -> list[str]:
        """Sentence ids of the concept's first item (of any kind: the quoted sentence may be the
        one judged true or false)."""
        result = engine.assessment(plan, draft, ctx)
        own = [q for q in result.questions if q.concept == "gradient-descent"]
        return [sid for q in own[:1] for sid in q.cites[0].sentence_ids]

    unquoted = LessonDraft(id=plan.id, title="t", problem="p", prediction="q")
    result = engine.assessment(plan, unquoted, ctx)
    blanks = [q for q in result.questions if q.concept == "gradient-descent" and q.kind in ("mcq", "cloze")]
    assert len(blanks) >= 2
    # Without the lesson quoting anything the best sentence comes first; once the lesson quotes
    # another fair sentence, that one is asked about first.
    later = blanks[-1].cites[0]
    assert first_blank(unquoted) != later.sentence_ids
    quoting = unquoted.model_copy(update={"blocks": [BlockDraft(text="b", cites=[later])]})
    assert first_blank(quoting) == later.sentence_ids


def test_distractors_are_no_near_twins_of_the_answer_or_each_other() -> None:
    from coursegen.engines.extractive.assessment import _alike

    assert _alike("chatbot", "chatting") and _alike("compute", "computation")
    assert _alike("test time compute", "computer vision")
    assert not _alike("compute", "gradient") and not _alike("token", "transformer")


def test_placement_moves_off_a_lesson_whose_only_mcq_was_loosely_judged() -> None:
    from coursegen.engines.extractive import ExtractiveEngine
    from coursegen.engines.extractive.assessment import LOOSE_FACT
    from coursegen.engines.types import LessonAssessment, LessonPlan, QuestionDraft, RampPlan

    lessons = [LessonPlan(id=f"l{i}", position=i, level=1, concepts=[f"c{i}"]) for i in range(29)]

    def mcq(lesson: str, loose: bool) -> QuestionDraft:
        fact = f"{LOOSE_FACT}term:{lesson}" if loose else f"term:{lesson}"
        return QuestionDraft(
            id=f"q{lesson}", concept="c", kind="mcq", stem="s", options=["a", "b", "c"], answer=0, fact=fact
        )

    # The spots (every fourth of 29 lessons) have only a loosely judged mcq, their neighbours fair ones.
    assessments = [LessonAssessment(lesson=p.id, questions=[mcq(p.id, p.position % 4 == 0)]) for p in lessons]
    placement = ExtractiveEngine().placement(RampPlan(lessons=lessons), assessments)
    tested = [int(p.question_id[2:]) for p in placement]  # question "ql5" tests lesson l5
    assert placement[0].start_lesson == "l0"  # a newcomer still starts at lesson 1
    assert all(t % 4 != 0 for t in tested[1:]), tested
    # A miss sends the learner to the lesson after the one the previous item tested: the lessons
    # in between were never tested (they were sent to the tested lesson itself, skipping them).
    starts = [int(p.start_lesson[1:]) for p in placement]
    assert starts == [0] + [t + 1 for t in tested[:-1]], (starts, tested)
    assert all(start <= t for start, t in zip(starts, tested, strict=True))


def test_a_restarted_clause_is_no_stem() -> None:
    from coursegen.engines.extractive.fairness import restarts

    assert restarts("In reinforcement learning say you're working with you're solving a math problem.")
    assert restarts("Look you could already you could easily replicate this capability.")
    assert not restarts("You have some fixed size of compute and some of it goes to inference.")
    assert not reads_cleanly("Look you could already you could easily replicate this capability now.", NONE)


def test_a_sentence_leaning_on_earlier_talk_is_no_stem() -> None:
    from coursegen.engines.extractive.fairness import leans_on_context

    leaning = [
        "Because it stirs together the code base into a bunch of parameters.",
        "This idea is a calculator tool instead of a very large model.",
        "They don't have continual learning at all in the current models.",
        "Then you run roughly the same size batches through the model.",
        "Had a scalable brain algorithm that could achieve those increases.",
    ]
    assert all(leans_on_context(t) for t in leaning)
    assert not any(reads_cleanly(t, NONE) for t in leaning)
    assert not leans_on_context("There's a big hypothesis that training on everything jointly is better.")
    assert not leans_on_context("Gradient descent moves every weight a little against the gradient.")


def test_a_leaning_sentence_is_widened_with_the_one_before_it() -> None:
    from coursegen.engines.base import LessonContext
    from coursegen.engines.extractive.statements import self_contained
    from coursegen.engines.sources import SourceIndex
    from coursegen.engines.types import Cite, ConceptGraph
    from tests.pipeline.conftest import make_episode

    talk = [
        [
            "Language models do not remember what you tell them between sessions.",
            "They don't have continual learning, so every chat starts from zero.",
        ],
        ["So it keeps going on and on.", "And they forget the rest as well."],
    ]
    episode = make_episode("talk-w", talk)
    ctx = LessonContext(graph=ConceptGraph(concepts=[]), sources=SourceIndex([episode]))
    first, second = (p.sentences for p in episode.passages[:2])
    widened = self_contained([(Cite(episode=episode.id, sentence_ids=[first[1].id]), first[1].text)], ctx)
    assert widened[0][0].sentence_ids == [first[0].id, first[1].id]
    assert widened[0][1].startswith("Language models do not remember")
    # The sentence before it leans back too: nothing to widen with, the sentence stays as it is.
    kept = self_contained([(Cite(episode=episode.id, sentence_ids=[second[1].id]), second[1].text)], ctx)
    assert kept[0][0].sentence_ids == [second[1].id]


def test_key_points_are_words_the_concepts_evidence_repeats() -> None:
    answer = "Parameters store facts compactly, and syncing them across metro areas needs fast links."
    # The words the evidence repeats win over rarer one-off words ("compactly", "metro").
    points = key_points(answer, "parameter", count=2, topical=frozenset({"fact", "syncing"}))
    assert points == ["facts", "syncing"]
    assert "metro" in key_points(answer, "parameter", count=4)  # without evidence: the rarest words


def _quoting_everything(plan: Any, ctx: Any) -> Any:
    """A draft of the lesson whose blocks quote every sentence of its episodes."""
    from coursegen.engines.types import BlockDraft, Cite, LessonDraft

    blocks = [
        BlockDraft(text="b", cites=[Cite(episode=episode.id, sentence_ids=[sentence.id])])
        for episode in ctx.sources.episodes.values()
        for passage in episode.passages
        for sentence in passage.sentences
    ]
    return LessonDraft(id=plan.id, title="t", problem="p", prediction="q", blocks=blocks)


def test_a_concepts_blanks_are_mostly_on_other_words_than_its_name() -> None:

    engine, plan, ctx = _gradient_descent_lesson()
    # The lesson quotes the talk: a fact blank is a word the learner read there (blanks.recallable).
    result = engine.assessment(plan, _quoting_everything(plan, ctx), ctx)
    own = [q for q in result.questions if q.concept == "gradient-descent"]
    blanks = [q for q in own if q.kind in ("mcq", "cloze")]
    named = [q for q in blanks if "-fact-" not in q.id]
    assert blanks and len(named) * 2 <= len(blanks), [q.answer for q in blanks]
    # Every fact blank is a word of its sentence (recoverable), never the concept's own name.
    facts = [q for q in blanks if "-fact-" in q.id]
    assert facts and all("gradient descent" not in str(q.answer).lower() for q in facts)
    # A false true/false item keeps the source's words in its explanation.
    falses = [q for q in own if q.kind == "true_false" and q.answer is False]
    assert all('What was said: "' in q.explanation for q in falses)


def test_a_true_false_statement_must_stand_alone() -> None:
    assert stands_alone("Mixture of experts is a model that sends each token to a small part of the network.")
    assert stands_alone("We think of that model as a router.")
    # "that" points at what was said before; "what you're missing" at the listener's situation.
    assert not stands_alone("We have a little bit of that and mixture of experts models, but structured.")
    assert not stands_alone("What you're missing is this power of representation in the neural network.")
    assert not stands_alone("You can get a lot out of it, but not everything.")
    # A condition with no main clause claims nothing; with one, it does.
    assert not stands_alone("As long as you can sync all of the parameters across the data centers.")
    assert stands_alone("If the data centers sync their parameters, training can span a continent.")


def test_a_fill_in_says_how_many_words_are_missing_and_their_first_letter() -> None:
    from coursegen.engines.extractive.assessment import cloze_stem

    # A bare blank fits other words too ("strategies" where the talk says "algorithms").
    sentence = "It contains the _____ and the magic of intelligence."
    stem = cloze_stem("Fill in the blank about cognitive core", sentence, "algorithms")
    assert stem == f'Fill in the blank about cognitive core (one word, first letter A): "{sentence}"'
    two = cloze_stem("Fill in the blank about parameter", "Sync them across the _____.", "data centers")
    assert two.startswith("Fill in the blank about parameter (two words, first letter D): ")


def test_a_lessons_true_false_items_do_not_make_true_a_safe_guess() -> None:
    from coursegen.engines.extractive.assessment import MAX_TRUE_LEAD, _balanced_true_false
    from coursegen.engines.types import QuestionDraft

    def tf(n: int, answer: bool) -> QuestionDraft:
        return QuestionDraft(id=f"tf{n}", concept="c", kind="true_false", stem=f"claim {n}", answer=answer)

    mcq = QuestionDraft(id="m", concept="c", kind="mcq", stem="s _____", options=["a", "b"], answer=0)
    seven_true = [tf(n, True) for n in range(7)]
    kept = _balanced_true_false([seven_true[0], mcq, *seven_true[1:]])
    assert [q.id for q in kept] == ["tf0", "m", "tf1"]  # MAX_TRUE_LEAD true ones, the first
    assert MAX_TRUE_LEAD == 2
    mixed = [tf(0, False), *seven_true[1:5]]
    assert [q.id for q in _balanced_true_false(mixed)] == ["tf0", "tf1", "tf2", "tf3"]
