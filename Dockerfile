# syntax=docker/dockerfile:1
# Images of schemagate. The build stage runs the same scripts as CI:
#   docker build --target runner -t schemagate:dev .
#   docker build --target operator -t schemagate-operator:dev .
#
# A project's migrations image builds FROM the runner image:
#   FROM schemagate:dev
#   COPY --chown=65532:65532 migrations /migrations
#   CMD ["--dir", "/migrations", "upgrade", "heads", "--wait-for-db", "60", "--log-format", "json"]

FROM debian:bookworm AS build
WORKDIR /src
COPY scripts/setup.sh scripts/setup.sh
RUN SCHEMAGATE_SETUP_KUBE_TOOLS=0 scripts/setup.sh && rm -rf /var/lib/apt/lists/*
COPY . .
RUN STATIC=ON BUILD_TESTS=OFF BUILD_BENCH=OFF BUILD_DIR=/build scripts/build.sh \
 && strip /build/runner/schemagate /build/operator/schemagate-operator \
 && /build/runner/schemagate --version

# The runner: one static binary and the CA bundle, nothing else; non-root.
FROM scratch AS runner
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /build/runner/schemagate /schemagate
USER 65532:65532
ENTRYPOINT ["/schemagate"]
CMD ["--help"]

# The operator: dynamically linked against Debian's runtime libraries.
FROM debian:bookworm-slim AS operator
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libcpprest2.10 libyaml-cpp0.7 \
      libboost-program-options1.74.0 libprometheus-cpp-core1.0 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /build/operator/schemagate-operator /usr/local/bin/schemagate-operator
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/schemagate-operator"]
