#include "core/search/Search.h"

#include "core/store/AnnotationRow.h"
#include "core/store/Database.h"
#include "core/text/IcuFtsTokenizer.h"
#include "core/text/SearchIndexForm.h"
#include "core/search/SearchRanker.h"
#include "core/store/Store.h"
#include "core/store/StoreConnection.h"

#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <set>

namespace lede {

// How a query runs
// ----------------
// The parsed tree is split at its top-level AND into a text part (words
// and phrases with their own AND, OR, NOT) and a filter part (type:,
// entity: and the status:/origin: qualifiers). The text part becomes one
// FTS5 expression in which every word is a quoted string generated here;
// the filter part becomes a sorted set of document ids read from the
// summary tables that triggers keep beside the annotations
// (document_types, document_entities). The ranker then walks the FTS5
// rows once inside SQLite, scores each allowed row with BM25 and keeps the
// best offset + limit, so a word found in every document costs one pass
// over its postings and no sort of the rows.
//
// A query mixing words and filters under OR or NOT ("ransomware OR
// type:ATTACK", "NOT ransomware") has no such split; it is evaluated as
// set algebra over document ids (each maximal text-only subtree still one
// FTS5 query), and the resulting set ranked by its words. Documents that
// are in the set only through a filter follow the ranked ones.

namespace {

struct DocSet {
    std::vector<std::int64_t> ids;     // ascending, unique
    std::vector<std::int64_t> weights; // matching annotations, per id

