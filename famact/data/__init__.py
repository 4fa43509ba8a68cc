"""Data files bundled with famact (the starter catalog of real Seattle-area sources)."""
