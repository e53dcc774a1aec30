#!/usr/bin/env bash
# The audit trail at scale (issue 17) on PostgreSQL: 1,000,000 entries chained by the production
# chainer, then more with writers publishing entries at the same time, then GET /api/v1/audit/verify
# at that length and again at 10,000,000 entries, with the heap's peak (-Xmx512m) of each.
# Options: -Dbenchmark.entries=1000000 -Dbenchmark.full=10000000 -Dbenchmark.writers=4
# -Dbenchmark.with-writers=300000. Figures: target/benchmark/audit.md.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
fi
PERSONVERN_TEST_POSTGRES=required ./mvnw -B -Pbenchmark verify -Dtest=AuditBenchmark "$@"
cat target/benchmark/audit.md
