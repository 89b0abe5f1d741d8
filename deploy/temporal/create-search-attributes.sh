#!/bin/sh
# One-shot job of docker-compose.yml: waits for the Temporal frontend, then registers every search attribute
# in $SEARCH_ATTRIBUTES ("Name=Type ...") on $NAMESPACE. Idempotent: attributes already there are left alone.
set -eu
: "${TEMPORAL_ADDRESS:?}" "${NAMESPACE:?}" "${SEARCH_ATTRIBUTES:?}"

tries=0
until temporal operator namespace describe --address "$TEMPORAL_ADDRESS" --namespace "$NAMESPACE" >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -ge 90 ]; then echo "search attributes: namespace $NAMESPACE not ready at $TEMPORAL_ADDRESS" >&2; exit 1; fi
  sleep 2
done

existing=$(temporal operator search-attribute list --address "$TEMPORAL_ADDRESS" --namespace "$NAMESPACE")
for attribute in $SEARCH_ATTRIBUTES; do
  name=${attribute%%=*}
  type=${attribute#*=}
  if printf '%s\n' "$existing" | grep -qw "$name"; then
    echo "search attribute $name: already registered"
  else
    temporal operator search-attribute create --address "$TEMPORAL_ADDRESS" --namespace "$NAMESPACE" --name "$name" --type "$type"
    echo "search attribute $name ($type): created"
  fi
done