    std::size_t size() const { return ids.size(); }
    void add(std::int64_t id, std::int64_t weight)
    {
        ids.push_back(id);
        weights.push_back(weight);
    }
};

// Which ids a set operation keeps: those only in the first set, only in
// the second, or in both (their weights added).
struct Keep {
    bool onlyA;
    bool onlyB;
    bool both;
};

// One walk over two ascending sets, for union, intersection and difference.
DocSet combine(const DocSet &a, const DocSet &b, Keep keep)
{
    DocSet out;
    if (keep.onlyA && keep.onlyB) {
        out.ids.reserve(a.size() + b.size());
        out.weights.reserve(a.size() + b.size());
    }
    std::size_t i = 0, j = 0;
    while (i < a.size() || j < b.size()) {
        if (j >= b.size() || (i < a.size() && a.ids[i] < b.ids[j])) {
            if (!keep.onlyA && j >= b.size())
                break; // the rest of a is not kept
            if (keep.onlyA)
                out.add(a.ids[i], a.weights[i]);
            ++i;
        } else if (i >= a.size() || b.ids[j] < a.ids[i]) {
            if (!keep.onlyB && i >= a.size())
                break; // the rest of b is not kept
            if (keep.onlyB)
                out.add(b.ids[j], b.weights[j]);
            ++j;
        } else {
            if (keep.both)
                out.add(a.ids[i], a.weights[i] + b.weights[j]);
            ++i;
            ++j;
        }
    }
    return out;
}

DocSet unite(const DocSet &a, const DocSet &b) { return combine(a, b, {true, true, true}); }
DocSet intersect(const DocSet &a, const DocSet &b) { return combine(a, b, {false, false, true}); }
DocSet subtract(const DocSet &a, const DocSet &b) { return combine(a, b, {true, false, false}); }

// Reads (id, weight) rows into a DocSet, sorting only when the rows did
// not already come in id order.
Result<DocSet> readDocSet(Statement &s, bool weighted)
{
    auto read = collect<std::pair<std::int64_t, std::int64_t>>(
        s, [&](const Statement &st) { return std::make_pair(st.int64(0), weighted ? st.int64(1) : 0); });
    if (!read)
        return read.error();
    auto &rows = *read;
    if (!std::is_sorted(rows.begin(), rows.end()))
        std::sort(rows.begin(), rows.end());
    DocSet out;
    out.ids.reserve(rows.size());
    out.weights.reserve(rows.size());
    for (const auto &[id, w] : rows) {
        if (!out.ids.empty() && out.ids.back() == id) {
            out.weights.back() += w;
            continue;
        }
        out.add(id, w);
    }
    return out;
}

// Lets another thread stop a search: SQLite calls the handler every few
// thousand virtual-machine steps and abandons the statement when it says
// so. Removed again when the search ends.
class CancelHandler {
public:
    CancelHandler(Database &db, const std::atomic<bool> *cancel)
        : m_db(cancel ? db.handle() : nullptr)
    {
        if (m_db)
            sqlite3_progress_handler(m_db, 4000, &CancelHandler::poll, const_cast<std::atomic<bool> *>(cancel));
    }
    ~CancelHandler()
    {
        if (m_db)
            sqlite3_progress_handler(m_db, 0, nullptr, nullptr);
    }
    CancelHandler(const CancelHandler &) = delete;
    CancelHandler &operator=(const CancelHandler &) = delete;

private:
    static int poll(void *flag) { return static_cast<std::atomic<bool> *>(flag)->load(std::memory_order_relaxed) ? 1 : 0; }
    sqlite3 *m_db;
};

std::string upper(std::string_view s)
{
    std::string out(s);
    for (char &c : out)
        if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - ('a' - 'A'));
    return out;
}

bool holdsFilter(const QueryNode &n)
{
    return n.kind == QueryNode::Kind::Filter || std::any_of(n.children.begin(), n.children.end(), holdsFilter);
}

bool holdsText(const QueryNode &n)
{
    return n.isText() || std::any_of(n.children.begin(), n.children.end(), holdsText);
}

QueryNode andOf(std::vector<QueryNode> parts)
{
    if (parts.size() == 1)
        return std::move(parts[0]);
    QueryNode n;
    n.kind = QueryNode::Kind::And;
    n.children = std::move(parts);
    return n;
}

// An FTS5 string literal of a query word's index form (its terms, folded,
// one space apart: SearchIndexForm.h), quotes doubled. FTS5 passes it to
// the index's unicode61 tokenizer, so a word that holds several terms
// ("e-mail", "東京都", "U.S.") becomes a phrase of them, exactly as in the
// index.
std::string ftsString(std::string_view word)
{
    std::string out = "\"";
    for (const char c : searchIndexForm(word)) {
        if (c == '"')
            out += "\"\"";
        else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
            out += ' ';
        else
            out += c;
    }
    return out + '"';
}

// The FTS5 expression for a text-only subtree, or nothing when FTS5 cannot
// say it: its NOT is binary, so a negation needs a positive sibling.
std::optional<std::string> toFts(const QueryNode &n)
{
    switch (n.kind) {
    case QueryNode::Kind::Word:
    case QueryNode::Kind::Phrase:
        return ftsString(n.text) + (n.prefix ? " *" : "");
    case QueryNode::Kind::Filter:
    case QueryNode::Kind::Not:
        return std::nullopt;
    case QueryNode::Kind::Or: {
        std::string out;
        for (const QueryNode &c : n.children) {
            auto s = toFts(c);
            if (!s)
                return std::nullopt;
            out += (out.empty() ? "(" : " OR ") + *s;
        }
        return out + ")";
    }
    case QueryNode::Kind::And: {
        std::string positive;
        std::vector<std::string> negative;
        for (const QueryNode &c : n.children) {
            auto s = toFts(c.kind == QueryNode::Kind::Not ? c.children[0] : c);
            if (!s)
                return std::nullopt;
            if (c.kind == QueryNode::Kind::Not)
                negative.push_back(std::move(*s));
            else
                positive += (positive.empty() ? "(" : " AND ") + *s;
        }
        if (positive.empty())
            return std::nullopt;
        std::string out = positive + ")";
        for (const std::string &s : negative)
            out = "(" + out + " NOT " + s + ")";
        return out;
    }
    }
    return std::nullopt;
}

// The words and phrases a hit may be ranked by: those not under a NOT.
void positiveText(const QueryNode &n, bool negated, std::vector<std::string> &out)
{
    if (n.isText()) {
        if (!negated)
            out.push_back(*toFts(n));
        return;
    }
    for (const QueryNode &c : n.children)
        positiveText(c, negated != (n.kind == QueryNode::Kind::Not), out);
}

// A filter node with an empty value stands for "any annotation" of the
// query's status and origin: what status:/origin: match on their own. The
// reader never produces an empty value.
QueryNode anyAnnotation()
{
    QueryNode n;
    n.kind = QueryNode::Kind::Filter;
    return n;
}

struct Scored {
    std::int64_t id = 0;
    double score = 0;
};

} // namespace

struct Search::Impl {
    Store &store;
    Database &db;
    SearchRanker::Lengths lengths;

    // Search's own SQL helpers (lede_collect), once per connection.
    Status registered;

    explicit Impl(Store &s)
        : store(s)
        , db(storeConnection(s))
    {
        if (db.firstRegistration("search"))
            registered = SearchRanker::registerWith(db.handle());
    }

    Status requireSchema() const
    {
        if (!registered)
            return registered;
        if (store.schemaVersion() < 4)
            return makeError("this store is at schema version " + std::to_string(store.schemaVersion())
                             + "; search needs version 4 (open it once with this Lede to upgrade)");
        return {};
    }

