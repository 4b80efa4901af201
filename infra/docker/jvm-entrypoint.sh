#!/usr/bin/env bash
# `kafka`: KAFKA_FOO_BAR=v becomes foo.bar=v in server.properties (the apache/kafka image's
# convention); the storage is formatted once with CLUSTER_ID; then the KRaft node runs.
# `connect`: CONNECT_FOO_BAR=v becomes foo.bar=v of a distributed worker.
# HEAP_OPTS sizes the heap of either.
set -euo pipefail
role=$1
conf="/tmp/$role.properties"
prefix=$(echo "$role" | tr '[:lower:]' '[:upper:]')_
env | grep "^$prefix" | while IFS='=' read -r key value; do
  printf '%s=%s\n' "$(echo "${key#"$prefix"}" | tr '[:upper:]_' '[:lower:].')" "$value"
done >"$conf"
java=(java ${HEAP_OPTS:--Xmx512m} -XX:+UseG1GC -Djava.awt.headless=true -Dlog4j2.configurationFile=/opt/kafka/log4j2.properties
  -cp '/opt/kafka/libs/*')
if [ "$role" = kafka ]; then
  grep -q '^log.dirs=' "$conf" || echo 'log.dirs=/var/lib/kafka/data' >>"$conf"
  "${java[@]}" kafka.tools.StorageTool format -t "${CLUSTER_ID:?CLUSTER_ID is required}" -c "$conf" --ignore-formatted >/dev/null
  exec "${java[@]}" kafka.Kafka "$conf"
fi
exec "${java[@]}" org.apache.kafka.connect.cli.ConnectDistributed "$conf"
