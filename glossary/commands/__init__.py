"""CLI command groups; each module defines `register(app)` and is wired in `glossary.cli`."""
