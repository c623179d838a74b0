#include "core/store/StoreAccess.h"

#include "core/base/Files.h"
#include "core/text/Text.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <cstdio>
#include <set>
#include <sstream>

#include <cerrno>
#include <fcntl.h>
#include <filesystem>
#include <unistd.h>

namespace lede {

namespace {

// 0 when writable, else the errno access(2) gave: EROFS tells a read-only
// file system from a permission. AT_EACCESS checks the effective ids,
// which are the ones SQLite's own open(2) calls will be judged by.
int writeError(const std::filesystem::path &path, int mode = W_OK)
{
    return faccessat(AT_FDCWD, path.c_str(), mode, AT_EACCESS) == 0 ? 0 : errno;
}

} // namespace

std::vector<std::string> storeLockHolders(const std::string &path)
{
    std::vector<std::pair<dev_t, ino_t>> files;
    for (const std::string &name : {path, path + "-shm"}) {
        struct stat st {};
        if (::stat(name.c_str(), &st) == 0)
            files.emplace_back(st.st_dev, st.st_ino);
    }
    auto locks = files::readFile("/proc/locks", 16 * 1024 * 1024);
    if (files.empty() || !locks)
        return {};
    std::set<long> pids;
    std::istringstream in(*locks);
    std::string line;
    while (std::getline(in, line)) {
        // "1: POSIX  ADVISORY  WRITE 4711 08:01:123456 120 120"; waiters
        // ("->") hold nothing yet.
        if (line.find("->") != std::string::npos)
            continue;
        std::istringstream fields(line);
        std::string number, kind, mode, access, device;
        long pid = 0;
        fields >> number >> kind >> mode >> access >> pid >> device;
        unsigned major = 0, minor = 0;
        unsigned long inode = 0;
        if (!fields || pid <= 0 || pid == ::getpid()
            || std::sscanf(device.c_str(), "%x:%x:%lu", &major, &minor, &inode) != 3)
            continue;
        for (const auto &[dev, ino] : files)
            if (inode == ino && major == ::major(dev) && minor == ::minor(dev))
                pids.insert(pid);
    }
    std::vector<std::string> out;
    for (const long pid : pids) {
        auto comm = files::readFile("/proc/" + std::to_string(pid) + "/comm", 4096);
        std::string name = comm ? std::string(text::trim(*comm)) : std::string();
        out.push_back((name.empty() ? std::string("process ") : text::toValidUtf8(name) + " (process ")
                      + std::to_string(pid) + (name.empty() ? "" : ")"));
    }
    return out;
}

std::optional<std::string> storeReadOnlyReason(const std::string &path)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    if (path.empty() || path == ":memory:" || !fs::exists(path, ec))
        return std::nullopt;
    if (const int error = writeError(path))
        return error == EROFS ? std::string("it is on a read-only file system") : std::string("the file is not writable");

    const fs::path folder = fs::absolute(path, ec).parent_path();
    // Creating a file in a folder takes write and search permission on it.
    const bool folderWritable = !ec && writeError(folder, W_OK | X_OK) == 0;
    // One access(2) call per side file: another process closing the store
    // may delete them at any moment, and a file that vanished between an
    // existence check and a permission check is missing, not read-only.
    for (const char *suffix : {"-wal", "-shm"}) {
        const std::string side = path + suffix;
        const int error = writeError(side);
        if (error == 0)
            continue;
        if (error != ENOENT)
            return side + ", which SQLite writes beside the store, is not writable";
        if (!folderWritable)
            return "its folder is not writable, and SQLite needs to create " + side + " there";
    }
    return std::nullopt;
}

} // namespace lede
