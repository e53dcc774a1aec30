#!/usr/bin/env bash
# Durable writes over HTTP on PostgreSQL (issue 17): the banner's choice and a product's sign-up
# against a bare endpoint of the same process that inserts one consent record and commits. Needs wrk.
# Options: -Dbenchmark.duration=10s -Dbenchmark.rounds=3 -Dbenchmark.visitors=1000 -Dbenchmark.jfr=true (a flight
# recording per endpoint of the first round in target/benchmark/writes-*.jfr).
# Figures: target/benchmark/writes.md (copy them into docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk
fi
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
fi
PERSONVERN_TEST_POSTGRES=required ./mvnw -B -Pbenchmark verify -Dtest=WriteBenchmark "$@"
cat target/benchmark/writes.md
