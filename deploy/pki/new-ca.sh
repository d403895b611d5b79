#!/usr/bin/env bash
# Creates the consortium's CA: DIR/ca.key (stays with the CA operator, offline if possible) and DIR/ca.crt (given to
# every member). Usage: new-ca.sh DIR [DAYS]
set -euo pipefail
dir=${1:?usage: new-ca.sh DIR [DAYS]}
days=${2:-1825}
mkdir -p "$dir"
if [ -e "$dir/ca.key" ]; then
  echo "error: $dir/ca.key exists; refusing to overwrite a CA key" >&2
  exit 2
fi
umask 077
openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
  -keyout "$dir/ca.key" -out "$dir/ca.crt" -days "$days" \
  -subj "/O=SecureCompute consortium/CN=SecureCompute consortium CA" \
  -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
chmod 644 "$dir/ca.crt"
echo "wrote $dir/ca.key (keep it secret, offline) and $dir/ca.crt (give it to every member)"
