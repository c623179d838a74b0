// Store::backup and Store::check: keeping a store safe and knowing it is
// sound, apart from the everyday reads and writes in Store.cpp.
#include "core/store/Store.h"

#include "core/store/AnnotationRow.h"
#include "core/base/Files.h"
#include "core/text/Text.h"

#include <sqlite3.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <functional>
#include <map>

namespace fs = std::filesystem;

namespace lede {

Status Store::backup(const std::string &path, bool overwrite)
{
    if (path.empty())
        return makeError("no file to back up to was named");
    if (path == ":memory:")
        return makeError("cannot back up to ':memory:'");
    const std::string failed = "cannot back up the store to " + path + ": ";
    if (auto why = files::storeFileReason(path))
        return makeError(failed + *why);
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return makeError(failed + "it is a folder; name the backup file", ErrorKind::InvalidInput);
        if (!overwrite)
            return makeError(failed + "the file exists already", ErrorKind::AlreadyExists);
        if (!S_ISREG(st.st_mode))
            return makeError(failed + "it is not a regular file");
    } else if (errno != ENOENT) {
        const int err = errno;
        return makeError(failed + files::systemMessage(err), files::errorKind(err));
    }
    const fs::path parent = fs::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty() && !fs::is_directory(parent, ec))
        return makeError(failed + "the folder " + parent.string() + " does not exist");
    const std::string folder = parent.empty() ? std::string(".") : parent.string();
    if (::faccessat(AT_FDCWD, folder.c_str(), W_OK | X_OK, AT_EACCESS) != 0) {
        const int err = errno;
        return makeError(failed + (err == EROFS ? "the folder " + folder + " is on a read-only file system"
                                                : "the folder " + folder + " is not writable (" + files::systemMessage(err) + ")"));
    }

    // SQLite's online backup copies every page from one read snapshot into
    // a new file, under a temporary name until checked, so a kill or a full
    // disk leaves the old backup in place. (VACUUM INTO would compact too,
    // but SQLite 3.40 fails it on a read-only connection to a table with
    // generated columns, as the annotations table has.) The copy is then
    // switched to a rollback journal, so that it is one file, complete
    // without a -wal.
    const std::string temp = files::temporaryPathBeside(path);
    auto cleanUp = [&temp] {
        for (const char *suffix : {"", "-journal", "-wal", "-shm"})
            ::unlink((temp + suffix).c_str());
    };
    {
        auto copy = Database::open(temp, Database::Mode::ReadWriteCreate);
        if (!copy) {
            cleanUp();
            return makeError(failed + "cannot create the copy in " + folder);
        }
        sqlite3_backup *pages = sqlite3_backup_init((*copy)->handle(), "main", m_db->handle(), "main");
        if (!pages) {
            const std::string why = (*copy)->lastError();
            copy->reset();
            cleanUp();
            return makeError(failed + why);
        }
        const int rc = sqlite3_backup_step(pages, -1);
        sqlite3_backup_finish(pages);
        Status st = rc == SQLITE_DONE ? Status() : Status(makeError(sqlite3_errstr(rc)));
        if (st)
            st = (*copy)->exec("PRAGMA journal_mode = DELETE");
        copy->reset();
        if (!st) {
            cleanUp();
            return makeError(failed + st.message());
        }
    }
    {
        auto copy = Database::open(temp, Database::Mode::ReadOnly);
        if (!copy) {
            cleanUp();
            return makeError(failed + copy.message());
        }
        auto sound = (*copy)->queryInt("SELECT count(*) FROM pragma_quick_check WHERE quick_check <> 'ok'");
        auto app = (*copy)->queryInt("PRAGMA application_id");
        auto version = (*copy)->queryInt("PRAGMA user_version");
        if (!sound || !app || !version || *sound != 0 || *app != kApplicationId || *version != m_version) {
            copy->reset();
            cleanUp();
            return makeError(failed + "the copy did not read back as this store");
        }
    }
    return files::replaceWith(temp, path);
}

namespace {

// Problems of one kind are listed up to this many, then counted.
constexpr std::size_t kMostListed = 20;

class Problems {
public:
    explicit Problems(std::vector<std::string> &out) : m_out(out) {}
    void add(const std::string &kind, std::string problem)
    {
        if (++m_counts[kind] <= kMostListed)
            m_out.push_back(std::move(problem));
    }
    void finish()
    {
        for (const auto &[kind, count] : m_counts)
            if (count > kMostListed)
                m_out.push_back("... and " + std::to_string(count - kMostListed) + " more " + kind);
    }

private:
    std::vector<std::string> &m_out;
    std::map<std::string, std::size_t> m_counts;
};

} // namespace

