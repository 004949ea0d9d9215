# Thin wrappers; each target says what it runs.
GO ?= go
DEMO_OUT ?= demo-report

.PHONY: build demo test test-deps bench lint golden

build:
	$(GO) build -trimpath -o zonula ./cmd/zonula

# Build zonula and write a real report from the bundled demo sample.
demo: build
	./zonula run testdata/demo/demo.fastq.gz --sample demo -o $(DEMO_OUT)
	@echo "report: $(DEMO_OUT)/report.html and $(DEMO_OUT)/report.pdf"

# Install what the tests need (Chromium, poppler), then run every test.
test: test-deps
	$(GO) test ./...

test-deps:
	scripts/install-test-deps.sh

bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 6 ./... | tee bench.txt

# gofmt, vet, staticcheck and deadcode (pinned as Go tools in go.mod), the
# import allow-list, and no function over 100 lines or file over 600.
lint:
	test -z "$$(gofmt -l .)"
	$(GO) vet ./...
	$(GO) tool staticcheck ./...
	scripts/check-deadcode.sh
	scripts/check-imports.sh
	scripts/check-lengths.sh

golden:
	$(GO) test ./... -update
