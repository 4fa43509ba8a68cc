"""Scheduling crawls on scrapyd: the HTTP client and the orchestrator that drives it."""
