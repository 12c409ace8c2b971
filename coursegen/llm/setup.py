"""Turning `build` flag values into Settings and a ready LLMClient (used by build_cmd.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from coursegen.config import Settings, load_settings
from coursegen.llm.accounting import format_dollars

if TYPE_CHECKING:
    from coursegen.llm.client import LLMClient


def settings_from_flags(
    *,
    model: str | None = None,
    base_url: str | None = None,
    concurrency: int | None = None,
    max_cost: float | None = None,
    config_path: Path | None = None,
    out_dir: Path | None = None,
) -> Settings:
    """Settings from CLI flags (None = not given) over env, coursegen.toml and defaults.

    coursegen.toml: `config_path`, else `out_dir`/coursegen.toml, else ./coursegen.toml.
    """
    flags = {"model": model, "base_url": base_url, "concurrency": concurrency, "max_cost": max_cost}
    return load_settings(flags=flags, config_path=config_path, out_dir=out_dir)


def make_llm_client(
    settings: Settings,
    *,
    build_dir: Path | None = None,
    batch_out: Path | None = None,
    notify: Callable[[str], None] | None = None,
) -> LLMClient:
    """A client whose cache lives in the build folder (or COURSEGEN_HOME); `batch_out` writes, never sends."""
    # Imported here: the client pulls in `openai` (over a second), which settings alone never need.
    from coursegen.llm.batch import BatchWriter
    from coursegen.llm.cache import ResponseCache, default_cache_path
    from coursegen.llm.client import LLMClient

    cache = ResponseCache(default_cache_path(settings.home, build_dir))
    batch = BatchWriter(batch_out) if batch_out is not None else None
    return LLMClient(settings, cache, batch=batch, notify=notify)


def engine_banner(settings: Settings) -> str:
    """The line printed before the first call: engine, endpoint, model and its price."""
    price = settings.price_for()
    price_text = (
        "price unknown (cost cap cannot be enforced)"
        if price is None
        else (
            "free (local server)"
            if settings.is_local and price.input == price.output == 0
            else f"${price.input:g}/${price.output:g} per 1M tokens in/out"
        )
    )
    return (
        f"engine llm: model {settings.model} at {settings.shown_endpoint}, {price_text}, "
        f"max cost {format_dollars(settings.max_cost)}"
    )
