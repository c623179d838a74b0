#pragma once

#include "core/base/Result.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <streambuf>
#include <string>
#include <string_view>

namespace lede::files {

/// Lede's one door to the contents of files.
///
/// SQLite guards a store with POSIX advisory locks, and those belong to the
/// process, not to a descriptor: when any code in the process closes any
/// descriptor on a store file, every lock the process holds on that file is
/// gone. Another process then takes the store for unused, checkpoints it
/// and deletes the -wal and -shm files this process still writes to, and
/// what either side writes next is lost ("How To Corrupt An SQLite Database
/// File", 2.2). So SQLite alone opens store files: Database registers each
/// store it opens here, and every other read or write of a file in Lede
/// goes through this header, which refuses the files of those stores.
/// tests/lint checks that nothing else in core/, ui/ or app/ opens files.

/// Called by Database for each connection it opens and closes; `path` is
/// the store's file as given to SQLite. ":memory:" and "" are ignored.
void noteStoreOpened(const std::string &path);
void noteStoreClosed(const std::string &path);

/// Why `path` must not be opened outside SQLite, as a phrase that follows
/// "PATH: " ("it is the store Lede has open", "it is the write-ahead log of
/// the store S, which Lede has open"), or nullopt when it is no file of a
/// store open in this process. Looks only at names and inode numbers.
std::optional<std::string> storeFileReason(const std::string &path);

/// What names a file whichever path leads to it (its device and inode),
/// from one stat; nothing when it cannot be read.
std::optional<std::pair<std::uint64_t, std::uint64_t>> fileIdentity(const std::string &path);

/// "20.0 MB", "3.2 KB", "512 bytes".
std::string formatSize(std::uint64_t bytes);
/// "20.0 MB; the limit is 20.0 MB", in bytes when the rounded figures
/// would read the same ("20,971,521 bytes; the limit is 20,971,520 bytes").
std::string describeSizeOverLimit(std::uint64_t size, std::uint64_t limit);

/// Reads the whole regular file `path`, of at most `maxSize` bytes. Fails
/// with a phrase naming the problem but not the file (the caller names
/// it): "no such file", "cannot open it for reading: Permission denied",
/// "not a regular file" (a FIFO or device is never waited on), "the file is
/// too large (...)" with `limitHint` before the closing bracket, a store
/// file (see storeFileReason).
Result<std::string> readFile(const std::string &path, std::uint64_t maxSize, std::string_view limitHint = {});

/// The first bytes of `path`, at most `count`; empty when it cannot be read.
std::string peekFile(const std::string &path, std::size_t count);

/// A file being written, that appears at its path only when complete.
///
/// - A regular file, or a path where nothing is yet, is replaced atomically:
///   the bytes go to an unnamed file in the destination's folder (O_TMPFILE;
///   a hidden ".NAME.tmp-XXXXXX" file where the file system lacks it), which
///   commit() makes durable and renames over the destination. A kill or a
///   failure before commit() leaves the destination as it was, and nothing
///   beside it; hidden temporary files that earlier, killed writers left in
///   the folder are removed when the next file is written there. An
///   existing file keeps its permissions; a new one gets 0644.
/// - A symbolic link is written through: its target is replaced as above
///   and the link stays (with Links::Replace, the link itself is replaced).
/// - A FIFO, a character or block device (/dev/stdout, /dev/null) is
///   written directly, as a shell's redirection would.
/// - A folder, a store this process has open (or its -wal, -shm), and an
///   existing SQLite database are refused, naming the path.
/// Error messages name the destination as the caller gave it.
enum class Links {
    Follow,  // write through a symbolic link to its target (an --out the user named)
    Replace, // replace a symbolic link by the file (names Lede made up, inside a folder)
};

class OutputFile {
public:
    static Result<std::unique_ptr<OutputFile>> create(const std::string &path, Links links = Links::Follow);
    ~OutputFile();
    OutputFile(const OutputFile &) = delete;
    OutputFile &operator=(const OutputFile &) = delete;

    Status write(std::string_view bytes);
    Status commit();

private:
    OutputFile() = default;
    Status openAtomic(const std::string &target);
    Status failure(int err) const;

    std::string m_path;   // as the caller named it, for messages
    std::string m_target; // where the bytes end up, symbolic links resolved
    std::string m_folder;
    std::string m_temp; // a named temporary file (no O_TMPFILE), or empty
    int m_fd = -1;
    bool m_direct = false; // a FIFO or device: no temporary, no rename
    bool m_committed = false;
};

/// For writers that cannot use an OutputFile (SQLite writing a backup):
/// a path beside `target` where nothing is now, named like OutputFile's
/// temporary files (".NAME.tmp-XXXXXX"), so that one a killed writer left
/// behind is removed by the next write into the folder; that clean-up runs
/// here too.
std::string temporaryPathBeside(const std::string &target);
/// Renames the finished file `from` over `to` and makes the new name
/// durable; on failure `from` is removed. Refuses a `to` that is a file of
/// an open store. Error messages name `to`.
Status replaceWith(const std::string &from, const std::string &to);

/// Writes `content` to `path` as one OutputFile.
Status writeFileAtomically(const std::string &path, std::string_view content, Links links = Links::Follow);

/// A stream buffer over a file descriptor (standard output) that remembers
/// why writing failed, so that "cannot write to standard output: No space
/// left on device" can be said rather than that a stream failed.
class DescriptorBuffer : public std::streambuf {
public:
    explicit DescriptorBuffer(int fd) : m_fd(fd) { setp(m_buffer, m_buffer + sizeof m_buffer); }
    ~DescriptorBuffer() override { sync(); }
    DescriptorBuffer(const DescriptorBuffer &) = delete;
    DescriptorBuffer &operator=(const DescriptorBuffer &) = delete;

    /// The errno of the first failed write, or 0.
    int error() const { return m_error; }

protected:
    int_type overflow(int_type c) override;
    int sync() override;
    std::streamsize xsputn(const char *s, std::streamsize n) override;

private:
    bool flushBuffer();
    bool writeAll(const char *data, std::size_t size);

    int m_fd;
    int m_error = 0;
    char m_buffer[1 << 16];
};

/// errno's words for `err` ("No space left on device").
std::string systemMessage(int err);
/// The kind of failure an errno stands for: ENOENT not found, EACCES or
/// EROFS read-only, ENOSPC full, and so on; Io for the rest.
ErrorKind errorKind(int err);

} // namespace lede::files
