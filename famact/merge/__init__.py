"""One entity per real-world activity across sources (issue 18, item 5).

- `listing`: the comparable view of an entity (title, place, dates, source authority);
- `text`: title and venue normalisation for matching;
- `score`: the pair scorer with its vetoes (pure: no I/O);
- `candidates`: the GSI queries that find an entity's possible duplicates;
- `run`: the batch job: candidates -> scores -> merges and unsure pairs (store/merges.py).
"""