    Result<std::map<std::string, std::int64_t>> typeIds()
    {
        LEDE_TRY_ASSIGN(auto s, db.cached("SELECT id, name FROM entity_types ORDER BY id"));
        std::map<std::string, std::int64_t> out;
        for (;;) {
            LEDE_TRY_ASSIGN(auto row, s.step());
            if (!row)
                break;
            out[upper(s.textView(1))] = s.int64(0);
        }
        return out;
    }

    Result<std::int64_t> typeId(const std::string &name)
    {
        LEDE_TRY_ASSIGN(auto ids, typeIds());
        if (auto it = ids.find(upper(name)); it != ids.end())
            return it->second;
        std::string known;
        for (const auto &[n, id] : ids)
            known += (known.empty() ? "" : ", ") + n;
        return makeError("unknown type '" + name + "'; the types are " + known);
    }

    // A listing's type filter: none for an empty name.
    Result<std::optional<std::int64_t>> typeFilter(const std::string &name)
    {
        if (name.empty())
            return std::optional<std::int64_t>();
        LEDE_TRY_ASSIGN(auto id, typeId(name));
        return std::optional<std::int64_t>(id);
    }

    Result<std::vector<std::int64_t>> findEntities(std::string_view name)
    {
        const std::string key = foldName(name);
        if (key.empty())
            return std::vector<std::int64_t>{};
        // Names another program added since Lede last opened the store for
        // writing have no folded form yet; the partial indexes find them.
        LEDE_TRY_ASSIGN(auto s, db.cached(store.schemaVersion() >= Store::kFoldedColumnsVersion
                                              ? "SELECT id FROM entities WHERE folded = ?1 "
                                                "OR (folded IS NULL AND lede_fold(name) = ?1) "
                                                "UNION SELECT entity_id FROM entity_aliases WHERE folded = ?1 "
                                                "OR (folded IS NULL AND lede_fold(alias) = ?1)"
                                              : "SELECT id FROM entities WHERE lede_fold(name) = ?1 "
                                                "UNION SELECT entity_id FROM entity_aliases WHERE lede_fold(alias) = ?1"));
        s.bind(1, key);
        auto ids = collect<std::int64_t>(s, [](const Statement &st) { return st.int64(0); });
        if (ids)
            std::sort(ids->begin(), ids->end());
        return ids;
    }
};

namespace {

// Evaluates one query into document sets: the store, the resolved filters and the
// qualifiers, and what is worth telling the analyst.
class QueryEvaluator {
public:
    QueryEvaluator(Search::Impl &impl, const SearchQuery &query, std::map<std::string, std::int64_t> types,
               std::vector<std::string> &notes)
        : m_impl(impl)
        , m_types(std::move(types))
        , m_notes(notes)
    {
        const std::set<AnnotationStatus> statuses =
            query.statuses.value_or(std::set<AnnotationStatus>{AnnotationStatus::Suggested, AnnotationStatus::Accepted});
        const std::set<Origin> origins =
            query.origins.value_or(std::set<Origin>{Origin::Auto, Origin::Manual, Origin::Imported});
        for (AnnotationStatus s : statuses)
            m_statuses.push_back(detail::code(s));
        for (Origin o : origins)
            m_origins.push_back(detail::code(o));
        // The summary tables hold exactly the non-rejected annotations of
        // any origin; any other choice reads the annotations themselves.
        m_summarised = m_statuses.size() == 2 && !statuses.count(AnnotationStatus::Rejected) && m_origins.size() == 3;
        m_reviewedOnly = !statuses.count(AnnotationStatus::Suggested) || !origins.count(Origin::Auto);
    }


    Result<DocSet> set(const QueryNode &n)
    {
        if (!holdsFilter(n)) {
            if (auto match = toFts(n))
                return textSet(*match);
        }
        switch (n.kind) {
        case QueryNode::Kind::Word:
        case QueryNode::Kind::Phrase:
            return textSet(*toFts(n));
        case QueryNode::Kind::Filter:
            return filterSet(n);
        case QueryNode::Kind::Not: {
            auto all = everything();
            auto inner = set(n.children[0]);
            if (!all)
                return all.error();
            if (!inner)
                return inner.error();
            return subtract(*all, *inner);
        }
        case QueryNode::Kind::Or: {
            DocSet acc;
            for (const QueryNode &c : n.children) {
                LEDE_TRY_ASSIGN(auto s, set(c));
                acc = unite(acc, s);
            }
            return acc;
        }
        case QueryNode::Kind::And: {
            // Words and phrases among the operands go to FTS5 together.
            std::vector<QueryNode> text;
            std::vector<const QueryNode *> others;
            for (const QueryNode &c : n.children) {
                if (!holdsFilter(c))
                    text.push_back(c);
                else
                    others.push_back(&c);
            }
            std::optional<DocSet> acc;
            std::vector<const QueryNode *> negated;
            if (!text.empty()) {
                QueryNode joined = andOf(text);
                if (toFts(joined)) {
                    LEDE_TRY_ASSIGN(auto s, set(joined));
                    acc = std::move(s);
                } else {
                    for (const QueryNode &t : n.children)
                        if (!holdsFilter(t))
                            others.push_back(&t);
                }
            }
            for (const QueryNode *c : others) {
                if (c->kind == QueryNode::Kind::Not) {
                    negated.push_back(&c->children[0]);
                    continue;
                }
                LEDE_TRY_ASSIGN(auto s, set(*c));
                acc = acc ? intersect(*acc, s) : std::move(s);
            }
            if (!acc) {
                LEDE_TRY_ASSIGN(auto all, everything());
                acc = std::move(all);
            }
            for (const QueryNode *c : negated) {
                LEDE_TRY_ASSIGN(auto s, set(*c));
                acc = subtract(*acc, s);
            }
            return std::move(*acc);
        }
        }
        return DocSet{};
    }

