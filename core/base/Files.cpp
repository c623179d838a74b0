#include "core/base/Files.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <random>
#include <system_error>
#include <utility>
#include <vector>

namespace fs = std::filesystem;

namespace lede::files {

namespace {

// The stores this process has open, by their canonical path, with a count
// of connections. A vector: a process has one or two stores open at most.
struct OpenStore {
    std::string path;      // as first given, for messages
    std::string canonical; // absolute, symbolic links resolved
    int connections = 0;
};

std::mutex g_storesMutex;
std::vector<OpenStore> g_stores;

bool isMemory(const std::string &path) { return path.empty() || path == ":memory:"; }

std::string canonicalPath(const std::string &path)
{
    std::error_code ec;
    fs::path p = fs::weakly_canonical(fs::absolute(path, ec), ec);
    return ec ? path : p.string();
}

struct Identity {
    dev_t dev = 0;
    ino_t ino = 0;
    bool exists = false;
};

Identity identityOf(const std::string &path)
{
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return {};
    return {st.st_dev, st.st_ino, true};
}

bool same(const Identity &a, const Identity &b) { return a.exists && b.exists && a.dev == b.dev && a.ino == b.ino; }

struct SideFile {
    const char *suffix;
    const char *what;
};
constexpr SideFile kSideFiles[] = {
    {"-wal", "SQLite's write-ahead log"},
    {"-shm", "SQLite's shared-memory index"},
    {"-journal", "SQLite's rollback journal"},
};

// Hidden temporary files of OutputFile's fallback: ".NAME.tmp-XXXXXX".
bool isTemporaryName(const std::string &name)
{
    const std::size_t tag = name.size() >= 12 ? name.size() - 11 : std::string::npos;
    if (name.empty() || name[0] != '.' || tag == std::string::npos || tag < 2)
        return false;
    if (name.compare(tag, 5, ".tmp-") != 0)
        return false;
    for (std::size_t i = tag + 5; i < name.size(); ++i)
        if (!std::isalnum(static_cast<unsigned char>(name[i])))
            return false;
    return true;
}

// A writer keeps touching its temporary file as it writes; one untouched
// for this long was left by a writer that is gone.
constexpr auto kStaleTemporaryAge = std::chrono::minutes(2);

void removeStaleTemporaries(const std::string &folder)
{
    DIR *dir = ::opendir(folder.c_str());
    if (!dir)
        return;
    const auto now = std::chrono::system_clock::now();
    while (const dirent *entry = ::readdir(dir)) {
        const std::string name = entry->d_name;
        if (!isTemporaryName(name))
            continue;
        const std::string path = folder + "/" + name;
        struct stat st {};
        if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != ::geteuid())
            continue;
        const auto modified = std::chrono::system_clock::from_time_t(st.st_mtime);
        if (now - modified >= kStaleTemporaryAge)
            ::unlink(path.c_str());
    }
    ::closedir(dir);
}

std::string randomSuffix()
{
    static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    thread_local std::mt19937_64 rng(std::random_device{}());
    std::string out(6, 'a');
    for (char &c : out)
        c = kAlphabet[rng() % (sizeof kAlphabet - 1)];
    return out;
}

// Follows symbolic links from `path` to what they finally name, which may
// not exist yet (a dangling link names the file to create).
Result<std::string> resolveLinks(const std::string &path)
{
    std::string current = path;
    for (int hops = 0; hops < 40; ++hops) {
        struct stat st {};
        if (::lstat(current.c_str(), &st) != 0 || !S_ISLNK(st.st_mode))
            return current;
        std::vector<char> buffer(static_cast<std::size_t>(st.st_size > 0 ? st.st_size : 255) + 1);
        const ssize_t n = ::readlink(current.c_str(), buffer.data(), buffer.size());
        if (n < 0) {
            const int err = errno;
            return makeError(systemMessage(err), errorKind(err));
        }
        const fs::path target(std::string(buffer.data(), static_cast<std::size_t>(n)));
        current = target.is_absolute() ? target.string() : (fs::path(current).parent_path() / target).string();
    }
    return makeError(systemMessage(ELOOP), ErrorKind::InvalidInput);
}

std::string withThousands(std::uint64_t n)
{
    std::string digits = std::to_string(n);
    for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3)
        digits.insert(static_cast<std::size_t>(i), ",");
    return digits;
}

} // namespace

std::string systemMessage(int err) { return std::generic_category().message(err); }

