"""Textual review application."""
