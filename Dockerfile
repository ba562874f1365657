# syntax=docker/dockerfile:1
# Images of schemagate, for those who build with Docker. scripts/image.sh makes
# the same images without a daemon (the release and the tests use it): the
# build stage runs the scripts CI runs and `scripts/image.sh rootfs`, the final
# stages copy those root file systems and set what `scripts/image.sh config`
# prints (tests/image/dockerfile_parity_test.sh compares them).
#   docker build --target runner -t schemagate:dev \
#     --build-arg REVISION=$(git rev-parse HEAD) --build-arg CREATED=$(date -u +%FT%TZ) .
#   docker build --target operator -t schemagate-operator:dev .
#
# A project's migrations image builds FROM the runner image:
#   FROM schemagate:dev
#   COPY --chown=65532:65532 migrations /migrations
#   CMD ["--dir", "/migrations", "upgrade", "heads", "--wait-for-db", "60", "--log-format", "json"]

# VERSION is the VERSION file's (scripts/bump-version.sh sets both).
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG CREATED=unknown

FROM debian:bookworm AS build
ARG VERSION
ARG REVISION
WORKDIR /src
COPY scripts/setup.sh scripts/setup.sh
RUN SCHEMAGATE_SETUP_KUBE_TOOLS=0 scripts/setup.sh && rm -rf /var/lib/apt/lists/*
COPY . .
RUN test "$(cat VERSION)" = "$VERSION" \
 || { echo "VERSION says $(cat VERSION), the build argument $VERSION" >&2; exit 1; }
RUN REVISION="${REVISION#unknown}" STATIC=ON BUILD_TESTS=OFF BUILD_BENCH=OFF BUILD_DIR=/build \
      scripts/build.sh \
 && scripts/image.sh rootfs runner /rootfs/runner /build/runner/schemagate \
 && scripts/image.sh rootfs operator /rootfs/operator /build/operator/schemagate-operator \
 && /rootfs/runner/schemagate --version

# The runner: the static binary and the CA bundle, nothing else; non-root.
FROM scratch AS runner
ARG VERSION
ARG REVISION
ARG CREATED
COPY --from=build /rootfs/runner/ /
USER 65532:65532
ENTRYPOINT ["/schemagate"]
CMD ["--help"]
LABEL org.opencontainers.image.title="schemagate" \
      org.opencontainers.image.description="PostgreSQL schema migrations for Kubernetes: the runner" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.source="https://github.com/schemagate/schemagate" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}"

# The operator: the binary with exactly the shared libraries it loads, the CA
# bundle and a passwd entry for its user (distroless-style); non-root.
FROM scratch AS operator
ARG VERSION
ARG REVISION
ARG CREATED
COPY --from=build /rootfs/operator/ /
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/schemagate-operator"]
CMD []
LABEL org.opencontainers.image.title="schemagate-operator" \
      org.opencontainers.image.description="PostgreSQL schema migrations for Kubernetes: the operator" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.source="https://github.com/schemagate/schemagate" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}"
