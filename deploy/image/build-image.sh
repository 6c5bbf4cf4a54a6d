#!/usr/bin/env bash
# Builds jodo-erp-bridge's OCI image without a container daemon, from Debian's own packages: a bookworm base with
# Debian's Java 17 runtime made by mmdebstrap, and the jar, routes and settings on top as a second layer by umoci.
# The result is an OCI layout (<out>/oci, tag jodo-erp-bridge) and the same as an OCI archive
# (<out>/jodo-erp-bridge-oci.tar): `podman load -i`, or `skopeo copy oci-archive:... docker://...` to a registry.
# Needs root and Debian's mmdebstrap and umoci (apt-get install mmdebstrap umoci). Under CI, `mvn -B verify` runs it
# (profile "image") and ImageIT starts the bridge from the unpacked layers.
# Usage: deploy/image/build-image.sh [jar] [out-dir]
set -euo pipefail
cd "$(dirname "$0")/../.."
jar=${1:-$(ls target/jodo-erp-bridge-*.jar | head -n 1)}
out=${2:-target/image}
tag=jodo-erp-bridge
uid=10001

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Layer 1: Debian and its Java runtime, with the unprivileged user the bridge runs as.
mmdebstrap --quiet --variant=apt --include=openjdk-17-jre-headless,ca-certificates \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
  --customize-hook="chroot \"\$1\" useradd --uid $uid --user-group --no-create-home --home-dir /app --shell /usr/sbin/nologin bridge" \
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin' \
  bookworm "$work/base.tar"

rm -rf "$out"
mkdir -p "$out"
umoci init --layout "$out/oci"
umoci new --image "$out/oci:$tag"
umoci unpack --image "$out/oci:$tag" "$work/bundle"
tar -xpf "$work/base.tar" -C "$work/bundle/rootfs" --numeric-owner
umoci repack --refresh-bundle --image "$out/oci:$tag" "$work/bundle"

# Layer 2: the bridge, its shipped routes and settings (replace them by mounting over /app/routes, /app/config),
# and the data volume, owned by the bridge's user.
install -d "$work/bundle/rootfs/app"
install -d -o "$uid" -g "$uid" "$work/bundle/rootfs/data"
install -m 0644 "$jar" "$work/bundle/rootfs/app/jodo-erp-bridge.jar"
cp -r routes config "$work/bundle/rootfs/app/"
# The launch settings outside /app/config, so a mounted settings folder does not hide them (as in the Dockerfile).
install -m 0644 config/jvm.options "$work/bundle/rootfs/app/jvm.options"
umoci repack --image "$out/oci:$tag" "$work/bundle"

# The shipped launch settings (config/jvm.options: under 512 MB resident; running out of memory ends the process, for
# the orchestrator to restart). OCI images carry no health check: probe GET /actuator/health/readiness (README
# "Deploy it").
umoci config --image "$out/oci:$tag" --author "jodo-erp-bridge" \
  --config.user "$uid:$uid" --config.workingdir /app \
  --config.entrypoint java --config.entrypoint @/app/jvm.options --config.entrypoint -jar \
  --config.entrypoint /app/jodo-erp-bridge.jar \
  --config.env BRIDGE_DATA_DIR=/data --config.env SERVER_PORT=8080 \
  --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --config.volume /data --config.exposedports 8080/tcp \
  --config.label "org.opencontainers.image.title=jodo-erp-bridge" \
  --config.label "org.opencontainers.image.description=Jodo school-fee webhooks into the school's ERP"
umoci gc --layout "$out/oci"
tar -C "$out/oci" -cf "$out/$tag-oci.tar" .
echo "OCI image: $out/oci:$tag and $out/$tag-oci.tar"
