#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include "CFileIdentity.h"

int canvass_birth_time(const char *path, int64_t *seconds, uint32_t *nanoseconds) {
    struct statx info;
    if (statx(AT_FDCWD, path, 0, STATX_BTIME, &info) != 0 || !(info.stx_mask & STATX_BTIME)) return -1;
    *seconds = info.stx_btime.tv_sec;
    *nanoseconds = info.stx_btime.tv_nsec;
    return 0;
}
