"""Consistency lint of drafts against the approved glossary."""
