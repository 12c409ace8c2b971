"""Settings for the LLM layer: flags > environment > coursegen.toml `[llm]` > defaults.

coursegen.toml is looked up and read by coursegen.config_file, the same rule as every other table.

Every value remembers where it came from so `coursegen config` can say why it is what it is.
Other tables of coursegen.toml (`[speakers.*]`, `[overrides]`, `[course]`, ...) belong to other
areas and are ignored here; unknown keys inside `[llm]` are an error, because a typo such as
`max_cots` would otherwise silently leave the cost cap at its default.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from coursegen.config_file import CONFIG_FILE_NAME as CONFIG_FILE_NAME  # re-exported
from coursegen.config_file import find_config_file, read_config_file
from coursegen.errors import ConfigError

OPENAI_BASE_URL = "https://api.openai.com/v1"
DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_CONCURRENCY = 8
DEFAULT_MAX_COST = 1.00
DEFAULT_TIMEOUT = 120.0
DEFAULT_MAX_ATTEMPTS = 3  # validation attempts per item (first answer + 2 re-asks)
DEFAULT_TRANSPORT_RETRIES = 6  # tries of one HTTP request on 429/5xx/timeout/connection errors


@dataclass(frozen=True)
class Price:
    """Dollars per one million tokens."""

    input: float
    output: float


# Public list prices (USD per 1M tokens) of common OpenAI models at the time of writing.
# They change: set [llm.prices."<model>"] in coursegen.toml to be exact. Dated variants
# ("gpt-4o-mini-2024-07-18") match by their longest known prefix.
DEFAULT_PRICES: dict[str, Price] = {
    "gpt-4o-mini": Price(0.15, 0.60),
    "gpt-4o": Price(2.50, 10.00),
    "gpt-4.1": Price(2.00, 8.00),
    "gpt-4.1-mini": Price(0.40, 1.60),
    "gpt-4.1-nano": Price(0.10, 0.40),
    "gpt-5": Price(1.25, 10.00),
    "gpt-5-mini": Price(0.25, 2.00),
    "gpt-5-nano": Price(0.05, 0.40),
    "o4-mini": Price(1.10, 4.40),
    "o3-mini": Price(1.10, 4.40),
}

_LLM_KEYS = {
    "base_url",
    "model",
    "concurrency",
    "max_cost",
    "timeout",
    "max_attempts",
    "transport_retries",
    "prices",
}


@dataclass(frozen=True)
class Settings:
    """Effective LLM settings; `sources` maps each field name to where its value came from."""

    # Secrets stay out of repr (tracebacks, logs, debug prints); __repr__ below masks base_url.
    api_key: str | None = field(default=None, repr=False)
    base_url: str | None = None
    model: str = DEFAULT_MODEL
    concurrency: int = DEFAULT_CONCURRENCY
    max_cost: float = DEFAULT_MAX_COST
    timeout: float = DEFAULT_TIMEOUT
    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    transport_retries: int = DEFAULT_TRANSPORT_RETRIES
    prices: dict[str, Price] = field(default_factory=lambda: dict(DEFAULT_PRICES))
    home: Path = field(default_factory=lambda: default_home())
    config_file: Path | None = None
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def endpoint(self) -> str:
        """The base URL calls go to (OpenAI's when none is configured)."""
        return (self.base_url or OPENAI_BASE_URL).rstrip("/")

    @property
    def shown_endpoint(self) -> str:
        """The endpoint as printed and recorded: a password or token in the URL is masked."""
        return mask_url(self.endpoint)

    def __repr__(self) -> str:
        shown = []
        for item in fields(self):
            if not item.repr:
                continue
            value = getattr(self, item.name)
            if item.name == "base_url" and value is not None:
                value = mask_url(value)
            shown.append(f"{item.name}={value!r}")
        return f"Settings({', '.join(shown)})"

    @property
    def llm_configured(self) -> bool:
        """True when a key or an endpoint is set: `--engine auto` then picks the LLM engine."""
        return bool(self.api_key) or bool(self.base_url)

    @property
    def is_local(self) -> bool:
        """True when the endpoint is on this machine (nothing leaves it, nothing is billed)."""
        return is_local_url(self.endpoint)

    def price_for(self, model: str | None = None) -> Price | None:
        """Price of `model` (default: the configured one); None when unknown."""
        return lookup_price(self.prices, model or self.model, local=self.is_local)


def default_home() -> Path:
    """User state folder: $COURSEGEN_HOME, else ~/.coursegen."""
    env = os.environ.get("COURSEGEN_HOME")
    return Path(env).expanduser() if env else Path.home() / ".coursegen"


def is_local_url(url: str) -> bool:
    """True for loopback hosts (localhost, 127.x, ::1)."""
    try:
        host = (urlparse(url).hostname or "").lower()
    except ValueError:
        return False
    return host in {"localhost", "::1", "0.0.0.0"} or host.startswith("127.") or host.endswith(".localhost")


def lookup_price(prices: Mapping[str, Price], model: str, *, local: bool = False) -> Price | None:
    """Exact price, else the longest configured prefix; a local server is free when unpriced."""
    if model in prices:
        return prices[model]
    prefixes = [name for name in prices if model.startswith(name + "-")]
    if prefixes:
        return prices[max(prefixes, key=len)]
    return Price(0.0, 0.0) if local else None


def mask_secret(value: str | None) -> str:
    """Show only the last four characters of a secret."""
    if not value:
        return "(not set)"
    return "****" if len(value) <= 8 else f"****{value[-4:]}"


def mask_url(url: str) -> str:
    """The URL with any user:password (or token) before the host replaced by ****."""
    try:
        parsed = urlparse(url)
    except ValueError:  # unparseable ("http://[::1/v1"): show nothing that might be a secret
        return "****" if "@" in url else url
    if "@" not in parsed.netloc:
        return url
    host = parsed.netloc.rsplit("@", 1)[1]
    return parsed._replace(netloc=f"****@{host}").geturl()


def load_settings(
    flags: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
    config_path: Path | None = None,
    cwd: Path | None = None,
    out_dir: Path | None = None,
) -> Settings:
    """Resolve settings: flags (non-None values) > env > coursegen.toml [llm] > defaults.

    coursegen.toml is found by the one rule of coursegen.config_file: `config_path`, else
    `out_dir`/coursegen.toml, else ./coursegen.toml.
    """
    env = os.environ if env is None else env
    flags = {k: v for k, v in (flags or {}).items() if v is not None}
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}

    path = find_config_file(out_dir, config_path, cwd)
    config_file: Path | None = None
    if config_path is not None or path.is_file():
        table = _read_llm_table(path)
        config_file = path
        for key, raw in table.items():
            values[key] = _parse_prices(raw, path) if key == "prices" else _coerce(key, raw, str(path))
            sources[key] = f"{path.name} [llm]"

    env_map = {
        "api_key": "OPENAI_API_KEY",
        "base_url": "OPENAI_BASE_URL",
        "model": "COURSEGEN_MODEL",
        "concurrency": "COURSEGEN_CONCURRENCY",
        "max_cost": "COURSEGEN_MAX_COST",
    }
    for key, name in env_map.items():
        raw_env = env.get(name)
        if raw_env:
            values[key] = _coerce(key, raw_env, f"environment variable {name}")
            sources[key] = f"env {name}"

    for key, raw in flags.items():
        if key not in _LLM_KEYS | {"api_key"}:
            raise ConfigError(f"unknown LLM setting {key!r}")
        values[key] = _coerce(key, raw, f"--{key.replace('_', '-')}")
        sources[key] = "flag --" + key.replace("_", "-")

    prices = dict(DEFAULT_PRICES)
    prices.update(values.pop("prices", {}))
    home_env = env.get("COURSEGEN_HOME")
    home = Path(home_env).expanduser() if home_env else Path.home() / ".coursegen"
    sources["home"] = "env COURSEGEN_HOME" if home_env else "default"
    for key in (
        "api_key",
        "base_url",
        "model",
        "concurrency",
        "max_cost",
        "timeout",
        "max_attempts",
        "transport_retries",
    ):
        sources.setdefault(key, "default")
    sources.setdefault("prices", "default")
    return Settings(prices=prices, home=home, config_file=config_file, sources=sources, **values)


