#!/usr/bin/env bash
# The breach benchmark of issue 14 on PostgreSQL: ./bench/breaches.sh [people] (default 1,000,000)
# Extra Maven arguments pass through. Needs PostgreSQL at PERSONVERN_TEST_POSTGRES_URL (default
# jdbc:postgresql://127.0.0.1:5432/test, user postgres).
# Figures: target/benchmark/breaches.md (copy them into docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
fi
PERSONVERN_TEST_POSTGRES=required ./mvnw -B -Pbenchmark verify -Dtest=BreachBenchmark -Dbenchmark.people="${1:-1000000}" "${@:2}"
cat target/benchmark/breaches.md
