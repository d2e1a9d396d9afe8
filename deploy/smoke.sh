#!/usr/bin/env bash
# Builds the repository's Dockerfile with buildah and checks the image, on a
# machine with no Docker daemon and possibly no registry access.
#
# The runtime base is scratch; the build stage supplies the CA bundle, the
# nonroot user and /tmp. When the official Go image cannot be pulled, a
# stand-in is assembled locally and passed through the Dockerfile's GO_IMAGE
# argument: a builder with this machine's Go toolchain, the module cache of
# this module, CA certificates and a static busybox shell.
#
# The image is then checked: its configuration (user 65532, entrypoint, cmd,
# healthcheck, port, volume, labels, no secret in its env); that it adds
# nothing but /newsletter, /data, /tmp, the CA bundle, /etc/passwd and
# /etc/group; its size (under SMOKE_MAX_MB);
# and, run with buildah: --version prints the stamped version; serve refuses
# 0.0.0.0 without a token; with one, it answers /healthz on loopback (the API
# only with the token), writes its database into a temporary /data volume as
# uid 65532, and stops cleanly on SIGTERM; the healthcheck command exits 0
# while it runs and 1 after.
#
# Everything lives in a private buildah store under a temporary directory that
# is removed on exit, so runs are independent. Exits non-zero on any failure.
# Exits 0 with a SKIPPED line only when buildah cannot be installed.
#
# Outside connections: no image registry is contacted unless SMOKE_BASE=official.
# The script does use the OS package mirrors (apt-get) to install buildah when
# it is missing and to download the busybox-static package for the stand-in
# builder, and the Go module proxy for any module of go.sum missing from the
# host's module cache. The default run therefore needs the OS package mirror
# (for busybox-static at least), but no image registry.
#
# Environment:
#   SMOKE_BASE=standin|official        base images to use (default standin:
#                                      assembled here, no registry contacted;
#                                      official pulls them from Docker Hub)
#   SMOKE_VERSION=...                  version to stamp (default smoke-<commit>)
#   SMOKE_MAX_MB=30                    largest image accepted, in MB (10^6 bytes)
#   SMOKE_CONTEXT=worktree|head        build the working tree as it is (default),
#                                      or the committed HEAD only (git archive)
set -Eeuo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
base_mode=${SMOKE_BASE:-standin}
case $base_mode in standin | official) ;; *) echo "SMOKE_BASE must be standin or official, not $base_mode" >&2; exit 2 ;; esac
version=${SMOKE_VERSION:-smoke-$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo dev)}
revision=$(git -C "$repo" rev-parse HEAD 2>/dev/null || true)
official_go=docker.io/library/golang:1.26-bookworm
runtime_image=scratch
image=localhost/newsletter-smoke:latest
max_mb=${SMOKE_MAX_MB:-30}
max_size=$((max_mb * 1000 * 1000)) # bytes, uncompressed, as `docker images` counts
token=smoke-token-not-a-secret

started=$SECONDS
phase_start=$SECONDS
timings=()
checks=()

