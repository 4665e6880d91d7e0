// What tells one file from a copy of it, beyond its bytes, from calls Swift's Glibc module leaves
// out: extended attributes (a data file seals its last write in one) and the birth time of an
// inode (a restored file can reuse a deleted file's inode number, not its birth time).
// Used by Sources/CanvassStore/DataFile+Identity.swift.
#include <stdint.h>
#include <sys/xattr.h>

// The birth time of the file at `path` (statx), or -1 where the file system does not keep one.
int canvass_birth_time(const char *path, int64_t *seconds, uint32_t *nanoseconds);
