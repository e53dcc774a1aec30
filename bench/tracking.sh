#!/usr/bin/env bash
# The website benchmark of issue 4 on PostgreSQL: pixel vs a bare GIF endpoint, and consent writes
# over HTTP vs pgbench's insert+commit of the same row. Needs wrk and pgbench (PostgreSQL's client).
# Figures: target/benchmark/tracking.md (copy them into docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk
fi
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
fi
PERSONVERN_TEST_POSTGRES=required ./mvnw -B -Pbenchmark verify -Dtest=TrackingBenchmark "$@"
cat target/benchmark/tracking.md
