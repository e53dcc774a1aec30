#!/usr/bin/env bash
# The staff console at scale (issue 16): 1,000,000 people, 100,000 requests, 10,000,000 audit entries
# on PostgreSQL; 8 staff sessions open the dashboard, the queue and people's pages. Writes
# target/benchmark/console.md. Options: -Dbenchmark.seconds=60 -Dbenchmark.sessions=8 ...
set -euo pipefail
cd "$(dirname "$0")/.."
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
fi
PERSONVERN_TEST_POSTGRES=required ./mvnw -B -Pbenchmark verify -Dtest=ConsoleBenchmark "$@"
cat target/benchmark/console.md
