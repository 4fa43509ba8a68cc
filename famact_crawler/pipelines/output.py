"""Write normalized entities as JSON Lines (`famact crawl --output FILE`).

Lines are appended as items arrive (a crash keeps what was found) to `FILE.partial`; when the
crawl closes, repeated sightings of one entity collapse to its last, most merged version and
the file is moved into place.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import IO, Any

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from famact.listing import output_row
from famact.models import EntityBase


class OutputPipeline:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.partial = path.with_name(path.name + ".partial")
        self.fp: IO[str] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> OutputPipeline:
        path = crawler.settings.get("FAMACT_OUTPUT_FILE")
        if not path:
            raise NotConfigured  # disabled on purpose: no warning in the log
        return cls(Path(path))

    def open_spider(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fp = self.partial.open("w", encoding="utf-8")

    def process_item(self, item: Any) -> Any:
        if isinstance(item, EntityBase) and self.fp is not None:
            self.fp.write(json.dumps(output_row(item), ensure_ascii=False, sort_keys=True) + "\n")
        return item

    def close_spider(self) -> None:
        if self.fp is None:
            return
        self.fp.close()
        rows: dict[str, dict[str, Any]] = {}
        with self.partial.open(encoding="utf-8") as fp:
            for line in fp:
                row = json.loads(line)
                key = f"{row['entity_type']}#{row['entity_id']}"
                rows.pop(key, None)  # a repeat replaces the earlier, less merged version
                rows[key] = row
        tmp = self.path.with_name(self.path.name + ".tmp")
        with tmp.open("w", encoding="utf-8") as fp:
            for row in rows.values():
                fp.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
        os.replace(tmp, self.path)
        self.partial.unlink(missing_ok=True)
