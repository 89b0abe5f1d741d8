#!/bin/sh
# One-shot namespace job (the `temporal-namespace` service of docker-compose.yml, and the native stack of
# `dcp stack production`): waits for the Temporal frontend, creates $NAMESPACE when missing (retention
# $NAMESPACE_RETENTION), then registers every search attribute of $SEARCH_ATTRIBUTES ("Name=Type ...") on it.
# Safe to run at every start: what exists is left alone.
set -eu
: "${TEMPORAL_ADDRESS:?}" "${NAMESPACE:?}" "${SEARCH_ATTRIBUTES:?}"
retention=${NAMESPACE_RETENTION:-30d}

# Retries a command for up to $1 tries, a second apart; the last failure is shown.
retry() {
  tries=$1
  shift
  until "$@" >/dev/null 2>&1; do
    tries=$((tries - 1))
    if [ "$tries" -le 0 ]; then
      "$@"
      return 1
    fi
    sleep 1
  done
}

retry 120 temporal operator cluster health --address "$TEMPORAL_ADDRESS"

if temporal operator namespace describe --address "$TEMPORAL_ADDRESS" --namespace "$NAMESPACE" >/dev/null 2>&1; then
  echo "namespace $NAMESPACE: already registered"
else
  temporal operator namespace create --address "$TEMPORAL_ADDRESS" --namespace "$NAMESPACE" --retention "$retention"
  echo "namespace $NAMESPACE (retention $retention): created"
fi
# A new namespace reaches every frontend through its namespace cache: until then it is "not found".
retry 60 temporal operator search-attribute list --address "$TEMPORAL_ADDRESS" --namespace "$NAMESPACE"

existing=$(temporal operator search-attribute list --address "$TEMPORAL_ADDRESS" --namespace "$NAMESPACE")
for attribute in $SEARCH_ATTRIBUTES; do
  name=${attribute%%=*}
  type=${attribute#*=}
  if printf '%s\n' "$existing" | grep -qw "$name"; then
    echo "search attribute $name: already registered"
  else
    temporal operator search-attribute create --address "$TEMPORAL_ADDRESS" --namespace "$NAMESPACE" \
      --name "$name" --type "$type"
    echo "search attribute $name ($type): created"
  fi
done
