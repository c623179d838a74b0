#include "core/store/Database.h"

#include "core/base/Files.h"
#include "core/store/StoreAccess.h"

#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <utility>

namespace lede {

namespace {

// SQLite's words for a failure, except for a lock that outlasted the busy
// timeout, which says which store and, where /proc tells, who holds it.
std::string failureMessage(sqlite3 *db, int rc)
{
    if ((rc & 0xff) != SQLITE_BUSY)
        return sqlite3_errmsg(db);
    const char *file = sqlite3_db_filename(db, "main");
    const std::string path = file ? file : "";
    char waited[32];
    std::snprintf(waited, sizeof waited, "%g s", Database::busyTimeoutMs() / 1000.0);
    std::string message = "the store " + (path.empty() ? std::string() : path + " ")
        + "is busy: another program kept it locked for " + waited;
    const std::vector<std::string> holders = path.empty() ? std::vector<std::string>{} : storeLockHolders(path);
    for (std::size_t i = 0; i < holders.size(); ++i)
        message += (i == 0 ? " by " : ", ") + holders[i];
    return message + "; try again when it is done";
}

ErrorKind failureKind(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return ErrorKind::Busy;
    case SQLITE_READONLY:
    case SQLITE_PERM:
        return ErrorKind::ReadOnly;
    case SQLITE_FULL:
        return ErrorKind::Full;
    case SQLITE_CORRUPT:
        return ErrorKind::Corrupt;
    case SQLITE_NOTADB: // a file that is not SQLite's at all
        return ErrorKind::InvalidInput;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
        return ErrorKind::Io;
    case SQLITE_INTERRUPT:
        return ErrorKind::Cancelled;
    case SQLITE_TOOBIG:
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
        return ErrorKind::InvalidInput;
    default:
        return ErrorKind::Failed;
    }
}

// The failure `rc` of a call on `db`, in words and kind.
Error failure(sqlite3 *db, int rc) { return makeError(failureMessage(db, rc), failureKind(rc)); }

} // namespace

Statement::Statement(Statement &&other) noexcept
    : m_stmt(std::exchange(other.m_stmt, nullptr))
    , m_db(other.m_db)
    , m_owned(other.m_owned)
{
}

Statement &Statement::operator=(Statement &&other) noexcept
{
    if (this != &other) {
        release();
        m_stmt = std::exchange(other.m_stmt, nullptr);
        m_db = other.m_db;
        m_owned = other.m_owned;
    }
    return *this;
}

Statement::~Statement() { release(); }

void Statement::release()
{
    if (!m_stmt)
        return;
    if (m_owned) {
        sqlite3_finalize(m_stmt);
    } else {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }
    m_stmt = nullptr;
}

Statement &Statement::bind(int index, std::int64_t value)
{
    sqlite3_bind_int64(m_stmt, index, value);
    return *this;
}

Statement &Statement::bind(int index, double value)
{
    sqlite3_bind_double(m_stmt, index, value);
    return *this;
}

Statement &Statement::bind(int index, std::string_view value)
{
    sqlite3_bind_text64(m_stmt, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    return *this;
}

Statement &Statement::bindView(int index, std::string_view value)
{
    sqlite3_bind_text64(m_stmt, index, value.data(), value.size(), SQLITE_STATIC, SQLITE_UTF8);
    return *this;
}

Statement &Statement::bindBlob(int index, std::string_view bytes)
{
    sqlite3_bind_blob64(m_stmt, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
    return *this;
}

Statement &Statement::bindNull(int index)
{
    sqlite3_bind_null(m_stmt, index);
    return *this;
}

Statement &Statement::bindOptional(int index, const std::string &value)
{
    return value.empty() ? bindNull(index) : bind(index, std::string_view(value));
}

Result<bool> Statement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    return failure(m_db, rc);
}

Status Statement::run()
{
    for (;;) {
        LEDE_TRY_ASSIGN(auto row, step());
        if (!row)
            break;
    }
    sqlite3_reset(m_stmt);
    return {};
}

void Statement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

std::int64_t Statement::int64(int column) const { return sqlite3_column_int64(m_stmt, column); }
double Statement::real(int column) const { return sqlite3_column_double(m_stmt, column); }

std::string_view Statement::textView(int column) const
{
    const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    if (!p)
        return {};
    return {p, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column))};
}

std::string Statement::text(int column) const { return std::string(textView(column)); }

std::string Statement::blob(int column) const
{
    const void *p = sqlite3_column_blob(m_stmt, column);
    if (!p)
        return {};
    return std::string(static_cast<const char *>(p), static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column)));
}
bool Statement::isNull(int column) const { return sqlite3_column_type(m_stmt, column) == SQLITE_NULL; }

