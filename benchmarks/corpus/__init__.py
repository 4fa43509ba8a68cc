"""Building the real-page corpus that ``benchmarks.analyzer_corpus`` scores (see build.py)."""
