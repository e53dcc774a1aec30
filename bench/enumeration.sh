#!/usr/bin/env bash
# Issue 12: known and unknown addresses at the public request and sign-up endpoints, on PostgreSQL.
# Figures: target/benchmark/enumeration.md (copy them into docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
fi
PERSONVERN_TEST_POSTGRES=required ./mvnw -B -Pbenchmark verify -Dtest=EnumerationTimingBenchmark "$@"
cat target/benchmark/enumeration.md