    // Spans of the document's annotations that a positive filter of the
    // query selected, for highlighting.
    void noteHighlights(const QueryNode &n, bool negated)
    {
        if (n.kind == QueryNode::Kind::Filter) {
            if (negated)
                return;
            if (n.text.empty()) {
                m_highlightAll = true;
            } else if (n.field == QueryNode::Field::Type) {
                if (auto it = m_types.find(upper(n.text)); it != m_types.end())
                    m_highlightTypes.insert(it->second);
            } else if (auto ids = m_impl.findEntities(n.text)) {
                m_highlightEntities.insert(ids->begin(), ids->end());
            }
            return;
        }
        for (const QueryNode &c : n.children)
            noteHighlights(c, negated != (n.kind == QueryNode::Kind::Not));
    }

    Result<std::vector<MatchSpan>> annotationSpans(std::int64_t documentId)
    {
        std::vector<MatchSpan> out;
        if (!m_highlightAll && m_highlightTypes.empty() && m_highlightEntities.empty())
            return out;
        LEDE_TRY_ASSIGN(auto s, m_impl.db.cached("SELECT start, end, type_id, entity_id FROM annotations WHERE "
                                                 + detail::inDocument("id", "?1") + " AND " + qualifierSql(2)));
        s.bind(1, documentId);
        bindQualifiers(s, 2);
        for (;;) {
            LEDE_TRY_ASSIGN(auto row, s.step());
            if (!row)
                break;
            if (m_highlightAll || m_highlightTypes.count(s.int64(2))
                || (!s.isNull(3) && m_highlightEntities.count(s.int64(3))))
                out.push_back({s.int64(0), s.int64(1)});
        }
        return out;
    }

private:
    Result<DocSet> textSet(const std::string &match)
    {
        LEDE_TRY_ASSIGN(auto s, m_impl.db.cached("SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?"));
        s.bind(1, match);
        return readDocSet(s, false);
    }

    Result<DocSet> everything()
    {
        if (!m_all) {
            LEDE_TRY_ASSIGN(auto s, m_impl.db.cached("SELECT id FROM documents ORDER BY id"));
            LEDE_TRY_ASSIGN(auto all, readDocSet(s, false));
            m_all = std::move(all);
        }
        return *m_all;
    }

    // "status IN (...) AND origin IN (...)" with placeholders from `first`
    // on. Only Lede's own fragments go into the SQL; the values are bound.
    std::string inLists(int first) const
    {
        auto list = [&](const char *column, std::size_t n, int &next) {
            std::string sql = std::string(column) + " IN (";
            for (std::size_t i = 0; i < n; ++i)
                sql += (i ? ", ?" : "?") + std::to_string(next++);
            return sql + ")";
        };
        int next = first;
        std::string sql = list("status", m_statuses.size(), next);
        sql += " AND " + list("origin", m_origins.size(), next);
        return sql;
    }

    std::string qualifierSql(int first) const
    {
        return inLists(first) + (m_reviewedOnly ? " AND " + std::string(kReviewed) : std::string());
    }

    void bindQualifiers(Statement &s, int first) const
    {
        int next = first;
        for (const int v : m_statuses)
            s.bind(next++, v);
        for (const int v : m_origins)
            s.bind(next++, v);
    }

    // The rows the partial index annotations_reviewed holds, spelled as
    // its WHERE clause is so that SQLite may use it. Reviewed annotations
    // (accepted, rejected, manual, imported) are few beside the tagger's
    // suggestions.
    static constexpr const char *kReviewed = "(status <> 0 OR origin <> 0)";

