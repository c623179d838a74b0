#pragma once

#include "core/base/Result.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace lede {

/// A prepared statement. Owned by its caller; finalised on destruction.
/// Binding indices are 1-based as in SQLite. Text is bound as a copy, so
/// the caller's buffers may go away before step().
class Statement {
public:
    Statement() = default;
    Statement(Statement &&other) noexcept;
    Statement &operator=(Statement &&other) noexcept;
    ~Statement();

    Statement &bind(int index, std::int64_t value);
    Statement &bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement &bind(int index, double value);
    Statement &bind(int index, std::string_view value);
    Statement &bind(int index, const char *value) { return bind(index, std::string_view(value)); }
    Statement &bind(int index, const std::string &value) { return bind(index, std::string_view(value)); }
    /// Binds text without copying it: `value` must stay as it is until
    /// the statement is reset or stepped to its end (for a document's
    /// text, which would otherwise be copied once more).
    Statement &bindView(int index, std::string_view value);
    Statement &bindNull(int index);
    /// Binds bytes as a BLOB (copied, as text is).
    Statement &bindBlob(int index, std::string_view bytes);
    Statement &bindOptional(int index, const std::string &value);

    /// Steps once: true with a row, false when done.
    Result<bool> step();
    /// Steps to completion, for statements without rows.
    Status run();
    void reset();

    std::int64_t int64(int column) const;
    double real(int column) const;
    std::string text(int column) const;
    std::string_view textView(int column) const;
    /// A BLOB column's bytes.
    std::string blob(int column) const;
    bool isNull(int column) const;

private:
    friend class Database;
    void release();
    Statement(sqlite3_stmt *stmt, sqlite3 *db, bool owned = true) : m_stmt(stmt), m_db(db), m_owned(owned) {}
    sqlite3_stmt *m_stmt = nullptr;
    sqlite3 *m_db = nullptr;
    bool m_owned = true; // false for handles borrowed from Database::cached()
};

/// Steps `s` to its end and returns read(s) for each row.
template <typename T, typename Read>
Result<std::vector<T>> collect(Statement &s, Read read)
{
    std::vector<T> out;
    for (;;) {
        auto row = s.step();
        if (!row)
            return row.error();
        if (!*row)
            return out;
        out.push_back(read(s));
    }
}

/// One SQLite connection. Use it from one thread at a time.
class Database {
public:
    /// Immutable is ReadOnly for a file nothing may change while it is open:
    /// SQLite then takes no locks and reads neither a -wal nor a -shm file,
    /// so it needs no write access anywhere (see Store::open).
    enum class Mode { ReadWriteCreate, ReadWrite, ReadOnly, Immutable };

    /// Opens `path` (":memory:" works). Fails with a message naming the path.
    /// Every connection waits up to busyTimeoutMs() for another's lock, and
    /// registers the store with files::noteStoreOpened.
    static Result<std::unique_ptr<Database>> open(const std::string &path, Mode mode = Mode::ReadWriteCreate);

    /// How long a connection waits for another program's lock before it
    /// gives up with "the store is busy": 10 s, or $LEDE_BUSY_TIMEOUT_MS.
    static int busyTimeoutMs();

    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    Status exec(std::string_view sql);
    Result<Statement> prepare(std::string_view sql);
    /// A statement prepared once per connection and kept for reuse. The
    /// returned handle borrows it: when the handle goes away the statement
    /// is reset and its bindings cleared, ready for the next caller. Do not
    /// hold two handles to the same SQL at once.
    Result<Statement> cached(std::string_view sql);
    /// Runs a one-row, one-column query such as a PRAGMA.
    Result<std::int64_t> queryInt(std::string_view sql);

    std::int64_t lastInsertRowId() const;
    int changes() const;
    bool inTransaction() const;
    const std::string &path() const { return m_path; }
    sqlite3 *handle() const { return m_db; }
    std::string lastError() const;
    /// Whether `what` (a layer's SQL functions, say) still needs registering
    /// on this connection: true the first time it is asked, false after.
    /// Each layer registers its own helpers once per connection this way.
    bool firstRegistration(std::string_view what) { return m_registered.emplace(what).second; }

private:
    Database(sqlite3 *db, std::string path) : m_db(db), m_path(std::move(path)) {}
    // Declared before m_db is closed: statements must finalise first.
    sqlite3 *m_db = nullptr;
    std::string m_path;
    std::unordered_map<std::string, Statement> m_cache; // owns the statements cached() lends
    std::set<std::string, std::less<>> m_registered;
};

/// RAII write transaction. Outside any transaction it is BEGIN IMMEDIATE
/// (so a writer waits for the busy timeout up front instead of failing
/// half-way); inside one it is a SAVEPOINT, so a unit of work nested in a
/// larger one (a file within an import batch) still happens whole or not
/// at all. Rolls back in the destructor unless commit() succeeded.
class Transaction {
public:
    static Result<Transaction> begin(Database &db);
    Transaction(Transaction &&other) noexcept : m_db(other.m_db), m_nested(other.m_nested) { other.m_db = nullptr; }
    Transaction &operator=(Transaction &&) = delete;
    ~Transaction();
    Status commit();

private:
    Transaction(Database *db, bool nested) : m_db(db), m_nested(nested) {}
    Database *m_db = nullptr;
    bool m_nested = false;
};

/// RAII read transaction: the statements run while it lives see one
/// snapshot of the store, even while another connection writes (an export's
/// documents, annotations and types; a search's several statements). Inside
/// a caller's transaction it does nothing. It never writes, so it ends by
/// rolling back.
class ReadSnapshot {
public:
    explicit ReadSnapshot(Database &db);
    ~ReadSnapshot();
    ReadSnapshot(const ReadSnapshot &) = delete;
    ReadSnapshot &operator=(const ReadSnapshot &) = delete;

private:
    Database &m_db;
    bool m_began = false;
};

} // namespace lede
