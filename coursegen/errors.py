"""One exception tree: every error we raise says what went wrong and what to do next.

The CLI renders these once (a red ERROR line plus an optional TIP) and exits non-zero;
anything that is not a CoursegenError is a bug and keeps its traceback.
"""

from __future__ import annotations


class CoursegenError(Exception):
    """Base of every error a user may see. `tip` names the next step."""

    exit_code = 1

    def __init__(self, message: str, tip: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.tip = tip

    def __str__(self) -> str:
        return self.message


class UsageError(CoursegenError):
    """The command line or configuration asks for something impossible."""

    exit_code = 2


class ConfigError(CoursegenError):
    """coursegen.toml or the environment holds an invalid value."""


class InputError(CoursegenError):
    """A source file cannot be read or parsed (empty, binary, unknown format, too large)."""

    def __init__(self, path: str, reason: str, tip: str | None = None) -> None:
        super().__init__(f"{path}: {reason}", tip)
        self.path = path
        self.reason = reason


class NothingIngested(CoursegenError):
    """No file given to ingest produced an episode."""


class CourseFileError(CoursegenError):
    """A course.json cannot be read (missing, corrupt, or from an unknown schema)."""


class WriteError(CoursegenError):
    """An output file could not be written (permission denied, disk full, ...)."""


class LLMError(CoursegenError):
    """A model call failed for a reason that retrying will not fix."""


class FatalLLMError(LLMError):
    """Authentication, permission or unknown model: stops the whole build at once."""


class BudgetExceeded(LLMError):
    """The estimated or spent cost would pass --max-cost."""