    // The documents of one filter and how many of the query's annotations
    // each holds, without reading the bulk of the annotations:
    //  - the default qualifiers (not rejected, any origin) are exactly what
    //    the summary tables count;
    //  - qualifiers without suggested or without auto select only reviewed
    //    annotations, all in the partial index;
    //  - other qualifiers (status:suggested, status:all) differ from the
    //    summaries only by reviewed annotations: the summary count, minus
    //    the non-rejected ones the qualifiers exclude, plus the rejected ones
    //    they include, all read from the partial index.
    // `condition` is "type_id = ?1", "entity_id = ?1" or empty for any
    // annotation, whose summary (`summary` null) is the union of the types'.
    Result<DocSet> qualifiedSet(const char *summary, const std::string &condition, std::int64_t key)
    {
        const std::string where = condition.empty() ? std::string() : condition + " AND ";
        auto counted = [&](Result<Statement> s, bool qualifiers) -> Result<DocSet> {
            if (!s)
                return s.error();
            if (!condition.empty())
                s->bind(1, key);
            if (qualifiers)
                bindQualifiers(*s, 2);
            return readDocSet(*s, true);
        };
        auto summed = [&]() -> Result<DocSet> {
            if (summary)
                return counted(m_impl.db.cached(summary), false);
            // Any annotation: the union of every type's documents, each
            // read in document order (cheaper than grouping them in SQL).
            DocSet all;
            for (const auto &[name, id] : m_types) {
                LEDE_TRY_ASSIGN(auto s, m_impl.db.cached("SELECT document_id, mentions FROM document_types WHERE type_id = ?1 "
                                                         "ORDER BY document_id"));
                s.bind(1, id);
                LEDE_TRY_ASSIGN(auto docs, readDocSet(s, true));
                all = unite(all, docs);
            }
            return all;
        };
        if (m_summarised)
            return summed();
        if (m_reviewedOnly)
            return counted(m_impl.db.cached("SELECT document_id, count(*) FROM annotations INDEXED BY annotations_reviewed "
                                            "WHERE " + where + qualifierSql(2)
                                            + " GROUP BY document_id ORDER BY document_id"),
                           true);
        LEDE_TRY_ASSIGN(auto base, summed());
        LEDE_TRY_ASSIGN(auto delta, counted(m_impl.db.cached("SELECT document_id, sum(CASE WHEN " + inLists(2)
                                                             + " THEN status = 2 ELSE -(status <> 2) END) "
                                                               "FROM annotations INDEXED BY annotations_reviewed WHERE "
                                                             + where + kReviewed + " GROUP BY document_id ORDER BY document_id"),
                                            true));
        DocSet sum = unite(base, delta);
        DocSet out;
        for (std::size_t i = 0; i < sum.size(); ++i)
            if (sum.weights[i] > 0)
                out.add(sum.ids[i], sum.weights[i]);
        return out;
    }

    Result<DocSet> filterSet(const QueryNode &n)
    {
        if (m_statuses.empty() || m_origins.empty())
            return DocSet{};
        if (n.text.empty())
            return qualifiedSet(nullptr, {}, 0);
        if (n.field == QueryNode::Field::Type) {
            const auto it = m_types.find(upper(n.text));
            if (it == m_types.end())
                return DocSet{};
            return qualifiedSet("SELECT document_id, mentions FROM document_types WHERE type_id = ?1 ORDER BY document_id",
                                "type_id = ?1", it->second);
        }
        LEDE_TRY_ASSIGN(auto ids, m_impl.findEntities(n.text));
        if (ids.empty()) {
            m_notes.push_back("no entity is named '" + n.text + "'");
            return DocSet{};
        }
        DocSet acc;
        for (const std::int64_t id : ids) {
            LEDE_TRY_ASSIGN(auto docs, qualifiedSet("SELECT document_id, mentions FROM document_entities WHERE entity_id = ?1 "
                                                    "ORDER BY document_id",
                                                    "entity_id = ?1", id));
            acc = unite(acc, docs);
        }
        return acc;
    }

    Search::Impl &m_impl;
    std::map<std::string, std::int64_t> m_types;
    std::vector<std::string> &m_notes;
    std::vector<int> m_statuses; // stored codes (detail::code)
    std::vector<int> m_origins;
    bool m_summarised = true;
    bool m_reviewedOnly = false;
    std::optional<DocSet> m_all;
    bool m_highlightAll = false;
    std::set<std::int64_t> m_highlightTypes;
    std::set<std::int64_t> m_highlightEntities;
};

// The page [offset, offset + limit) of a set ordered by weight, then by
// newest id.
std::vector<Scored> pageByWeight(const DocSet &set, std::size_t offset, std::size_t limit)
{
    std::vector<std::size_t> order(set.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    const std::size_t end = std::min(set.size(), offset + limit);
    auto before = [&](std::size_t a, std::size_t b) {
        return set.weights[a] > set.weights[b] || (set.weights[a] == set.weights[b] && set.ids[a] > set.ids[b]);
    };
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(end), order.end(), before);
    std::vector<Scored> out;
    for (std::size_t i = offset; i < end; ++i)
        out.push_back({set.ids[order[i]], static_cast<double>(set.weights[order[i]])});
    return out;
}

} // namespace

