# otelkit — see README.md. Everything here uses only the Go toolchain and the Go module proxy.
GO          ?= go
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
PKGS        ?= ./...
FUZZTIME    ?= 30s
BENCHTIME   ?= 1s

.PHONY: all test vet test-race test-concurrent-safe run demo bench lint cover fuzz tidy fmt

all: test

## test: vet, the race-enabled test suite, and the ConcurrentSafe tests repeated (the README's test command)
test: vet test-race test-concurrent-safe

vet:
	$(GO) vet $(PKGS)

test-race: collector
	$(GO) test -race -timeout 20m $(PKGS)

test-concurrent-safe:
	$(GO) test -race -count=100 -run 'ConcurrentSafe' -timeout 10m $(PKGS)

## run: the example app-server on its embedded loopback receiver (no collector needed); flags via ARGS="-no-demo"
## (built, then exec'd rather than `go run`, so that Ctrl-C reaches it alone and a clean stop exits 0)
run:
	@$(GO) build -o $(CURDIR)/bin/exampleapp ./exampleapp && exec $(CURDIR)/bin/exampleapp $(ARGS)

## demo: the example app in demo mode (runs the scripted demo, prints, exits; non-zero if telemetry was lost)
demo:
	@$(GO) build -o $(CURDIR)/bin/exampleapp ./exampleapp && exec $(CURDIR)/bin/exampleapp -demo $(ARGS)

## bench: every benchmark, side by side with the peers (results go to BENCHMARKS.md by hand)
bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) $(PKGS)

## lint: gofmt, go vet and staticcheck
lint: vet
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) run $(STATICCHECK) $(PKGS)

## cover: test coverage summary (coverage.out / coverage.html)
cover:
	$(GO) test -coverprofile=coverage.out $(PKGS)
	$(GO) tool cover -func=coverage.out | tail -1
	$(GO) tool cover -html=coverage.out -o coverage.html

## fuzz: each fuzz target for FUZZTIME (default 30s); seed corpora run in `make test` too
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
	  for target in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    echo "== $$pkg $$target"; \
	    $(GO) test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) -fuzzminimizetime=50x $$pkg; \
	  done; \
	done

tidy:
	$(GO) mod tidy

fmt:
	gofmt -w .

# --- collector (e2e) ---
# The OpenTelemetry Collector the e2e tests run against, built from collector/builder.yaml by the official
# builder through the Go module proxy into bin/otelcol-otelkit (rebuilt only when the manifest changes).
# Under CI=true a failed build fails; elsewhere (e.g. offline) it warns and the e2e tests skip.
.PHONY: collector
## collector: build bin/otelcol-otelkit/otelcol-otelkit for the e2e tests (minutes the first time, then cached)
collector:
	@GO="$(GO)" bash scripts/build-collector.sh || { \
	  if [ "$$CI" = "true" ]; then exit 1; fi; \
	  echo "make collector: WARNING: the collector was not built; the e2e tests will skip (run 'make collector' to retry; CI=true makes this fatal)" >&2; }
# --- end collector (e2e) ---
