#!/usr/bin/env bash
# The public rate limit's cost on /t.gif and /consent.js on PostgreSQL (issue 12): counted locally and
# flushed every second (the default), then with every request asking the database. Needs wrk.
# Figures: target/benchmark/edge-*.md (copy them into docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk
fi
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
fi
for flush in PT1S PT0S; do
  PERSONVERN_TEST_POSTGRES=required ./mvnw -B -Pbenchmark verify -Dtest=EdgeBenchmark -Dbenchmark.flush-interval=$flush "$@"
done
cat target/benchmark/edge-*.md