Search::Search(Store &store)
    : m_impl(std::make_unique<Impl>(store))
{
}

Search::~Search() = default;

Status Search::validate(const SearchQuery &query)
{
    if (auto st = m_impl->requireSchema(); !st)
        return st;
    if (!query.root)
        return {};
    std::vector<const QueryNode *> stack{&*query.root};
    while (!stack.empty()) {
        const QueryNode *n = stack.back();
        stack.pop_back();
        if (n->kind == QueryNode::Kind::Filter && n->field == QueryNode::Field::Type) {
            LEDE_TRY(m_impl->typeId(n->text));
        }
        for (const QueryNode &c : n->children)
            stack.push_back(&c);
    }
    return {};
}

Result<SearchResults> Search::search(std::string_view text, const SearchOptions &options)
{
    LEDE_TRY_ASSIGN(auto query, parseQuery(text));
    return search(query, options);
}

Result<SearchResults> Search::search(const SearchQuery &query, const SearchOptions &options)
{
    auto results = run(query, options);
    if (!results && options.cancel && options.cancel->load())
        return makeError("search cancelled", ErrorKind::Cancelled);
    return results;
}

Result<SearchResults> Search::run(const SearchQuery &query, const SearchOptions &options)
{
    LEDE_TRY(validate(query));
    Database &db = m_impl->db;
    ReadSnapshot snapshot(db);
    CancelHandler cancelHandler(db, options.cancel);

    SearchResults results;
    results.notes = query.notes;
    LEDE_TRY_ASSIGN(auto types, m_impl->typeIds());
    QueryEvaluator eval(*m_impl, query, std::move(types), results.notes);

    // The tree to run: status:/origin: with no type: or entity: to narrow
    // stand for "any such annotation".
    QueryNode work;
    if (!query.root)
        work = anyAnnotation();
    else if ((query.statuses || query.origins) && !holdsFilter(*query.root))
        work = andOf({*query.root, anyAnnotation()});
    else
        work = *query.root;
    eval.noteHighlights(work, false);

    const std::size_t limit = std::min(options.limit, SearchOptions::kMaxLimit);
    const std::size_t keep = options.offset + limit;

    std::vector<QueryNode> text;
    std::vector<QueryNode> filters;
    bool mixed = false;
    for (const QueryNode &c : work.kind == QueryNode::Kind::And ? work.children : std::vector<QueryNode>{work}) {
        if (!holdsFilter(c))
            text.push_back(c);
        else if (!holdsText(c))
            filters.push_back(c);
        else
            mixed = true;
    }
    const std::optional<std::string> match = mixed || text.empty() ? std::nullopt : toFts(andOf(text));

    std::vector<Scored> page;
    if (!mixed && text.empty()) {
        // Filters only: the documents with the most matching annotations.
        LEDE_TRY_ASSIGN(auto set, eval.set(andOf(filters)));
        results.total = static_cast<std::int64_t>(set.size());
        page = pageByWeight(set, options.offset, limit);
    } else if (match) {
        std::optional<DocSet> allowed;
        if (!filters.empty()) {
            LEDE_TRY_ASSIGN(auto set, eval.set(andOf(filters)));
            allowed = std::move(set);
        }
        m_impl->lengths.refresh(db);
        SearchRanker::Options ro;
        ro.keep = keep;
        ro.allowed = allowed ? &allowed->ids : nullptr;
        ro.lengths = &m_impl->lengths;
        SearchRanker ranker(ro);
        LEDE_TRY(ranker.run(db, *match));
        results.total = ranker.total();
        const auto hits = ranker.hits();
        for (std::size_t i = options.offset; i < hits.size(); ++i)
            page.push_back({hits[i].id, hits[i].score});
    } else {
        LEDE_TRY_ASSIGN(auto set, eval.set(work));
        results.total = static_cast<std::int64_t>(set.size());
        std::vector<std::string> words;
        positiveText(work, false, words);
        if (words.empty()) {
            page = pageByWeight(set, options.offset, limit);
        } else {
            std::string anyWord;
            for (const std::string &w : words)
                anyWord += (anyWord.empty() ? "" : " OR ") + w;
            m_impl->lengths.refresh(db);
            SearchRanker::Options ro;
            ro.keep = keep;
            ro.allowed = &set.ids;
            ro.lengths = &m_impl->lengths;
            ro.recordSeen = true;
            SearchRanker ranker(ro);
            LEDE_TRY(ranker.run(db, anyWord));
            const auto hits = ranker.hits();
            const std::size_t ranked = ranker.seen().size();
            // Documents in the set through a filter alone, newest first,
            // after every ranked one.
            std::vector<std::int64_t> rest;
            if (keep > ranked) {
                DocSet seen{ranker.seen(), std::vector<std::int64_t>(ranked, 0)};
                rest = subtract(set, seen).ids;
                std::reverse(rest.begin(), rest.end());
            }
            for (std::size_t i = options.offset; i < keep; ++i) {
                if (i < ranked) {
                    if (i < hits.size())
                        page.push_back({hits[i].id, hits[i].score});
                } else if (i - ranked < rest.size()) {
                    page.push_back({rest[i - ranked], 0.0});
                } else {
                    break;
                }
            }
        }
    }

    SearchHighlighter highlighter(query);
    LEDE_TRY_ASSIGN(auto doc, db.cached("SELECT title, text FROM documents WHERE id = ?"));
    for (const Scored &s : page) {
        if (options.cancel && options.cancel->load(std::memory_order_relaxed))
            return makeError("search cancelled", ErrorKind::Cancelled);
        doc.bind(1, s.id);
        LEDE_TRY_ASSIGN(auto row, doc.step());
        if (!row) {
            doc.reset();
            continue;
        }
        SearchHit hit;
        hit.documentId = s.id;
        hit.score = s.score;
        hit.title = doc.text(0);
        const std::string body = doc.text(1);
        doc.reset();

        LEDE_TRY_ASSIGN(auto annotated, eval.annotationSpans(s.id));
        // The snippet goes where the words matched; annotations a filter
        // selected are marked too, and chosen for the snippet only when no
        // word matched in the text.
        const std::vector<MatchSpan> words = highlighter.find(body, options.maxDocumentMatches);
        std::vector<MatchSpan> spans = words;
        spans.insert(spans.end(), annotated.begin(), annotated.end());
        spans = SearchHighlighter::merge(std::move(spans));
        if (spans.size() > options.maxDocumentMatches)
            spans.resize(options.maxDocumentMatches);
        Snippet snippet = SearchHighlighter::snippet(body, words.empty() ? spans : words, spans, options.snippetLength);
        hit.snippet = std::move(snippet.text);
        hit.snippetMatches = std::move(snippet.matches);
        hit.snippetStart = snippet.start;
        hit.snippetEnd = snippet.end;
        hit.titleMatches = highlighter.find(hit.title);
        hit.documentMatches = std::move(spans);
        results.hits.push_back(std::move(hit));
    }
    return results;
}

