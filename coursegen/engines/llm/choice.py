"""Whether a build runs the LLM engine, from its flags, without loading the engine.

Kept apart from wiring.py: the engine pulls in `openai` (over a second to import), and most
builds (`--engine extractive`, or `auto` with no endpoint) never need it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from coursegen.config import Settings
from coursegen.errors import UsageError
from coursegen.llm.setup import settings_from_flags


@dataclass
class LLMFlags:
    """The build flags that concern the LLM engine (None = not given)."""

    engine: str = "auto"
    model: str | None = None
    base_url: str | None = None
    concurrency: int | None = None
    max_cost: float | None = None
    dry_run: bool = False
    batch_out: Path | None = None
    language: str | None = None
    config: Path | None = None  # --config; default: OUT/coursegen.toml, else ./coursegen.toml


def wants_llm(choice: str, settings: Settings) -> bool:
    """True for --engine llm, or auto with an endpoint or key configured."""
    if choice == "llm":
        return True
    return choice == "auto" and settings.llm_configured


def llm_settings_for_build(flags: LLMFlags, out_dir: Path) -> Settings | None:
    """The settings of a build that runs the LLM engine, or None for the extractive engine.

    Raises UsageError for LLM-only flags without the LLM engine, and for an LLM engine with no
    endpoint it could send to.
    """
    settings = settings_from_flags(
        model=flags.model,
        base_url=flags.base_url,
        concurrency=flags.concurrency,
        max_cost=flags.max_cost,
        config_path=flags.config,
        out_dir=out_dir,
    )
    if not wants_llm(flags.engine, settings):
        if flags.dry_run or flags.batch_out:
            raise UsageError(
                "--dry-run and --batch-out need the llm engine",
                "pass --engine llm with --base-url (or set OPENAI_BASE_URL / OPENAI_API_KEY)",
            )
        return None
    offline = flags.dry_run or flags.batch_out is not None
    if not settings.api_key and not settings.base_url and not settings.is_local and not offline:
        # Say so before any estimate or notice: nothing can be sent to a hosted API without a key.
        raise UsageError(
            f"the llm engine has no endpoint it can use: no API key for {settings.shown_endpoint}",
            "set OPENAI_API_KEY, or point --base-url / OPENAI_BASE_URL at a local server "
            "(or build with --engine extractive, no model needed)",
        )
    return settings