namespace {

// SQLite takes the immutable flag only as a URI parameter. The absolute
// path goes after an empty authority ("file://" + "/..."), so a path
// starting with "//" cannot pass for a host name, and the characters a URI
// gives a meaning to are escaped.
std::string immutableUri(const std::string &path)
{
    std::error_code ec;
    std::filesystem::path absolute = std::filesystem::absolute(path, ec);
    if (ec)
        absolute = path;
    std::string uri = "file://";
    for (const char c : absolute.string()) {
        switch (c) {
        case '%': uri += "%25"; break;
        case '?': uri += "%3f"; break;
        case '#': uri += "%23"; break;
        default: uri += c;
        }
    }
    return uri + "?immutable=1";
}

// SQLite counts every allocation under one process-wide mutex unless told
// not to, before it starts: Lede reads none of those counts, and an import
// (a writer and its readers allocating at once) pays for them.
void configureSqliteOnce()
{
    static std::once_flag once;
    std::call_once(once, [] { (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

} // namespace

Result<std::unique_ptr<Database>> Database::open(const std::string &path, Mode mode)
{
    configureSqliteOnce();
    int flags = SQLITE_OPEN_NOMUTEX;
    switch (mode) {
    case Mode::ReadWriteCreate:
        flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
        break;
    case Mode::ReadWrite:
        flags |= SQLITE_OPEN_READWRITE;
        break;
    case Mode::ReadOnly:
        flags |= SQLITE_OPEN_READONLY;
        break;
    case Mode::Immutable:
        flags |= SQLITE_OPEN_READONLY | SQLITE_OPEN_URI;
        break;
    }
    sqlite3 *db = nullptr;
    const std::string name = mode == Mode::Immutable ? immutableUri(path) : path;
    const int rc = sqlite3_open_v2(name.c_str(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string message = path + ": cannot open the store: " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return makeError(std::move(message), failureKind(rc));
    }
    sqlite3_extended_result_codes(db, 1);
    // Another process may hold the write lock (an import, the GUI): wait
    // for it, from the very first statement on, rather than fail.
    sqlite3_busy_timeout(db, busyTimeoutMs());
    files::noteStoreOpened(path);
    return std::unique_ptr<Database>(new Database(db, path));
}

int Database::busyTimeoutMs()
{
    static const int timeout = [] {
        const char *env = std::getenv("LEDE_BUSY_TIMEOUT_MS");
        char *end = nullptr;
        const long v = env && *env ? std::strtol(env, &end, 10) : -1;
        return env && *env && *end == '\0' && v >= 0 && v <= 3'600'000 ? static_cast<int>(v) : 10000;
    }();
    return timeout;
}

Database::~Database()
{
    m_cache.clear();
    sqlite3_close_v2(m_db);
    files::noteStoreClosed(m_path);
}

Status Database::exec(std::string_view sql)
{
    const std::string copy(sql);
    char *err = nullptr;
    if (const int rc = sqlite3_exec(m_db, copy.c_str(), nullptr, nullptr, &err); rc != SQLITE_OK) {
        std::string message = (rc & 0xff) == SQLITE_BUSY ? failureMessage(m_db, rc) : err ? err : sqlite3_errmsg(m_db);
        sqlite3_free(err);
        return makeError(std::move(message), failureKind(rc));
    }
    return {};
}

Result<Statement> Database::prepare(std::string_view sql)
{
    sqlite3_stmt *stmt = nullptr;
    if (const int rc = sqlite3_prepare_v2(m_db, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr); rc != SQLITE_OK)
        return failure(m_db, rc);
    return Statement(stmt, m_db);
}

Result<Statement> Database::cached(std::string_view sql)
{
    auto it = m_cache.find(std::string(sql));
    if (it == m_cache.end()) {
        LEDE_TRY_ASSIGN(auto stmt, prepare(sql));
        it = m_cache.emplace(std::string(sql), std::move(stmt)).first;
    }
    return Statement(it->second.m_stmt, m_db, false);
}

Result<std::int64_t> Database::queryInt(std::string_view sql)
{
    LEDE_TRY_ASSIGN(auto stmt, prepare(sql));
    LEDE_TRY_ASSIGN(auto row, stmt.step());
    return row ? stmt.int64(0) : 0;
}

std::int64_t Database::lastInsertRowId() const { return sqlite3_last_insert_rowid(m_db); }
int Database::changes() const { return sqlite3_changes(m_db); }
bool Database::inTransaction() const { return sqlite3_get_autocommit(m_db) == 0; }
std::string Database::lastError() const { return sqlite3_errmsg(m_db); }

Result<Transaction> Transaction::begin(Database &db)
{
    const bool nested = db.inTransaction();
    LEDE_TRY(db.exec(nested ? "SAVEPOINT lede_unit" : "BEGIN IMMEDIATE"));
    return Transaction(&db, nested);
}

Transaction::~Transaction()
{
    if (!m_db || !m_db->inTransaction())
        return;
    if (m_nested)
        (void)m_db->exec("ROLLBACK TO lede_unit; RELEASE lede_unit");
    else
        (void)m_db->exec("ROLLBACK");
}

Status Transaction::commit()
{
    if (!m_db)
        return makeError("transaction already finished");
    auto st = m_db->exec(m_nested ? "RELEASE lede_unit" : "COMMIT");
    if (st)
        m_db = nullptr;
    return st;
}

ReadSnapshot::ReadSnapshot(Database &db)
    : m_db(db)
    , m_began(!db.inTransaction() && db.exec("BEGIN").ok())
{
}

ReadSnapshot::~ReadSnapshot()
{
    if (m_began && m_db.inTransaction())
        (void)m_db.exec("ROLLBACK");
}

} // namespace lede
