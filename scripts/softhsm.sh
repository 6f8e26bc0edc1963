#!/usr/bin/env bash
# SoftHSM2, the PKCS#11 token the service's HSM tests (service/tests/hsm.rs)
# sign with; idempotent. The tests make their own throwaway tokens.
set -euo pipefail
command -v softhsm2-util >/dev/null || (apt-get update -qq && apt-get install -y -qq softhsm2 >/dev/null)