def effective_settings(settings: Settings) -> list[tuple[str, str, str]]:
    """(name, shown value, source) rows for display; the API key is masked."""
    price = settings.price_for()
    price_text = "unknown" if price is None else f"${price.input:g} in / ${price.output:g} out per 1M tokens"
    rows = [
        ("api_key", mask_secret(settings.api_key), settings.sources.get("api_key", "default")),
        ("base_url", settings.shown_endpoint, settings.sources.get("base_url", "default")),
        ("model", settings.model, settings.sources.get("model", "default")),
        ("price", price_text, settings.sources.get("prices", "default")),
        ("concurrency", str(settings.concurrency), settings.sources.get("concurrency", "default")),
        ("max_cost", f"${settings.max_cost:.2f}", settings.sources.get("max_cost", "default")),
        ("timeout", f"{settings.timeout:g} s", settings.sources.get("timeout", "default")),
        ("max_attempts", str(settings.max_attempts), settings.sources.get("max_attempts", "default")),
        (
            "transport_retries",
            str(settings.transport_retries),
            settings.sources.get("transport_retries", "default"),
        ),
        ("home", str(settings.home), settings.sources.get("home", "default")),
        (
            "config_file",
            str(settings.config_file) if settings.config_file else "(none)",
            "search OUT/ then ./" + CONFIG_FILE_NAME if settings.config_file is None else "found",
        ),
    ]
    return rows


