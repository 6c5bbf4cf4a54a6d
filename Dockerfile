# jodo-erp-bridge as a container image, for those who build with Docker (or Podman, Buildah):
#   mvn -B package -DskipTests && docker build -t jodo-erp-bridge .
#   docker run -p 8080:8080 -v bridge-data:/data \
#     -e JODO_WEBHOOK_SECRET_FILE=/run/secrets/jodo-webhook-secret -e BRIDGE_ADMIN_USER=ops \
#     -e BRIDGE_ADMIN_PASSWORD_FILE=/run/secrets/bridge-admin-password jodo-erp-bridge
# The school's routes and settings replace the shipped ones by mounting over them:
#   -v ./routes:/app/routes:ro -v ./config:/app/config:ro
# StartsAsTheImageDoesIT follows this file (its stages sharing one root) and runs the bridge as it says.
# The first stage extracts the jar and makes its class data sharing archive with the same Java runtime (a faster
# start: deploy/image/cds-training.sh); the image keeps what it made in /app
# (the jar, lib/, the archive and jvm.options).
FROM eclipse-temurin:17-jre AS training
COPY target/jodo-erp-bridge-*.jar /tmp/jodo-erp-bridge-packaged.jar
# The shipped launch settings (heap and other limits: under 512 MB resident, see config/jvm.options), outside
# /app/config so a school's mounted settings folder does not hide them; mount over /app/jvm.options to change them.
# The training run uses them too, as the archive must match the real starts.
COPY config/jvm.options /app/jvm.options
COPY deploy/image/cds-training.sh /tmp/cds-training.sh
RUN ["sh", "/tmp/cds-training.sh", "/tmp/jodo-erp-bridge-packaged.jar", "/app"]

FROM eclipse-temurin:17-jre

RUN groupadd --system bridge \
 && useradd --system --gid bridge --home-dir /app --shell /usr/sbin/nologin bridge \
 && mkdir -p /data && chown bridge:bridge /data

WORKDIR /app
COPY --from=training /app /app
COPY routes /app/routes
COPY config /app/config

ENV BRIDGE_DATA_DIR=/data SERVER_PORT=8080
VOLUME /data
EXPOSE 8080
USER bridge

# Ready once the intake takes webhooks; without curl in the image, bash speaks the HTTP itself.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${SERVER_PORT} && printf 'GET /actuator/health/readiness HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q '\"UP\"' <&3"]

ENTRYPOINT ["java", "@/app/jvm.options", "-XX:SharedArchiveFile=/app/jodo-erp-bridge.jsa", "-jar", "/app/jodo-erp-bridge.jar"]
