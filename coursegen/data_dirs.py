"""Where the prompt and site-template folders are: the checkout's top level, else the wheel's copy.

`prompts/` and `templates/` sit at the top of the source tree (editing them needs no Python).
A non-editable install (`pip install .`) has no such tree: setup.py copies both folders into
the wheel as `coursegen/_data/<name>`, found here through importlib.resources.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import coursegen

_CHECKOUT = Path(coursegen.__file__).resolve().parent.parent


def data_dir(name: str) -> Path:
    """The folder `name` ("prompts" or "templates"): a checkout's own first, else the packaged copy.

    A checkout is recognised by its pyproject.toml, so a stray top-level folder of the same name
    in site-packages is never taken for ours. When neither exists, the checkout path is returned
    and the caller's "not found" error names it.
    """
    checkout = _CHECKOUT / name
    if (_CHECKOUT / "pyproject.toml").is_file() and checkout.is_dir():
        return checkout
    packaged = Path(str(resources.files("coursegen") / "_data" / name))
    if packaged.is_dir():
        return packaged
    return checkout


MISSING_TIP = (
    "this coursegen install lacks its data folders: reinstall it (`pip install .` copies them "
    "into the package) or install a source checkout with `pip install -e .`"
)
