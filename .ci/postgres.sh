# Sourced by .ci/run: a private PostgreSQL for the tests (its own port, socket folder and
# data folder under /tmp), started before the suite and stopped when the script exits.
# It exports LMSCHOOL_TEST_POSTGRES_URL, which tests/conftest.py's PostgreSQL fixtures use.

PG_PORT="${PG_PORT:-55432}"

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq postgresql
fi
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
PG_DIR="$(mktemp -d /tmp/lmschool-pg.XXXXXX)"
if [ "$(id -u)" = 0 ]; then
    chown postgres: "$PG_DIR"
    as_pg() { runuser -u postgres -- "$@"; }
else
    as_pg() { "$@"; }
fi

stop_postgres() {
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
}

as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses='' -c fsync=off" start >/dev/null
trap stop_postgres EXIT
export LMSCHOOL_TEST_POSTGRES_URL="postgresql+psycopg://postgres@/postgres?host=$PG_DIR&port=$PG_PORT"
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') for the tests on $PG_DIR:$PG_PORT"
