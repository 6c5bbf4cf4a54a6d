#!/usr/bin/env bash
# Builds jodo-erp-bridge's OCI image without a container daemon, from Debian's own packages: a bookworm base with
# Debian's Java 17 runtime made by mmdebstrap, and the jar, routes and settings on top as a second layer by umoci.
# The result is an OCI layout (<out>/oci, tag jodo-erp-bridge) and the same as an OCI archive
# (<out>/jodo-erp-bridge-oci.tar): `podman load -i`, or `skopeo copy oci-archive:... docker://...` to a registry.
# Needs root and Debian's mmdebstrap and umoci (apt-get install mmdebstrap umoci). Under CI, `mvn -B verify` runs it
# (profile "image") and ImageIT starts the bridge from the unpacked layers.
# Usage: deploy/image/build-image.sh [jar] [out-dir] [base.tar]
#        deploy/image/build-image.sh --base-only base.tar
# The first layer needs no jar, so CI makes it with --base-only while the tests run and passes it as base.tar.
set -euo pipefail
cd "$(dirname "$0")/../.."
uid=10001

# Layer 1: Debian and its Java runtime, with the unprivileged user the bridge runs as.
base_layer() { # tar
  mmdebstrap --quiet --variant=apt --include=openjdk-17-jre-headless,ca-certificates \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
    --customize-hook="chroot \"\$1\" useradd --uid $uid --user-group --no-create-home --home-dir /app --shell /usr/sbin/nologin bridge" \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin' \
    bookworm "$1"
}
if [ "${1:-}" = --base-only ]; then
  base_layer "$2"
  exit 0
fi

jar=${1:-$(ls target/jodo-erp-bridge-*.jar | head -n 1)}
out=${2:-target/image}
tag=jodo-erp-bridge

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
base=${3:-$work/base.tar}
[ -n "${3:-}" ] || base_layer "$base"

rm -rf "$out"
mkdir -p "$out"
umoci init --layout "$out/oci"
umoci new --image "$out/oci:$tag"
umoci unpack --image "$out/oci:$tag" "$work/bundle"
tar -xpf "$base" -C "$work/bundle/rootfs" --numeric-owner
umoci repack --refresh-bundle --image "$out/oci:$tag" "$work/bundle"

# Layer 2: the bridge (extracted, with its class data sharing archive), its shipped routes and settings (replace
# them by mounting over /app/routes, /app/config), and the data volume, owned by the bridge's user.
rootfs=$work/bundle/rootfs
install -d "$rootfs/app"
install -d -o "$uid" -g "$uid" "$rootfs/data"
cp -r routes config "$rootfs/app/"
# The launch settings outside /app/config, so a mounted settings folder does not hide them (as in the Dockerfile).
install -m 0644 config/jvm.options "$rootfs/app/jvm.options"
# The jar extracted (/app/jodo-erp-bridge.jar beside /app/lib) and its class data sharing archive, made by a
# training run with the image's own Java inside the image's root (deploy/image/cds-training.sh); /proc mounted as a
# container runtime would, in a mount namespace of its own that ends with the run.
install -m 0644 "$jar" "$rootfs/tmp/jodo-erp-bridge-packaged.jar"
install -m 0755 deploy/image/cds-training.sh "$rootfs/tmp/cds-training.sh"
unshare --mount --propagation private --fork /bin/sh -c 'mount -t proc proc "$1/proc" && exec chroot "$1" \
  /bin/sh /tmp/cds-training.sh /tmp/jodo-erp-bridge-packaged.jar /app' sh "$rootfs"
rm -f "$rootfs/tmp/jodo-erp-bridge-packaged.jar" "$rootfs/tmp/cds-training.sh"
umoci repack --image "$out/oci:$tag" "$work/bundle"

# The shipped launch settings (config/jvm.options: under 512 MB resident; running out of memory ends the process, for
# the orchestrator to restart) and the class data sharing archive (a faster start, README "Performance"). OCI images carry no health check: probe GET /actuator/health/readiness (README
# "Deploy it").
umoci config --image "$out/oci:$tag" --author "jodo-erp-bridge" \
  --config.user "$uid:$uid" --config.workingdir /app \
  --config.entrypoint java --config.entrypoint @/app/jvm.options \
  --config.entrypoint -XX:SharedArchiveFile=/app/jodo-erp-bridge.jsa --config.entrypoint -jar \
  --config.entrypoint /app/jodo-erp-bridge.jar \
  --config.env BRIDGE_DATA_DIR=/data --config.env SERVER_PORT=8080 \
  --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --config.volume /data --config.exposedports 8080/tcp \
  --config.label "org.opencontainers.image.title=jodo-erp-bridge" \
  --config.label "org.opencontainers.image.description=Jodo school-fee webhooks into the school's ERP"
umoci gc --layout "$out/oci"
tar -C "$out/oci" -cf "$out/$tag-oci.tar" .
echo "OCI image: $out/oci:$tag and $out/$tag-oci.tar"
