# make test: the one test command (README and .ci/run use it). It installs and
# starts what the tests need (gcc for -race, Redis, Chromium, CJK fonts), then
# runs vet and every test under the race detector. Tests that need Redis or
# Chromium fail here instead of skipping, and any other skipped test is
# printed with its reason (scripts/gotest.sh); the full -v log is left in
# $(TESTLOG).
GO ?= go
TESTLOG ?= /tmp/rxsse-test.log
export GO

.PHONY: test deps vet bench

test: deps vet
	RXSSE_REQUIRE=redis,chromium GOTEST_LOG=$(TESTLOG) ./scripts/gotest.sh -race -count=1 -timeout 30m ./...

deps:
	./scripts/ensure-deps.sh

vet:
	$(GO) vet ./...

# Benchmarks of the rx, sse and bus packages (figures quoted in the README).
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./rx/ ./sse/ ./bus/...
