#!/usr/bin/env bash
# The vault benchmark of issue 3 on PostgreSQL: ./bench/vault.sh [people]   (default 1,000,000)
# Needs PostgreSQL at PERSONVERN_TEST_POSTGRES_URL (default jdbc:postgresql://127.0.0.1:5432/test,
# user postgres) and wrk. Figures: target/benchmark/vault.md (copy them into docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk
fi
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
fi
PERSONVERN_TEST_POSTGRES=required ./mvnw -B -Pbenchmark verify -Dtest=VaultBenchmark -Dbenchmark.people="${1:-1000000}" "${@:2}"
cat target/benchmark/vault.md
