"""Multiple-choice options agree with the blank's grammar: article, number and part of speech."""

from __future__ import annotations

from coursegen.engines.extractive.agreement import (
    BLANK,
    Slot,
    disagreements,
    either_article,
    fitted_options,
    inflected,
    modifies_next_word,
    noun_like,
    slot_of,
    takes_an,
    with_article,
    without_article,
)
from coursegen.pipeline import BuildResult

SPOKEN = "the tutor is here. to induce movement. the sparse attention layer. a diff of the code."


def test_an_article_before_the_blank_goes_into_the_options() -> None:
    stem = f"building AI becomes mostly an {BLANK} problem"
    slot = slot_of(stem, "inference")
    assert slot == Slot(article=True, plural=False)
    # After an article, an activity only where the answer is one ("a coding agent").
    assert fitted_options(["token", "deep learning"], slot) == ["token"]
    coding = Slot(article=True, plural=False, activity=True)
    assert fitted_options(["token", "deep learning"], coding) == ["token", "deep learning"]
    assert without_article(stem) == f"building AI becomes mostly {BLANK} problem"
    assert [with_article(o) for o in ("inference", "token", "LLM", "user", "hour")] == [
        "an inference",
        "a token",
        "an LLM",
        "a user",
        "an hour",
    ]
    assert not takes_an("GPU") and takes_an("RL agent")


def test_an_article_before_one_of_several_blanks_cannot_be_fitted() -> None:
    assert slot_of(f"mostly an {BLANK} problem an {BLANK}", "inference") is None
    assert slot_of(f"the {BLANK} of the {BLANK}", "token") == Slot(article=False, plural=False)


def test_options_take_the_answers_number_or_are_left_out() -> None:
    plural = Slot(article=False, plural=True)
    # "machine learning" has no plural that means the same, "entropies" is too rare to look like
    # a word (unless the talks say it); "mixture of experts" is one mixture.
    assert fitted_options(["algorithm", "batch", "entropy", "machine learning"], plural) == [
        "algorithms",
        "batches",
    ]
    assert fitted_options(["entropy"], plural, "two entropies") == ["entropies"]
    assert inflected("mixture of experts", True) == "mixtures of experts"
    assert inflected("compilers", False) == "compiler"
    assert inflected("geniuses", False) is None  # "geniuse" is no word


def test_only_nouns_fill_a_nouns_blank() -> None:
    assert noun_like("tutor", SPOKEN) and noun_like("diff", SPOKEN)
    assert not noun_like("induce", SPOKEN) and not noun_like("sparse", SPOKEN)
    # Noun endings and noun phrases need no evidence; a verb phrase is no noun.
    assert noun_like("self-improvement", "") and noun_like("linear regression", "")
    assert not noun_like("learning korean", "")


def test_disagreements_name_what_grammar_gives_away() -> None:
    assert disagreements(f"mostly an {BLANK} problem", ["inference", "token"], 0) == ["article: an token"]
    assert disagreements(f"a lot of {BLANK} online", ["algorithm", "tokens"], 1) == ["number: algorithm"]
    assert disagreements(f"mostly {BLANK} problem", ["an inference", "a token"], 0) == []


def test_seed_course_mcq_options_agree_with_their_blank(seed_build: BuildResult) -> None:
    for question in seed_build.course.questions:
        if question.kind != "mcq":
            continue
        assert isinstance(question.answer, int)
        stem = question.stem.split('"', 1)[1].rsplit('"', 1)[0]
        assert disagreements(stem, question.options, question.answer) == [], question.stem


def test_a_blank_modifying_the_next_word_keeps_its_article_as_a_or_an() -> None:
    attributive = "If you had to release a _____ agent that could not fail, it would be harder to deploy."
    assert modifies_next_word(attributive)
    assert either_article(attributive) == (
        "If you had to release a(n) _____ agent that could not fail, it would be harder to deploy."
    )
    assert either_article("An _____ curve there as well.") == "A(n) _____ curve there as well."
    # The blank is the noun phrase's head: options bring their own article ("a self-driving car").
    assert not modifies_next_word("It will be like deploying a _____ with current models to a city.")
    assert not modifies_next_word("It is mostly a _____ of the data.")
