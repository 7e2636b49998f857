"""On-disk caches of derived data (parsed dictionaries, compiled glossaries): where they live, atomic writes."""

from __future__ import annotations

import gc
import os
import pickle
import tempfile
from pathlib import Path


def cache_dir() -> Path:
    """$GLOSSARY_CACHE_DIR, else $XDG_CACHE_HOME/glossary, else ~/.cache/glossary."""
    env = os.environ.get("GLOSSARY_CACHE_DIR")
    if env:
        return Path(env)
    return Path(os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")) / "glossary"


def write_pickle(path: Path, obj, stale: str | None = None) -> bool:
    """Pickle `obj` to `path` atomically (a temporary file renamed into place), then remove the other files
    matching the glob `stale` beside it (earlier keys). False when it cannot be written: a cache is never
    required."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        tmp = None
        for old in path.parent.glob(stale) if stale else ():
            if old != path:
                old.unlink(missing_ok=True)
        return True
    except OSError:
        return False
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def read_pickle(path: Path):
    """The object pickled at `path`, or None when it is missing, truncated, foreign or corrupt (the caller
    rebuilds it). The collector is off while loading: millions of new objects it would only walk."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except Exception:  # noqa: BLE001 - any unreadable cache file is rebuilt, never fatal
        return None
    finally:
        if enabled:
            gc.enable()
