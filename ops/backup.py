"""Back up and restore the portal's database (docs/OPERATIONS.md, "Backups and restore").

PostgreSQL: ``pg_dump --format=custom --no-owner`` (compressed, consistent, restorable into any database), restored
with ``pg_restore --clean --if-exists --no-owner --single-transaction``: a restore that fails half-way leaves the
database as it was. SQLite: SQLite's online backup API, which copies a consistent snapshot while the portal keeps
running, and copies a backup back the same way.

    python ops/backup.py backup [FILE]          # default: backups/portal-<UTC timestamp>.dump (.sqlite3 on SQLite)
    python ops/backup.py restore FILE [--yes]   # --yes is needed when the database already has tables

The database is the one the portal uses: DATABASE_URL from the environment or from .env beside manage.py, read the
way config/settings.py reads it (without needing SECRET_KEY). The PostgreSQL client programs are taken from PG_BIN,
else from PATH, else from the newest /usr/lib/postgresql/*/bin; they must be at least the server's major version.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BACKUP_DIR = BASE_DIR / "backups"

POSTGRESQL = "postgresql"
SQLITE = "sqlite"
EXTENSIONS = {POSTGRESQL: "dump", SQLITE: "sqlite3"}
# The first bytes of each kind of backup file: pg_dump's custom format and an SQLite database.
MAGIC = {POSTGRESQL: b"PGDMP", SQLITE: b"SQLite format 3\x00"}
# Connection options that libpq also reads from the environment.
PG_OPTION_VARIABLES = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


def database_from_environment():
    """The portal's database settings (a Django DATABASES entry) from DATABASE_URL, as config/settings.py has it."""
    import environ

    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    return environ.Env.db_url_config(url)


def vendor_of(database):
    engine = database.get("ENGINE", "")
    if "sqlite3" in engine:
        return SQLITE
    if "postgresql" in engine or "postgis" in engine:
        return POSTGRESQL
    raise BackupError(f"Backups support PostgreSQL and SQLite only, not {engine or 'an unnamed engine'}.")


def describe(database):
    """The database in words, for messages: which server and name, or which file."""
    if vendor_of(database) == SQLITE:
        return f"SQLite database {database['NAME']}"
    where = f"{database.get('HOST') or 'the local socket'}" + (f":{database['PORT']}" if database.get("PORT") else "")
    user = f" as {database['USER']}" if database.get("USER") else ""
    return f"PostgreSQL database {database['NAME']} on {where}{user}"


def default_backup_path(database, now=None):
    """backups/portal-<UTC timestamp>.<dump|sqlite3>."""
    now = now or datetime.datetime.now(datetime.UTC)
    return BACKUP_DIR / f"portal-{now.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}.{EXTENSIONS[vendor_of(database)]}"


def backup(database, path=None):
    """Writes a backup of ``database`` to ``path`` (default: default_backup_path) and returns the path.

    The backup is written beside its final name and renamed only once it is complete and checked, so a file with
    the final name is always a whole backup. It is readable by its owner only: it holds password hashes and sessions.
    """
    vendor = vendor_of(database)
    path = Path(path) if path else default_backup_path(database)
    if path.exists():
        raise BackupError(f"{path} already exists; choose another file name.")
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        partial.touch(mode=0o600)
        if vendor == POSTGRESQL:
            _pg_run(
                "pg_dump",
                ["--format=custom", "--no-owner", f"--file={partial}", f"--dbname={database['NAME']}"],
                database,
            )
            # Reads the table of contents back: a truncated or unreadable dump fails here, not on the day it is needed.
            _pg_run("pg_restore", ["--list", str(partial)], database)
        else:
            _sqlite_backup(database, partial)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def restore(database, path):
    """Replaces the contents of ``database`` with the backup in ``path`` (made by ``backup`` on the same vendor).

    PostgreSQL drops and recreates every object that is in the backup, in one transaction; objects the backup does
    not have (e.g. tables of a newer release) stay, so restore into a fresh database when in doubt. SQLite replaces
    the whole database.
    """
    path = Path(path)
    vendor = vendor_of(database)
    check_backup_file(path, vendor)
    if vendor == POSTGRESQL:
        options = ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error"]
        _pg_run("pg_restore", [*options, f"--dbname={database['NAME']}", str(path)], database)
    else:
        source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            target = _sqlite_connect(database["NAME"], must_exist=False)
            try:
                source.backup(target)
            finally:
                target.close()
        finally:
            source.close()


