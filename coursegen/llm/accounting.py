"""Token usage and dollars, per stage and in total; estimates for --dry-run; the --max-cost cap.

Tokens for estimates are counted from characters (~4 per token, no tokenizer download): the
figure is rough on purpose and is labelled as an estimate wherever it is shown.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from coursegen.config import Price
from coursegen.errors import BudgetExceeded
from coursegen.llm.types import Usage

CHARS_PER_TOKEN = 4
BATCH_DISCOUNT = 0.5  # OpenAI's Batch API bills half the list price


def estimate_tokens(text: str) -> int:
    """Rough token count of `text` (~4 characters per token, at least 1 for non-empty text)."""
    return (len(text) + CHARS_PER_TOKEN - 1) // CHARS_PER_TOKEN


def cost_of(usage: Usage, price: Price | None) -> float | None:
    """Dollars for `usage` at `price`; None when the price is unknown."""
    if price is None:
        return None
    return (usage.prompt_tokens * price.input + usage.completion_tokens * price.output) / 1_000_000


def format_dollars(amount: float) -> str:
    """'$1.00' for a cap or budget; small amounts keep four decimals ('$0.0045')."""
    return f"${amount:.2f}" if amount >= 0.01 or amount == 0 else f"${amount:.4f}"


def format_cost(cost: float | None) -> str:
    """'$0.0123' or 'unknown'."""
    return "unknown" if cost is None else f"${cost:.4f}"


@dataclass
class StageUsage:
    """Calls, tokens and cost of one stage."""

    calls: int = 0
    cached_calls: int = 0
    usage: Usage = field(default_factory=Usage)
    cost: float | None = 0.0

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready figures for the build record."""
        return {
            "calls": self.calls,
            "cached_calls": self.cached_calls,
            "prompt_tokens": self.usage.prompt_tokens,
            "completion_tokens": self.usage.completion_tokens,
            "cost_usd": None if self.cost is None else round(self.cost, 6),
        }


class Ledger:
    """Running usage per stage, the dollars spent, and the hard cap they may not pass."""

    def __init__(self, price: Price | None, max_cost: float) -> None:
        self.price = price
        self.max_cost = max_cost
        self.stages: dict[str, StageUsage] = {}
        self._reserved = 0.0
        self._lock = threading.Lock()

    @property
    def spent(self) -> float | None:
        """Dollars paid so far (None when the price is unknown)."""
        costs = [s.cost for s in self.stages.values()]
        if any(c is None for c in costs):
            return None
        return sum(c for c in costs if c is not None)

    def reserve(self, estimated_cost: float | None) -> float:
        """Claim room under the cap for one call about to be sent; raises BudgetExceeded."""
        if estimated_cost is None or self.price is None:
            return 0.0  # unknown price: the cap cannot be enforced (announced before the run)
        with self._lock:
            spent = self.spent or 0.0
            if spent + self._reserved + estimated_cost > self.max_cost:
                raise BudgetExceeded(
                    f"stopping: the next call would pass --max-cost {format_dollars(self.max_cost)} "
                    f"(spent ${spent:.4f}, in flight ${self._reserved:.4f}, next ~${estimated_cost:.4f}); "
                    "finished answers are cached",
                    "rerun with a higher --max-cost (or max_cost in the llm table of coursegen.toml) "
                    "to continue",
                )
            self._reserved += estimated_cost
            return estimated_cost

    def release(self, reservation: float) -> None:
        """Give back a reservation once its call has finished or failed."""
        with self._lock:
            self._reserved = max(0.0, self._reserved - reservation)

    def record(self, stage: str, usage: Usage, *, cached: bool, discount: float = 1.0) -> None:
        """Add one answer to the stage's figures (cached answers cost nothing now)."""
        with self._lock:
            entry = self.stages.setdefault(stage, StageUsage())
            entry.calls += 1
            if cached:
                entry.cached_calls += 1
                return
            entry.usage.add(usage)
            cost = cost_of(usage, self.price)
            entry.cost = None if cost is None or entry.cost is None else entry.cost + cost * discount

    def summary(self) -> dict[str, Any]:
        """Per-stage and total figures for the build record (stages sorted by name)."""
        total = StageUsage()
        for stage in self.stages.values():
            total.calls += stage.calls
            total.cached_calls += stage.cached_calls
            total.usage.add(stage.usage)
            total.cost = None if stage.cost is None or total.cost is None else total.cost + stage.cost
        return {
            "stages": {name: self.stages[name].as_dict() for name in sorted(self.stages)},
            "total": total.as_dict(),
        }


def format_summary(summary: dict[str, Any]) -> str:
    """Human lines: one per stage, then the total."""
    lines = []
    rows = [*sorted(summary["stages"].items()), ("total", summary["total"])]
    for name, row in rows:
        lines.append(
            f"{name:<12} {row['calls']:>5} calls ({row['cached_calls']} cached)  "
            f"{row['prompt_tokens']:>8} in  {row['completion_tokens']:>7} out tokens  "
            f"{format_cost(row['cost_usd'])}"
        )
    return "\n".join(lines)


@dataclass
class Estimate:
    """What a build would spend: calls to make, calls already cached, tokens and dollars (rough)."""

    calls: int = 0
    cached_calls: int = 0
    usage: Usage = field(default_factory=Usage)
    cost: float | None = 0.0

    def add(self, usage: Usage, cost: float | None, *, cached: bool) -> None:
        """Count one planned call."""
        if cached:
            self.cached_calls += 1
            return
        self.calls += 1
        self.usage.add(usage)
        self.cost = None if cost is None or self.cost is None else self.cost + cost

    def describe(self, model: str, endpoint: str) -> str:
        """One line for --dry-run and for the notice before the first call."""
        return (
            f"estimate: {self.calls} call(s) to {model} at {endpoint} ({self.cached_calls} already cached), "
            f"~{self.usage.prompt_tokens} input + ~{self.usage.completion_tokens} output tokens, "
            f"~{format_cost(self.cost)}"
        )

    def check_cap(self, max_cost: float) -> None:
        """Refuse to start when the estimate alone passes the cap."""
        if self.cost is not None and self.cost > max_cost:
            raise BudgetExceeded(
                f"the estimated cost ~${self.cost:.4f} is more than --max-cost {format_dollars(max_cost)}; "
                "nothing was sent",
                f"rerun with --max-cost {max(self.cost * 1.2, self.cost + 0.01):.2f} "
                "(or max_cost in the llm table of coursegen.toml), or build fewer episodes",
            )