say() { printf '== %s\n' "$*"; }
fail() {
	trap - ERR
	printf '\nSMOKE FAILED: %s\n' "$*" >&2
	printf 'after %ds; phases done:\n' $((SECONDS - started)) >&2
	if [ ${#timings[@]} -gt 0 ]; then printf '  %s\n' "${timings[@]}" >&2; fi
	exit 1
}
pass() {
	checks+=("ok   $*")
	printf '   ok: %s\n' "$*"
}
phase_done() {
	timings+=("$(printf '%-22s %4ds' "$1" $((SECONDS - phase_start)))")
	phase_start=$SECONDS
}

[ "$(id -u)" = 0 ] || fail "run as root: buildah's vfs store and chown to 65532 need it"
[ "$(uname -m)" = x86_64 ] || [ "$base_mode" = official ] || fail "stand-in images are assembled for x86_64 only; set SMOKE_BASE=official"

# --- buildah -----------------------------------------------------------------

apt_updated=
if ! command -v buildah >/dev/null 2>&1; then
	say "installing buildah from the OS packages"
	if ! out=$({ timeout 300 apt-get update -qq &&
		DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq --no-install-recommends buildah; } 2>&1); then
		reason=$(printf '%s\n' "$out" | grep -E '^(E:|W:|timeout|.*not found)' | tail -n 1)
		printf '%s\n' "$out" | tail -n 5
		echo '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!'
		echo "SKIPPED: buildah could not be installed: ${reason:-apt-get failed}"
		echo '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!'
		exit 0
	fi
	apt_updated=1
fi
say "$(buildah --version)"
phase_done "buildah"

# --- private store and cleanup -----------------------------------------------

work=$(mktemp -d /var/tmp/newsletter-smoke.XXXXXX)
mkdir -p "$work/tmp"
export TMPDIR=$work/tmp # buildah's temporary files and RUN cache mounts stay in $work
export BUILDAH_ISOLATION=chroot
bh_opts=(--root "$work/storage" --runroot "$work/run" --storage-driver vfs)
bh() { buildah "${bh_opts[@]}" "$@"; }

run_ctr=
serve_job=

# pids_in prints the ids of the processes whose root is the container's root
# file system: only processes this script started.
pids_in() {
	local mnt=$1 p
	for p in /proc/[0-9]*; do
		[ "$p/root/newsletter" -ef "$mnt/newsletter" ] 2>/dev/null && echo "${p#/proc/}"
	done
	return 0
}

# newsletter_pids prints the ids of the processes running the image's binary
# (not buildah's helper, which shares their root).
newsletter_pids() {
	local mnt=$1 p
	for p in /proc/[0-9]*; do
		[ "$p/exe" -ef "$mnt/newsletter" ] 2>/dev/null && echo "${p#/proc/}"
	done
	return 0
}

cleanup() {
	local rc=$? mnt p
	trap - ERR
	set +e
	if [ -n "$run_ctr" ]; then
		mnt=$(bh mount "$run_ctr" 2>/dev/null)
		if [ -n "$mnt" ]; then
			for p in $(pids_in "$mnt"); do kill -KILL "$p" 2>/dev/null; done
		fi
	fi
	[ -n "$serve_job" ] && wait "$serve_job" 2>/dev/null
	bh rm --all >/dev/null 2>&1
	bh rmi --all --force >/dev/null 2>&1
	# Nothing may stay mounted under $work before it is removed.
	findmnt -rn -o TARGET | grep -F "$work" | sort -r | while read -r m; do umount -l "$m"; done
	rm -rf --one-file-system "$work"
	exit "$rc"
}
trap cleanup EXIT
trap 'fail "line $LINENO: $BASH_COMMAND exited $?"' ERR
trap 'exit 130' INT TERM

# --- base images -------------------------------------------------------------

try_official() {
	say "pulling the official Go image"
	timeout 900 bh pull -q "$official_go" >/dev/null
}

# trimmed_goroot writes the parts of GOROOT that building a static program
# needs as a tar stream: no tests, test data, cmd sources or unused tools.
trimmed_goroot() {
	local goroot tools=pkg/tool/linux_amd64
	goroot=$(go env GOROOT)
	tar -C "$goroot" -cf - --exclude=./src/cmd --exclude='*_test.go' --exclude=testdata \
		VERSION go.env bin/go pkg/include "$tools/asm" "$tools/compile" "$tools/link" "$tools/cgo" ./src
}

build_standin_builder() {
	local ctr mnt hostcache deb a mod ver f
	command -v go >/dev/null || fail "stand-in builder: no go on PATH"
	# The module cache entries of this module's go.sum, copied from the
	# host's cache (completed first from the Go proxy if it lacks any), so
	# that the Dockerfile's go mod download works with GOPROXY=off.
	hostcache=$(go env GOMODCACHE)/cache/download
	(cd "$repo" && go mod download) || fail "stand-in builder: go mod download on the host"
	mkdir -p "$work/modcache"
	cut -d' ' -f1,2 "$repo/go.sum" | sed -E 's|/go\.mod$||; s/[A-Z]/!\L&/g' | sort -u |
		while read -r mod ver; do
			for f in "$hostcache/$mod/@v/$ver".{info,mod,zip,ziphash}; do
				if [ -e "$f" ]; then printf '%s\n' "${f#"$hostcache/"}"; fi
			done
		done >"$work/modfiles"
	tar -C "$hostcache" -cf - -T "$work/modfiles" | tar -C "$work/modcache" -xf -
	# A static shell for RUN: busybox-static, unpacked, not installed; apt
	# fetches the package from the OS mirror (see "Outside connections").
	mkdir -p "$work/deb"
	(
		cd "$work/deb"
		apt-get download busybox-static >/dev/null 2>&1 ||
			{ [ -z "$apt_updated" ] && apt-get update -qq && apt-get download busybox-static >/dev/null 2>&1; }
	) || fail "stand-in builder: apt-get download busybox-static"
	deb=$(ls "$work"/deb/busybox-static_*.deb)
	dpkg-deb -x "$deb" "$work/busybox"

	ctr=$(bh from scratch)
	mnt=$(bh mount "$ctr")
	mkdir -p "$mnt"/{bin,tmp,root,etc/ssl/certs,usr/local/go,go/bin,go/pkg/mod/cache}
	chmod 1777 "$mnt/tmp"
	trimmed_goroot | tar -C "$mnt/usr/local/go" -xf -
	mv "$work/modcache" "$mnt/go/pkg/mod/cache/download"
	cp "$work/busybox/bin/busybox" "$mnt/bin/busybox"
	for a in $("$mnt/bin/busybox" --list); do
		[ -e "$mnt/bin/$a" ] || ln -s busybox "$mnt/bin/$a"
	done
	bh umount "$ctr" >/dev/null
	bh copy "$ctr" /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt >/dev/null
	printf 'root:x:0:0:root:/root:/bin/sh\n' >"$work/passwd"
	printf 'root:x:0:\n' >"$work/group"
	bh copy "$ctr" "$work/passwd" /etc/passwd >/dev/null
	bh copy "$ctr" "$work/group" /etc/group >/dev/null
	bh config --env PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		--env GOPATH=/go --env HOME=/root --env GOTOOLCHAIN=local --env GOPROXY=off --env GOSUMDB=off \
		--workingdir /go "$ctr"
	bh commit -q --rm "$ctr" localhost/standin-go:latest >/dev/null
}

bases=
if [ "$base_mode" = official ]; then
	try_official || fail "SMOKE_BASE=official but the official base images cannot be pulled"
	go_image=$official_go bases=official
else
	say "assembling a stand-in Go image (SMOKE_BASE=official pulls the real one)"
	build_standin_builder
	go_image=localhost/standin-go:latest bases=stand-in
fi
phase_done "base images ($bases)"

# --- build -------------------------------------------------------------------

context=$repo
if [ "${SMOKE_CONTEXT:-worktree}" = head ]; then
	context=$work/context
	mkdir -p "$context"
	git -C "$repo" archive --format=tar HEAD | tar -C "$context" -xf -
fi
say "building $image (VERSION=$version) from $go_image and $runtime_image"
bh bud --isolation chroot --format docker --layers=false --pull=never \
	--build-arg GO_IMAGE="$go_image" --build-arg RUNTIME_IMAGE="$runtime_image" \
	--build-arg VERSION="$version" --build-arg REVISION="$revision" \
	-f "$context/Dockerfile" -t "$image" "$context" ||
	fail "buildah bud"
phase_done "build"

# --- image metadata ----------------------------------------------------------

say "checking the image configuration"
cfg() { bh inspect --type image --format "$1" "$image"; }
expect() { # expect WHAT GOT WANT
	[ "$2" = "$3" ] || fail "$1: got $2, want $3"
	pass "$1 = $3"
}
expect "user" "$(cfg '{{.Docker.Config.User}}')" "65532:65532"
expect "entrypoint" "$(cfg '{{.Docker.Config.Entrypoint}}')" '[/newsletter]'
expect "cmd" "$(cfg '{{.Docker.Config.Cmd}}')" '[serve]'
expect "healthcheck" "$(cfg '{{.Docker.Config.Healthcheck.Test}}')" '[CMD /newsletter healthcheck]'
expect "exposed ports" "$(cfg '{{.Docker.Config.ExposedPorts}}')" 'map[8080/tcp:{}]'
expect "volumes" "$(cfg '{{.Docker.Config.Volumes}}')" 'map[/data:{}]'
expect "version label" "$(cfg '{{index .Docker.Config.Labels "org.opencontainers.image.version"}}')" "$version"
env=$(cfg '{{range .Docker.Config.Env}}{{println .}}{{end}}')
for want in NEWSLETTER_STORE_PATH=/data/newsletter.db NEWSLETTER_PUBLISHER_DIR=/data/issues NEWSLETTER_SERVER_LISTEN=0.0.0.0:8080; do
	grep -qxF "$want" <<<"$env" || fail "image env lacks $want"
done
pass "env sets store, publisher dir and listen address under /data and 0.0.0.0:8080"
if grep -Ei '(TOKEN|KEY|SECRET|PASSWORD)=.' <<<"$env"; then
	fail "image env carries a secret"
fi
pass "no secret in the image env"

# Size as `docker images` shows it: the uncompressed layers; and compressed,
# as a registry stores it.
bh push -q --disable-compression "$image" "dir:$work/image" || fail "buildah push to a directory"
size=0 gz_size=0
while read -r digest; do
	blob=$work/image/${digest#sha256:}
	size=$((size + $(stat -c %s "$blob")))
	gz_size=$((gz_size + $(gzip -c "$blob" | wc -c)))
done < <(grep -o '"layers":.*' "$work/image/manifest.json" | grep -o 'sha256:[0-9a-f]*')
[ "$size" -gt 0 ] || fail "could not read the image size"
[ "$size" -lt "$max_size" ] || fail "image is $size bytes, over $max_size"
pass "image size $size bytes uncompressed ($gz_size gzipped), under $max_size"

# --- contents ----------------------------------------------------------------

say "checking the image contents"
run_ctr=$(bh from --pull=never "$image")
mnt=$(bh mount "$run_ctr")
base_ctr=$(bh from --pull=never "$runtime_image")
base_mnt=$(bh mount "$base_ctr")
added=$({ diff <(cd "$base_mnt" && find . | sort) <(cd "$mnt" && find . | sort) || true; } | sed -n 's/^> //p' | tr '\n' ' ')
want_added="./data ./etc ./etc/group ./etc/passwd ./etc/ssl ./etc/ssl/certs ./etc/ssl/certs/ca-certificates.crt ./newsletter ./tmp "
[ "$added" = "$want_added" ] || fail "the image adds other files than $want_added: $added"
pass "image holds only /newsletter, /data, /tmp, the CA bundle, /etc/passwd and /etc/group"
expect "/tmp mode" "$(stat -c %a "$mnt/tmp")" 1777
grep -qx 'nonroot:x:65532:65532:nonroot:/nonexistent:/sbin/nologin' "$mnt/etc/passwd" || fail "/etc/passwd lacks nonroot 65532"
pass "/etc/passwd names nonroot 65532"
bh rm "$base_ctr" >/dev/null
expect "/data owner" "$(stat -c %u:%g "$mnt/data")" "65532:65532"
binary_size=$(stat -c %s "$mnt/newsletter")
file_info=$(file -b "$mnt/newsletter" 2>/dev/null || echo "file(1) not installed")
case $file_info in *dynamically*) fail "/newsletter is dynamically linked: $file_info" ;; esac
pass "/newsletter is $binary_size bytes, ${file_info%%,*}"
phase_done "inspect"

# --- run ---------------------------------------------------------------------

say "running the image"
got=$(bh run "$run_ctr" -- /newsletter --version) || fail "newsletter --version"
expect "--version" "$got" "newsletter $version"

free_port() {
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}
port=$(free_port) || fail "no free port"

# http_status prints the status code of GET http://127.0.0.1:$port$1, sent
# with the header $2 if given.
http_status() {
	local line
	exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
	printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n%s\r\n' "$1" "${2:+$2$'\r\n'}" >&3
	IFS=' ' read -r _ line _ <&3 || line=
	exec 3<&-
	echo "$line"
}

# serve refuses a non-loopback listen address without a token.
rc=0
timeout 30 buildah "${bh_opts[@]}" run --env NEWSLETTER_SERVER_LISTEN="0.0.0.0:$port" "$run_ctr" -- /newsletter serve \
	>"$work/notoken.log" 2>&1 || rc=$?
if [ "$rc" = 0 ] || [ "$rc" = 124 ]; then
	fail "serve on 0.0.0.0 without a token: exit $rc, want a startup error"
fi
grep -qi token "$work/notoken.log" || fail "serve without a token did not name the token: $(cat "$work/notoken.log")"
pass "serve on 0.0.0.0 without a token exits $rc naming the token"

# A Gemini key that is never used: the API base URL
# is a closed loopback port and no article is submitted.
bh run --env NEWSLETTER_SERVER_TOKEN="$token" --env NEWSLETTER_SERVER_LISTEN="0.0.0.0:$port" \
	--env GEMINI_API_KEY=smoke-not-a-key --env NEWSLETTER_GEMINI_BASE_URL=http://127.0.0.1:9 \
	--env NEWSLETTER_SCHEDULE_CATCH_UP=false \
	"$run_ctr" -- /newsletter serve >"$work/serve.log" 2>&1 &
serve_job=$!

status=
for _ in $(seq 120); do
	kill -0 "$serve_job" 2>/dev/null || fail "serve exited early: $(cat "$work/serve.log")"
	status=$(http_status /healthz 2>/dev/null) && [ "$status" = 200 ] && break
	sleep 0.25
done
[ "$status" = 200 ] || fail "GET /healthz: status '$status' after 30 s; log: $(cat "$work/serve.log")"
pass "serve answers GET http://127.0.0.1:$port/healthz with 200"

got=$(http_status /api/v1/issues/latest)
expect "API status without the token" "$got" 401
got=$(http_status /api/v1/issues/latest "Authorization: Bearer $token")
case $got in 2?? | 404) pass "API status with the token = $got" ;; *) fail "API status with the token: $got" ;; esac