def check_backup_file(path, vendor):
    """Refuses a missing file, or a backup of the other kind of database, with a message that says which it is."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No backup file at {path}.")
    with path.open("rb") as file:
        head = file.read(16)
    kind = next((each for each, magic in MAGIC.items() if head.startswith(magic)), None)
    if kind is None:
        raise BackupError(f"{path} is neither a pg_dump custom-format file nor an SQLite database.")
    if kind != vendor:
        names = {POSTGRESQL: "PostgreSQL", SQLITE: "SQLite"}
        raise BackupError(f"{path} is a {names[kind]} backup; the database is {names[vendor]}.")


def table_count(database):
    """How many tables the database has (0 for a fresh one, or an SQLite file that does not exist yet)."""
    if vendor_of(database) == SQLITE:
        name = str(database["NAME"])
        if not name.startswith("file:") and not Path(name).exists():
            return 0
        connection = _sqlite_connect(name, must_exist=True)
        try:
            return connection.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            ).fetchone()[0]
        finally:
            connection.close()
    query = "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
    options = ["--no-psqlrc", "--tuples-only", "--no-align", f"--dbname={database['NAME']}"]
    output = _pg_run("psql", [*options, "--command", query], database)
    return int(output.strip())


def _sqlite_connect(name, *, must_exist):
    name = str(name)
    if name == ":memory:":
        raise BackupError("A private in-memory SQLite database cannot be reached from another connection.")
    uri = name.startswith("file:")
    if must_exist and not uri and not Path(name).exists():
        raise BackupError(f"No SQLite database at {name}.")
    return sqlite3.connect(name, uri=uri)


def _sqlite_backup(database, path):
    source = _sqlite_connect(database["NAME"], must_exist=True)
    try:
        target = sqlite3.connect(path)
        try:
            source.backup(target)
            result = target.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            target.close()
    finally:
        source.close()
    if result != "ok":
        raise BackupError(f"The backup failed SQLite's integrity check: {result}")


def _pg_binary(name):
    """The PostgreSQL client program ``name``: from PG_BIN, PATH, or the newest /usr/lib/postgresql/*/bin."""
    if directory := os.environ.get("PG_BIN"):
        candidate = Path(directory) / name
        if os.access(candidate, os.X_OK):
            return str(candidate)
        raise BackupError(f"PG_BIN is {directory}, but it has no {name}.")
    if found := shutil.which(name):
        return found

    def version(candidate):
        return [int(part) for part in re.findall(r"\d+", candidate.parent.parent.name)] or [0]

    installed = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=version)
    if installed:
        return str(installed[-1])
    raise BackupError(f"{name} was not found: install the PostgreSQL client programs or set PG_BIN to their folder.")


def _pg_environment(database):
    """libpq's environment variables for the database: no password ever appears on a command line."""
    environment = dict(os.environ)
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if database.get(key) not in (None, ""):
            environment[variable] = str(database[key])
    for option, value in (database.get("OPTIONS") or {}).items():
        if option in PG_OPTION_VARIABLES and value not in (None, ""):
            environment[PG_OPTION_VARIABLES[option]] = str(value)
    return environment


def _pg_run(program, arguments, database):
    command = [_pg_binary(program), *arguments]
    result = subprocess.run(  # noqa: S603 - a fixed PostgreSQL client program, arguments passed as a list
        command, env=_pg_environment(database), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{program} failed (exit {result.returncode}): {result.stderr.strip() or result.stdout}")
    return result.stdout


def _size(path):
    size = path.stat().st_size
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return ""  # pragma: no cover - the loop always returns


def main(argv=None, database=None):
    parser = argparse.ArgumentParser(
        prog="ops/backup.py", description="Back up or restore the portal's database (DATABASE_URL)."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    backup_parser = commands.add_parser("backup", help="write a backup file")
    backup_parser.add_argument("file", nargs="?", type=Path, help="default: backups/portal-<UTC timestamp>.<ext>")
    restore_parser = commands.add_parser("restore", help="replace the database's contents with a backup file")
    restore_parser.add_argument("file", type=Path)
    restore_parser.add_argument(
        "--yes", action="store_true", help="restore even though the database has tables (they are replaced)"
    )
    args = parser.parse_args(argv)
    database = database or database_from_environment()
    try:
        if args.command == "backup":
            path = backup(database, args.file)
            print(f"Backed up {describe(database)} to {path} ({_size(path)}).")
            return 0
        return _restore_command(database, args.file, yes=args.yes)
    except BackupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


def _restore_command(database, path, *, yes):
    check_backup_file(path, vendor_of(database))
    taken = datetime.datetime.fromtimestamp(path.stat().st_mtime, datetime.UTC)
    print(f"Restoring {path} ({_size(path)}, written {taken:%Y-%m-%d %H:%M} UTC) into {describe(database)}.")
    tables = table_count(database)
    if tables and not yes:
        print(
            f"Refused: the database has {tables} tables, and the restore replaces every table in the backup with "
            "the backup's rows. Stop the portal, then run again with --yes (make restore FILE=... CONFIRM=yes).",
            file=sys.stderr,
        )
        return 2
    restore(database, path)
    print(f"Restored: the database now has {table_count(database)} tables. Start the portal and check /health/.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
