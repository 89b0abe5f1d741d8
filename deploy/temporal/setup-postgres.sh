#!/bin/sh
# One-shot schema job (the `temporal-schema` service of docker-compose.yml, and the native stack of
# `dcp stack production`): creates Temporal's two PostgreSQL databases when missing and brings both schemas to
# the version of this temporal-sql-tool, whose schemas are built in (`--schema-name`). Safe to run at every start:
# an existing database is kept, and update-schema applies only the versions the database does not have yet.
# Upgrading the server is the same run with the new version's tool, before the new server starts, for each minor
# version in turn (each version's server run once on the database before the next one's job).
set -eu
: "${POSTGRES_SEEDS:?set POSTGRES_SEEDS to the PostgreSQL host}" "${POSTGRES_USER:?set POSTGRES_USER}"

# temporal-sql-tool reads the password from SQL_PASSWORD, so it never shows in a process list.
export SQL_PASSWORD="${POSTGRES_PWD:-}"
tool() {
  temporal-sql-tool --plugin postgres12 --endpoint "$POSTGRES_SEEDS" --port "${DB_PORT:-5432}" \
    --user "$POSTGRES_USER" "$@"
}

# PostgreSQL may still be starting (or recovering after a crash): wait until it accepts the first statement.
tries=0
until tool --db "${DBNAME:-temporal}" create >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ]; then
    tool --db "${DBNAME:-temporal}" create # once more, showing why it fails
    exit 1
  fi
  sleep 1
done

for pair in "${DBNAME:-temporal}:temporal" "${VISIBILITY_DBNAME:-temporal_visibility}:visibility"; do
  db=${pair%%:*}
  schema=postgresql/v12/${pair#*:}
  tool --db "$db" create
  tool --db "$db" setup-schema --version 0.0
  tool --db "$db" update-schema --schema-name "$schema"
  echo "database $db: schema $schema up to date"
done
