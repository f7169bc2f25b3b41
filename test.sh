#!/usr/bin/env bash
# Run the whole test suite (first run sets up everything). Extra arguments go to pytest.
source "$(dirname "$0")/scripts/bootstrap.sh"
ensure_debs $QT_DEBS_HEADLESS poppler-utils cups cups-client printer-driver-cups-pdf postgresql  # cups: the real print queue of test_print_vector; postgresql: tests/pg
ensure_venv requirements/dev.lock
cd "$ROOT"
exec "$VENV/bin/python" -m pytest -n 2 "$@"
