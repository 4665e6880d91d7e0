// Extended attributes (getxattr, setxattr), which Swift's Glibc module leaves out. A data file's
// seal lives in one (DataFile+Identity.swift).
#include <sys/xattr.h>