Result<Store::CheckReport> Store::check()
{
    CheckReport report;
    Problems problems(report.problems);
    // The full-text index: FTS5 compares it with the documents. The check
    // is a command written as an INSERT, so it runs in a write transaction
    // of its own (rolled back), before the read snapshot below: a snapshot
    // cannot become a writer once another connection has committed.
    if (auto st = m_db->exec("BEGIN IMMEDIATE"); !st) {
        if (st.kind() == ErrorKind::ReadOnly)
            report.notes.push_back("the full-text index was not checked: the store is read-only here");
        else
            return st.error();
    } else {
        auto fts = m_db->exec("INSERT INTO documents_fts (documents_fts, rank) VALUES ('integrity-check', 1)");
        (void)m_db->exec("ROLLBACK");
        if (!fts && fts.kind() == ErrorKind::ReadOnly)
            report.notes.push_back("the full-text index was not checked: the store is read-only here");
        else if (!fts)
            problems.add("index findings", "the full-text index does not match the documents: " + fts.message());
    }

    // One read snapshot for everything, so a writer next door cannot make
    // a sound store look inconsistent half-way through.
    LEDE_TRY(m_db->exec("BEGIN"));
    struct Rollback {
        Database &db;
        ~Rollback() { (void)db.exec("ROLLBACK"); }
    } rollback{*m_db};

    auto each = [&](const std::string &sql, const std::function<void(const Statement &)> &visit) -> Status {
        LEDE_TRY_ASSIGN(auto s, m_db->prepare(sql));
        for (;;) {
            LEDE_TRY_ASSIGN(auto row, s.step());
            if (!row)
                return {};
            visit(s);
        }
    };

    // SQLite's own view of the file.
    if (auto st = each("PRAGMA integrity_check(100)", [&](const Statement &s) {
            if (s.text(0) != "ok")
                problems.add("SQLite findings", "SQLite: " + s.text(0));
        });
        !st)
        return st.error();
    // A bulk writer turns these off only inside its own transaction.
    if (m_version >= kFoldedColumnsVersion) {
        const std::string modes = m_version >= kDeferredIndexVersion
            ? "SELECT 'search summaries', per_row FROM summary_mode UNION ALL SELECT 'search index', per_row FROM index_mode"
            : "SELECT 'search summaries', per_row FROM summary_mode";
        if (auto st = each(modes, [&](const Statement &s) {
                if (s.int64(1) == 0)
                    problems.add("index findings", "new rows get no " + s.text(0) + ": its switch was left off; "
                                                       "set it back with: UPDATE " + std::string(s.text(0) == "search index" ? "index_mode" : "summary_mode")
                                                       + " SET per_row = 1");
            });
            !st)
            return st.error();
    }
    if (auto st = each("PRAGMA foreign_key_check", [&](const Statement &s) {
            problems.add("broken links", "row " + std::to_string(s.int64(1)) + " of " + s.text(0) + " refers to a missing row of "
                                             + s.text(2));
        });
        !st)
        return st.error();

    // Every document's text as Lede stores it.
    if (auto st = each("SELECT id, text, length, sha256, title, source, coalesce(url, ''), coalesce(published_at, '') "
                       "FROM documents ORDER BY id",
                       [&](const Statement &s) {
            ++report.documents;
            const std::string id = std::to_string(s.int64(0));
            for (const auto &[column, field] : {std::pair{4, "title"}, std::pair{5, "source"}, std::pair{6, "URL"},
                                                std::pair{7, "publication date"}})
                if (!text::isValidUtf8(s.textView(column)))
                    problems.add("documents", "document " + id + ": its " + field + " is not valid UTF-8");
            const std::string_view text = s.textView(1);
            if (!text::isValidUtf8(text)) {
                problems.add("documents", "document " + id + ": its text is not valid UTF-8");
                return;
            }
            if (text::normalize(text) != text)
                problems.add("documents", "document " + id + ": its text is not in NFC with \\n line ends");
            const auto length = static_cast<std::int64_t>(text::codePointCount(text));
            if (length != s.int64(2))
                problems.add("documents", "document " + id + ": its length says " + std::to_string(s.int64(2))
                                              + " characters, its text has " + std::to_string(length));
            if (text::sha256Hex(text) != s.textView(3))
                problems.add("documents", "document " + id + ": its hash does not match its text");
        });
        !st)
        return st.error();

    for (const char *sql : {"SELECT id, name, 'name' FROM entities", "SELECT entity_id, alias, 'alias' FROM entity_aliases"})
        if (auto st = each(sql, [&](const Statement &s) {
                if (!text::isValidUtf8(s.textView(1)))
                    problems.add("entities", "entity " + std::to_string(s.int64(0)) + ": its " + s.text(2) + " '"
                                                 + text::toValidUtf8(s.textView(1)) + "' is not valid UTF-8");
            });
            !st)
            return st.error();

    // Every annotation inside its document, linked to an entity of its type.
    if (auto n = m_db->queryInt("SELECT count(*) FROM annotations"); n)
        report.annotations = *n;
    else
        return n.error();
    auto annotationName = [](std::int64_t id) {
        return "annotation " + std::to_string(annotationNumber(id)) + " of document "
            + std::to_string(annotationDocument(id));
    };
    if (auto st = each("SELECT a.id, a.start, a.end, d.length FROM annotations a LEFT JOIN documents d ON d.id = a.document_id "
                       "WHERE d.id IS NULL OR a.end > d.length OR a.start < 0 OR a.end <= a.start",
                       [&](const Statement &s) {
                           if (s.isNull(3))
                               problems.add("annotations", annotationName(s.int64(0)) + ": there is no such document");
                           else
                               problems.add("annotations", annotationName(s.int64(0)) + " (" + std::to_string(s.int64(1))
                                                               + "-" + std::to_string(s.int64(2)) + ") lies outside its text of "
                                                               + std::to_string(s.int64(3)) + " characters");
                       });
        !st)
        return st.error();
    if (auto st = each("SELECT a.id, ta.name, te.name FROM annotations a JOIN entities e ON e.id = a.entity_id "
                       "JOIN entity_types ta ON ta.id = a.type_id JOIN entity_types te ON te.id = e.type_id "
                       "WHERE e.type_id <> a.type_id",
                       [&](const Statement &s) {
                           problems.add("annotations", annotationName(s.int64(0)) + " is a " + s.text(1)
                                                           + " but links to an entity of type " + s.text(2));
                       });
        !st)
        return st.error();

    // The search summaries against the annotations they summarise: each
    // summary row (keys k1, k2; value v) beside what the annotations give.
    if (m_version >= 4) {
        struct Summary {
            const char *expected;
            const char *stored;
            const char *what; // %1 and %2 stand for the keys
        };
        const Summary summaries[] = {
            {"SELECT document_id AS k1, type_id AS k2, count(*) AS v FROM annotations WHERE status <> 2 "
             "GROUP BY document_id, type_id",
             "SELECT document_id AS k1, type_id AS k2, mentions AS v FROM document_types",
             "the mentions of type %2 in document %1"},
            {"SELECT document_id AS k1, entity_id AS k2, count(*) AS v FROM annotations "
             "WHERE status <> 2 AND entity_id IS NOT NULL GROUP BY document_id, entity_id",
             "SELECT document_id AS k1, entity_id AS k2, mentions AS v FROM document_entities",
             "the mentions of entity %2 in document %1"},
            {"SELECT entity_id AS k1, 0 AS k2, count(*) || ' documents, ' || sum(mentions) || ' mentions' AS v "
             "FROM document_entities GROUP BY entity_id",
             "SELECT entity_id AS k1, 0 AS k2, documents || ' documents, ' || mentions || ' mentions' AS v FROM entity_stats",
             "the counts of entity %1"},
        };
        for (const Summary &summary : summaries) {
            const std::string sql = std::string("SELECT coalesce(e.k1, s.k1), coalesce(e.k2, s.k2), s.v, e.v FROM (")
                + summary.expected + ") e FULL JOIN (" + summary.stored
                + ") s ON s.k1 = e.k1 AND s.k2 = e.k2 WHERE e.v IS NOT s.v";
            if (auto st = each(sql, [&](const Statement &s) {
                    std::string what = summary.what;
                    for (const auto &[mark, column] : {std::pair{"%1", 0}, std::pair{"%2", 1}})
                        if (auto at = what.find(mark); at != std::string::npos)
                            what.replace(at, 2, std::to_string(s.int64(column)));
                    problems.add("summary findings", "search summary, " + what + ": stored "
                                                         + (s.isNull(2) ? std::string("nothing") : s.text(2))
                                                         + ", the annotations give "
                                                         + (s.isNull(3) ? std::string("nothing") : s.text(3)));
                });
                !st)
                return st.error();
        }
    }
    problems.finish();
    return report;
}

} // namespace lede
