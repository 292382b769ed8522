#!/usr/bin/env bash
# Installs what the test suite needs from Debian's packages when it is missing:
# Chromium (real-browser tests), PostgreSQL (the suite runs on both databases), Pango (PDF reports).
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
# Fonts so that screenshots and PDF reports render accents; Pango for WeasyPrint (PDF reports).
[ -d /usr/share/fonts/truetype/dejavu ] || missing+=(fonts-dejavu-core)
ldconfig -p | grep -q "libpango-1.0.so" || missing+=(libpango-1.0-0)
ldconfig -p | grep -q "libpangoft2-1.0.so" || missing+=(libpangoft2-1.0-0)
# systemd-analyze checks the deployment units (tests/test_deployment.py).
command -v systemd-analyze >/dev/null || missing+=(systemd)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "Installation des paquets Debian : ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "Il faut être root (ou avoir sudo) pour installer ${missing[*]}" >&2; exit 1; }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
