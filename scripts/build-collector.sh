#!/usr/bin/env bash
# Builds the OpenTelemetry Collector used by the e2e tests from collector/builder.yaml with the official
# builder (go.opentelemetry.io/collector/cmd/builder), fetching everything through the Go module proxy.
#
# The result is bin/otelcol-otelkit/otelcol-otelkit. A stamp next to it records the checksum of the manifest
# and the builder version; while both match and the binary is there, the script does nothing, so `make test`
# can call it every time. Needs only the Go toolchain (GO overrides the `go` command) and the module proxy.
#
# Usage: scripts/build-collector.sh [--force]
set -euo pipefail

BUILDER_VERSION=v0.165.0
BUILDER=go.opentelemetry.io/collector/cmd/builder@${BUILDER_VERSION}

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

GO=${GO:-go}
manifest=collector/builder.yaml
outdir=bin/otelcol-otelkit
binary=$outdir/otelcol-otelkit
stamp=$outdir/.build-stamp

say() { printf 'build-collector: %s\n' "$*"; }
die() { printf 'build-collector: ERROR: %s\n' "$*" >&2; exit 1; }
trap 'rc=$?; [ $rc -eq 0 ] || printf "build-collector: FAILED (exit %d); the collector was not built, the e2e tests will skip or fail\n" $rc >&2' EXIT

command -v "$GO" >/dev/null 2>&1 || die "the Go toolchain ('$GO') is not on PATH"
[ -f "$manifest" ] || die "manifest $manifest not found"

checksum() {
	if command -v sha256sum >/dev/null 2>&1; then
		sha256sum | cut -d' ' -f1
	elif command -v shasum >/dev/null 2>&1; then
		shasum -a 256 | cut -d' ' -f1
	else
		die "neither sha256sum nor shasum is available"
	fi
}

want="$( { printf 'builder %s\n' "$BUILDER_VERSION"; cat "$manifest"; } | checksum)"

if [ "${1:-}" != "--force" ] && [ -x "$binary" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
	say "$binary is up to date (manifest checksum ${want:0:12}); nothing to do"
	exit 0
fi

if [ ! -x "$binary" ]; then
	say "$binary is missing: building it"
elif [ "${1:-}" = "--force" ]; then
	say "--force: rebuilding $binary"
else
	say "$manifest or the builder version changed since the last build: rebuilding $binary"
fi

# A build that dies half way must not look finished.
rm -f "$stamp"
mkdir -p "$outdir"

# Never stamp VCS information: the generated module sits inside this repository's work tree.
case " ${GOFLAGS:-} " in
*" -buildvcs="*) ;;
*) export GOFLAGS="${GOFLAGS:+$GOFLAGS }-buildvcs=false" ;;
esac

say "$("$GO" version); GOPROXY=$("$GO" env GOPROXY)"
say "running: $GO run $BUILDER --config $manifest (a first build takes minutes: about 5 CPU-minutes with a cold Go build cache)"
start=$(date +%s)
"$GO" run "$BUILDER" --config "$manifest" ||
	die "the builder failed (see its output above); check the network/GOPROXY and the versions in $manifest"
end=$(date +%s)

[ -x "$binary" ] || die "the builder finished but $binary does not exist; check dist.output_path and dist.name in $manifest"
version=$("$binary" --version 2>&1) || die "$binary does not run: $version"

# The generated sources stay next to the binary (handy for debugging); format them so that `gofmt -l .` at the
# repository root (make lint) stays quiet.
gofmt="$("$GO" env GOROOT)/bin/gofmt"
[ -x "$gofmt" ] || gofmt=gofmt
"$gofmt" -w "$outdir"/*.go || die "gofmt of the generated sources in $outdir failed"

printf '%s\n' "$want" >"$stamp"
say "built $binary in $((end - start)) s: $version"
