"""The old S3 frontend's `activities/latest.json` snapshot: its model, the mapping to and from
famact entities, and publishing / importing / comparing it during the cut-over."""
