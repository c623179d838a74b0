#include "core/StoreAccess.h"

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
