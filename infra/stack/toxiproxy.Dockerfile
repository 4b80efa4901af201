# syntax=docker/dockerfile:1
# Toxiproxy for compose, built exactly like the native stack builds it: `go install` of the
# version pinned in infra/.env (TOXIPROXY_VERSION, with its leading "v", which the published
# image tags lack — a build arg keeps one pin for both modes).
FROM golang:1.26-bookworm AS build
ARG TOXIPROXY_VERSION
RUN test -n "$TOXIPROXY_VERSION" \
 && CGO_ENABLED=0 GOBIN=/out go install "github.com/Shopify/toxiproxy/v2/cmd/server@${TOXIPROXY_VERSION}"

FROM debian:bookworm-slim
COPY --from=build /out/server /usr/local/bin/toxiproxy-server
ENTRYPOINT ["/usr/local/bin/toxiproxy-server"]
