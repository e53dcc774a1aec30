#!/usr/bin/env bash
# The statistics benchmark of issue 17 on PostgreSQL: 12-month page views and campaigns over page hits
# seeded at scale (-Dbenchmark.stats.hits=30000000 for a month at scale), and the pixel against a bare
# GIF endpoint alone and while the statistics are read. Needs wrk.
# Figures: target/benchmark/stats.md (copy them into docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk
fi
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
fi
PERSONVERN_TEST_POSTGRES=required ./mvnw -B -Pbenchmark verify -Dtest=StatsBenchmark "$@"
cat target/benchmark/stats.md
