#!/bin/sh
# Installs wrk, the HTTP load generator that bench/http_load.py drives, from Debian when missing.
# Safe to run again: it does nothing when wrk is already on the PATH.
set -eu
if command -v wrk >/dev/null 2>&1; then
    exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi
echo "Installing wrk from Debian" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >/dev/null
command -v wrk >/dev/null
