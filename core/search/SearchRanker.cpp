#include "core/search/SearchRanker.h"

#include "core/store/Database.h"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <new>

namespace lede {

namespace {

// Beyond this many ids the cache would cost more memory than it saves time.
constexpr std::int64_t kMaxCachedId = 64 * 1024 * 1024;

// The pointer type FTS5 hands back to lede_collect(); SQLite checks it, so
// no other bound value can be taken for the ranker's state.
constexpr const char *kStateType = "lede_search_ranker";

// BM25 parameters, as FTS5's bm25() uses them.
constexpr double kK1 = 1.2;
constexpr double kB = 0.75;

// SQLite's variable-length integer, as FTS5 stores the per-column sizes in
// its %_docsize table. Returns bytes read, 0 when the blob ends early.
std::size_t getVarint(const unsigned char *p, std::size_t n, std::uint64_t &v)
{
    v = 0;
    for (std::size_t i = 0; i < 9; ++i) {
        if (i >= n)
            return 0;
        if (i == 8) {
            v = (v << 8) | p[i];
            return 9;
        }
        v = (v << 7) | (p[i] & 0x7F);
        if (!(p[i] & 0x80))
            return i + 1;
    }
    return 0;
}

bool better(const SearchRanker::Hit &a, const SearchRanker::Hit &b)
{
    return a.score > b.score || (a.score == b.score && a.id > b.id);
}

double inverseDocumentFrequency(double rows, double hits)
{
    // Lucene's form, always positive. FTS5's bm25() takes the logarithm
    // without the 1 + and clamps it to 1e-6, which leaves every word found
    // in more than half the documents with the same negligible weight, so
    // "ransomware hospitals" would rank as if both words were noise when
    // both are common.
    return std::log(1.0 + (rows - hits + 0.5) / (hits + 0.5));
}

} // namespace

void SearchRanker::Lengths::refresh(Database &db)
{
    auto version = db.queryInt("PRAGMA data_version");
    const std::int64_t changes = sqlite3_total_changes64(db.handle());
    if (version && *version == m_dataVersion && changes == m_changes)
        return;
    m_lengths.clear();
    m_dataVersion = -1;
    if (!version)
        return;
    auto maxId = db.queryInt("SELECT max(id) FROM documents_fts_docsize");
    if (!maxId || *maxId < 0 || *maxId > kMaxCachedId)
        return;
    std::vector<std::uint32_t> lengths(static_cast<std::size_t>(*maxId) + 1, 0);
    // The Statement wrapper has no blob accessor; read the raw columns.
    sqlite3_stmt *q = nullptr;
    if (sqlite3_prepare_v2(db.handle(), "SELECT id, sz FROM documents_fts_docsize", -1, &q, nullptr) != SQLITE_OK)
        return;
    bool ok = true;
    while (ok && sqlite3_step(q) == SQLITE_ROW) {
        const std::int64_t id = sqlite3_column_int64(q, 0);
        const auto *blob = static_cast<const unsigned char *>(sqlite3_column_blob(q, 1));
        const auto n = static_cast<std::size_t>(sqlite3_column_bytes(q, 1));
        // One varint per column: title and text.
        std::uint64_t title = 0, text = 0;
        const std::size_t a = blob ? getVarint(blob, n, title) : 0;
        const std::size_t b = a ? getVarint(blob + a, n - a, text) : 0;
        if (!a || !b || a + b != n || id < 0 || id > *maxId || title + text >= std::numeric_limits<std::uint32_t>::max())
            ok = false;
        else
            lengths[static_cast<std::size_t>(id)] = static_cast<std::uint32_t>(title + text + 1);
    }
    sqlite3_finalize(q);
    if (!ok)
        return;
    m_lengths = std::move(lengths);
    m_dataVersion = *version;
    m_changes = changes;
}

struct SearchRanker::State {
    Options options;

    bool initialised = false;
    int phrases = 0;
    double rows = 0;
    double averageLength = 1;
    std::vector<double> idf; // per phrase; negative until needed
    std::vector<double> frequency;
    // With one phrase every row's IDF is the same and the phrase's row
    // count is the number of rows visited: rank by the rest and multiply
    // at the end, sparing a pass over the phrase's rows.
    bool deferIdf = false;

