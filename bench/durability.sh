#!/usr/bin/env bash
# What durable commits cost (issue 12): consents per second over HTTP, 16 clients, against the packaged
# jar on H2 with the default URL, on H2 with WRITE_DELAY=0, and on PostgreSQL; run it on two commits to compare.
# ./bench/durability.sh [-Dbenchmark.seconds=20]
# Needs PostgreSQL at PERSONVERN_TEST_POSTGRES_URL (default jdbc:postgresql://127.0.0.1:5432/test, user postgres).
# Figures: target/benchmark/durability.md (copy them into docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
fi
./mvnw -B -q package -DskipTests -Djacoco.skip=true   # the jar the benchmark starts as a process
PERSONVERN_TEST_POSTGRES=required ./mvnw -B -Pbenchmark verify -Dtest=DurabilityBenchmark \
  -Dbenchmark.commit="$(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo +changes)" "$@"
cat target/benchmark/durability.md
