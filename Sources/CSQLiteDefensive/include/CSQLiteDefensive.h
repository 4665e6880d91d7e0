#ifndef CSQLITEDEFENSIVE_H
#define CSQLITEDEFENSIVE_H

/// Turns on SQLite's defensive mode (SQLITE_DBCONFIG_DEFENSIVE) on a connection.
/// sqlite3_db_config is variadic, which Swift cannot call; this wraps it. Returns an SQLite result code.
int canvass_sqlite_defensive(void *connection);

#endif
