"""For `scrapyd-deploy` only: it builds the egg with `setup.py bdist_egg`. Everything
(packages, the `scrapy` settings entry point) is declared in pyproject.toml."""

from setuptools import setup

setup()
