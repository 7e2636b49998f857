"""Evaluation of alignment and mining quality against hand-checked gold data."""