    std::int64_t visited = 0;
    std::int64_t total = 0;
    std::size_t cursor = 0;
    std::int64_t lastRow = std::numeric_limits<std::int64_t>::min();
    std::vector<Hit> heap; // worst kept hit at the front
    std::vector<std::int64_t> seen;

    bool allowed(std::int64_t row)
    {
        const std::vector<std::int64_t> &ids = *options.allowed;
        // FTS5 yields rows in ascending order, so a cursor that only moves
        // forward finds each in constant time; fall back to a binary search
        // should the order ever differ.
        if (row < lastRow)
            cursor = static_cast<std::size_t>(std::lower_bound(ids.begin(), ids.end(), row) - ids.begin());
        lastRow = row;
        while (cursor < ids.size() && ids[cursor] < row)
            ++cursor;
        return cursor < ids.size() && ids[cursor] == row;
    }

    int initialise(const Fts5ExtensionApi *api, Fts5Context *fts)
    {
        initialised = true;
        phrases = api->xPhraseCount(fts);
        sqlite3_int64 nRow = 0, nToken = 0;
        int rc = api->xRowCount(fts, &nRow);
        if (rc == SQLITE_OK)
            rc = api->xColumnTotalSize(fts, -1, &nToken);
        rows = static_cast<double>(nRow);
        averageLength = nRow > 0 && nToken > 0 ? static_cast<double>(nToken) / static_cast<double>(nRow) : 1.0;
        idf.assign(static_cast<std::size_t>(std::max(phrases, 0)), -1.0);
        frequency.assign(idf.size(), 0.0);
        deferIdf = phrases == 1;
        return rc;
    }

    int phraseIdf(const Fts5ExtensionApi *api, Fts5Context *fts, int phrase, double &out)
    {
        double &v = idf[static_cast<std::size_t>(phrase)];
        if (v < 0) {
            std::int64_t hits = 0;
            const int rc = api->xQueryPhrase(fts, phrase, &hits, [](const Fts5ExtensionApi *, Fts5Context *, void *n) {
                ++*static_cast<std::int64_t *>(n);
                return SQLITE_OK;
            });
            if (rc != SQLITE_OK)
                return rc;
            v = inverseDocumentFrequency(rows, static_cast<double>(hits));
        }
        out = v;
        return SQLITE_OK;
    }

    int score(const Fts5ExtensionApi *api, Fts5Context *fts, std::int64_t row, double &out)
    {
        if (!initialised) {
            if (int rc = initialise(api, fts); rc != SQLITE_OK)
                return rc;
        }
        // Each phrase's positions read straight from its own list: unlike
        // xInstCount(), which first merges every phrase's positions into
        // one array, this allocates nothing and sorts nothing.
        int rc = SQLITE_OK;
        for (int p = 0; p < phrases; ++p) {
            double f = 0;
            Fts5PhraseIter it;
            int column = 0, offset = 0;
            if ((rc = api->xPhraseFirst(fts, p, &it, &column, &offset)) != SQLITE_OK)
                return rc;
            for (; column >= 0; api->xPhraseNext(fts, &it, &column, &offset))
                f += column == 0 ? options.titleWeight : options.textWeight;
            frequency[static_cast<std::size_t>(p)] = f;
        }
        double length = options.lengths ? static_cast<double>(options.lengths->length(row)) : -1.0;
        if (length < 0) {
            int tokens = 0;
            if ((rc = api->xColumnSize(fts, -1, &tokens)) != SQLITE_OK)
                return rc;
            length = tokens;
        }
        const double norm = kK1 * (1.0 - kB + kB * length / averageLength);
        out = 0;
        for (int p = 0; p < phrases; ++p) {
            const double f = frequency[static_cast<std::size_t>(p)];
            if (f <= 0)
                continue;
            double weight = 1.0;
            if (!deferIdf && (rc = phraseIdf(api, fts, p, weight)) != SQLITE_OK)
                return rc;
            out += weight * (f * (kK1 + 1.0)) / (f + norm);
        }
        return SQLITE_OK;
    }

