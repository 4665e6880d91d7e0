// Nothing to compile: the header is the module (SwiftPM wants a source file in a C target).
#include "CXattr.h"
