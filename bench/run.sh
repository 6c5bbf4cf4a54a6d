#!/usr/bin/env bash
# The benchmark, in one command: builds the jar, then runs bench/Bench.java against it (loopback only,
# bounded in time and requests), prints one table and appends it, dated, to bench/RESULTS.md.
# Not a test: `mvn -B verify` never runs it. Knobs: BENCH_SECONDS, BENCH_WARMUP_SECONDS,
# BENCH_CONNECTIONS, BENCH_E2E_RATE, BENCH_PARTS (h2,pg,e2e,million,million-pg,recon), BENCH_RECON_PAYMENTS, BENCH_MILLION, BENCH_IDLE_SECONDS, BENCH_JVM_ARGS.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q package -DskipTests
# The JDBC drivers the benchmark itself uses to create and measure databases.
CP=$(mvn -B -q dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile=/dev/stdout)
exec java -cp "$CP" bench/Bench.java "$@"