ErrorKind errorKind(int err)
{
    switch (err) {
    case ENOENT:
    case ENOTDIR:
        return ErrorKind::NotFound;
    case EEXIST:
        return ErrorKind::AlreadyExists;
    case EROFS:
    case EACCES:
    case EPERM:
        return ErrorKind::ReadOnly;
    case ENOSPC:
    case EDQUOT:
    case EFBIG:
        return ErrorKind::Full;
    default:
        return ErrorKind::Io;
    }
}

void noteStoreOpened(const std::string &path)
{
    if (isMemory(path))
        return;
    const std::string canonical = canonicalPath(path);
    std::lock_guard lock(g_storesMutex);
    for (OpenStore &s : g_stores)
        if (s.canonical == canonical) {
            ++s.connections;
            return;
        }
    g_stores.push_back({path, canonical, 1});
}

void noteStoreClosed(const std::string &path)
{
    if (isMemory(path))
        return;
    const std::string canonical = canonicalPath(path);
    std::lock_guard lock(g_storesMutex);
    for (auto it = g_stores.begin(); it != g_stores.end(); ++it)
        if (it->canonical == canonical) {
            if (--it->connections <= 0)
                g_stores.erase(it);
            return;
        }
}

std::optional<std::string> storeFileReason(const std::string &path)
{
    std::lock_guard lock(g_storesMutex);
    if (g_stores.empty() || isMemory(path))
        return std::nullopt;
    const std::string canonical = canonicalPath(path);
    const Identity identity = identityOf(path);
    for (const OpenStore &s : g_stores) {
        if (canonical == s.canonical || same(identity, identityOf(s.canonical)))
            return "it is the store Lede has open";
        for (const SideFile &side : kSideFiles) {
            const std::string name = s.canonical + side.suffix;
            if (canonical == name || same(identity, identityOf(name)))
                return std::string("it is ") + side.what + " of the store " + s.path + ", which Lede has open";
        }
    }
    return std::nullopt;
}

std::optional<std::pair<std::uint64_t, std::uint64_t>> fileIdentity(const std::string &path)
{
    const Identity id = identityOf(path);
    if (!id.exists)
        return std::nullopt;
    return std::make_pair(static_cast<std::uint64_t>(id.dev), static_cast<std::uint64_t>(id.ino));
}

std::string formatSize(std::uint64_t bytes)
{
    char buf[48];
    const auto b = static_cast<double>(bytes);
    if (bytes >= 1024ull * 1024 * 1024)
        std::snprintf(buf, sizeof buf, "%.1f GB", b / (1024.0 * 1024.0 * 1024.0));
    else if (bytes >= 1024 * 1024)
        std::snprintf(buf, sizeof buf, "%.1f MB", b / (1024.0 * 1024.0));
    else if (bytes >= 1024)
        std::snprintf(buf, sizeof buf, "%.1f KB", b / 1024.0);
    else
        return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
    return buf;
}

std::string describeSizeOverLimit(std::uint64_t size, std::uint64_t limit)
{
    std::string a = formatSize(size);
    std::string b = formatSize(limit);
    if (a == b) {
        a = withThousands(size) + " bytes";
        b = withThousands(limit) + " bytes";
    }
    return a + "; the limit is " + b;
}

Result<std::string> readFile(const std::string &path, std::uint64_t maxSize, std::string_view limitHint)
{
    if (auto why = storeFileReason(path))
        return makeError(*why);
    // O_NONBLOCK: a FIFO must not hang the import until someone writes to
    // it; it is refused below as not a regular file. It means nothing for
    // regular files.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        const int err = errno;
        if (err == ENOENT)
            return makeError("no such file", ErrorKind::NotFound);
        return makeError("cannot open it for reading: " + systemMessage(err), err == EACCES ? ErrorKind::Io : errorKind(err));
    }
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0)
        return makeError("cannot read it: " + systemMessage(errno), ErrorKind::Io);
    if (S_ISDIR(st.st_mode))
        return makeError("it is a folder", ErrorKind::InvalidInput);
    if (!S_ISREG(st.st_mode))
        return makeError("not a regular file", ErrorKind::InvalidInput);
    const auto size = static_cast<std::uint64_t>(st.st_size);
    if (size > maxSize)
        return makeError("the file is too large (" + describeSizeOverLimit(size, maxSize) + std::string(limitHint) + ")",
                         ErrorKind::InvalidInput);
    // Read to the end rather than to the size stat gave: files in /proc
    // say they are empty, and a file may grow while it is read.
    // One byte more than stat says, so that reaching the end costs no
    // second buffer.
    std::string bytes(static_cast<std::size_t>(size > 0 ? size + 1 : 4096), '\0');
    std::size_t done = 0;
    for (;;) {
        if (done == bytes.size()) {
            if (bytes.size() > maxSize)
                return makeError("the file is too large (it grew past the limit of " + formatSize(maxSize)
                                 + std::string(limitHint) + " while it was read)");
            bytes.resize(std::min<std::uint64_t>(static_cast<std::uint64_t>(bytes.size()) * 2, maxSize + 1));
        }
        const ssize_t n = ::read(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return makeError("cannot read it: " + systemMessage(errno), ErrorKind::Io);
        }
        if (n == 0)
            break;
        done += static_cast<std::size_t>(n);
    }
    if (done > maxSize)
        return makeError("the file is too large (it grew past the limit of " + formatSize(maxSize) + std::string(limitHint)
                         + " while it was read)");
    bytes.resize(done);
    return bytes;
}

