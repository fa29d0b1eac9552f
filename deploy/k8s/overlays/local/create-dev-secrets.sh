#!/usr/bin/env bash
# Creates the Secrets the local overlay needs, with random passwords and the development
# credentials (deploy/local/seed/credentials.json); nothing secret is kept in the repository.
# Run once per cluster, before `kubectl apply -k deploy/k8s/overlays/local`. Production creates
# its own the same way, with its own credentials file (docs/runbook.md, "Secrets").
set -euo pipefail
cd "$(dirname "$0")/../../../.."
ns=crc-network
kubectl get namespace "$ns" >/dev/null 2>&1 || kubectl create namespace "$ns"
random() { openssl rand -hex 24; }

create() { # name, then kubectl create secret generic arguments
  local name=$1
  shift
  if kubectl -n "$ns" get secret "$name" >/dev/null 2>&1; then
    echo "secret $name exists; left as it is"
  else
    kubectl -n "$ns" create secret generic "$name" "$@"
  fi
}

create crc-credentials --from-file=credentials.json=deploy/local/seed/credentials.json
create crc-telehealth --from-literal=DEVICE_ID_HASH_KEY="$(random)"
create crc-reporting-fhir --from-literal=FHIR_PSEUDONYM_KEY="$(random)"
create crc-mongodb-admin --from-literal=username=admin --from-literal=password="$(random)"
create crc-mongodb-keyfile --from-literal=keyfile="$(openssl rand -base64 756 | tr -d '\n')"

# One password per service: the init job creates the users, the services connect with the URIs.
if ! kubectl -n "$ns" get secret crc-mongodb-users >/dev/null 2>&1; then
  users=() uris=()
  for service in checkin membership telehealth reporting; do
    password=$(random)
    users+=(--from-literal="$service=$password")
    uris+=(--from-literal="$service=mongodb://crc-$service:$password@mongodb-0.mongodb:27017/crc-$service?replicaSet=rs0&authSource=admin")
  done
  kubectl -n "$ns" create secret generic crc-mongodb-users "${users[@]}"
  kubectl -n "$ns" delete secret crc-mongodb-uris --ignore-not-found
  kubectl -n "$ns" create secret generic crc-mongodb-uris "${uris[@]}"
fi
echo "secrets ready in namespace $ns"
