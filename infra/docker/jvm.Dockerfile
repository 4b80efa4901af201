# Kafka (KRaft) and Kafka Connect with the Debezium Postgres plugin for compose: the same jars
# from Maven Central, through the same pom, as the native stack (infra/stack/maven/pom.xml).
# Two targets: `kafka` and `connect`. Versions come from infra/.env through build args.
FROM debian:bookworm-slim AS jre
# openjdk's postinst needs the man directory that slim images leave out.
RUN mkdir -p /usr/share/man/man1 && apt-get update && apt-get install -y --no-install-recommends openjdk-17-jre-headless curl \
 && rm -rf /var/lib/apt/lists/* && useradd --uid 1000 --create-home --shell /bin/bash kafka

FROM jre AS jars
ARG KAFKA_VERSION
ARG DEBEZIUM_VERSION
RUN apt-get update && apt-get install -y --no-install-recommends maven && rm -rf /var/lib/apt/lists/*
COPY infra/stack/maven/pom.xml /build/pom.xml
RUN test -n "$KAFKA_VERSION" && test -n "$DEBEZIUM_VERSION" \
 && mvn -q -B -f /build/pom.xml -Dkafka.version="$KAFKA_VERSION" -Ddebezium.version="$DEBEZIUM_VERSION" \
      dependency:copy-dependencies -DoutputDirectory=/opt/kafka/libs \
 && mvn -q -B -f /build/pom.xml -Dkafka.version="$KAFKA_VERSION" -Ddebezium.version="$DEBEZIUM_VERSION" \
      dependency:unpack -DoutputDirectory=/opt/kafka/plugins \
 && test -f "/opt/kafka/libs/kafka_2.13-$KAFKA_VERSION.jar" \
 && test -f "/opt/kafka/plugins/debezium-connector-postgres/debezium-connector-postgres-$DEBEZIUM_VERSION.jar"

FROM jre AS kafka
COPY --from=jars /opt/kafka/libs /opt/kafka/libs
COPY infra/docker/log4j2.properties infra/docker/jvm-entrypoint.sh /opt/kafka/
RUN mkdir -p /var/lib/kafka && chown kafka /var/lib/kafka
USER kafka
ENTRYPOINT ["/opt/kafka/jvm-entrypoint.sh", "kafka"]

FROM kafka AS connect
COPY --from=jars /opt/kafka/plugins /opt/kafka/plugins
ENV CONNECT_PLUGIN_PATH=/opt/kafka/plugins
ENTRYPOINT ["/opt/kafka/jvm-entrypoint.sh", "connect"]
