#pragma once

#include "core/base/Result.h"
#include "core/search/SearchHighlighter.h"
#include "core/search/SearchQuery.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace lede {

class Database;
class Store;

struct SearchOptions {
    /// Hits per page; 0 asks only for the total. At most kMaxLimit.
    std::size_t limit = 20;
    std::size_t offset = 0;
    /// Length of a snippet in code points of document text.
    std::size_t snippetLength = 200;
    /// Cap on SearchHit::documentMatches per hit.
    std::size_t maxDocumentMatches = 1000;
    /// Polled while the search runs (another thread sets it); a cancelled
    /// search fails with the message "search cancelled".
    const std::atomic<bool> *cancel = nullptr;

    static constexpr std::size_t kMaxLimit = 1000;
};

struct SearchHit {
    std::int64_t documentId = 0;
    std::string title;
    /// Higher is better. With words: BM25 (title weighted five times the
    /// text). With filters only: how many annotations matched.
    double score = 0;
    /// Document text around the matches (see Snippet) with the spans that
    /// matched inside it, in code points of `snippet`.
    std::string snippet;
    std::vector<MatchSpan> snippetMatches;
    /// Where the snippet's text lies in the document, in code points.
    std::int64_t snippetStart = 0;
    std::int64_t snippetEnd = 0;
    /// Every match in the title and in the document text, in code points of
    /// each: the query's words and phrases, and the annotations its type:
    /// and entity: filters selected.
    std::vector<MatchSpan> titleMatches;
    std::vector<MatchSpan> documentMatches;
};

struct SearchResults {
    /// One page of hits, best first.
    std::vector<SearchHit> hits;
    /// Documents matching the query, on every page.
    std::int64_t total = 0;
    /// Repairs made while reading the query, and filters that found
    /// nothing ("no entity is named 'Petya'"), one sentence each.
    std::vector<std::string> notes;
};

/// An entity with how often its non-rejected annotations occur: in all
/// documents, or in the documents it shares with another entity.
struct EntityCount {
    std::int64_t id = 0;
    std::string name;
    std::string type;
    std::int64_t mentions = 0;
    std::int64_t documents = 0;
};

struct EntityListOptions {
    /// Only entities of this type (any case); empty for all.
    std::string type;
    /// Only entities whose name or an alias begins with this, compared
    /// folded (case and accents ignored); empty for all.
    std::string prefix;
    std::size_t limit = 50;
    std::size_t offset = 0;
};

struct CooccurrenceOptions {
    /// Only co-occurring entities of this type; empty for all.
    std::string type;
    std::size_t limit = 20;
};

/// Search over one store: full text with filters by annotation, entity
/// lists and co-occurrence. Reads only; every call sees one consistent
/// snapshot of the store.
///
/// The Search borrows the Store, which must outlive it, and shares its
/// connection, so use it on the Store's thread. It keeps per-connection
/// caches (document lengths for ranking), so keep one Search per Store
/// rather than one per query. Needs a store at schema version 4 or later.
///
/// Failures are values: a query that cannot be read (parseQuery(),
/// validate()) or a store that cannot be read. No text of the query ever
/// reaches SQL or FTS5 unquoted, so a query never causes an SQLite error.
class Search {
public:
    explicit Search(Store &store);
    ~Search();
    Search(const Search &) = delete;
    Search &operator=(const Search &) = delete;

    /// Checks what parseQuery() cannot: that every type: names a type of
    /// this store. The message lists the types there are.
    Status validate(const SearchQuery &query);

    /// Runs a query: words and phrases ranked by BM25 within the documents
    /// the filters allow; a query of filters only lists the documents with
    /// the most matching annotations first. Each hit carries a snippet and
    /// its match positions.
    Result<SearchResults> search(const SearchQuery &query, const SearchOptions &options = {});
    /// parseQuery() and search() in one call.
    Result<SearchResults> search(std::string_view query, const SearchOptions &options = {});

    /// Entities with non-rejected annotations, most documents first.
    /// Fails for an unknown type.
    Result<std::vector<EntityCount>> entities(const EntityListOptions &options = {});

    /// Ids of the entities whose name or an alias is `name`, compared
    /// folded; empty when none is.
    Result<std::vector<std::int64_t>> findEntities(std::string_view name);

    /// The entities sharing the most documents with the entity named
    /// `name` (any alias; every entity of that name when several types
    /// have one), optionally of one type. `documents` counts the shared
    /// documents and `mentions` the entity's annotations in them. Fails when
    /// no entity has that name or the type is unknown.
    Result<std::vector<EntityCount>> cooccurring(std::string_view name, const CooccurrenceOptions &options = {});

    struct Impl;

private:
    Result<SearchResults> run(const SearchQuery &query, const SearchOptions &options);

    std::unique_ptr<Impl> m_impl;
};

} // namespace lede
