# ComIO developer commands. Every target works on a fresh Debian machine with the .NET SDK after `make setup`.
SHELL := /bin/bash
CONFIGURATION ?= Debug
SOLUTION := ComIO.sln
DOTNET ?= dotnet
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1

.PHONY: setup build run test test-unit test-integration test-faults soak bench fmt lint coverage clean

## setup: install the system packages ComIO and its tests use (redis-server, aws CLI, boto3, rclone, fio, ...)
setup:
	bash scripts/setup.sh

## build: compile the whole solution
build:
	$(DOTNET) build $(SOLUTION) -c $(CONFIGURATION)

## run: start the local topology (AppHost: dashboard, S3 on :8080, storage nodes, Redis, replication worker)
run:
	ASPIRE_ALLOW_UNSECURED_TRANSPORT=true $(DOTNET) run --project ComIO.AppHost --launch-profile http

## test: every test project (unit, service, whole-topology and real-client tests); prints "N passed, N failed"
test:
	bash scripts/test.sh $(CONFIGURATION)

## test-unit: the fast tests only (no topology)
test-unit:
	$(DOTNET) test --project tests/ComIO.Storage.Tests -c $(CONFIGURATION)
	$(DOTNET) test --project tests/ComIO.ApiService.Tests -c $(CONFIGURATION)
	$(DOTNET) test --project tests/ComIO.ReplicationWorker.Tests -c $(CONFIGURATION)

## test-integration: whole-topology and real-client tests
test-integration:
	$(DOTNET) test --project tests/ComIO.IntegrationTests -c $(CONFIGURATION)

## test-faults: kill -9 of a storage node, an API replica, the worker and Redis under a seeded mixed workload, then
## verify nothing was lost (COMIO_FAULT_SEED replays a run, COMIO_FAULT_ROUNDS faults of each kind, default 2); plus the
## two-site replication fault test (destination outage, Redis SIGKILL, worker SIGKILL, then convergence); prints both reports
test-faults:
	@mkdir -p TestResults; rm -f TestResults/faults-report.txt TestResults/replication-faults-report.txt
	COMIO_FAULT_ROUNDS=$${COMIO_FAULT_ROUNDS:-2} COMIO_FAULT_REPORT=$(CURDIR)/TestResults/faults-report.txt \
	  COMIO_REPLICATION_REPORT=$(CURDIR)/TestResults/replication-faults-report.txt \
	  $(DOTNET) test --project tests/ComIO.IntegrationTests -c $(CONFIGURATION) -- --filter-trait "Category=Faults"; \
	  status=$$?; cat TestResults/faults-report.txt TestResults/replication-faults-report.txt 2>/dev/null; exit $$status

## soak: bounded soak test (not part of `make test`): API + 2 nodes as processes, 32 verified S3 clients for
## SOAK_DURATION (default 10m, e.g. SOAK_DURATION=60s); fails on any error or RSS/fd growth; bench/results/soak-<date>.md
soak:
	bash bench/soak.sh

## bench: the benchmark suite (QUICK=1 for the short run); results land in bench/results/
bench:
	bash bench/run.sh $(if $(QUICK),--quick,)

## fmt: apply the code style from .editorconfig
fmt:
	$(DOTNET) format $(SOLUTION)

## lint: verify formatting and build with analyzers (warnings are errors)
lint:
	$(DOTNET) format $(SOLUTION) --verify-no-changes
	$(DOTNET) build $(SOLUTION) -c $(CONFIGURATION) --no-incremental

## coverage: unit tests with coverlet; Cobertura XML under coverage/
coverage:
	bash scripts/coverage.sh $(CONFIGURATION)

clean:
	$(DOTNET) clean $(SOLUTION)
	rm -rf coverage TestResults
