#pragma once

#include "core/Result.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

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
    Statement &bindNull(int index);
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
    bool isNull(int column) const;

private:
    friend class Database;
    Statement(sqlite3_stmt *stmt, sqlite3 *db) : m_stmt(stmt), m_db(db) {}
    sqlite3_stmt *m_stmt = nullptr;
    sqlite3 *m_db = nullptr;
};

/// One SQLite connection. Use it from one thread at a time.
class Database {
public:
    enum class Mode { ReadWriteCreate, ReadWrite, ReadOnly };

    /// Opens `path` (":memory:" works). Fails with a message naming the path.
    static Result<std::unique_ptr<Database>> open(const std::string &path, Mode mode = Mode::ReadWriteCreate);

    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    Status exec(std::string_view sql);
    Result<Statement> prepare(std::string_view sql);
    /// Runs a one-row, one-column query such as a PRAGMA.
    Result<std::int64_t> queryInt(std::string_view sql);

    std::int64_t lastInsertRowId() const;
    int changes() const;
    bool inTransaction() const;
    const std::string &path() const { return m_path; }
    sqlite3 *handle() const { return m_db; }
    std::string lastError() const;

private:
    Database(sqlite3 *db, std::string path) : m_db(db), m_path(std::move(path)) {}
    sqlite3 *m_db = nullptr;
    std::string m_path;
};

/// RAII write transaction (BEGIN IMMEDIATE, so a writer waits for the busy
/// timeout up front instead of failing half-way). Rolls back in the
/// destructor unless commit() succeeded.
class Transaction {
public:
    static Result<Transaction> begin(Database &db);
    Transaction(Transaction &&other) noexcept : m_db(other.m_db) { other.m_db = nullptr; }
    Transaction &operator=(Transaction &&) = delete;
    ~Transaction();
    Status commit();

private:
    explicit Transaction(Database *db) : m_db(db) {}
    Database *m_db = nullptr;
};

} // namespace lede
