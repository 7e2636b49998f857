"""glossary — a Chinese–English terminology manager."""

__version__ = "0.1.0"