std::string peekFile(const std::string &path, std::size_t count)
{
    if (storeFileReason(path))
        return {};
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return {};
    std::string out(count, '\0');
    struct stat st {};
    ssize_t n = 0;
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
        n = ::read(fd, out.data(), count);
    ::close(fd);
    out.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    return out;
}

// OutputFile --------------------------------------------------------------

Result<std::unique_ptr<OutputFile>> OutputFile::create(const std::string &path, Links links)
{
    std::unique_ptr<OutputFile> file(new OutputFile);
    file->m_path = path;
    if (path.empty())
        return makeError("no file to write was named");
    auto target = links == Links::Follow ? resolveLinks(path) : Result<std::string>(path);
    if (!target)
        return prefixError("cannot write " + path + ": ", target.error());
    file->m_target = *target;
    if (auto why = storeFileReason(file->m_target))
        return makeError("cannot write " + path + ": " + *why);

    struct stat st {};
    if (::lstat(file->m_target.c_str(), &st) != 0) {
        if (const int err = errno; err != ENOENT)
            return makeError("cannot write " + path + ": " + systemMessage(err), errorKind(err));
        LEDE_TRY(file->openAtomic(file->m_target));
        return file;
    }
    if (S_ISDIR(st.st_mode))
        return makeError("cannot write " + path + ": it is a folder");
    if (S_ISLNK(st.st_mode)) {
        // Links::Replace: the link goes, a file takes its name.
        LEDE_TRY(file->openAtomic(file->m_target));
        return file;
    }
    if (S_ISSOCK(st.st_mode))
        return makeError("cannot write " + path + ": it is a socket");
    if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
        // Written where it is, as `> path` would: a pipe's reader or the
        // device takes the bytes; there is nothing to replace atomically.
        file->m_fd = ::open(file->m_target.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
        if (file->m_fd < 0)
            return file->failure(errno).error();
        file->m_direct = true;
        return file;
    }
    if (peekFile(file->m_target, 16) == std::string_view("SQLite format 3\0", 16))
        return makeError("cannot write " + path
                         + ": it is an SQLite database (perhaps a store), which an export must not replace");
    LEDE_TRY(file->openAtomic(file->m_target));
    return file;
}

