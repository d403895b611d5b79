#!/usr/bin/env bash
# Run by each member on its own machine: a new private key (never sent anywhere) and a certificate signing request for
# the CA operator. IDENTITY is party:<id> (e.g. party:hospital-1), dealer or client.
# Usage: request.sh IDENTITY DIR   → DIR/tls.key (secret) and DIR/<name>.csr (send this to the CA operator)
set -euo pipefail
identity=${1:?usage: request.sh IDENTITY DIR}
dir=${2:?usage: request.sh IDENTITY DIR}
case "$identity" in
  party:*) id=${identity#party:}; name=$id ;;
  dealer|client) id=$identity; name=$identity ;;
  *) echo "error: IDENTITY must be party:<id>, dealer or client, not '$identity'" >&2; exit 2 ;;
esac
if ! [[ "$id" =~ ^[A-Za-z0-9_-]+$ ]]; then
  echo "error: '$id' must be letters, digits, '-' or '_'" >&2
  exit 2
fi
mkdir -p "$dir"
if [ -e "$dir/tls.key" ]; then
  echo "error: $dir/tls.key exists; refusing to overwrite a key" >&2
  exit 2
fi
umask 077
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
  -keyout "$dir/tls.key" -out "$dir/$name.csr" \
  -subj "/O=SecureCompute consortium/CN=$name" 2>/dev/null
chmod 644 "$dir/$name.csr"
echo "wrote $dir/tls.key (keep it; it never leaves this organisation) and $dir/$name.csr (send it to the CA operator)"
