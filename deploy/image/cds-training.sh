#!/bin/sh
# Class data sharing, Spring Boot's documented way to start faster ("Class Data Sharing" in its reference): the jar
# is extracted into <app-dir> (jodo-erp-bridge.jar beside lib/, which the JVM can map classes from), then a training
# run starts the bridge on a throw-away data folder, with <app-dir>'s routes/ and config/ when there, until it has
# started (the web server listening, the routes running), stops it as a service manager does (SIGTERM), and the JVM
# writes the classes it loaded to <app-dir>/jodo-erp-bridge.jsa. Spring Boot's own way stops at the refreshed
# context (-Dspring.context.exit=onRefresh), before the web server and Camel start, and left 2,265 of the 14,439
# classes a start loads (Camel's YAML routes' and Tomcat's most of them) to be read from the jars at every start;
# trained through a whole start, 966 are (half of them lambdas and proxies made at run time), and the first 202 came
# at 6.5 s instead of 6.7 (median of three, 2 cores, 2026-12-05; bench/RESULTS.md). Start the bridge with
#   java @<app-dir>/jvm.options -XX:SharedArchiveFile=<app-dir>/jodo-erp-bridge.jsa -jar <app-dir>/jodo-erp-bridge.jar
# The archive holds for this Java runtime and this jar only; a JVM that finds it does not match says so in one
# warning and starts without it (as it does, silently, when there is no archive). So it is made where the bridge
# runs: inside the image by the image builds, on a server by its install (deploy/jodo-erp-bridge.service), again
# after the jar or Java is upgraded.
# Usage: cds-training.sh <jar> <app-dir> [java]   (the launch settings: <app-dir>/jvm.options, else config/jvm.options)
set -eu
jar=$1
mkdir -p "$2"
app=$(cd "$2" && pwd)
java=${3:-java}
options=$app/jvm.options
[ -f "$options" ] || options=$app/config/jvm.options

"$java" -Djarmode=tools -jar "$jar" extract --destination "$app" --application-filename jodo-erp-bridge.jar --force
# The archive records each jar's modification time to the second, and image layers keep whole seconds only (umoci
# rounds to the nearest one): the new jar gets a whole-second time, or half of all builds made an archive its own
# image refused. (The libraries keep the times from inside the jar, whole seconds already.)
touch -d "@$(date +%s)" "$app/jodo-erp-bridge.jar"
training=$(mktemp -d)
trap 'rm -rf "$training"' EXIT
# The shipped launch settings: the archive's class paths and heap layout must be those of the real starts. The
# bridge says "Started BridgeApplication" once it has started; asked for here, so a school's logging settings in
# <app-dir>/config cannot hide it.
log=$training/training.log
(cd "$app" && BRIDGE_DATA_DIR="$training/data" SERVER_PORT=0 exec "$java" "@$options" \
  -XX:ArchiveClassesAtExit="$app/jodo-erp-bridge.jsa" -jar "$app/jodo-erp-bridge.jar" --spring.main.banner-mode=off \
  --spring.main.log-startup-info=true --logging.level.com.jodoerp.bridge.BridgeApplication=INFO) > "$log" 2>&1 &
pid=$!
failed() {
  kill "$pid" 2> /dev/null || true
  cat "$log" >&2
  echo "cds-training: $1" >&2
  exit 1
}
waited=0
until grep -q "Started BridgeApplication in" "$log"; do
  kill -0 "$pid" 2> /dev/null || failed "the training run failed"
  [ "$waited" -lt 1800 ] || failed "the training run did not start within 180 s"
  sleep 0.1
  waited=$((waited + 1))
done
kill -TERM "$pid"
# The JVM ends with 128 + 15 when stopped by SIGTERM; the archive is written on the way out.
status=0
wait "$pid" || status=$?
[ "$status" -eq 0 ] || [ "$status" -eq 143 ] || failed "the training run ended with status $status"
test -s "$app/jodo-erp-bridge.jsa" || failed "no archive written"
chmod 0644 "$app/jodo-erp-bridge.jsa"
