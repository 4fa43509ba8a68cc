"""Repositories over boto3 for the three famact tables (ARCHITECTURE section 2).

- `dynamo`: connection, table creation, item conversion, batched writes/reads with retries;
- `rows`: entity -> family-activities rows (pure);
- `activities.ActivityStore`, `sources.SourceStore`, `operations.OperationsStore`;
- `paging.Page`: GSI query pages with opaque cursors; `errors`: the store's exceptions.
"""
