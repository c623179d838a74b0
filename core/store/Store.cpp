#include "core/store/Store.h"

#include "core/text/IcuFtsTokenizer.h"
#include "core/text/SearchIndexForm.h"
#include "core/store/StoreAccess.h"
#include "core/store/AnnotationRow.h"
#include "core/store/Migrations.h"
#include "core/store/StoreConnection.h"
#include "core/text/Text.h"

#include <sqlite3.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <cctype>
#include <cstdlib>
#include <thread>
#include <chrono>
#include <filesystem>
#include <limits>
#include <span>
#include <string_view>
#include <system_error>
#include <tuple>
#include <fcntl.h>
#include <unistd.h>

namespace lede {

namespace {

// A document's columns, without its text; callers append the rest.
const std::string kDocumentColumns =
    "SELECT d.id, d.title, d.source, d.sha256, d.imported_at, d.url, d.published_at, d.length, "
    "(SELECT count(*) FROM annotations a WHERE " + detail::inDocument("a.id", "d.id") + ") ";

DocumentInfo readDocumentInfo(const Statement &s)
{
    DocumentInfo d;
    d.id = s.int64(0);
    d.title = s.text(1);
    d.source = s.text(2);
    d.sha256 = s.text(3);
    d.importedAt = s.text(4);
    d.url = s.text(5);
    d.publishedAt = s.text(6);
    d.length = s.int64(7);
    d.annotationCount = s.int64(8);
    return d;
}

// Colours for types created on the fly (for example by a JSON import that
// names a type this store lacks), picked by the type's position so that
// neighbours differ.
constexpr std::string_view kSpareColors[] = {"#0c8599", "#d6336c", "#5c940d", "#f08c00", "#1098ad", "#ae3ec9",
                                              "#495057", "#74b816", "#4263eb", "#e67700"};



// Inserting a document's annotations one trigger run at a time costs two
// summary upserts each; a writer adding many at once switches the trigger
// off for the while and sums them per document (Store::summarizeInserted).
// From schema 9 the switch is the row of summary_mode, written inside the
// writer's transaction: finish() turns it on again before the commit, so
// no other connection sees it off, and a rollback undoes both. Stores of
// schema 5 to 8 ask the connection's own flag (lede_row_summaries());
// older ones have triggers that do not ask, so there it does nothing.
class BulkSummaries {
public:
    BulkSummaries(Database &db, int &flag, int version)
        : m_db(db)
        , m_flag(flag)
        , m_version(version)
    {
    }
    ~BulkSummaries()
    {
        if (m_version >= 5 && m_version < Store::kFoldedColumnsVersion)
            m_flag = 1;
    }
    BulkSummaries(const BulkSummaries &) = delete;
    BulkSummaries &operator=(const BulkSummaries &) = delete;

    Status begin()
    {
        if (m_version >= Store::kFoldedColumnsVersion)
            return setPerRow(0);
        if (m_version >= 5)
            m_flag = 0;
        return {};
    }
    Status finish()
    {
        if (m_version >= Store::kFoldedColumnsVersion)
            return setPerRow(1);
        if (m_version >= 5)
            m_flag = 1;
        return {};
    }

private:
    // Twice a document: a statement prepared once.
    Status setPerRow(int value)
    {
        LEDE_TRY_ASSIGN(auto s, m_db.cached("UPDATE summary_mode SET per_row = ? WHERE id = 1"));
        s.bind(1, value);
        return s.run();
    }

