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
    for (const char *suffix : {"-wal", "-shm"}) {
        const std::string side = path + suffix;
        if (fs::exists(side, ec)) {
            if (writeError(side) != 0)
                return side + ", which SQLite writes beside the store, is not writable";
        } else if (!folderWritable) {
            return "its folder is not writable, and SQLite needs to create " + side + " there";
        }
    }
    return std::nullopt;
}

} // namespace lede
