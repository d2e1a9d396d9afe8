# Container image of the newsletter daemon: one static binary on distroless.
#
#   docker build --build-arg VERSION="$(git describe --tags --always --dirty)" -t newsletter .
#
# The image listens on 0.0.0.0:8080, and serve refuses a non-loopback listen
# address without an API token: run it with NEWSLETTER_SERVER_TOKEN set (and
# GEMINI_API_KEY for the weekly run), e.g. with deploy/compose.yaml. The
# database and the published issues live in the /data volume.

ARG GO_IMAGE=golang:1.26-bookworm
ARG RUNTIME_IMAGE=gcr.io/distroless/static-debian12:nonroot

FROM ${GO_IMAGE} AS build
WORKDIR /src
# Modules first, so that their layer is reused until go.mod or go.sum change.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -buildvcs=false \
        -ldflags "-s -w -X main.version=${VERSION}" \
        -o /out/newsletter ./cmd/newsletter \
 && mkdir -p /out/data

FROM ${RUNTIME_IMAGE}
ARG VERSION=dev
ARG REVISION=
LABEL org.opencontainers.image.title="newsletter" \
      org.opencontainers.image.description="Turns a week of submitted article links into a Korean newsletter issue" \
      org.opencontainers.image.source="https://github.com/godevcommunity/newsletter" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
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