pids=$(newsletter_pids "$mnt")
[ "$(wc -w <<<"$pids")" = 1 ] || fail "want one newsletter process in the container, got: $pids"
serve_pid=$pids
ids=$(awk '/^Uid:|^Gid:/ {printf "%s %s %s %s ", $2, $3, $4, $5}' "/proc/$serve_pid/status")
[ "$ids" = "65532 65532 65532 65532 65532 65532 65532 65532 " ] || fail "serve runs as uid/gid $ids, want 65532"
pass "serve (pid $serve_pid) runs as uid 65532 gid 65532, not root"

bh run --env NEWSLETTER_SERVER_LISTEN="0.0.0.0:$port" "$run_ctr" -- /newsletter healthcheck ||
	fail "healthcheck against the running server exited $?"
pass "healthcheck exits 0 while serve runs"

kill -TERM "$serve_pid"
rc=0
wait "$serve_job" || rc=$?
serve_job=
[ "$rc" = 0 ] || fail "serve exited $rc after SIGTERM, want 0; log: $(cat "$work/serve.log")"
pass "serve shuts down cleanly on SIGTERM"

rc=0
bh run --env NEWSLETTER_SERVER_LISTEN="0.0.0.0:$port" "$run_ctr" -- /newsletter healthcheck \
	>"$work/hc.log" 2>&1 || rc=$?
