"""Stems a newcomer can judge: no cut captions, no host talk, no bare "this", no open slot, no hint."""

from __future__ import annotations

import re

from coursegen.engines.extractive.blanks import hints_at, names_another_first, open_slot
from coursegen.engines.extractive.fairness import cut_caption, is_assertion, reads_cleanly

BLANK = "_____"


def test_a_cut_caption_is_no_stem() -> None:
    # It ends saying its last words again, or repeats three words a few words on.
    assert cut_caption("If it turns out that building AI becomes mostly an inference problem an inference")
    assert cut_caption("building AI becomes mostly an inference problem an inference problem that can be")
    # A subject with no verb, and the other speaker's "exactly" at the end.
    assert cut_caption("You in terms of compute but the better the answers get the more it costs")
    assert cut_caption("Have to have a lot of tokens on the internet of people being respectful exactly")
    # Words said again far apart, or two words in a list of actions, are a sentence.
    assert not cut_caption("The first TPU was built for inference and later ones also for inference")
    assert not cut_caption("A small optimizer that looks at XY looks at an error and updates the weights")


def test_the_host_addressing_the_guests_is_no_stem() -> None:
    known: frozenset[str] = frozenset()
    assert not reads_cleanly("The calls you guys have made anticipated the demand for compute.", known)
    assert not reads_cleanly("You work on machine learning so that one keeps improving every year.", known)


def test_a_claim_about_a_bare_this_cannot_be_judged() -> None:
    pattern = re.compile(r"\bmodularity\b", re.I)
    known: frozenset[str] = frozenset()
    assert not is_assertion("You can view this as modularity at work in the module level.", pattern, known)


def test_a_blank_after_a_bare_preposition_is_open() -> None:
    assert open_slot(f"anticipating a level of demand for {BLANK}, which was not obvious", BLANK)
    assert open_slot(f"that could be useful in {BLANK} to focus on things", BLANK)
    assert not open_slot(f"the serving of large {BLANK} started to be used", BLANK)


def test_a_model_answer_about_another_idea_first_is_about_that_idea() -> None:
    pattern = re.compile(r"\bgradient descent\b", re.I)
    text = "When you run linear regression you have a small gradient descent optimizer."
    assert names_another_first(text, pattern, ["linear regression"])
    assert not names_another_first("Gradient descent updates the weights.", pattern, ["weights"])


def test_a_word_opening_like_the_answer_hints_at_it() -> None:
    assert hints_at("something that's happening at the , at the module level", "modularity")
    assert hints_at("if I look at versus nano GPT", "nano chat")
    # A common word of the name ("model") is in every other sentence: no hint.
    assert not hints_at("these models are trained on video", "world model")
