"""Readers: detect format and encoding of bilingual material and decode it."""
