# PostgreSQL for compose, from Debian's packages like the native stack (infra/stack installs
# postgresql-<major> from apt). The entrypoint follows the official image's contract:
# POSTGRES_USER / POSTGRES_PASSWORD on first start, `postgres -c key=value …` as the command.
FROM debian:bookworm-slim
ARG POSTGRES_MAJOR=15
RUN mkdir -p /etc/postgresql-common && echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.conf \
 && apt-get update && apt-get install -y --no-install-recommends "postgresql-${POSTGRES_MAJOR}" \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /var/lib/postgresql/data /var/run/postgresql && chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql
ENV PATH=/usr/lib/postgresql/${POSTGRES_MAJOR}/bin:$PATH PGDATA=/var/lib/postgresql/data
COPY infra/docker/postgres-entrypoint.sh /usr/local/bin/postgres-entrypoint.sh
USER postgres
ENTRYPOINT ["/usr/local/bin/postgres-entrypoint.sh"]
CMD ["postgres"]