Status OutputFile::openAtomic(const std::string &target)
{
    const fs::path t(target);
    const fs::path name = t.filename();
    if (name.empty() || name == "." || name == "..")
        return makeError("cannot write " + m_path + ": it does not name a file");
    m_folder = t.parent_path().empty() ? std::string(".") : t.parent_path().string();
    // An existing file keeps its permissions.
    mode_t mode = 0644;
    struct stat st {};
    if (::lstat(target.c_str(), &st) == 0 && S_ISREG(st.st_mode))
        mode = st.st_mode & 07777;
    removeStaleTemporaries(m_folder);

    // An unnamed file vanishes with a killed writer; it needs /proc (or
    // root) to be given a name at the end, see commit().
    if (::geteuid() == 0 || ::access("/proc/self/fd", X_OK) == 0) {
        m_fd = ::open(m_folder.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
        if (m_fd < 0 && errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
            return failure(errno);
    }
    if (m_fd < 0) {
        std::string temp = m_folder + "/." + name.string() + ".tmp-XXXXXX";
        m_fd = ::mkostemp(temp.data(), O_CLOEXEC);
        if (m_fd < 0)
            return failure(errno);
        m_temp = std::move(temp);
    }
    if (::fchmod(m_fd, mode) != 0)
        return failure(errno);
    return {};
}

OutputFile::~OutputFile()
{
    if (m_fd >= 0)
        ::close(m_fd);
    if (!m_committed && !m_temp.empty())
        ::unlink(m_temp.c_str());
}

Status OutputFile::failure(int err) const
{
    return makeError("cannot write " + m_path + ": " + systemMessage(err), errorKind(err));
}

Status OutputFile::write(std::string_view bytes)
{
    if (m_fd < 0)
        return makeError("cannot write " + m_path + ": the file is closed");
    while (!bytes.empty()) {
        const ssize_t n = ::write(m_fd, bytes.data(), bytes.size());
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return failure(errno);
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return {};
}

Status OutputFile::commit()
{
    if (m_fd < 0)
        return makeError("cannot write " + m_path + ": the file is closed");
    if (m_direct) {
        const int fd = std::exchange(m_fd, -1);
        if (::close(fd) != 0)
            return failure(errno);
        m_committed = true;
        return {};
    }
    if (::fsync(m_fd) != 0)
        return failure(errno);
    if (m_temp.empty()) {
        // Name the unnamed file beside the destination, then rename it over
        // the destination: rename(2) replaces atomically, linkat(2) cannot.
        const std::string base = m_folder + "/." + fs::path(m_target).filename().string() + ".tmp-";
        const std::string self = "/proc/self/fd/" + std::to_string(m_fd);
        for (int attempt = 0; attempt < 20 && m_temp.empty(); ++attempt) {
            std::string candidate = base + randomSuffix();
            int rc = ::linkat(m_fd, "", AT_FDCWD, candidate.c_str(), AT_EMPTY_PATH);
            if (rc != 0 && errno != EEXIST)
                rc = ::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, candidate.c_str(), AT_SYMLINK_FOLLOW);
            if (rc == 0)
                m_temp = std::move(candidate);
            else if (errno != EEXIST)
                return failure(errno);
        }
        if (m_temp.empty())
            return failure(EEXIST);
    }
    const int fd = std::exchange(m_fd, -1);
    if (::close(fd) != 0)
        return failure(errno);
    if (::rename(m_temp.c_str(), m_target.c_str()) != 0)
        return failure(errno);
    m_committed = true;
    // The new name is durable only once the folder's entry is on disk. The
    // content already is, so a failure here is not reported.
    const int folder = ::open(m_folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (folder >= 0) {
        ::fsync(folder);
        ::close(folder);
    }
    return {};
}

std::string temporaryPathBeside(const std::string &target)
{
    const fs::path t(target);
    const std::string folder = t.parent_path().empty() ? std::string(".") : t.parent_path().string();
    removeStaleTemporaries(folder);
    for (;;) {
        std::string candidate = folder + "/." + t.filename().string() + ".tmp-" + randomSuffix();
        struct stat st {};
        if (::lstat(candidate.c_str(), &st) != 0 && errno == ENOENT)
            return candidate;
    }
}

Status replaceWith(const std::string &from, const std::string &to)
{
    if (auto why = storeFileReason(to)) {
        ::unlink(from.c_str());
        return makeError("cannot write " + to + ": " + *why);
    }
    if (::rename(from.c_str(), to.c_str()) != 0) {
        const int err = errno;
        ::unlink(from.c_str());
        return makeError("cannot write " + to + ": " + systemMessage(err), errorKind(err));
    }
    const fs::path parent = fs::path(to).parent_path();
    const int folder = ::open(parent.empty() ? "." : parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (folder >= 0) {
        ::fsync(folder);
        ::close(folder);
    }
    return {};
}

Status writeFileAtomically(const std::string &path, std::string_view content, Links links)
{
    LEDE_TRY_ASSIGN(auto file, OutputFile::create(path, links));
    if (auto st = file->write(content); !st)
        return st;
    return file->commit();
}

// DescriptorBuffer ----------------------------------------------------------

bool DescriptorBuffer::writeAll(const char *data, std::size_t size)
{
    if (m_error)
        return false;
    while (size > 0) {
        const ssize_t n = ::write(m_fd, data, size);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            m_error = errno;
            return false;
        }
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

bool DescriptorBuffer::flushBuffer()
{
    const auto size = static_cast<std::size_t>(pptr() - pbase());
    setp(m_buffer, m_buffer + sizeof m_buffer);
    return size == 0 || writeAll(m_buffer, size);
}

DescriptorBuffer::int_type DescriptorBuffer::overflow(int_type c)
{
    if (!flushBuffer())
        return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
        *pptr() = traits_type::to_char_type(c);
        pbump(1);
    }
    return traits_type::not_eof(c);
}

int DescriptorBuffer::sync() { return flushBuffer() ? 0 : -1; }

std::streamsize DescriptorBuffer::xsputn(const char *s, std::streamsize n)
{
    const auto size = static_cast<std::size_t>(n);
    if (size <= static_cast<std::size_t>(epptr() - pptr())) {
        std::memcpy(pptr(), s, size);
        pbump(static_cast<int>(n));
        return n;
    }
    if (!flushBuffer())
        return 0;
    return writeAll(s, size) ? n : 0;
}

} // namespace lede::files