def _read_llm_table(path: Path) -> dict[str, Any]:
    data = read_config_file(path, required=True)
    table = data.get("llm", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: llm must be a table")
    if "api_key" in table:
        raise ConfigError(
            f"{path}: api_key does not belong in coursegen.toml (files get committed and shared)",
            "remove it and set OPENAI_API_KEY in the environment instead",
        )
    unknown = sorted(set(table) - _LLM_KEYS)
    if unknown:
        raise ConfigError(
            f"{path}: unknown key(s) in the llm table: {', '.join(unknown)}",
            f"known keys: {', '.join(sorted(_LLM_KEYS))}",
        )
    return dict(table)


def _parse_prices(raw: Any, path: Path) -> dict[str, Price]:
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: llm.prices must be a table of models")
    prices: dict[str, Price] = {}
    for model, entry in raw.items():
        if not isinstance(entry, dict) or set(entry) != {"input", "output"}:
            raise ConfigError(
                f"{path}: llm.prices.{model} needs exactly `input` and `output` (dollars per 1M tokens)",
                "give both, in dollars per 1M tokens, e.g. input = 0.15 and output = 0.60",
            )
        nums = [_number(entry[k], f"{path}: llm.prices.{model}.{k}") for k in ("input", "output")]
        prices[str(model)] = Price(nums[0], nums[1])
    return prices


def _number(raw: Any, where: str) -> float:
    if isinstance(raw, bool):
        raise ConfigError(f"{where}: expected a number, got {raw!r}")
    try:
        value = float(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{where}: expected a number, got {raw!r}") from exc
    if not math.isfinite(value) or value < 0:
        raise ConfigError(f"{where}: expected a number >= 0, got {raw!r}")
    return value


def _coerce(key: str, raw: Any, where: str) -> Any:
    """Check one value's type and range; `where` names its origin for the error."""
    if key in {"api_key", "model"}:
        text = str(raw).strip()
        if not text:
            raise ConfigError(f"{where}: {key} is empty")
        return text
    if key == "base_url":
        text = str(raw).strip().rstrip("/")
        try:
            parsed = urlparse(text)
        except ValueError:  # e.g. an unclosed IPv6 bracket
            parsed = None
        if parsed is None or parsed.scheme not in {"http", "https"} or not parsed.netloc:
            raise ConfigError(
                f"{where}: base_url {mask_url(text)!r} is not an http(s) URL",
                "example: http://127.0.0.1:8080/v1 or https://api.openai.com/v1",
            )
        return text
    if key in {"concurrency", "max_attempts", "transport_retries"}:
        if isinstance(raw, bool):
            raise ConfigError(f"{where}: {key} must be a whole number, got {raw!r}")
        try:
            number = int(str(raw).strip())
        except ValueError as exc:
            raise ConfigError(f"{where}: {key} must be a whole number, got {raw!r}") from exc
        low = 0 if key == "transport_retries" else 1
        if not low <= number <= 256:
            raise ConfigError(f"{where}: {key} must be between {low} and 256, got {number}")
        return number
    if key in {"max_cost", "timeout"}:
        value = _number(raw, f"{where}: {key}")
        if key == "timeout" and value == 0:
            raise ConfigError(f"{where}: timeout must be more than 0 seconds")
        return value
    raise ConfigError(f"{where}: unknown LLM setting {key!r}")
