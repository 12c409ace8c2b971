"""Stems that point at what they do not say, and the frames a clause is taken past."""

import re

from coursegen.engines.extractive.fairness import (
    dangling_pointer,
    past_the_frame,
    restarts,
    talks_about_the_talk,
    unknown_names,
)


def test_bare_demonstrative_and_pronoun_without_noun_dangle() -> None:
    assert dangling_pointer("We have a bit of that and sparse routing models, but it is still structured.")
    assert dangling_pointer("You can barely make it work on a fair bit of hardware for millions of widgets.")
    assert dangling_pointer("The first widget paper, you could just look at the widget.")
    assert dangling_pointer("You can also view this as something happening at the widget level.")


def test_pronoun_after_a_noun_and_determiner_that_do_not_dangle() -> None:
    assert not dangling_pointer("Gradient descent makes it converge after a few steps.")
    assert not dangling_pointer("In that case the model learns the widget quickly.")
    assert not dangling_pointer("The model can do it well when the data is clean.")


def test_clause_past_a_speakers_frame() -> None:
    widget = re.compile(r"\bwidgets?\b", re.I)
    text = "A prediction that I almost feel like we can get widgets that are very good at small sizes."
    assert past_the_frame(text, widget) == "We can get widgets that are very good at small sizes."
    assert past_the_frame("Widgets are good, I think.", widget) == "Widgets are good, I think."


def test_host_talk_misheard_name_and_contracted_restart() -> None:
    assert talks_about_the_talk("You work on widgets so that one is one with a path.")
    assert unknown_names("The team at Microrad trained the widget.", frozenset()) == ["Microrad"]
    assert unknown_names("Microrad is a hundred lines of code.", frozenset()) == ["Microrad"]
    assert restarts("You've you're taking 15 trillion widgets and compressing them.")



def test_no_claim_with_the_listener_acted_on() -> None:
    from coursegen.engines.extractive.fairness import is_assertion

    widget = re.compile(r"\bwidgets?\b", re.I)
    assert not is_assertion(
        "You just have your widget fighting you rather than the asynchrony and the widget battling you.",
        widget,
        frozenset(),
        0.0,
    )
