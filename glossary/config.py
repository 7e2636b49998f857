"""Runtime configuration: database URL, editor identity and default paths."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DB = "glossary.db"
DEFAULT_EXPORT_DIR = Path("exports")


def db_url_from(db_path: str | None = None, db_url: str | None = None) -> str:
    """--db-url wins, then --db PATH, then $GLOSSARY_DB_URL, then ./glossary.db."""
    if db_url:
        return db_url
    if db_path:
        return sqlite_url(db_path)
    env = os.environ.get("GLOSSARY_DB_URL")
    if env:
        return env
    return sqlite_url(DEFAULT_DB)


def sqlite_url(path: str | os.PathLike) -> str:
    return f"sqlite:///{Path(path)}"


def current_user(explicit: str | None = None) -> str:
    """--user, then $GLOSSARY_USER, then the OS user."""
    if explicit:
        return explicit
    env = os.environ.get("GLOSSARY_USER")
    if env:
        return env
    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no passwd entry in some containers
        return "unknown"


@dataclass
class Settings:
    db_url: str
    user: str
