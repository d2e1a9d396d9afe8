# Container image of the newsletter daemon: one static binary on an empty
# base, with the CA bundle, a nonroot user (65532) and /tmp beside it; the
# binary embeds the time-zone database (time/tzdata), the one other thing
# distroless static would bring.
#
#   docker build --build-arg VERSION="$(git describe --tags --always --dirty)" -t newsletter .
#
# The image listens on 0.0.0.0:8080, and serve refuses a non-loopback listen
# address without an API token: run it with NEWSLETTER_SERVER_TOKEN set (and
# GEMINI_API_KEY for the weekly run), e.g. with deploy/compose.yaml. The
# database and the published issues live in the /data volume.

ARG GO_IMAGE=golang:1.26-bookworm
ARG RUNTIME_IMAGE=scratch

FROM ${GO_IMAGE} AS build
WORKDIR /src
# Modules first, so that their layer is reused until go.mod or go.sum change.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
# grpcnotrace: gRPC comes in only with Google's auth library and serves no
# debug pages here; leaving its tracing out saves 0.1 MB.
RUN --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -buildvcs=false -tags grpcnotrace \
        -ldflags "-s -w -X main.version=${VERSION}" \
        -o /out/newsletter ./cmd/newsletter \
 && mkdir -p /out/data /out/root/etc/ssl/certs /out/root/tmp \
 && chmod 1777 /out/root/tmp \
 && cp /etc/ssl/certs/ca-certificates.crt /out/root/etc/ssl/certs/ \
 && printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/nonexistent:/sbin/nologin\n' >/out/root/etc/passwd \
 && printf 'root:x:0:\nnonroot:x:65532:\n' >/out/root/etc/group

FROM ${RUNTIME_IMAGE}
ARG VERSION=dev
ARG REVISION=
LABEL org.opencontainers.image.title="newsletter" \
      org.opencontainers.image.description="Turns a week of submitted article links into a Korean newsletter issue" \
      org.opencontainers.image.source="https://github.com/godevcommunity/newsletter" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
COPY --from=build /out/root/ /
COPY --from=build /out/newsletter /newsletter
COPY --from=build --chown=65532:65532 /out/data /data
ENV NEWSLETTER_STORE_PATH=/data/newsletter.db \
    NEWSLETTER_PUBLISHER_DIR=/data/issues \
    NEWSLETTER_SERVER_LISTEN=0.0.0.0:8080
USER 65532:65532
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD ["/newsletter", "healthcheck"]
ENTRYPOINT ["/newsletter"]
CMD ["serve"]
