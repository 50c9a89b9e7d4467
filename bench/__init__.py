"""`just bench`: timings of the template and of the project it generates (run: python -m bench)."""
