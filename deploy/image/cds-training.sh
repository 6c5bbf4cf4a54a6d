#!/bin/sh
# Class data sharing, Spring Boot's documented way to start faster ("Class Data Sharing" in its reference): the jar
# is extracted into <app-dir> (jodo-erp-bridge.jar beside lib/, which the JVM can map classes from), then a training
# run starts the bridge on a throw-away data folder up to its refreshed context (-Dspring.context.exit=onRefresh:
# every bean made, nothing listening, nothing delivered) and the JVM writes the classes it loaded to
# <app-dir>/jodo-erp-bridge.jsa. Start the bridge with
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
# The shipped launch settings: the archive's class paths and heap layout must be those of the real starts.
(cd "$app" && BRIDGE_DATA_DIR="$training" SERVER_PORT=0 "$java" "@$options" \
  -XX:ArchiveClassesAtExit="$app/jodo-erp-bridge.jsa" -Dspring.context.exit=onRefresh \
  -jar "$app/jodo-erp-bridge.jar" --spring.main.banner-mode=off > "$training/training.log" 2>&1) || {
  cat "$training/training.log" >&2
  echo "cds-training: the training run failed" >&2
  exit 1
}
test -s "$app/jodo-erp-bridge.jsa" || { cat "$training/training.log" >&2; echo "cds-training: no archive written" >&2; exit 1; }
chmod 0644 "$app/jodo-erp-bridge.jsa"
