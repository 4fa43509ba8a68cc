#!/bin/sh
# The crawl node container's command: refuse to run scrapyd without auth, deploy the image's
# code as the `famact` project once scrapyd answers, then become scrapyd (PID 1, so
# `docker stop` reaches it and running crawls close cleanly).
set -eu
if [ -z "${SCRAPYD_USERNAME:-}" ] || [ -z "${SCRAPYD_PASSWORD:-}" ]; then
  echo "famact: error: SCRAPYD_USERNAME / SCRAPYD_PASSWORD not set; scrapyd never runs without auth" >&2
  exit 1
fi
mkdir -p /var/lib/scrapyd/eggs /var/lib/scrapyd/dbs /var/lib/scrapyd/logs
cd /var/lib/scrapyd
python -m famact.app.scrapyd_node deploy-when-up http://127.0.0.1:6800/ --root /app &
exec scrapyd