    void keep(Hit hit)
    {
        if (options.keep == 0)
            return;
        if (heap.size() < options.keep) {
            heap.push_back(hit);
            std::push_heap(heap.begin(), heap.end(), better);
        } else if (better(hit, heap.front())) {
            std::pop_heap(heap.begin(), heap.end(), better);
            heap.back() = hit;
            std::push_heap(heap.begin(), heap.end(), better);
        }
    }
};

namespace {

void collect(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    auto *state = argc == 1 ? static_cast<SearchRanker::State *>(sqlite3_value_pointer(argv[0], kStateType)) : nullptr;
    if (!state) {
        sqlite3_result_error(ctx, "lede_collect() is for Lede's search only", -1);
        return;
    }
    try {
        const std::int64_t row = api->xRowid(fts);
        ++state->visited;
        if (state->options.allowed && !state->allowed(row)) {
            sqlite3_result_null(ctx);
            return;
        }
        ++state->total;
        if (state->options.recordSeen)
            state->seen.push_back(row);
        if (state->options.keep > 0) {
            double score = 0;
            if (const int rc = state->score(api, fts, row, score); rc != SQLITE_OK) {
                sqlite3_result_error_code(ctx, rc);
                return;
            }
            state->keep({row, score});
        }
        sqlite3_result_int(ctx, 1);
    } catch (const std::bad_alloc &) {
        sqlite3_result_error_nomem(ctx);
    }
}

} // namespace

SearchRanker::SearchRanker(const Options &options)
    : m_state(std::make_unique<State>())
{
    m_state->options = options;
}

SearchRanker::~SearchRanker() = default;

Status SearchRanker::run(Database &db, const std::string &match)
{
    const Options options = m_state->options;
    *m_state = State{};
    m_state->options = options;
    m_state->heap.reserve(std::min<std::size_t>(options.keep, 4096));

    sqlite3 *h = db.handle();
    sqlite3_stmt *stmt = nullptr;
    // One aggregate row: lede_collect() runs in the WHERE clause for every
    // matching row inside SQLite. (FTS5 cannot overload a function inside
    // an aggregate's argument, so it cannot be count(lede_collect(...)).)
    if (sqlite3_prepare_v2(h,
                           "SELECT count(*) FROM documents_fts "
                           "WHERE documents_fts MATCH ?2 AND lede_collect(documents_fts, ?1)",
                           -1, &stmt, nullptr)
        != SQLITE_OK)
        return makeError("the full-text index cannot be searched: " + std::string(sqlite3_errmsg(h)));
    sqlite3_bind_pointer(stmt, 1, m_state.get(), kStateType, nullptr);
    sqlite3_bind_text64(stmt, 2, match.data(), match.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    const int rc = sqlite3_step(stmt);
    std::string message = rc == SQLITE_ROW ? std::string() : sqlite3_errmsg(h);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_ROW)
        return makeError("the full-text index cannot be searched: " + message);
    return {};
}

std::vector<SearchRanker::Hit> SearchRanker::hits() const
{
    std::vector<Hit> out = m_state->heap;
    std::sort(out.begin(), out.end(), better);
    if (m_state->deferIdf) {
        const double idf = inverseDocumentFrequency(m_state->rows, static_cast<double>(m_state->visited));
        for (Hit &h : out)
            h.score *= idf;
    }
    return out;
}

std::int64_t SearchRanker::total() const { return m_state->total; }

const std::vector<std::int64_t> &SearchRanker::seen() const { return m_state->seen; }

Status SearchRanker::registerWith(sqlite3 *db)
{
    fts5_api *api = nullptr;
    sqlite3_stmt *stmt = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) == SQLITE_OK) {
        sqlite3_bind_pointer(stmt, 1, &api, "fts5_api_ptr", nullptr);
        sqlite3_step(stmt);
    }
    sqlite3_finalize(stmt);
    if (!api || api->iVersion < 2)
        return makeError("this SQLite library has no full-text search (FTS5)");
    if (api->xCreateFunction(api, "lede_collect", nullptr, collect, nullptr) != SQLITE_OK)
        return makeError("cannot register lede_collect: " + std::string(sqlite3_errmsg(db)));
    return {};
}

} // namespace lede
