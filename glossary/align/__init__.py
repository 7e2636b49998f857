"""Sentence alignment of Chinese and English text."""