# buildah run reports the exit status on stderr too: leave out its lines.
hc_out=$(grep -vE '^(subprocess exited with status|Error: exit status)' "$work/hc.log" || true)
if [ "$rc" != 1 ] || [ "$(wc -l <<<"$hc_out")" != 1 ]; then
	fail "healthcheck with no server: exit $rc, output: $hc_out"
fi
pass "healthcheck exits 1 with one line once serve is gone: $hc_out"

# buildah run gives the image's VOLUME /data a fresh volume seeded from the
# image, as Docker does for a new named volume (it takes precedence over -v).
db=$(find "$work/storage" -path '*/buildah-volumes/*' -name newsletter.db -print -quit)
[ -n "$db" ] || fail "serve did not create /data/newsletter.db in the container's /data volume"
vol=$(dirname "$db")
stray=$(find "$vol" ! -uid 65532 -print)
[ -z "$stray" ] || fail "files in /data not owned by 65532: $stray"
pass "serve wrote /data as 65532: $(cd "$vol" && find . -mindepth 1 | sed 's|^\./||' | tr '\n' ' ')"
phase_done "run"

# --- summary -----------------------------------------------------------------

echo
echo "================ newsletter image smoke test: PASSED ================"
printf 'version          %s\n' "$version"
printf 'base images      %s (%s, %s)\n' "$bases" "$go_image" "$runtime_image"
printf 'image size       %s bytes = %s MB uncompressed, %s MB gzipped; binary %s bytes\n' \
	"$size" "$(awk "BEGIN{printf \"%.1f\", $size/1e6}")" "$(awk "BEGIN{printf \"%.1f\", $gz_size/1e6}")" "$binary_size"
printf '%s\n' "${checks[@]}"
echo "timings:"
printf '  %s\n' "${timings[@]}"
printf '  %-22s %4ds\n' total $((SECONDS - started))
