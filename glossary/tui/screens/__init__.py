"""Screens of the review TUI: queue, entry detail and modal dialogs."""
