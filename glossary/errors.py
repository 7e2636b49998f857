"""Exception types shared by every stage; the CLI turns them into one-line messages and exit codes."""

from __future__ import annotations


class GlossaryError(Exception):
    """Base class: anything the user should see as a one-line message (exit code 2)."""

    exit_code = 2


class InputError(GlossaryError):
    """Bad input file or argument. Message should name the file and position: 'path:line:col: what'."""


class DatabaseError(GlossaryError):
    """Database cannot be opened, is not a glossary database, or has an unknown (newer) schema."""


class NotFoundError(GlossaryError):
    """An entry/term/document id that does not exist."""


class ConflictError(GlossaryError):
    """Optimistic-locking failure: the entry changed since the caller read it."""

    def __init__(self, message: str, entry_id: int | None = None, expected: int | None = None,
                 actual: int | None = None):
        super().__init__(message)
        self.entry_id = entry_id
        self.expected = expected
        self.actual = actual


def input_error(path: str, message: str, line: int | None = None, col: int | None = None) -> InputError:
    """Build an InputError whose message follows the 'path:line:col: message' convention."""
    # Parsers (lxml, openpyxl) put quoted source lines after the first line of their messages: keep the
    # message itself so that every input error stays one line.
    lines = [ln.strip() for ln in str(message).splitlines() if ln.strip()]
    message = lines[0] if lines else "invalid input"
    where = str(path)
    if line is not None:
        where += f":{line}"
        if col is not None:
            where += f":{col}"
    return InputError(f"{where}: {message}")
