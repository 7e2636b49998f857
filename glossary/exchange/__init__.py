"""Exchange formats: XLSX, TBX v3, TBX 2008, CSV/TSV, JSON Lines."""
