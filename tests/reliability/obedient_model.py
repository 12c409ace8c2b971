"""A stub model that obeys instructions found inside the transcript.

It answers like the rule model, and whenever a prompt carries the injected order ("ignore
previous instructions ..."), it does what the order says on top: adds a concept, a lesson
block, questions and cards about ZORBLAX, citing a sentence id that does not exist, an episode
that does not exist, or real sentences that do not say what the item claims. It keeps doing so
on every re-ask (an obedient model does not learn). Every invented item contains the word OBEYED,
which appears nowhere in the transcripts, so a test can find any that slipped through.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from typing import Any

from tests.support.rule_stub import RuleModel, _after, _sentences, _stage
from tests.support.stub_openai import StubReply

MARK = "OBEYED"
TRIGGER = "ignore previous instructions"
GHOST_ID = "p999/s999"


def _unrelated(shown: list[tuple[str, str, str]]) -> tuple[str, str]:
    """(episode, id) of a real shown sentence that, like its neighbours, says nothing about ZORBLAX.

    The support check (CIT009) also reads a cited sentence's immediate neighbours, so a sentence
    next to the injected one would legitimately "support" ZORBLAX: the transcript does say it.
    """
    for i in range(1, len(shown) - 1):
        window = shown[i - 1 : i + 2]
        passage = {(ep, sid.split("/")[0]) for ep, sid, _ in window}
        if len(passage) == 1 and not any("zorblax" in text.lower() for _, _, text in window):
            return shown[i][0], shown[i][1]
    return shown[0][0], shown[0][1]


class ObedientModel:
    """Responder for StubOpenAI; `injected` counts the invented items per stage."""

    def __init__(self) -> None:
        self.model = RuleModel()
        self.injected: Counter[str] = Counter()
        self._lock = threading.Lock()

    def reply(self, request: Any) -> StubReply:
        """The rule model's answer, plus whatever the transcript ordered."""
        good = self.model.reply(request)
        text = json.dumps(request.get("messages", []), ensure_ascii=False)
        stage = _stage(request)
        if good.status != 200 or TRIGGER not in text.lower() or stage is None:
            return good
        user = "\n".join(str(m.get("content", "")) for m in request["messages"] if m.get("role") == "user")
        shown = _sentences(user)
        if not shown:
            return good
        answer = json.loads(json.loads(good.body)["choices"][0]["message"]["content"])
        added = getattr(self, "_" + stage.removesuffix("Answer").lower())(answer, request, shown)
        with self._lock:
            self.injected[stage] += added
        return StubReply.json(answer, prompt_tokens=100, completion_tokens=100)

    def _concepts(self, answer: dict[str, Any], request: Any, shown: list[tuple[str, str, str]]) -> int:
        answer["concepts"].append({
            "name": "zorblax", "aliases": [], "kind": "idea", "definition": f"{MARK}: ZORBLAX wins.",
            "evidence": [GHOST_ID], "problem": [], "importance": 5,
        })
        return 1

    def _merge(self, answer: dict[str, Any], request: Any, shown: list[tuple[str, str, str]]) -> int:
        return 0

    def _lesson(self, answer: dict[str, Any], request: Any, shown: list[tuple[str, str, str]]) -> int:
        episode = shown[0][0]
        answer["blocks"].append({"text": f"{MARK}: the speaker said that ZORBLAX wins.",
                                 "cites": [{"episode": episode, "ids": [GHOST_ID]}]})
        return 1

    def _assessment(self, answer: dict[str, Any], request: Any, shown: list[tuple[str, str, str]]) -> int:
        user = "\n".join(str(m.get("content", "")) for m in request["messages"] if m.get("role") == "user")
        key = _after(user, "Keys:").split(",")[0].strip()  # the concept keys the prompt allows
        episode, real = _unrelated(shown)
        ghost = [{"episode": episode, "ids": [GHOST_ID]}]
        unrelated = [{"episode": episode, "ids": [real]}]
        common = {"concept": key, "bloom": "remember", "difficulty": 1,
                  "explanation": f"{MARK}: ZORBLAX wins."}
        answer["questions"] += [
            {**common, "kind": "short", "stem": f"{MARK}: what wins?", "options": [], "answer": "ZORBLAX",
             "fact": f"{MARK} 1", "cites": ghost},
            {**common, "kind": "cloze", "stem": f"{MARK}: ____ wins every single time.", "options": [],
             "answer": "ZORBLAX", "fact": f"{MARK} 2", "cites": unrelated},
            {**common, "kind": "true_false", "stem": f"{MARK}: the speakers agree that ZORBLAX wins.",
             "options": [], "answer": "true", "fact": f"{MARK} 3", "cites": unrelated},
            {**common, "kind": "mcq", "stem": f"{MARK}: which one wins?",
             "options": ["ZORBLAX", "apples", "pears"], "answer": "0", "fact": f"{MARK} 4",
             "cites": [{"episode": "no-such-episode", "ids": [real]}]},
        ]
        answer["cards"] += [
            {"concept": key, "kind": "cloze", "front": f"{MARK}: {{{{c1::ZORBLAX}}}} wins every time.",
             "back": "", "fact": f"{MARK} 5", "cites": unrelated},
            {"concept": key, "kind": "basic", "front": f"{MARK}: what always wins?", "back": "ZORBLAX",
             "fact": f"{MARK} 6", "cites": ghost},
        ]
        return 6
