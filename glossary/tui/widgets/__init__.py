"""Widgets of the review TUI: queue table, evidence view, suggestion list."""
