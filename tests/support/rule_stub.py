"""A rule-based stand-in for a model: schema-valid answers built from the sentence ids in each prompt.

It plays a diligent but simple model for the LLM engine's four prompts (concepts, merge,
lesson, assessment): concepts are frequent long words of the window, lessons and questions
are built from the shown sentences that contain the concept's name. When the engine re-asks
("Your answer was rejected: - question 2: ..."), it leaves out the items named in the reasons,
as a model that follows feedback would. Usage figures are counted like a tokenizer would
roughly (4 characters per token), so benchmarks can sum them.

    stub = StubOpenAI().start()
    stub.responder = RuleModel(latency=0.2).reply
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from typing import Any

from tests.support.stub_openai import StubReply

_LINE = re.compile(r"^(p\d+/s\d+) (.+)$")
_EPISODE = re.compile(r"^## episode (\S+):")
_WORD = re.compile(r"[A-Za-z][A-Za-z-]{6,}")
_REJECTED = re.compile(
    r"^- (question \d+|card \d+|concept \d+ \(.*?\)|block \d+|same \d+|prerequisite \d+|lesson):",
    re.MULTILINE,
)
_COMMON = frozenset(
    [
        "because",
        "actually",
        "something",
        "anything",
        "everything",
        "probably",
        "basically",
        "already",
        "another",
        "between",
        "different",
        "important",
        "interesting",
        "question",
        "questions",
        "through",
        "without",
        "whatever",
        "whether",
        "however",
        "thinking",
        "somebody",
        "someone",
        "really",
        "getting",
        "looking",
        "talking",
        "working",
        "trying",
        "people",
        "doesn't",
    ]
)
STAGES = ("ConceptsAnswer", "MergeAnswer", "LessonAnswer", "AssessmentAnswer")


def _messages(request: dict[str, Any]) -> list[dict[str, Any]]:
    return [m for m in request.get("messages", []) if isinstance(m, dict)]


def _stage(request: dict[str, Any]) -> str | None:
    text = json.dumps(request.get("response_format") or {}) + json.dumps(_messages(request)[:1])
    return next((name for name in STAGES if name in text), None)


def _sentences(text: str) -> list[tuple[str, str, str]]:
    """(episode, short id, text) of every transcript line in a prompt."""
    out: list[tuple[str, str, str]] = []
    episode = ""
    for line in text.splitlines():
        heading = _EPISODE.match(line)
        if heading:
            episode = heading.group(1)
            continue
        match = _LINE.match(line)
        if match:
            out.append((episode, match.group(1), match.group(2)))
    return out


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text) if w.lower() not in _COMMON]


def _mentions(text: str, name: str) -> bool:
    return re.search(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", text, re.IGNORECASE) is not None


def _taught(user: str) -> list[str]:
    """Names listed under "Teach:" in the <concepts> block of a lesson or assessment prompt."""
    block = user.split("Teach:", 1)[-1].split("Known:", 1)[0]
    return re.findall(r"^- ([^:\n]+):", block, re.MULTILINE)


def _after(text: str, label: str) -> str:
    for line in text.splitlines():
        if line.startswith(label):
            return line[len(label) :].strip().rstrip(".")
    return ""


class RuleModel:
    """The responder; `latency` seconds are added to every answer."""

    def __init__(self, latency: float = 0.0) -> None:
        self.latency = latency
        # Words the cards' fronts and facts open with: a real model words them anew each time it
        # is asked, which a test of regeneration sets to play a second asking.
        self.card_wording = ""
        self.calls: Counter[str] = Counter()
        self._lock = threading.Lock()

    def reply(self, request: Any) -> StubReply:
        """Answer one chat completion request."""
        stage = _stage(request) if isinstance(request, dict) else None
        with self._lock:
            self.calls[stage or "unknown"] += 1
        if stage is None:
            return StubReply.error(400, "rule stub: unknown prompt")
        messages = _messages(request)
        system = str(messages[0].get("content", "")) if messages else ""
        user = "\n".join(str(m.get("content", "")) for m in messages if m.get("role") == "user")
        rejected = set(_REJECTED.findall("\n".join(str(m.get("content", "")) for m in messages[2:])))
        answer = getattr(self, "_" + stage.removesuffix("Answer").lower())(system, user)
        answer = _without(answer, rejected)
        content = json.dumps(answer)
        sent = sum(len(str(m.get("content", ""))) for m in messages)
        reply = StubReply.json(
            answer, prompt_tokens=max(1, sent // 4), completion_tokens=max(1, len(content) // 4)
        )
        reply.delay = self.latency
        return reply

    # -- the four prompts ------------------------------------------------------------------------

    def _concepts(self, system: str, user: str) -> dict[str, Any]:
        sentences = [(sid, text) for _, sid, text in _sentences(user)]
        counts = Counter(w for _, text in sentences for w in set(_words(text)))
        top = sorted(counts, key=lambda w: (-counts[w], w))[:4]
        concepts = []
        for rank, word in enumerate(top):
            evidence = [sid for sid, text in sentences if _mentions(text, word) and len(text.split()) >= 8][
                :2
            ]
            if not evidence:
                continue
            concepts.append(
                {
                    "name": word,
                    "aliases": [],
                    "kind": "idea",
                    "definition": f"{word.capitalize()} is a notion the conversation keeps returning to.",
                    "evidence": evidence,
                    "problem": [],
                    "importance": max(1, 5 - rank),
                }
            )
        return {"concepts": concepts}

    def _merge(self, system: str, user: str) -> dict[str, Any]:
        keys = sorted(line.split(" | ")[0].strip() for line in user.splitlines() if " | " in line)
        # A stable rule (a key's prerequisite depends on few other keys), so adding concepts
        # changes few edges: every third key (by a checksum) needs the first key of its letter.
        prerequisites = []
        for key in keys:
            first = next(k for k in keys if k[:1] == key[:1])
            if first != key and sum(key.encode()) % 3 == 0:
                prerequisites.append({"concept": key, "needs": first})
        return {"same": [], "prerequisites": prerequisites}

    def _lesson(self, system: str, user: str) -> dict[str, Any]:
        names = _taught(user)
        later = [n.strip() for n in _after(user, "Later:").split(",")]
        shown = _sentences(user)
        blocks = []
        for name in names:
            cites = [(ep, sid) for ep, sid, text in shown if _mentions(text, name)][:2] or [
                (shown[0][0], shown[0][1])
            ]
            blocks.append(
                {
                    "text": f"{name.capitalize()} comes up when the speakers explain their work; "
                    "the quoted sentences show how they use it.",
                    "cites": [{"episode": ep, "ids": [sid]} for ep, sid in cites],
                }
            )
        joined = " and ".join(names)
        title = f"What {joined} means"
        if any(_mentions(title, n) for n in later if n):
            title = "The next idea"
        return {
            "title": title,
            "problem": f"Why would anyone need {joined}?",
            "prediction": f"Before reading on, guess what {joined} refers to.",
            "reveal": f"It is an idea the speakers return to: {joined}.",
            "blocks": blocks,
        }

    def _assessment(self, system: str, user: str) -> dict[str, Any]:
        keys = [k.strip() for k in _after(user, "Keys:").split(",") if k.strip()]
        shown = _sentences(user)
        questions: list[dict[str, Any]] = []
        cards: list[dict[str, Any]] = []
        for key in keys[:1]:
            name = key.replace("-", " ")
            usable = [
                (ep, sid, text)
                for ep, sid, text in shown
                if _mentions(text, name) and 8 <= len(text.split()) <= 60
            ]
            for number, (ep, sid, text) in enumerate(usable[:2]):
                cite = [{"episode": ep, "ids": [sid]}]
                blank = re.sub(
                    r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", "____", text, count=1, flags=re.IGNORECASE
                )
                questions.append(
                    {
                        "concept": key,
                        "kind": "cloze",
                        "stem": blank,
                        "options": [],
                        "answer": name,
                        "explanation": text,
                        "bloom": "remember",
                        "difficulty": 1 + number,
                        "fact": f"{name} in {sid}",
                        "cites": cite,
                    }
                )
                questions.append(
                    {
                        "concept": key,
                        "kind": "true_false",
                        "stem": text,
                        "options": [],
                        "answer": "true",
                        "explanation": text,
                        "bloom": "understand",
                        "difficulty": 2 + number,
                        "fact": f"claim {sid}",
                        "cites": cite,
                    }
                )
                window = " ".join(text.split()[:20])
                if _mentions(window, name):
                    cloze = re.sub(
                        r"(?<![\w-])(" + re.escape(name) + r")(?![\w-])",
                        r"{{c1::\1}}",
                        window,
                        count=1,
                        flags=re.IGNORECASE,
                    )
                    cards.append(
                        {
                            "concept": key,
                            "kind": "cloze",
                            "front": f"{self.card_wording}{cloze}",
                            "back": "",
                            "fact": f"{self.card_wording}{name} cloze {sid}",
                            "cites": cite,
                        }
                    )
            if usable:
                ep, sid, text = usable[0]
                questions.append(
                    {
                        "concept": key,
                        "kind": "short",
                        "stem": f"Explain in your own words what {name} means.",
                        "answer": " ".join(text.split()[:25]),
                        "options": [],
                        "explanation": text,
                        "bloom": "understand",
                        "difficulty": 3,
                        "fact": f"explain {name}",
                        "cites": [{"episode": ep, "ids": [sid]}],
                    }
                )
        return {"questions": questions, "cards": cards}


def _without(answer: dict[str, Any], rejected: set[str]) -> dict[str, Any]:
    """The answer minus items named in the rejection reasons."""
    if not rejected:
        return answer
    out = dict(answer)
    for field, label in (
        ("questions", "question"),
        ("cards", "card"),
        ("blocks", "block"),
        ("same", "same"),
        ("prerequisites", "prerequisite"),
    ):
        if field in out:
            out[field] = [
                item for n, item in enumerate(out[field], start=1) if f"{label} {n}" not in rejected
            ]
    if "concepts" in out:
        out["concepts"] = [
            c for n, c in enumerate(out["concepts"], start=1) if f"concept {n} ({c['name']})" not in rejected
        ]
    return out
