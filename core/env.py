"""The one way settings read the environment: typed, with a default and a help text for every variable.

An empty value counts as unset, so a copied `.env.example` with `DATABASE_URL=` means "the default", never an
empty database URL. `documented()` lists every variable read, which a test compares with `.env.example`.
"""

import os
from pathlib import Path

import environ

_TRUE = {"1", "true", "yes", "on", "ja"}
_FALSE = {"0", "false", "no", "off", "nee"}


class Env:
    def __init__(self, dotenv: Path | None = None):
        if dotenv is not None and dotenv.is_file():
            environ.Env.read_env(dotenv)  # never overrides a variable already set in the environment
        self.help: dict[str, str] = {}

    def _raw(self, name: str, help: str) -> str | None:
        self.help[name] = help
        value = os.environ.get(name, "").strip()
        return value or None

    def str(self, name: str, default: str, *, help: str) -> str:
        value = self._raw(name, help)
        return default if value is None else value

    def bool(self, name: str, default: bool, *, help: str) -> bool:
        value = self._raw(name, help)
        if value is None:
            return default
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
        raise ValueError(f"{name} must be true or false, not {value!r}")

    def int(self, name: str, default: int, *, help: str) -> int:
        value = self._raw(name, help)
        return default if value is None else int(value)

    def list(self, name: str, default: list[str], *, help: str) -> list[str]:
        value = self._raw(name, help)
        return default if value is None else [item.strip() for item in value.split(",") if item.strip()]

    def db(self, name: str, default: str, *, help: str) -> dict:
        return environ.Env.db_url_config(self.str(name, default, help=help))

    def email(self, name: str, default: str, *, help: str) -> dict:
        return environ.Env.email_url_config(self.str(name, default, help=help))

    def documented(self) -> dict[str, str]:
        return dict(self.help)
