#!/usr/bin/env bash
# Run by each member on its own machine (by each operator, for an operator's certificate): a new private key (never
# sent anywhere) and a certificate signing request for the CA operator. IDENTITY is party:<id> (e.g. party:hospital-1),
# dealer, client:<party>:<name> (an operator of a member, e.g. client:hospital-1:alice) or client (a client of no
# member). The CA operator, not this request, decides the identity the certificate names (sign.sh).
# Usage: request.sh IDENTITY DIR   → DIR/tls.key (secret) and DIR/<name>.csr (send this to the CA operator)
#   <name>: the party id, dealer, client-<party>-<name> or client.
set -euo pipefail
identity=${1:?usage: request.sh IDENTITY DIR}
dir=${2:?usage: request.sh IDENTITY DIR}
case "$identity" in
  party:*)
    id=${identity#party:}; name=$id
    [[ "$id" =~ ^[A-Za-z0-9_-]+$ ]] || { echo "error: party id '$id' must be letters, digits, '-' or '_'" >&2; exit 2; } ;;
  client:*)
    operator=${identity#client:}; party=${operator%%:*}; who=${operator#*:}
    if [ "$party" = "$operator" ] || ! [[ "$party" =~ ^[A-Za-z0-9_-]{1,64}$ ]] || ! [[ "$who" =~ ^[A-Za-z0-9._-]{1,64}$ ]]; then
      echo "error: '$identity' must be client:<party>:<name> (party: letters, digits, '-', '_'; name: also '.')" >&2
      exit 2
    fi
    name="client-$party-$who" ;;
  dealer|client) name=$identity ;;
  *) echo "error: IDENTITY must be party:<id>, dealer, client:<party>:<name> or client, not '$identity'" >&2; exit 2 ;;
esac
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
