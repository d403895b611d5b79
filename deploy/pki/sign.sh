#!/usr/bin/env bash
# Run by the CA operator, after confirming out of band who sent the request (for an operator's certificate: that the
# member vouches for this person): issues the certificate for IDENTITY — party:<id>, dealer, client:<party>:<name> (an
# operator of a member) or client (a client of no member). The identity is set here, from the argument — whatever the
# request asks for is ignored — as the subject alternative name URI urn:securecompute:<identity> that silos check.
# Silos' certificates may serve and connect (serverAuth, clientAuth); clients' only connect (clientAuth).
# Usage: sign.sh CA_DIR REQUEST.csr IDENTITY OUT.crt [DAYS]
set -euo pipefail
ca=${1:?usage: sign.sh CA_DIR REQUEST.csr IDENTITY OUT.crt [DAYS]}
csr=${2:?usage: sign.sh CA_DIR REQUEST.csr IDENTITY OUT.crt [DAYS]}
identity=${3:?usage: sign.sh CA_DIR REQUEST.csr IDENTITY OUT.crt [DAYS]}
out=${4:?usage: sign.sh CA_DIR REQUEST.csr IDENTITY OUT.crt [DAYS]}
days=${5:-365}
usage=serverAuth,clientAuth
case "$identity" in
  party:*) [[ "${identity#party:}" =~ ^[A-Za-z0-9_-]+$ ]] || { echo "error: bad party id in '$identity'" >&2; exit 2; } ;;
  client:*)
    operator=${identity#client:}; party=${operator%%:*}; who=${operator#*:}
    if [ "$party" = "$operator" ] || ! [[ "$party" =~ ^[A-Za-z0-9_-]{1,64}$ ]] || ! [[ "$who" =~ ^[A-Za-z0-9._-]{1,64}$ ]]; then
      echo "error: '$identity' must be client:<party>:<name> (party: letters, digits, '-', '_'; name: also '.')" >&2
      exit 2
    fi
    usage=clientAuth ;;
  dealer) ;;
  client) usage=clientAuth ;;
  *) echo "error: IDENTITY must be party:<id>, dealer, client:<party>:<name> or client, not '$identity'" >&2; exit 2 ;;
esac
openssl req -in "$csr" -noout -verify 2>/dev/null || { echo "error: $csr is not a valid signed request" >&2; exit 2; }
extensions=$(mktemp)
trap 'rm -f "$extensions"' EXIT
cat > "$extensions" <<EXT
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=$usage
subjectAltName=URI:urn:securecompute:$identity
EXT
openssl x509 -req -in "$csr" -CA "$ca/ca.crt" -CAkey "$ca/ca.key" -CAcreateserial \
  -days "$days" -sha256 -extfile "$extensions" -out "$out" 2>/dev/null
echo "issued $out for urn:securecompute:$identity, valid $days days:"
openssl x509 -in "$out" -noout -subject -ext subjectAltName