    Database &m_db;
    int &m_flag;
    int m_version;
};

// A NULL among the integers insertRows() writes.
constexpr std::int64_t kNullCell = std::numeric_limits<std::int64_t>::min();
// Rows to a statement: SQLite's work per statement (its statement
// journal, cursors, a trigger's frame) is then paid per batch, not per row.
constexpr std::size_t kRowsPerInsert = 64;
// Annotations linked and written at a time: a huge text's rows and cells
// are then never all in memory at once.
constexpr std::size_t kRowBatch = 4096;

// Inserts rows of `columns` integers each (kNullCell for NULL), taken in
// order from `cells`: "<head> VALUES (?, …), (?, …) <tail>" for up to
// kRowsPerInsert rows at a time.
Status insertRows(Database &db, std::string_view head, std::size_t columns, std::span<const std::int64_t> cells,
                  std::string_view tail)
{
    const std::size_t rows = cells.size() / columns;
    for (std::size_t first = 0; first < rows; first += kRowsPerInsert) {
        const std::size_t n = std::min(kRowsPerInsert, rows - first);
        std::string sql(head);
        sql += " VALUES ";
        for (std::size_t r = 0; r < n; ++r) {
            sql += r > 0 ? ", (" : "(";
            for (std::size_t c = 0; c < columns; ++c)
                sql += c > 0 ? ", ?" : "?";
            sql += ')';
        }
        sql += ' ';
        sql += tail;
        LEDE_TRY_ASSIGN(auto s, db.cached(sql));
        for (std::size_t k = 0; k < n * columns; ++k) {
            const std::int64_t v = cells[first * columns + k];
            const int param = static_cast<int>(k + 1);
            if (v == kNullCell)
                s.bindNull(param);
            else
                s.bind(param, v);
        }
        LEDE_TRY(s.run());
    }
    return {};
}

} // namespace

Store::Store(std::unique_ptr<Database> db)
    : m_db(std::move(db))
{
}

Store::~Store() = default;

Database &storeConnection(Store &store) { return store.database(); }

const std::string &Store::path() const { return m_db->path(); }

int Store::latestSchemaVersion() { return migrations::latestVersion(); }

std::string Store::defaultPath()
{
    if (const char *env = std::getenv("LEDE_DB"); env && *env)
        return env;
    return builtInPath();
}

std::string Store::builtInPath()
{
    std::filesystem::path base;
    if (const char *xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg && std::filesystem::path(xdg).is_absolute())
        base = xdg;
    else if (const char *home = std::getenv("HOME"); home && *home)
        base = std::filesystem::path(home) / ".local" / "share";
    else
        base = ".";
    return (base / "lede" / "lede.sqlite").string();
}

Status Store::prepareConnection(Database &db)
{
    if (!db.firstRegistration("store"))
        return {};
    if (auto st = IcuFtsTokenizer::registerWith(db.handle()); !st)
        return st;
    if (auto st = SearchIndexForm::registerWith(db.handle()); !st)
        return st;
    // The summary triggers make every annotation write a multi-table
    // statement, which SQLite journals for statement rollback; an import's
    // per-file savepoints journal more. Kept in temporary files these
    // journals double the cost of writing annotations; in memory they cost
    // little (measured by tests/bench/SearchBench.cpp).
    return db.exec("PRAGMA temp_store = MEMORY");
}

Result<std::unique_ptr<Store>> Store::open(const std::string &path, const OpenOptions &options)
{
    namespace fs = std::filesystem;
    const bool memory = path == ":memory:" || path.empty();
    std::error_code ec;
    if (!memory && options.readOnly && !fs::exists(path, ec))
        return makeError(path + ": no such store", ErrorKind::NotFound);
    if (!memory && fs::is_directory(path, ec))
        return makeError(path + ": is a folder, not a store file");
    if (!memory) {
        // SQLite would open a FIFO or a device and fail later with "disk
        // I/O error", or block on the FIFO.
        const auto status = fs::status(path, ec);
        if (!ec && fs::exists(status) && !fs::is_regular_file(status)) {
            const char *what = fs::is_fifo(status) ? "a FIFO"
                : fs::is_character_file(status)    ? "a character device"
                : fs::is_block_file(status)        ? "a block device"
                : fs::is_socket(status)            ? "a socket"
                                                   : "not a regular file";
            return makeError(path + ": not a store: it is " + std::string(what) + ", and a store is a regular file");
        }
    }
    if (!memory && !options.readOnly) {
        const fs::path parent = fs::path(path).parent_path();
        if (!parent.empty() && !fs::exists(parent, ec)) {
            if (!options.createParent)
                return makeError(path + ": cannot create the store: the folder " + parent.string()
                                 + " does not exist (create it first, or check the path)");
            fs::create_directories(parent, ec);
            if (ec)
                return makeError(parent.string() + ": cannot create the store's folder: " + ec.message());
        }
    }

    // A store this process cannot write is read without its -wal and -shm
    // files when there is no -wal: a plain read-only open of a WAL store
    // needs the -shm, which SQLite cannot create in a read-only folder (so
    // it refuses to read), and which, in a writable folder, it would create
    // with the store's own read-only mode and leave behind, keeping the
    // store read-only after its owner makes the file writable again.
    // Without a -wal every committed transaction is in the file itself.
    // Immutable takes no locks: it relies on nobody writing the store while
    // it is open, as holds for read-only media and a chmod-ed archive; a
    // store shared read-only by an owner who writes to it meanwhile may read
    // inconsistently here, but is never harmed.
    // An empty -wal holds nothing to read, as after a clean close that
    // could not delete it.
    Database::Mode mode = options.readOnly ? Database::Mode::ReadOnly : Database::Mode::ReadWriteCreate;
    const std::uintmax_t walSize = fs::exists(path + "-wal", ec) ? fs::file_size(path + "-wal", ec) : 0;
    if (!memory && options.readOnly && walSize == 0 && storeReadOnlyReason(path))
        mode = Database::Mode::Immutable;
    auto db = Database::open(memory ? ":memory:" : path, mode);
    if (!db) {
        // SQLite says only "unable to open database file" when a new store
        // cannot be created; name the folder and the reason.
        const fs::path parent = fs::absolute(fs::path(path), ec).parent_path();
        if (!memory && !options.readOnly && !fs::exists(path, ec) && ::access(parent.c_str(), W_OK) != 0)
            return makeError(path + ": cannot create the store: the folder " + parent.string()
                             + " is not writable (" + std::strerror(errno) + ")");
        return db.error();
    }
    auto store = std::unique_ptr<Store>(new Store(std::move(*db)));
    Database &d = *store->m_db;

    // Read what the file is before writing anything to it: a foreign or
    // newer file must come out of this function unchanged. One statement
    // is one read transaction, so a second process creating the same new
    // store meanwhile is seen either not at all or with its first schema
    // step whole (tables and application id commit together).
    struct Header {
        std::int64_t appId = 0, version = 0, objects = 0;
    };
    auto readHeader = [&d]() -> Result<Header> {
        LEDE_TRY_ASSIGN(auto s, d.prepare("SELECT (SELECT application_id FROM pragma_application_id), "
                                          "(SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM sqlite_schema)"));
        LEDE_TRY_ASSIGN(auto row, s.step());
        if (!row)
            return makeError("the header reads empty");
        return Header{s.int64(0), s.int64(1), s.int64(2)};
    };
    auto header = readHeader();
    if (!header) {
        if (header.kind() == ErrorKind::InvalidInput)
            return makeError(path + ": not a Lede store (the file is not an SQLite database)", ErrorKind::InvalidInput);
        // Reading a WAL store may need to write its -shm (see above).
        if (header.kind() == ErrorKind::ReadOnly)
            if (auto why = storeReadOnlyReason(path))
                return makeError(path + ": cannot read the store, which is read-only: " + *why, ErrorKind::ReadOnly);
        // A -wal with changes, and no -shm that SQLite could create or use:
        // it needs one to read the changes, and gives only "unable to open".
        if (options.readOnly && walSize > 0 && !fs::exists(path + "-shm", ec)) {
            const fs::path folder = fs::absolute(path, ec).parent_path();
            if (::faccessat(AT_FDCWD, folder.c_str(), W_OK | X_OK, AT_EACCESS) != 0) {
                const std::string why = errno == EROFS ? "the store is on a read-only file system"
                                                       : "the folder " + folder.string() + " is not writable";
                return makeError(path + ": cannot read the store: its -wal holds changes not yet in the store file, and "
                                 "SQLite can read them only by creating " + path + "-shm, which it cannot do here ("
                                 + why + "). Open the store once where it can be written, or copy its folder to a "
                                         "writable place and open the copy.");
            }
        }
        return prefixError(path + ": cannot read the store: ", header.error());
    }
    // A store restored from an SQL dump (sqlite3's .dump) has lost the
    // header's application id and version, which are not data; the row of
    // lede_store (from schema 9) still says what it is.
    if (header->appId == 0 && header->version == 0 && header->objects > 0) {
        auto restored = d.prepare("SELECT schema_version FROM lede_store WHERE id = 1 AND application = 'Lede'");
        if (restored) {
            LEDE_TRY_ASSIGN(const bool row, restored->step());
            if (row) {
                header->appId = kApplicationId;
                header->version = restored->int64(0);
                if (!options.readOnly) {
                    LEDE_TRY(d.exec("PRAGMA application_id = " + std::to_string(kApplicationId)));
                    LEDE_TRY(d.exec("PRAGMA user_version = " + std::to_string(header->version)));
                }
            }
        }
    }
    const std::int64_t *appId = &header->appId;
    const std::int64_t *version = &header->version;
    const std::int64_t *objects = &header->objects;
    if (*appId != 0 && *appId != kApplicationId)
        return makeError(path + ": not a Lede store (it belongs to another application)", ErrorKind::InvalidInput);
    if (*appId == 0 && *objects > 0)
        return makeError(path + ": not a Lede store (an SQLite database with other tables)", ErrorKind::InvalidInput);
    if (*version > migrations::latestVersion())
        return makeError(path + ": written by a newer version of Lede (schema version " + std::to_string(*version)
                         + "; this Lede reads up to " + std::to_string(migrations::latestVersion())
                         + "); the store was not changed. Update Lede to open it.");
    store->m_version = static_cast<int>(*version);

    // The schema's full-text index and indexes call Lede's own tokenizer
    // and functions; without them this connection could not even insert a
    // document.
    if (auto registered = prepareConnection(d); !registered)
        return makeError(path + ": " + registered.message());
    const int rc = sqlite3_create_function_v2(
        d.handle(), "lede_row_summaries", 0, SQLITE_UTF8 | SQLITE_INNOCUOUS, &store->m_rowSummaries,
        [](sqlite3_context *ctx, int, sqlite3_value **) {
            sqlite3_result_int(ctx, *static_cast<const int *>(sqlite3_user_data(ctx)));
        },
        nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK)
        return makeError(path + ": cannot register lede_row_summaries: " + sqlite3_errstr(rc));

    Status st = d.exec("PRAGMA foreign_keys = ON;");
    if (st && !options.readOnly && !memory) {
        // Turning a new store's journal into a write-ahead log needs the
        // file to itself for a moment, and SQLite does not wait for that:
        // a second process opening the same new store at once would get
        // "database is locked" here. Wait as long as for any lock.
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(Database::busyTimeoutMs());
        for (;;) {
            st = d.exec("PRAGMA journal_mode = WAL");
            if (st || st.kind() != ErrorKind::Busy || std::chrono::steady_clock::now() >= deadline)
                break;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        if (st)
            st = d.exec("PRAGMA synchronous = NORMAL");
    }
    if (!st)
        return makeError(path + ": " + st.message());
    if (options.readOnly) {
        if (*version < migrations::latestVersion())
            return makeError(path + ": the store needs an upgrade, which a read-only open cannot do", ErrorKind::ReadOnly);
        return store;
    }

    const int target = options.targetVersion > 0 ? std::min(options.targetVersion, migrations::latestVersion()) : migrations::latestVersion();
    if (auto migrated = store->migrate(target); !migrated)
        return makeError(path + ": " + migrated.message());
    if (auto folded = store->foldAddedNames(); !folded)
        return makeError(path + ": " + folded.message());
    return store;
}

Status Store::foldAddedNames()
{
    if (m_version < kFoldedColumnsVersion)
        return {};
    // Read first: a store with nothing to fill takes no write lock.
    LEDE_TRY_ASSIGN(const auto unfolded,
                    m_db->queryInt("SELECT EXISTS (SELECT 1 FROM entities WHERE folded IS NULL) "
                                   "OR EXISTS (SELECT 1 FROM entity_aliases WHERE folded IS NULL)"));
    if (!unfolded)
        return {};
    LEDE_TRY_ASSIGN(auto tx, Transaction::begin(*m_db));
    LEDE_TRY(m_db->exec("UPDATE entities SET folded = lede_fold(name) WHERE folded IS NULL; "
                        "UPDATE entity_aliases SET folded = lede_fold(alias) WHERE folded IS NULL"));
    return tx.commit();
}

Status Store::migrate(int targetVersion)
{
    for (const migrations::Migration &m : migrations::all()) {
        if (m.version <= m_version || m.version > targetVersion)
            continue;
        auto tx = Transaction::begin(*m_db);
        if (!tx)
            return makeError("cannot upgrade the store: " + tx.message());
        // Another process may have migrated while this one waited for the
        // write lock; re-read the version inside the transaction.
        LEDE_TRY_ASSIGN(auto current, m_db->queryInt("PRAGMA user_version"));
        if (current >= m.version) {
            m_version = static_cast<int>(current);
            continue;
        }
        // A new store, as it looked when this process opened it; if another
        // program made it something else since, it is not Lede's to change.
        if (m.version == 1) {
            LEDE_TRY_ASSIGN(auto objects, m_db->queryInt("SELECT count(*) FROM sqlite_schema"));
            if (objects > 0)
                return makeError("not a Lede store (an SQLite database with other tables)");
        }
        Status st = m_db->exec(m.sql);
        if (st && !m.then.empty())
            st = m_db->exec(m.then);
        if (st && m.version == 1)
            st = m_db->exec("PRAGMA application_id = " + std::to_string(kApplicationId));
        if (st)
            st = m_db->exec("PRAGMA user_version = " + std::to_string(m.version));
        // The version again as data, which a dump keeps (see open()).
        if (st && m.version >= kFoldedColumnsVersion)
            st = m_db->exec("UPDATE lede_store SET schema_version = " + std::to_string(m.version) + " WHERE id = 1");
        if (st)
            st = tx->commit();
        if (!st)
            return makeError("upgrading the store to schema version " + std::to_string(m.version)
                             + " failed: " + st.message());
        m_version = m.version;
    }
    return {};
}

Status Store::deferIndexing()
{
    m_deferredFrom.reset();
    if (m_version < kDeferredIndexVersion)
        return {};
    if (!m_db->inTransaction())
        return makeError("indexing can wait only inside a write transaction");
    // The write lock is held: every document from this id on is the batch's.
    LEDE_TRY_ASSIGN(auto from, m_db->queryInt("SELECT coalesce(max(id), 0) + 1 FROM documents"));
    LEDE_TRY(m_db->exec("UPDATE index_mode SET per_row = 0 WHERE id = 1"));
    m_deferredFrom = from;
    return {};
}

Status Store::indexDeferred()
{
    if (!m_deferredFrom)
        return {};
    const std::int64_t from = *m_deferredFrom;
    m_deferredFrom.reset();
    // Rolled back meanwhile: the mode is on again and nothing is left to index.
    if (!m_db->inTransaction())
        return {};
    LEDE_TRY_ASSIGN(auto index, m_db->prepare("INSERT INTO documents_fts (rowid, title, text) "
                                              "SELECT id, title, text FROM documents_indexed WHERE id >= ?"));
    index.bind(1, from);
    LEDE_TRY(index.run());
    return m_db->exec("UPDATE index_mode SET per_row = 1 WHERE id = 1");
}

Result<std::optional<std::int64_t>> Store::documentIdByHash(const std::string &sha256)
{
    LEDE_TRY_ASSIGN(auto s, m_db->cached("SELECT id FROM documents WHERE sha256 = ?"));
    s.bind(1, sha256);
    LEDE_TRY_ASSIGN(auto row, s.step());
    return row ? std::optional<std::int64_t>{s.int64(0)} : std::nullopt;
}

Store::Feed Store::Feed::of(const std::vector<NewAnnotation> &annotations)
{
    return {annotations.size(), [&annotations](std::size_t i) -> const NewAnnotation & { return annotations[i]; }};
}

Store::Feed Store::Feed::of(const Suggestions &suggestions, NewAnnotation &scratch)
{
    return {suggestions.size(), [&suggestions, &scratch](std::size_t i) -> const NewAnnotation & {
                suggestions.get(i, scratch);
                return scratch;
            }};
}

Result<Store::AddedDocument> Store::addDocument(const NewDocument &doc, const std::vector<NewAnnotation> &annotations)
{
    return addDocumentFrom(doc, Feed::of(annotations));
}

Result<Store::AddedDocument> Store::addDocument(const NewDocument &doc, const Suggestions &suggestions)
{
    NewAnnotation scratch;
    return addDocumentFrom(doc, Feed::of(suggestions, scratch));
}

Result<Store::AddedDocument> Store::addDocumentFrom(const NewDocument &doc, const Feed &annotations)
{
    if (!text::isValidUtf8(doc.text) || !text::isValidUtf8(doc.title))
        return makeError("the document's text is not valid UTF-8");
    // Everything stored is UTF-8, so that every export reads back and
    // every listing is valid JSON.
    for (const auto &[field, value] : {std::pair{"source", &doc.source}, std::pair{"url", &doc.url},
                                       std::pair{"publication date", &doc.publishedAt}})
        if (!text::isValidUtf8(*value))
            return makeError(std::string("the document's ") + field + " is not valid UTF-8");
    std::string normalizedCopy;
    if (!doc.normalized)
        normalizedCopy = text::normalize(doc.text);
    const std::string &normalized = doc.normalized ? doc.text : normalizedCopy;
    const std::string hash = doc.normalized && !doc.sha256.empty() ? doc.sha256 : text::sha256Hex(normalized);
    const auto length = static_cast<std::int64_t>(text::codePointCount(normalized));
    // Titles from any format are kept to what a list or a tab shows, as a
    // text file's first line is (an HTML or JSON title may be megabytes).
    std::string title = text::clipTitle(text::normalize(doc.title));
    if (title.empty())
        title = text::firstLineTitle(normalized);

    // What the search index reads, worked out before the write lock is
    // taken; nothing for most texts.
    std::optional<std::string> titleForm, textForm;
    if (m_version >= kStockSearchVersion) {
        if (!m_indexForms) {
            LEDE_TRY_ASSIGN(m_indexForms, SearchIndexForm::open(m_db->handle()));
        }
        titleForm = m_indexForms->of(title);
        textForm = m_indexForms->of(normalized);
    }

    LEDE_TRY_ASSIGN(auto tx, Transaction::begin(*m_db));

    // Checked inside the write transaction so that two importers racing on
    // the same article cannot both insert it.
    LEDE_TRY_ASSIGN(auto existing, documentIdByHash(hash));
    if (existing)
        return AddedDocument{*existing, true};

    // An index form goes in first, under the id the document will take
    // (SQLite's own choice, one past the largest), so that the insert
    // trigger indexes it in place of the text.
    std::optional<std::int64_t> chosenId;
    if (titleForm || textForm) {
        LEDE_TRY_ASSIGN(chosenId, m_db->queryInt("SELECT coalesce(max(id), 0) + 1 FROM documents"));
        LEDE_TRY_ASSIGN(auto form, m_db->cached("INSERT INTO documents_index_form (id, title, text) VALUES (?, ?, ?)"));
        form.bind(1, *chosenId);
        titleForm ? form.bind(2, *titleForm) : form.bindNull(2);
        textForm ? form.bind(3, *textForm) : form.bindNull(3);
        LEDE_TRY(form.run());
    }

    const std::string importedAt = text::nowIso8601();
    const std::int64_t now = detail::nowSeconds();
    LEDE_TRY_ASSIGN(auto ins, m_db->cached("INSERT INTO documents (title, source, sha256, text, length, imported_at, url, "
                                           "published_at, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    ins.bind(1, title).bind(2, doc.source).bind(3, hash).bindView(4, normalized).bind(5, length);
    ins.bind(6, doc.importedAt.empty() ? importedAt : doc.importedAt).bindOptional(7, doc.url).bindOptional(8, doc.publishedAt);
    chosenId ? ins.bind(9, *chosenId) : ins.bindNull(9);
    const Status inserted = ins.run();
    ins.bindNull(4); // the cached statement keeps no pointer into `normalized`
    LEDE_TRY(inserted);
    const std::int64_t id = m_db->lastInsertRowId();

    const text::OffsetIndex index(normalized);
    LinkCache cache;
    BulkSummaries bulk(*m_db, m_rowSummaries, m_version);
    LEDE_TRY(bulk.begin());
    LEDE_TRY(insertAnnotations(id, index, annotations, now, cache));
    LEDE_TRY(bulk.finish());
    LEDE_TRY(tx.commit());
    return AddedDocument{id, false};
}

Result<std::vector<DocumentInfo>> Store::documents()
{
    LEDE_TRY_ASSIGN(auto s, m_db->prepare(kDocumentColumns + "FROM documents d ORDER BY d.id"));
    return collect<DocumentInfo>(s, readDocumentInfo);
}

Result<std::vector<std::int64_t>> Store::documentIds()
{
    LEDE_TRY_ASSIGN(auto s, m_db->prepare("SELECT id FROM documents ORDER BY id"));
    return collect<std::int64_t>(s, [](const Statement &st) { return st.int64(0); });
}

Result<Document> Store::document(std::int64_t id)
{
    LEDE_TRY_ASSIGN(auto s, m_db->prepare(kDocumentColumns + ", d.text FROM documents d WHERE d.id = ?"));
    s.bind(1, id);
    LEDE_TRY_ASSIGN(auto row, s.step());
    if (!row)
        return makeError("no document with id " + std::to_string(id), ErrorKind::NotFound);
    Document d;
    static_cast<DocumentInfo &>(d) = readDocumentInfo(s);
    d.text = s.text(9);
    return d;
}

Status Store::removeRow(std::string_view table, std::string_view what, std::int64_t id)
{
    // One statement is atomic, triggers and all; no transaction needed.
    LEDE_TRY_ASSIGN(auto s, m_db->prepare("DELETE FROM " + std::string(table) + " WHERE id = ?"));
    s.bind(1, id);
    if (auto st = s.run(); !st)
        return st;
    if (m_db->changes() == 0)
        return makeError("no " + std::string(what) + " with id " + std::to_string(id), ErrorKind::NotFound);
    return {};
}

Status Store::removeDocument(std::int64_t id) { return removeRow("documents", "document", id); }

Result<std::vector<Annotation>> Store::annotations(std::int64_t documentId, const std::set<AnnotationStatus> &statuses)
{
    // In the same order as forEachAnnotation, and read the same way, so
    // that opening a document of hundreds of thousands does not have
    // SQLite's sorter hold them all a second time.
    std::vector<Annotation> out;
    LEDE_TRY(forEachAnnotation(documentId, statuses, [&](const Annotation &a) -> Status {
        out.push_back(a);
        return {};
    }));
    return out;
}

Status Store::forEachAnnotation(std::int64_t documentId, const std::set<AnnotationStatus> &statuses,
                                const std::function<Status(const Annotation &)> &each)
{
    // Not sorted by SQLite: its sorter would hold every row, names and
    // all, in memory (temp_store), which for a document of hundreds of
    // thousands is several times its text. The keys come first, in id
    // order, which is the text order for the tagger's suggestions; the
    // rows then follow in id order when that is the text order, else one
    // by one in the order of the sorted keys.
    struct Key {
        std::int64_t id;
        std::int64_t start, end;
        bool operator<(const Key &o) const { return std::tie(start, end, id) < std::tie(o.start, o.end, o.id); }
    };
    std::vector<Key> keys;
    {
        LEDE_TRY_ASSIGN(auto k, m_db->prepare("SELECT id, start, start + length FROM annotations WHERE "
                                              + detail::inDocument("id", "?1") + " ORDER BY id"));
        k.bind(1, documentId);
        for (;;) {
            LEDE_TRY_ASSIGN(auto row, k.step());
            if (!row)
                break;
            keys.push_back({k.int64(0), k.int64(1), k.int64(2)});
        }
    }
    auto take = [&](const Statement &row) -> Status {
        const Annotation a = detail::readAnnotationRow(row);
        if (statuses.empty() || statuses.count(a.status))
            return each(a);
        return {};
    };
    if (std::is_sorted(keys.begin(), keys.end())) {
        keys = {};
        LEDE_TRY_ASSIGN(auto s, m_db->prepare(detail::annotationSelect() + "WHERE " + detail::inDocument("a.id", "?1")
                                              + " ORDER BY a.id"));
        s.bind(1, documentId);
        for (;;) {
            LEDE_TRY_ASSIGN(auto row, s.step());
            if (!row)
                return {};
            LEDE_TRY(take(s));
        }
    }
    std::sort(keys.begin(), keys.end());
    LEDE_TRY_ASSIGN(auto one, m_db->prepare(detail::annotationSelect() + "WHERE a.id = ?"));
    for (const Key &key : keys) {
        one.bind(1, key.id);
        LEDE_TRY_ASSIGN(auto row, one.step());
        if (row) {
            LEDE_TRY(take(one));
        }
        one.reset();
    }
    return {};
}

Result<Annotation> Store::annotation(std::int64_t id)
{
    LEDE_TRY_ASSIGN(auto s, m_db->prepare(detail::annotationSelect() + "WHERE a.id = ?"));
    s.bind(1, id);
    LEDE_TRY_ASSIGN(auto row, s.step());
    if (!row)
        return makeError("no annotation with id " + std::to_string(id), ErrorKind::NotFound);
    return detail::readAnnotationRow(s);
}

Result<std::int64_t> Store::typeIdByName(std::string_view name)
{
    LEDE_TRY_ASSIGN(auto s, m_db->cached("SELECT id FROM entity_types WHERE name = ?"));
    s.bind(1, entity_type::canonicalName(name));
    LEDE_TRY_ASSIGN(auto row, s.step());
    if (!row)
        return makeError("unknown type '" + std::string(name) + "'", ErrorKind::NotFound);
    return s.int64(0);
}

Result<std::int64_t> Store::typeId(const std::string &name, const std::string &colorIfNew)
{
    auto known = typeIdByName(name);
    if (known || known.kind() != ErrorKind::NotFound || colorIfNew.empty())
        return known;
    LEDE_TRY_ASSIGN(auto created, addType(name, colorIfNew, ""));
    return created.id;
}

Result<std::int64_t> Store::entityId(std::int64_t typeId, const std::string &name, std::string_view alias)
{
    // Looked up first: most names an import meets are known, and an insert
    // would fold the name (ICU) only to find it there.
    LEDE_TRY_ASSIGN(auto sel, m_db->cached("SELECT id FROM entities WHERE type_id = ? AND name = ?"));
    sel.bind(1, typeId).bind(2, name);
    LEDE_TRY_ASSIGN(auto found, sel.step());
    std::int64_t id = found ? sel.int64(0) : 0;
    sel.reset();
    if (!found) {
        LEDE_TRY_ASSIGN(auto ins, m_db->cached(m_version >= kFoldedColumnsVersion
                                                   ? "INSERT INTO entities (type_id, name, folded) VALUES (?1, ?2, lede_fold(?2))"
                                                   : "INSERT INTO entities (type_id, name) VALUES (?1, ?2)"));
        ins.bind(1, typeId).bind(2, name);
        LEDE_TRY(ins.run());
        id = m_db->lastInsertRowId();
    }
    if (!alias.empty() && alias != name) {
        LEDE_TRY_ASSIGN(auto known, m_db->cached("SELECT 1 FROM entity_aliases WHERE entity_id = ? AND alias = ?"));
        known.bind(1, id).bind(2, alias);
        LEDE_TRY_ASSIGN(auto has, known.step());
        known.reset();
        if (has)
            return id;
        LEDE_TRY_ASSIGN(auto al, m_db->cached(m_version >= kFoldedColumnsVersion
                                                  ? "INSERT INTO entity_aliases (entity_id, alias, folded) "
                                                    "VALUES (?1, ?2, lede_fold(?2))"
                                                  : "INSERT INTO entity_aliases (entity_id, alias) VALUES (?1, ?2)"));
        al.bind(1, id).bind(2, alias);
        LEDE_TRY(al.run());
    }
    return id;
}

Result<Store::Link> Store::linkAnnotation(const text::OffsetIndex &text, const NewAnnotation &a, LinkCache &cache)
{
    const auto length = static_cast<std::int64_t>(text.codePoints());
    if (a.start < 0 || a.end > length || a.end <= a.start) {
        if (a.start >= 0 && a.end == a.start)
            return makeError("annotation " + std::to_string(a.start) + "-" + std::to_string(a.end)
                             + " is empty: it ends where it starts (the end offset is exclusive)");
        if (a.start >= 0 && a.end < a.start && a.end <= length)
            return makeError("annotation " + std::to_string(a.start) + "-" + std::to_string(a.end)
                             + " ends before it starts");
        return makeError("annotation " + std::to_string(a.start) + "-" + std::to_string(a.end)
                         + " is outside the text, which has " + std::to_string(length) + " characters");
    }
    if (!text::isValidUtf8(a.entityName) || !text::isValidUtf8(a.type))
        return makeError("annotation " + std::to_string(a.start) + "-" + std::to_string(a.end)
                         + " names an entity or type that is not valid UTF-8");
    Link link;
    // Keyed by the type's name as given, which names one type: most
    // annotations then cost no string made.
    if (auto known = cache.types.find(a.type); known != cache.types.end()) {
        link.type = known->second;
    } else {
        LEDE_TRY_ASSIGN(auto found, typeId(entity_type::canonicalName(a.type), a.typeColor));
        link.type = cache.types[a.type] = found;
    }
    const std::string_view covered = text.slice(static_cast<std::size_t>(a.start), static_cast<std::size_t>(a.end));
    std::string_view entityName = a.entityName.empty() ? covered : text::trim(a.entityName);
    if (entityName.empty())
        entityName = covered;
    auto &names = cache.entities[link.type];
    auto known = names.find(entityName);
    if (known != names.end() && known->second.aliases.contains(covered)) {
        link.entity = known->second.id;
    } else {
        LEDE_TRY_ASSIGN(auto found, entityId(link.type, std::string(entityName), covered));
        if (known == names.end())
            known = names.emplace(std::string(entityName), LinkCache::Entity{found, {}}).first;
        known->second.id = found;
        known->second.aliases.emplace(covered);
        link.entity = found;
    }
    return link;
}

Result<Store::PendingRow> Store::pendingAnnotation(std::int64_t documentId, const text::OffsetIndex &text,
                                                   const NewAnnotation &a, std::int64_t now, LinkCache &cache)
{
    LEDE_TRY_ASSIGN(auto link, linkAnnotation(text, a, cache));
    if (cache.nextId == 0) {
        const std::string deleted = m_version >= 6
            ? "(SELECT (?1 << 32) + last FROM annotation_numbers WHERE document_id = ?1)"
            : std::string("NULL");
        LEDE_TRY_ASSIGN(auto last, m_db->cached("SELECT max(coalesce(max(id), ?1 << 32), coalesce(" + deleted
                                                + ", 0)) FROM annotations WHERE " + detail::inDocument("id", "?1")));
        last.bind(1, documentId);
        LEDE_TRY(last.step());
        cache.nextId = last.int64(0) + 1;
        last.reset();
    }
    if (annotationDocument(cache.nextId) != documentId)
        return makeError("the document holds the most annotations Lede can store for one document ("
                         + std::to_string(kMaxAnnotationNumber) + ")");
    PendingRow row;
    LEDE_TRY_ASSIGN(row.provenance, provenanceId(a.provenance, cache));
    row.id = cache.nextId++;
    row.start = a.start;
    row.length = a.end - a.start;
    row.type = link.type;
    row.entity = link.entity;
    row.origin = detail::code(a.origin);
    row.status = detail::code(a.status);
    row.created = a.createdAt > 0 ? a.createdAt : now;
    row.modified = a.modifiedAt > row.created ? a.modifiedAt : 0;
    row.confidence = a.confidence ? detail::confidenceCode(*a.confidence) : -1;
    return row;
}

Status Store::insertAnnotations(std::int64_t documentId, const text::OffsetIndex &text, const Feed &annotations,
                                std::int64_t now, LinkCache &cache)
{
    InsertedCounts counts;
    std::vector<PendingRow> rows;
    for (std::size_t from = 0; from < annotations.size; from += kRowBatch) {
        const std::size_t to = std::min(annotations.size, from + kRowBatch);
        rows.clear();
        for (std::size_t i = from; i < to; ++i) {
            LEDE_TRY_ASSIGN(auto row, pendingAnnotation(documentId, text, annotations.at(i), now, cache));
            rows.push_back(row);
        }
        LEDE_TRY(writeAnnotations(rows));
        // What the analyst made teaches the tagger; read back once written.
        for (std::size_t i = from; i < to; ++i) {
            const NewAnnotation &a = annotations.at(i);
            if (a.origin != Origin::Auto || a.status != AnnotationStatus::Suggested) {
                LEDE_TRY(learnFrom(rows[i - from].id,
                                   text.slice(static_cast<std::size_t>(a.start), static_cast<std::size_t>(a.end))));
            }
        }
        counts.add(rows);
    }
    return summarizeInserted(documentId, counts);
}

Status Store::writeAnnotations(std::span<const PendingRow> rows)
{
    std::vector<std::int64_t> cells;
    cells.reserve(rows.size() * 11);
    for (const PendingRow &r : rows) {
        cells.insert(cells.end(), {r.id, r.start, r.length, r.type, r.entity, r.origin, r.status, r.created,
                                   r.modified > 0 ? r.modified : kNullCell, r.provenance > 0 ? r.provenance : kNullCell,
                                   r.confidence >= 0 ? r.confidence : kNullCell});
    }
    return insertRows(*m_db,
                      "INSERT INTO annotations (id, start, length, type_id, entity_id, origin, status, created_at, "
                      "modified_at, provenance_id, confidence)",
                      11, cells, "");
}

Result<std::int64_t> Store::insertAnnotation(std::int64_t documentId, const text::OffsetIndex &text,
                                             const NewAnnotation &a, std::int64_t now, LinkCache &cache)
{
    LEDE_TRY_ASSIGN(auto row, pendingAnnotation(documentId, text, a, now, cache));
    LEDE_TRY(writeAnnotations({&row, 1}));
    return row.id;
}

Result<std::int64_t> Store::provenanceId(const std::string &name, LinkCache &cache)
{
    if (name.empty())
        return std::int64_t{0};
    if (auto known = cache.provenances.find(name); known != cache.provenances.end())
        return known->second;
    if (!text::isValidUtf8(name))
        return makeError("the annotation's provenance is not valid UTF-8");
    LEDE_TRY_ASSIGN(auto add, m_db->cached("INSERT INTO provenances (name) VALUES (?) ON CONFLICT (name) DO NOTHING"));
    add.bind(1, name);
    LEDE_TRY(add.run());
    LEDE_TRY_ASSIGN(auto get, m_db->cached("SELECT id FROM provenances WHERE name = ?"));
    get.bind(1, name);
    LEDE_TRY(get.step());
    const std::int64_t id = get.int64(0);
    get.reset();
    cache.provenances.emplace(name, id);
    return id;
}

Status Store::learnFrom(std::int64_t annotationId, std::optional<std::string_view> covered)
{
    // A store kept at an older schema (tests build such stores) has no
    // table for it yet; the upgrade fills it from the annotations.
    if (m_version < 3)
        return {};
    // The covered text from the caller where it has the document at hand:
    // cut from the stored text, a long document's every annotation would
    // read it whole (substr counts characters from the start).
    LEDE_TRY_ASSIGN(auto s, covered ? m_db->cached(
        "SELECT a.type_id, '', coalesce(e.name, ''), a.origin, a.status, "
        "strftime('%Y-%m-%dT%H:%M:%SZ', coalesce(a.modified_at, a.created_at), 'unixepoch') "
        "FROM annotations a LEFT JOIN entities e ON e.id = a.entity_id WHERE a.id = ?")
                                    : m_db->cached(
        "SELECT a.type_id, substr(d.text, a.start + 1, a.end - a.start), coalesce(e.name, ''), a.origin, a.status, "
        "strftime('%Y-%m-%dT%H:%M:%SZ', coalesce(a.modified_at, a.created_at), 'unixepoch') "
        "FROM annotations a JOIN documents d ON d.id = a.document_id LEFT JOIN entities e ON e.id = a.entity_id "
        "WHERE a.id = ?"));
    s.bind(1, annotationId);
    LEDE_TRY_ASSIGN(const bool row, s.step());
    if (!row)
        return {};
    return learnFromReview(s.int64(0), covered ? *covered : s.textView(1), s.text(2), detail::originFromCode(s.int64(3)),
                           detail::statusFromCode(s.int64(4)), s.text(5));
}

Status Store::learnFromReview(std::int64_t typeId, std::string_view surface, std::string_view entity, Origin origin,
                              AnnotationStatus status, const std::string &when)
{
    // Reviewed annotations teach the tagger; unreviewed suggestions do not.
    if (m_version < 3 || (origin != Origin::Manual && status == AnnotationStatus::Suggested))
        return {};
    LEDE_TRY_ASSIGN(auto s, m_db->cached(
        "INSERT INTO learned_names (type_id, surface, entity, polarity, updated_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (type_id, surface) DO UPDATE SET entity = excluded.entity, polarity = excluded.polarity, "
        "updated_at = excluded.updated_at"));
    s.bind(1, typeId).bind(2, surface).bind(3, entity.empty() ? surface : entity);
    s.bind(4, status == AnnotationStatus::Rejected ? -1 : 1).bind(5, when);
    return s.run();
}

Result<std::vector<Store::LearnedName>> Store::learnedNames()
{
    LEDE_TRY_ASSIGN(auto s, m_db->prepare("SELECT t.name, l.surface, l.entity, l.polarity FROM learned_names l "
                                          "JOIN entity_types t ON t.id = l.type_id ORDER BY l.updated_at, l.surface"));
    return collect<LearnedName>(s, [](const Statement &st) {
        return LearnedName{st.text(0), st.text(1), st.text(2), st.int64(3) > 0};
    });
}

Result<std::optional<Store::ModelUpdate>> Store::modelUpdate()
{
    if (m_version < 8)
        return std::optional<ModelUpdate>{};
    LEDE_TRY_ASSIGN(auto s, m_db->prepare("SELECT base, model, sentences, documents, reviews, trained_at FROM model_updates WHERE id = 1"));
    LEDE_TRY_ASSIGN(auto row, s.step());
    if (!row)
        return std::optional<ModelUpdate>{};
    return std::optional<ModelUpdate>{ModelUpdate{s.text(0), s.blob(1), s.int64(2), s.int64(3), s.int64(4), s.int64(5)}};
}

Status Store::setModelUpdate(const std::optional<ModelUpdate> &update)
{
    if (m_version < 8)
        return makeError("this store's schema is too old to keep a model update; open it with this Lede to upgrade it");
    LEDE_TRY_ASSIGN(auto s, update ? m_db->prepare("INSERT OR REPLACE INTO model_updates (id, base, model, sentences, documents, reviews, "
                                                   "trained_at) VALUES (1, ?, ?, ?, ?, ?, ?)")
                                   : m_db->prepare("DELETE FROM model_updates"));
    if (update)
        s.bind(1, update->base)
            .bindBlob(2, update->model)
            .bind(3, update->sentences)
            .bind(4, update->documents)
            .bind(5, update->reviews)
            .bind(6, update->trainedAt);
    return s.run();
}

// A review is a manual annotation or a suggestion accepted or rejected; the
// first condition repeats annotations_reviewed's, so SQLite reads that index.
constexpr std::string_view kReviewed = "(status <> 0 OR origin <> 0) AND (status <> 0 OR origin = 1)";

Result<std::int64_t> Store::reviewsSince(std::int64_t since)
{
    LEDE_TRY_ASSIGN(auto s, m_db->prepare("SELECT count(*) FROM annotations WHERE " + std::string(kReviewed)
                                          + " AND coalesce(modified_at, created_at) >= ?"));
    s.bind(1, since);
    LEDE_TRY(s.step());
    return s.int64(0);
}

Result<std::vector<std::int64_t>> Store::reviewedDocumentIds()
{
    LEDE_TRY_ASSIGN(auto s, m_db->prepare("SELECT DISTINCT document_id FROM annotations WHERE " + std::string(kReviewed) + " ORDER BY 1"));
    return collect<std::int64_t>(s, [](const Statement &st) { return st.int64(0); });
}

Result<std::map<std::pair<std::string, std::string>, Store::ReviewCount>> Store::reviewCounts()
{
    // Reviews are few and indexed annotations_reviewed. The covered text is
    // cut here, one document's text at a time: in SQL, grouping by
    // substr(text) would sort a copy of the whole text per annotation.
    LEDE_TRY_ASSIGN(auto s, m_db->prepare("SELECT a.document_id, a.start, a.start + a.length, t.name, a.status = 2 "
                                          "FROM annotations a JOIN entity_types t ON t.id = a.type_id "
                                          "WHERE " + std::string(kReviewed) + " ORDER BY a.id"));
    std::map<std::pair<std::string, std::string>, ReviewCount> out;
    std::int64_t document = -1;
    std::string text;
    std::optional<text::OffsetIndex> index;
    for (;;) {
        LEDE_TRY_ASSIGN(auto row, s.step());
        if (!row)
            return out;
        if (s.int64(0) != document) {
            document = s.int64(0);
            index.reset();
            auto read = documentText(document);
            if (!read && read.kind() != ErrorKind::NotFound)
                return read.error();
            if (read) {
                text = std::move(*read);
                index.emplace(text);
            }
        }
        if (!index)
            continue; // an annotation of no document (written by another program) teaches nothing
        const auto start = static_cast<std::size_t>(std::max<std::int64_t>(0, s.int64(1)));
        const auto end = static_cast<std::size_t>(std::max<std::int64_t>(0, s.int64(2)));
        ReviewCount &count = out[{s.text(3), std::string(index->slice(start, end))}];
        (s.int64(4) ? count.rejected : count.taken) += 1;
    }
}

Result<std::string> Store::documentText(std::int64_t documentId)
{
    LEDE_TRY_ASSIGN(auto s, m_db->cached("SELECT text FROM documents WHERE id = ?"));
    s.bind(1, documentId);
    LEDE_TRY_ASSIGN(auto row, s.step());
    if (!row)
        return makeError("no document with id " + std::to_string(documentId), ErrorKind::NotFound);
    return s.text(0);
}

Result<std::vector<Store::StoredRow>> Store::storedRows(std::int64_t documentId)
{
    LEDE_TRY_ASSIGN(auto query, m_db->cached("SELECT id, start, end, type_id, coalesce(entity_id, 0), origin, status, "
                                             "coalesce(modified_at, created_at), coalesce(provenance_id, 0), coalesce(confidence, -1) "
                                             "FROM annotations WHERE "
                                             + detail::inDocument("id", "?1") + " ORDER BY start, end, id"));
    query.bind(1, documentId);
    auto rows = collect<StoredRow>(query, [](const Statement &st) {
        return StoredRow{st.int64(0), st.int64(1), st.int64(2), st.int64(3), st.int64(4),
                         st.int64(5), st.int64(6), st.int64(7), st.int64(8), st.int64(9)};
    });
    query.reset();
    return rows;
}

Result<std::size_t> Store::replaceSuggestions(std::int64_t documentId, const std::vector<NewAnnotation> &suggestions)
{
    return replaceSuggestionsFrom(documentId, Feed::of(suggestions));
}

Result<std::size_t> Store::replaceSuggestions(std::int64_t documentId, const Suggestions &suggestions)
{
    NewAnnotation scratch;
    return replaceSuggestionsFrom(documentId, Feed::of(suggestions, scratch));
}

Result<std::size_t> Store::replaceSuggestionsFrom(std::int64_t documentId, const Feed &suggestions)
{
    LEDE_TRY_ASSIGN(auto tx, Transaction::begin(*m_db));
    LEDE_TRY_ASSIGN(auto text, documentText(documentId));

    LEDE_TRY_ASSIGN(auto existing, storedRows(documentId));

    // A suggestion the tagger makes again keeps its annotation, and so its
    // number: a listing, a `--reject N` or an export made before re-tagging
    // still names the same annotation. What the analyst reviewed stays, and
    // no suggestion may overlap it.
    std::map<std::tuple<std::int64_t, std::int64_t, std::int64_t>, const StoredRow *> open;
    std::vector<std::pair<std::int64_t, std::int64_t>> reviewed; // start, end; in order, as storedRows reads them
    for (const StoredRow &e : existing) {
        if (e.origin == detail::code(Origin::Auto) && e.status == detail::code(AnnotationStatus::Suggested))
            open.emplace(std::make_tuple(e.start, e.end, e.type), &e);
        else
            reviewed.emplace_back(e.start, e.end);
    }
    // Whether [start, end) overlaps a reviewed span: of those starting
    // before `end`, the furthest end must pass `start`. One search each,
    // however many annotations the analyst reviewed.
    std::sort(reviewed.begin(), reviewed.end());
    std::vector<std::int64_t> furthest(reviewed.size());
    for (std::size_t i = 0; i < reviewed.size(); ++i)
        furthest[i] = std::max(reviewed[i].second, i > 0 ? furthest[i - 1] : reviewed[i].second);
    auto overlapsReviewed = [&](std::int64_t start, std::int64_t end) {
        const auto before = std::lower_bound(reviewed.begin(), reviewed.end(), std::make_pair(end, std::int64_t{0}),
                                             [](const auto &x, const auto &y) { return x.first < y.first; });
        const std::size_t n = static_cast<std::size_t>(before - reviewed.begin());
        return n > 0 && furthest[n - 1] > start;
    };

    const std::int64_t now = detail::nowSeconds();
    const text::OffsetIndex index(text);
    LinkCache cache;
    std::vector<std::size_t> fresh; // of suggestions
    std::set<std::int64_t> kept;
    for (std::size_t i = 0; i < suggestions.size; ++i) {
        const NewAnnotation &a = suggestions.at(i);
        if (overlapsReviewed(a.start, a.end))
            continue;
        LEDE_TRY_ASSIGN(auto link, linkAnnotation(index, a, cache));
        auto same = open.find(std::make_tuple(a.start, a.end, link.type));
        if (same == open.end() || kept.count(same->second->id)) {
            fresh.push_back(i);
            continue;
        }
        kept.insert(same->second->id);
        // The same suggestion, perhaps for another reason or with another
        // confidence now: it keeps its number and takes the new ones.
        LEDE_TRY_ASSIGN(auto provenance, provenanceId(a.provenance, cache));
        const StoredRow &e = *same->second;
        const std::int64_t confidence = a.confidence ? detail::confidenceCode(*a.confidence) : -1;
        if (e.entity == link.entity && e.provenance == provenance && e.confidence == confidence)
            continue;
        LEDE_TRY_ASSIGN(auto relink, m_db->cached("UPDATE annotations SET entity_id = ?, provenance_id = nullif(?, 0), "
                                                  "confidence = nullif(?, -1) WHERE id = ?"));
        relink.bind(1, link.entity).bind(2, provenance).bind(3, confidence).bind(4, e.id);
        LEDE_TRY(relink.run());
    }
    LEDE_TRY_ASSIGN(auto drop, m_db->cached("DELETE FROM annotations WHERE id = ?"));
    for (const auto &[key, e] : open) {
        if (kept.count(e->id))
            continue;
        drop.bind(1, e->id);
        LEDE_TRY(drop.run());
    }
    drop.reset();

    BulkSummaries bulk(*m_db, m_rowSummaries, m_version);
    LEDE_TRY(bulk.begin());
    const Feed added{fresh.size(), [&](std::size_t i) -> const NewAnnotation & { return suggestions.at(fresh[i]); }};
    LEDE_TRY(insertAnnotations(documentId, index, added, now, cache));
    LEDE_TRY(bulk.finish());
    LEDE_TRY(tx.commit());
    return kept.size() + fresh.size();
}

Result<Store::MergeReport> Store::mergeAnnotations(std::int64_t documentId, const std::vector<NewAnnotation> &incoming)
{
    MergeReport report;
    if (incoming.empty())
        return report;
    LEDE_TRY_ASSIGN(auto tx, Transaction::begin(*m_db));
    LEDE_TRY_ASSIGN(auto text, documentText(documentId));

    LEDE_TRY_ASSIGN(auto rows, storedRows(documentId));
    std::multimap<std::pair<std::int64_t, std::int64_t>, StoredRow> bySpan;
    for (const StoredRow &e : rows)
        bySpan.emplace(std::make_pair(e.start, e.end), e);

    const std::int64_t now = detail::nowSeconds();
    const text::OffsetIndex index(text);
    LinkCache cache;
    LEDE_TRY_ASSIGN(auto take, m_db->cached("UPDATE annotations SET type_id = ?, entity_id = ?, status = ?, modified_at = ? WHERE id = ?"));
    for (const NewAnnotation &x : incoming) {
        LEDE_TRY_ASSIGN(auto link, linkAnnotation(index, x, cache));
        const std::int64_t status = detail::code(x.status);
        auto [first, last] = bySpan.equal_range({x.start, x.end});
        auto match = last;
        for (auto it = first; it != last; ++it)
            if (match == last || it->second.type == link.type)
                match = it;
        if (match == last) {
            LEDE_TRY_ASSIGN(auto id, insertAnnotation(documentId, index, x, now, cache));
            if (x.status != AnnotationStatus::Suggested)
                LEDE_TRY(learnFrom(id, index.slice(static_cast<std::size_t>(x.start), static_cast<std::size_t>(x.end))));
            bySpan.emplace(std::make_pair(x.start, x.end), StoredRow{id, x.start, x.end, link.type, link.entity,
                                                                     detail::code(x.origin), status, x.modifiedAt});
            ++report.added;
            continue;
        }
        StoredRow &e = match->second;
        const bool ours = e.status != detail::code(AnnotationStatus::Suggested);
        const bool theirs = x.status != AnnotationStatus::Suggested;
        const bool differs = e.type != link.type || e.status != status || (ours && theirs && e.entity != link.entity);
        if (!differs || !theirs)
            continue; // the same, or only their suggestion: ours stands
        const std::int64_t changed = x.modifiedAt > 0 ? x.modifiedAt : x.createdAt;
        if (ours) {
            ++report.conflicts;
            if (changed <= e.changed)
                continue; // ours is the newer change
        }
        take.bind(1, link.type).bind(2, link.entity).bind(3, status).bind(4, changed > 0 ? changed : now).bind(5, e.id);
        LEDE_TRY(take.run());
        LEDE_TRY(learnFrom(e.id, index.slice(static_cast<std::size_t>(x.start), static_cast<std::size_t>(x.end))));
        e.type = link.type;
        e.entity = link.entity;
        e.status = status;
        e.changed = changed;
        ++report.updated;
    }
    take.reset();
    LEDE_TRY(tx.commit());
    return report;
}

void Store::InsertedCounts::add(std::span<const PendingRow> rows)
{
    for (const PendingRow &r : rows) {
        if (r.status == detail::code(AnnotationStatus::Rejected))
            continue;
        ++perType[r.type];
        if (r.entity > 0) {
            auto &[type, mentions] = perEntity.try_emplace(r.entity, r.type, 0).first->second;
            type = std::min(type, r.type);
            ++mentions;
        }
    }
}

Status Store::summarizeInserted(std::int64_t documentId, const InsertedCounts &counts)
{
    // Older schemas' triggers kept them row by row; and nothing was added.
    if (m_version < 5 || counts.perType.empty())
        return {};
    std::vector<std::int64_t> cells;
    for (const auto &[type, mentions] : counts.perType)
        cells.insert(cells.end(), {type, documentId, mentions});
    LEDE_TRY(insertRows(*m_db, "INSERT INTO document_types (type_id, document_id, mentions)", 3, cells,
                        "ON CONFLICT (type_id, document_id) DO UPDATE SET mentions = mentions + excluded.mentions"));
    cells.clear();
    for (const auto &[entity, counted] : counts.perEntity)
        cells.insert(cells.end(), {entity, documentId, counted.first, counted.second});
    return insertRows(*m_db, "INSERT INTO document_entities (entity_id, document_id, type_id, mentions)", 4, cells,
                      "ON CONFLICT (entity_id, document_id) DO UPDATE SET mentions = mentions + excluded.mentions");
}

Result<std::int64_t> Store::addAnnotation(std::int64_t documentId, const NewAnnotation &annotation)
{
    LEDE_TRY_ASSIGN(auto tx, Transaction::begin(*m_db));
    LEDE_TRY_ASSIGN(auto text, documentText(documentId));
    LinkCache cache;
    LEDE_TRY_ASSIGN(auto id, insertAnnotation(documentId, text::OffsetIndex(text), annotation, detail::nowSeconds(), cache));
    LEDE_TRY(learnFrom(id));
    LEDE_TRY(tx.commit());
    return id;
}

Status Store::removeAnnotation(std::int64_t id) { return removeRow("annotations", "annotation", id); }

Status Store::touchAnnotation(std::int64_t id, std::string_view setClause, std::int64_t value)
{
    LEDE_TRY_ASSIGN(auto s, m_db->prepare("UPDATE annotations SET " + std::string(setClause) + ", modified_at = ? WHERE id = ?"));
    s.bind(1, value).bind(2, detail::nowSeconds()).bind(3, id);
    if (auto st = s.run(); !st)
        return st;
    if (m_db->changes() == 0)
        return makeError("no annotation with id " + std::to_string(id), ErrorKind::NotFound);
    return {};
}

Status Store::retypeAnnotation(std::int64_t id, const std::string &typeName)
{
    LEDE_TRY_ASSIGN(auto tx, Transaction::begin(*m_db));
    LEDE_TRY_ASSIGN(auto current, annotation(id));
    LEDE_TRY_ASSIGN(auto type, typeIdByName(typeName));
    // The entity belongs to a type: the retyped mention moves to the entity
    // of the same name under the new type.
    LEDE_TRY_ASSIGN(auto doc, document(current.documentId));
    const std::string covered(text::sliceCodePoints(doc.text, static_cast<std::size_t>(current.start),
                                                    static_cast<std::size_t>(current.end)));
    LEDE_TRY_ASSIGN(auto entity, entityId(type, current.entityName.empty() ? covered : current.entityName, covered));
    LEDE_TRY_ASSIGN(auto s, m_db->prepare("UPDATE annotations SET type_id = ?, entity_id = ?, modified_at = ? WHERE id = ?"));
    s.bind(1, type).bind(2, entity).bind(3, detail::nowSeconds()).bind(4, id);
    if (auto st = s.run(); !st)
        return st;
    if (auto st = learnFrom(id); !st)
        return st;
    return tx.commit();
}

Status Store::setAnnotationStatus(std::int64_t id, AnnotationStatus status)
{
    LEDE_TRY_ASSIGN(auto tx, Transaction::begin(*m_db));
    if (auto st = touchAnnotation(id, "status = ?", detail::code(status)); !st)
        return st;
    if (auto st = learnFrom(id); !st)
        return st;
    return tx.commit();
}

Result<std::vector<EntityType>> Store::types()
{
    LEDE_TRY_ASSIGN(auto s, m_db->prepare("SELECT id, name, color, shortcut FROM entity_types ORDER BY id"));
    return collect<EntityType>(s, [](const Statement &st) {
        return EntityType{st.int64(0), st.text(1), st.text(2), st.text(3)};
    });
}

Result<EntityType> Store::type(const std::string &name)
{
    LEDE_TRY_ASSIGN(auto all, types());
    for (const EntityType &t : all)
        if (t.name == name)
            return t;
    return makeError("unknown type '" + name + "'");
}

Result<EntityType> Store::addType(const std::string &rawName, const std::string &rawColor, const std::string &shortcut)
{
    LEDE_TRY(entity_type::checkName(rawName));
    const std::string name = entity_type::canonicalName(rawName);
    std::string color = entity_type::canonicalColor(rawColor);
    if (color.empty()) {
        auto count = m_db->queryInt("SELECT count(*) FROM entity_types");
        color = kSpareColors[static_cast<std::size_t>(count ? *count : 0) % std::size(kSpareColors)];
    }
    LEDE_TRY(entity_type::checkColor(color));
    LEDE_TRY(entity_type::checkShortcut(shortcut));

    LEDE_TRY_ASSIGN(auto tx, Transaction::begin(*m_db));
    LEDE_TRY_ASSIGN(auto exists, m_db->prepare("SELECT name FROM entity_types WHERE name = ? OR (shortcut = ? AND shortcut <> '')"));
    exists.bind(1, name).bind(2, shortcut);
    LEDE_TRY_ASSIGN(auto row, exists.step());
    if (row) {
        if (exists.text(0) == name)
            return makeError("type '" + name + "' exists already");
        return makeError("shortcut '" + shortcut + "' is already used by type " + exists.text(0));
    }
    LEDE_TRY_ASSIGN(auto ins, m_db->prepare("INSERT INTO entity_types (name, color, shortcut) VALUES (?, ?, ?)"));
    ins.bind(1, name).bind(2, color).bindOptional(3, shortcut);
    LEDE_TRY(ins.run());
    EntityType t{m_db->lastInsertRowId(), name, color, shortcut};
    LEDE_TRY(tx.commit());
    return t;
}

Result<std::int64_t> Store::ensureEntity(const std::string &type, const std::string &rawName, std::string_view alias)
{
    const std::string name(text::trim(rawName));
    if (name.empty())
        return makeError("an entity needs a name");
    if (!text::isValidUtf8(name) || !text::isValidUtf8(alias))
        return makeError("the entity name is not valid UTF-8");
    LEDE_TRY_ASSIGN(auto tx, Transaction::begin(*m_db));
    LEDE_TRY_ASSIGN(auto typeIdFound, typeIdByName(type));
    LEDE_TRY_ASSIGN(auto id, entityId(typeIdFound, name, alias));
    LEDE_TRY(tx.commit());
    return id;
}

Result<Entity> Store::entity(std::int64_t id)
{
    LEDE_TRY_ASSIGN(auto s, m_db->prepare("SELECT e.id, e.name, t.name FROM entities e JOIN entity_types t ON t.id = e.type_id "
                                          "WHERE e.id = ?"));
    s.bind(1, id);
    LEDE_TRY_ASSIGN(auto row, s.step());
    if (!row)
        return makeError("no entity with id " + std::to_string(id), ErrorKind::NotFound);
    Entity e{s.int64(0), s.text(1), s.text(2), {}};
    LEDE_TRY_ASSIGN(auto al, m_db->prepare("SELECT alias FROM entity_aliases WHERE entity_id = ? ORDER BY alias"));
    al.bind(1, id);
    auto aliases = collect<std::string>(al, [](const Statement &st) { return st.text(0); });
    if (!aliases)
        return aliases.error();
    e.aliases = std::move(*aliases);
    return e;
}

Result<Store::Stats> Store::stats()
{
    Stats st;
    LEDE_TRY_ASSIGN(auto docs, m_db->prepare("SELECT count(*), coalesce(sum(length(CAST(text AS BLOB))), 0) FROM documents"));
    LEDE_TRY(docs.step());
    st.documents = docs.int64(0);
    st.textBytes = docs.int64(1);
    LEDE_TRY_ASSIGN(auto entities, m_db->queryInt("SELECT count(*) FROM entities WHERE id IN (SELECT entity_id FROM annotations)"));
    st.entities = entities;

    LEDE_TRY_ASSIGN(auto groups, m_db->prepare("SELECT t.name, " + std::string(detail::kStatusName) + ", "
                                               + std::string(detail::kOriginName)
                                               + ", count(*) FROM annotations a JOIN entity_types t ON t.id = a.type_id "
                                                 "GROUP BY a.type_id, a.status, a.origin"));
    for (;;) {
        LEDE_TRY_ASSIGN(auto row, groups.step());
        if (!row)
            break;
        const std::int64_t n = groups.int64(3);
        st.annotations += n;
        st.annotationsByType[groups.text(0)] += n;
        st.annotationsByStatus[groups.text(1)] += n;
        st.annotationsByOrigin[groups.text(2)] += n;
    }
    return st;
}

} // namespace lede
