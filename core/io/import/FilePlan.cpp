#include "core/io/import/FilePlan.h"

#include "core/base/Files.h"
#include "core/text/Text.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <system_error>

namespace fs = std::filesystem;

namespace lede::importing {

namespace {

// Collects the importable files under `folder`. Hidden files and folders
// are passed over, and so are links to folders (which could loop); a
// folder or entry that cannot be read is a failure of its own, and the
// walk goes on with the rest.
void walkFolder(const fs::path &root, const fs::path &folder, std::vector<PlannedFile> &found, ImportReport &report)
{
    std::error_code ec;
    fs::directory_iterator it(folder, ec);
    if (ec) {
        report.failures.push_back({folder.string(), "cannot read the folder: " + ec.message()});
        return;
    }
    std::vector<fs::path> subfolders;
    for (const fs::directory_iterator end; it != end; it.increment(ec)) {
        if (ec)
            break;
        const fs::path &path = it->path();
        const std::string name = path.filename().string();
        if (!name.empty() && name[0] == '.')
            continue;
        std::error_code entryError;
        const bool link = it->is_symlink(entryError);
        const auto status = it->status(entryError);
        if (entryError) {
            // A dangling link is no file to import; anything else the user
            // should hear about.
            if (!link)
                report.failures.push_back({path.string(), "cannot read it: " + entryError.message()});
            continue;
        }
        if (fs::is_directory(status)) {
            if (!link)
                subfolders.push_back(path);
            continue;
        }
        if (!fs::is_regular_file(status))
            continue;
        if (!isImportableExtension(name)) {
            ++report.ignored;
            continue;
        }
        found.push_back({path.string(), path.lexically_relative(root).generic_string()});
    }
    if (ec)
        report.failures.push_back({folder.string(), "cannot read the folder: " + ec.message()});
    for (const fs::path &sub : subfolders)
        walkFolder(root, sub, found, report);
}

} // namespace

std::vector<PlannedFile> planFiles(const std::vector<std::string> &paths, ImportReport &report)
{
    std::vector<PlannedFile> files;
    // A file named twice (by two paths, or through a link) is read once:
    // known by its device and inode, one stat where a canonical path
    // takes one a folder on the way.
    std::set<std::pair<std::uint64_t, std::uint64_t>> seen;
    std::set<std::string> seenUnread;
    auto add = [&](const fs::path &p, std::string source) {
        const std::string path = p.string();
        const auto identity = files::fileIdentity(path);
        // The path stays the file system's bytes, to find the file by; the
        // source the document records is what a reader shows for the name:
        // bytes that are not UTF-8 become U+FFFD.
        if (identity ? seen.insert(*identity).second : seenUnread.insert(path).second)
            files.push_back({path, text::toValidUtf8(source)});
    };
    for (const std::string &arg : paths) {
        std::error_code ec;
        const fs::path root(arg);
        const auto status = fs::status(root, ec);
        if (ec || !fs::exists(status)) {
            const bool missing = !ec || ec == std::errc::no_such_file_or_directory;
            report.failures.push_back({arg, missing ? "no such file or folder" : "cannot read it: " + ec.message()});
            continue;
        }
        if (!fs::is_directory(status)) {
            add(root, root.filename().string());
            continue;
        }
        std::vector<PlannedFile> found;
        walkFolder(root, root, found, report);
        std::sort(found.begin(), found.end(), [](const auto &a, const auto &b) { return a.source < b.source; });
        for (PlannedFile &f : found)
            add(f.path, std::move(f.source));
    }
    return files;
}

} // namespace lede::importing
