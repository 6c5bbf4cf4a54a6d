#!/usr/bin/env bash
# The benchmark, in one command: builds the jar, then runs bench/Bench.java against it (loopback only,
# bounded in time and requests), prints one table and appends it, dated, to bench/RESULTS.md.
# Not a test: `mvn -B verify` never runs it. By default it measures the performance targets (README
# "Performance"), each as a ratio against a reference taken in the same run. Knobs: BENCH_SECONDS,
# BENCH_WARMUP_SECONDS, BENCH_WARMUP_RATE, BENCH_CONNECTIONS, BENCH_PARTS (targets; also intake, latency,
# startup, footprint, h2, pg, stores, e2e, million, million-pg, recon),
# BENCH_ERPS (mariadb,postgresql), BENCH_JFR (set: one JFR recording per phase, in target/bench-profiles),
# BENCH_E2E_RATE, BENCH_RECON_PAYMENTS, BENCH_MILLION, BENCH_IDLE_SECONDS, BENCH_JVM_ARGS.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q package -DskipTests
# The jar extracted with its class data sharing archive, as the container images start it (target 6).
rm -rf target/bench-cds && mkdir -p target/bench-cds && cp config/jvm.options target/bench-cds/
sh deploy/image/cds-training.sh target/jodo-erp-bridge-*.jar target/bench-cds
# The JDBC drivers the benchmark itself uses to create and measure databases.
CP=$(mvn -B -q dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile=/dev/stdout)
exec java -cp "$CP" bench/Bench.java "$@"