Result<std::vector<std::int64_t>> Search::findEntities(std::string_view name)
{
    LEDE_TRY(m_impl->requireSchema());
    return m_impl->findEntities(name);
}

Result<std::vector<EntityCount>> Search::entities(const EntityListOptions &options)
{
    LEDE_TRY(m_impl->requireSchema());
    ReadSnapshot snapshot(m_impl->db);
    LEDE_TRY_ASSIGN(const std::optional<std::int64_t> type, m_impl->typeFilter(options.type));
    const std::string prefix = foldName(options.prefix);

    // ?1 type, ?2 and ?3 the folded prefix range, ?4 limit, ?5 offset. Any
    // key beginning with the prefix sorts below the prefix followed by
    // F4 90, which no UTF-8 text holds.
    std::string sql = "SELECT s.entity_id, e.name, t.name, s.mentions, s.documents FROM entity_stats s "
                      "JOIN entities e ON e.id = s.entity_id JOIN entity_types t ON t.id = e.type_id WHERE 1";
    if (type)
        sql += " AND s.type_id = ?1";
    if (!prefix.empty() && m_impl->store.schemaVersion() >= Store::kFoldedColumnsVersion)
        sql += " AND s.entity_id IN (SELECT id FROM entities WHERE (folded >= ?2 AND folded < ?3) "
               "OR (folded IS NULL AND lede_fold(name) >= ?2 AND lede_fold(name) < ?3) "
               "UNION SELECT entity_id FROM entity_aliases WHERE (folded >= ?2 AND folded < ?3) "
               "OR (folded IS NULL AND lede_fold(alias) >= ?2 AND lede_fold(alias) < ?3))";
    else if (!prefix.empty())
        sql += " AND s.entity_id IN (SELECT id FROM entities WHERE lede_fold(name) >= ?2 AND lede_fold(name) < ?3 "
               "UNION SELECT entity_id FROM entity_aliases WHERE lede_fold(alias) >= ?2 AND lede_fold(alias) < ?3)";
    sql += " ORDER BY s.documents DESC, s.mentions DESC, e.name, s.entity_id LIMIT ?4 OFFSET ?5";
    LEDE_TRY_ASSIGN(auto s, m_impl->db.cached(sql));
    if (type)
        s.bind(1, *type);
    if (!prefix.empty())
        s.bind(2, prefix).bind(3, prefix + "\xF4\x90");
    s.bind(4, static_cast<std::int64_t>(options.limit)).bind(5, static_cast<std::int64_t>(options.offset));
    return collect<EntityCount>(s, [](const Statement &st) {
        return EntityCount{st.int64(0), st.text(1), st.text(2), st.int64(3), st.int64(4)};
    });
}

