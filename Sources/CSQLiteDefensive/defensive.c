#include <sqlite3.h>
#include "CSQLiteDefensive.h"

int canvass_sqlite_defensive(void *connection) {
    int enabled = 0;
    return sqlite3_db_config((sqlite3 *)connection, SQLITE_DBCONFIG_DEFENSIVE, 1, &enabled);
}
