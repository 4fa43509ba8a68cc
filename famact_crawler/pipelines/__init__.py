"""Item pipelines, in order: validate -> normalize -> classify -> dedupe -> store -> output.

Item types along the way: the spider yields `RawListing`; normalize turns it into a
`NormalizedListing`; classify into an entity (`EntityBase` subclass); dedupe, store and
output pass entities on. Each stage counts what it does in `crawler.stats` under `famact/`.
"""
