#pragma once

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace lede::test {

/// How many POSIX locks process `pid` holds on the file `path`, read from
/// /proc/locks (which opens nothing of the file's). SQLite's connections
/// keep a shared lock on a WAL store while they are open; a process whose
/// count drops to 0 with connections still open has lost its locks, and
/// other processes will take the store for unused.
inline int locksHeldOn(const std::string &path, pid_t pid = ::getpid())
{
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return 0;
    std::ifstream locks("/proc/locks");
    std::string line;
    int held = 0;
    while (std::getline(locks, line)) {
        // "1: POSIX  ADVISORY  READ 1234 08:01:5678 1073741826 1073742335";
        // lines with "->" are processes waiting for a lock, not holding it.
        if (line.find("->") != std::string::npos)
            continue;
        std::istringstream in(line);
        std::string number, kind, mode, access, owner, device;
        in >> number >> kind >> mode >> access >> owner >> device;
        if (kind != "POSIX" || owner != std::to_string(pid))
            continue;
        unsigned major = 0, minor = 0;
        unsigned long inode = 0;
        if (std::sscanf(device.c_str(), "%x:%x:%lu", &major, &minor, &inode) != 3)
            continue;
        if (inode == st.st_ino && major == ::major(st.st_dev) && minor == ::minor(st.st_dev))
            ++held;
    }
    return held;
}

} // namespace lede::test
