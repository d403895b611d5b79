#!/usr/bin/env bash
# Run by the CA operator, after confirming out of band who sent the request: issues the certificate for IDENTITY
# (party:<id>, dealer or client). The identity is set here, from the argument — whatever the request asks for is
# ignored — as the subject alternative name URI urn:securecompute:<identity> that silos check.
# Usage: sign.sh CA_DIR REQUEST.csr IDENTITY OUT.crt [DAYS]
set -euo pipefail
ca=${1:?usage: sign.sh CA_DIR REQUEST.csr IDENTITY OUT.crt [DAYS]}
csr=${2:?usage: sign.sh CA_DIR REQUEST.csr IDENTITY OUT.crt [DAYS]}
identity=${3:?usage: sign.sh CA_DIR REQUEST.csr IDENTITY OUT.crt [DAYS]}
out=${4:?usage: sign.sh CA_DIR REQUEST.csr IDENTITY OUT.crt [DAYS]}
days=${5:-365}
case "$identity" in
  party:*) [[ "${identity#party:}" =~ ^[A-Za-z0-9_-]+$ ]] || { echo "error: bad party id in '$identity'" >&2; exit 2; } ;;
  dealer|client) ;;
  *) echo "error: IDENTITY must be party:<id>, dealer or client, not '$identity'" >&2; exit 2 ;;
esac
openssl req -in "$csr" -noout -verify 2>/dev/null || { echo "error: $csr is not a valid signed request" >&2; exit 2; }
extensions=$(mktemp)
trap 'rm -f "$extensions"' EXIT
cat > "$extensions" <<EXT
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=URI:urn:securecompute:$identity
EXT
openssl x509 -req -in "$csr" -CA "$ca/ca.crt" -CAkey "$ca/ca.key" -CAcreateserial \
  -days "$days" -sha256 -extfile "$extensions" -out "$out" 2>/dev/null
echo "issued $out for urn:securecompute:$identity, valid $days days:"
openssl x509 -in "$out" -noout -subject -ext subjectAltName