Result<std::vector<EntityCount>> Search::cooccurring(std::string_view name, const CooccurrenceOptions &options)
{
    LEDE_TRY(m_impl->requireSchema());
    ReadSnapshot snapshot(m_impl->db);
    LEDE_TRY_ASSIGN(const std::optional<std::int64_t> type, m_impl->typeFilter(options.type));
    LEDE_TRY_ASSIGN(auto ids, m_impl->findEntities(name));
    if (ids.empty())
        return makeError("no entity is named '" + std::string(name) + "'", ErrorKind::NotFound);

    // Every (entity, mentions) row of the documents the entity is in, one
    // index range per document, summed here: a hash-free array by entity
    // id is several times faster than SQLite's GROUP BY, which sorts.
    // Several entities of one name (one per type) may share documents,
    // which must count once.
    std::string sql;
    if (ids.size() == 1) {
        sql = "SELECT de.entity_id, de.mentions FROM document_entities x "
              "JOIN document_entities de ON de.document_id = x.document_id WHERE x.entity_id = ?1";
    } else {
        sql = "WITH target(document_id) AS (SELECT DISTINCT document_id FROM document_entities "
              "WHERE entity_id IN (SELECT value FROM json_each(?1))) "
              "SELECT de.entity_id, de.mentions FROM target "
              "JOIN document_entities de ON de.document_id = target.document_id "
              "WHERE 1";
    }
    if (type)
        sql += " AND de.type_id = ?2";
    LEDE_TRY_ASSIGN(auto s, m_impl->db.cached(sql));
    if (ids.size() == 1) {
        s.bind(1, ids.front());
    } else {
        std::string list;
        for (const std::int64_t id : ids)
            list += (list.empty() ? "[" : ",") + std::to_string(id);
        s.bind(1, list + "]");
    }
    if (type)
        s.bind(2, *type);
    struct Tally {
        std::int64_t documents = 0;
        std::int64_t mentions = 0;
    };
    LEDE_TRY_ASSIGN(auto maxId, m_impl->db.queryInt("SELECT coalesce(max(id), 0) FROM entities"));
    constexpr std::int64_t kDenseLimit = 16 * 1024 * 1024;
    std::vector<Tally> dense(maxId < kDenseLimit ? static_cast<std::size_t>(maxId) + 1 : 0);
    std::map<std::int64_t, Tally> sparse;
    for (;;) {
        LEDE_TRY_ASSIGN(auto row, s.step());
        if (!row)
            break;
        const std::int64_t id = s.int64(0);
        Tally &t = id >= 0 && static_cast<std::size_t>(id) < dense.size() ? dense[static_cast<std::size_t>(id)] : sparse[id];
        ++t.documents;
        t.mentions += s.int64(1);
    }
    s.reset();
    std::vector<EntityCount> out;
    auto consider = [&](std::int64_t id, const Tally &t) {
        if (t.documents > 0 && !std::binary_search(ids.begin(), ids.end(), id))
            out.push_back({id, {}, {}, t.mentions, t.documents});
    };
    for (std::size_t id = 0; id < dense.size(); ++id)
        consider(static_cast<std::int64_t>(id), dense[id]);
    for (const auto &[id, t] : sparse)
        consider(id, t);
    auto before = [](const EntityCount &a, const EntityCount &b) {
        return a.documents > b.documents || (a.documents == b.documents && (a.mentions > b.mentions
                                                                            || (a.mentions == b.mentions && a.id < b.id)));
    };
    const std::size_t kept = std::min(out.size(), options.limit);
    std::partial_sort(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(kept), out.end(), before);
    out.resize(kept);
    LEDE_TRY_ASSIGN(auto names, m_impl->db.cached("SELECT e.name, t.name FROM entities e JOIN entity_types t ON t.id = e.type_id "
                                                  "WHERE e.id = ?"));
    for (EntityCount &c : out) {
        names.bind(1, c.id);
        LEDE_TRY_ASSIGN(auto row, names.step());
        if (row) {
            c.name = names.text(0);
            c.type = names.text(1);
        }
        names.reset();
    }
    return out;
}

} // namespace lede
