# syntax=docker/dockerfile:1
# Images of schemagate. The build stage runs the same scripts as CI:
#   docker build --target runner -t schemagate:dev .
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
 && strip /build/runner/schemagate \
 && /build/runner/schemagate --version

# The runner: one static binary and the CA bundle, nothing else; non-root.
FROM scratch AS runner
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /build/runner/schemagate /schemagate
USER 65532:65532
ENTRYPOINT ["/schemagate"]
CMD ["--help"]
