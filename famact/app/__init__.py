"""The application layer: the `famact` command, the source workflow, the demo and the local
servers. The only code that wires the domain core (famact), the crawler (famact_crawler) and
the analyzers together; nothing below imports it (import-linter contracts in pyproject.toml).
"""
