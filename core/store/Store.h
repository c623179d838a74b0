#pragma once

#include "core/store/Database.h"
#include "core/store/Domain.h"
#include "core/base/Result.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

namespace lede {

namespace text {
class OffsetIndex;
}

/// Lede's annotation store: one SQLite file holding documents, entity
/// types, entities, annotations and a full-text index kept in step with
/// the documents inside the same transactions.
///
/// Every write method is one transaction: it either happens whole or not
/// at all, so a crash or kill at any moment leaves a consistent store.
/// A Store is one connection; use it from one thread at a time (open a
/// second Store on the same path for another thread; WAL lets them share).
class SearchIndexForm;

class Store {
public:
    struct OpenOptions {
        /// Migrate up to this schema version only; tests use it to build
        /// stores as older Lede versions wrote them. 0 means the latest.
        int targetVersion = 0;
        bool readOnly = false;
        /// Create the parent folder when it does not exist; otherwise a
        /// missing folder is reported (a mistyped --db should not make
        /// folders). Meant for the default store's location.
        bool createParent = false;
    };

    struct AddedDocument {
        std::int64_t id = 0;
        bool duplicate = false; // the same normalised text was already stored
    };

    struct Stats {
        std::int64_t documents = 0;
        std::int64_t annotations = 0;
        std::int64_t entities = 0;
        std::int64_t textBytes = 0;
        std::map<std::string, std::int64_t> annotationsByType;
        std::map<std::string, std::int64_t> annotationsByStatus;
        std::map<std::string, std::int64_t> annotationsByOrigin;
    };

    /// Opens or creates a store and brings its schema up to date. Refuses,
    /// changing nothing, a file that is not a Lede store or one written by
    /// a newer Lede.
    static Result<std::unique_ptr<Store>> open(const std::string &path, const OpenOptions &options);
    static Result<std::unique_ptr<Store>> open(const std::string &path) { return open(path, OpenOptions{}); }
    /// Prepares a connection for the store's schema: registers the FTS5
    /// tokenizer "lede" and keeps temporary journals in memory (the summary
    /// triggers make them frequent). open() calls it for every connection
    /// before touching the schema; search registers its own helpers.
    static Status prepareConnection(Database &db);

    /// $LEDE_DB, else builtInPath().
    static std::string defaultPath();
    /// $XDG_DATA_HOME/lede/lede.sqlite, else ~/.local/share/lede/lede.sqlite:
    /// the store Lede uses when told of no other, whose folder it creates.
    static std::string builtInPath();
    static int latestSchemaVersion();
    static constexpr std::int32_t kApplicationId = 0x4c656465; // "Lede"
    /// The schema from which folded names are columns and no schema object
    /// calls a Lede function (see Migrations.cpp).
    static constexpr int kFoldedColumnsVersion = 9;
    /// The first schema whose full-text index stock SQLite reads
    /// (unicode61 over documents_indexed).
    static constexpr int kStockSearchVersion = 10;
    /// The first version whose search index may wait for a batch's end.
    static constexpr int kDeferredIndexVersion = 12;

    ~Store();

    const std::string &path() const;
    int schemaVersion() const { return m_version; }

    /// A unit of work the caller makes of several of the calls below (an
    /// import's batch, a tagging job's documents): they all commit together,
    /// or none does. Nested inside another it is a savepoint.
    Result<Transaction> transaction() { return Transaction::begin(*m_db); }
    /// One view of the store for the calls made while it lives, however
    /// other connections write meanwhile (an export reads through one).
    ReadSnapshot snapshot() { return ReadSnapshot(*m_db); }
    bool inTransaction() const { return m_db->inTransaction(); }

    // Documents -----------------------------------------------------------

    /// Adds a document and its annotations in one transaction. The text is
    /// normalised (NFC, "\n") and hashed; when a document with the same
    /// normalised text exists, nothing is written and `duplicate` is set.
    /// Annotations are validated against the text; any invalid one fails
    /// the whole call.
    Result<AddedDocument> addDocument(const NewDocument &document, const std::vector<NewAnnotation> &annotations = {});
    /// The same, with the tagger's suggestions (one part at a time, so a
    /// huge text's hundreds of thousands never exist as rows all at once).
    Result<AddedDocument> addDocument(const NewDocument &document, const Suggestions &suggestions);
    /// For many documents added in one write transaction (an import's
    /// batch): the documents added after deferIndexing() are indexed for
    /// search together by indexDeferred(), in one statement, which takes
    /// half the time of indexing each as it comes. indexDeferred() must
    /// run before the transaction commits; a rollback undoes both, and
    /// then cancelDeferredIndexing() forgets it. Meanwhile only
    /// addDocument and mergeAnnotations may write, and search does not
    /// find the new documents. Nothing happens on a store before schema 12.
    Status deferIndexing();
    Status indexDeferred();
    void cancelDeferredIndexing() { m_deferredFrom.reset(); }
    Result<std::optional<std::int64_t>> documentIdByHash(const std::string &sha256);
    Result<std::vector<DocumentInfo>> documents();
    Result<std::vector<std::int64_t>> documentIds();
    Result<Document> document(std::int64_t id);
    Status removeDocument(std::int64_t id);

    // Annotations ---------------------------------------------------------

    /// Annotations of a document ordered by start, then end; only those
    /// whose status is in `statuses` when it is not empty.
    Result<std::vector<Annotation>> annotations(std::int64_t documentId, const std::set<AnnotationStatus> &statuses = {});
    /// The same annotations handed to `each` one at a time, as they are
    /// read, so that a document's hundreds of thousands are never all in
    /// memory; stops at the first failure `each` returns.
    Status forEachAnnotation(std::int64_t documentId, const std::set<AnnotationStatus> &statuses,
                             const std::function<Status(const Annotation &)> &each);
    Result<Annotation> annotation(std::int64_t id);
    Result<std::int64_t> addAnnotation(std::int64_t documentId, const NewAnnotation &annotation);
    Status removeAnnotation(std::int64_t id);
    Status retypeAnnotation(std::int64_t id, const std::string &type);
    Status setAnnotationStatus(std::int64_t id, AnnotationStatus status);

    // Types and entities --------------------------------------------------

    Result<std::vector<EntityType>> types();
    Result<EntityType> type(const std::string &name);
    /// The id of the type `name`, in any case; NotFound for none.
    Result<std::int64_t> typeIdByName(std::string_view name);
    /// Adds a user-defined type, by the rules of entity_type (Domain.h):
    /// names stored upper-case, colours "#rrggbb" (a spare one when
    /// empty), a shortcut one character not used by another type.
    Result<EntityType> addType(const std::string &name, const std::string &color, const std::string &shortcut);
    Result<Entity> entity(std::int64_t id);
    /// The id of the entity `name` of `type`, created when missing, with
    /// `alias` (the text as written) recorded when it differs from the name.
    Result<std::int64_t> ensureEntity(const std::string &type, const std::string &name, std::string_view alias);

    Result<Stats> stats();

    // Learning and re-tagging -----------------------------------------------

    /// A name the analyst taught: `accepted` for names annotated by hand or
    /// accepted, false for suggestions rejected.
    struct LearnedName {
        std::string type;
        std::string surface;
        std::string entity;
        bool accepted = true;
    };
    Result<std::vector<LearnedName>> learnedNames();
    /// What the tagger learns from one review, the one writer of what it
    /// learns: a manual annotation or a reviewed suggestion makes `surface`
    /// a name of the type, for `entity` (the surface when empty), wanted
    /// or, rejected, unwanted; an unreviewed suggestion teaches nothing.
    /// `when` is an ISO 8601 time. The store calls it on every review; the
    /// desktop's bulk edits, which have the text at hand, call it directly.
    Status learnFromReview(std::int64_t typeId, std::string_view surface, std::string_view entity, Origin origin,
                           AnnotationStatus status, const std::string &when);
    /// How many times each (type, surface) was taken (annotated by hand or
    /// accepted) and rejected, over the store's annotations as they are now.
    struct ReviewCount {
        std::int64_t taken = 0, rejected = 0;
    };
    Result<std::map<std::pair<std::string, std::string>, ReviewCount>> reviewCounts();

    /// Replaces the document's unreviewed automatic suggestions with
    /// `suggestions`, in one transaction. A suggestion already there (same
    /// span and type) keeps its annotation and number, taking the new
    /// entity; the others are removed, and new ones get numbers never used
    /// in the document. Manual, accepted and rejected annotations stay; a
    /// suggestion overlapping one of them is dropped. Returns the number of
    /// suggestions the document has now.
    Result<std::size_t> replaceSuggestions(std::int64_t documentId, const std::vector<NewAnnotation> &suggestions);
    Result<std::size_t> replaceSuggestions(std::int64_t documentId, const Suggestions &suggestions);

    /// The name model update the analyst's reviews taught (see Learning.h).
    struct ModelUpdate {
        std::string base;  // fingerprint of the shipped model it updates, in hex
        std::string model; // the update's bytes (ner::Model::save)
        std::int64_t sentences = 0, documents = 0, reviews = 0;
        std::int64_t trainedAt = 0; // Unix seconds
    };
    Result<std::optional<ModelUpdate>> modelUpdate();
    /// Stores `update` in place of any earlier one; nullopt removes it.
    Status setModelUpdate(const std::optional<ModelUpdate> &update);
    /// Reviews (manual annotations, accepted and rejected suggestions) made
    /// or changed at or after `since` (Unix seconds; 0 counts them all).
    Result<std::int64_t> reviewsSince(std::int64_t since);
    /// Documents holding at least one review, in id order.
    Result<std::vector<std::int64_t>> reviewedDocumentIds();

    // Keeping the store -----------------------------------------------------

    /// Writes a copy of the store to `path`: one self-contained SQLite file
    /// (no -wal beside it), a consistent snapshot even while other
    /// connections write, checked (quick_check, Lede's header) before it
    /// takes its name. Works on a read-only store too. Refuses an existing `path` unless `overwrite`, a
    /// folder, and the store's own files. A failure leaves `path` as it was.
    Status backup(const std::string &path, bool overwrite = false);

    /// What check() found. `problems` is empty for a sound store; `notes`
    /// say what could not be checked and why.
    struct CheckReport {
        std::vector<std::string> problems;
        std::vector<std::string> notes;
        std::int64_t documents = 0;
        std::int64_t annotations = 0;
    };
    /// Checks the whole store: SQLite's integrity_check and foreign keys,
    /// the full-text index against the documents (FTS5 integrity-check; not
    /// on a read-only store), every document's text (UTF-8, NFC, length,
    /// hash), every annotation inside its document and linked to an entity
    /// of its own type, and the search summaries against the annotations.
    Result<CheckReport> check();

    /// What mergeAnnotations did.
    struct MergeReport {
        std::size_t added = 0;     // annotations the document lacked
        std::size_t updated = 0;   // annotations that took the incoming review
        std::size_t conflicts = 0; // spans both sides reviewed differently
        std::size_t merged() const { return added + updated; }
    };

    /// Merges another store's annotations of this same document (from a
    /// Lede export) into document `documentId`, in one transaction.
    /// Annotations are matched by span, preferring the same type. One the
    /// document lacks is added; a review (accepted, rejected, a manual
    /// annotation) wins over an unreviewed suggestion; when both sides
    /// reviewed a span differently (type, status or entity), the newer
    /// change wins and the span counts as a conflict. Merging annotations
    /// the document already has changes nothing.
    Result<MergeReport> mergeAnnotations(std::int64_t documentId, const std::vector<NewAnnotation> &incoming);

private:
    // The connection, for the store layer and search only; see
    // StoreConnection.h.
    friend Database &storeConnection(Store &store);
    Database &database() { return *m_db; }

    // What a reviewed annotation teaches; `covered` is its text where the
    // caller has it, else it is read from the stored document.
    Status learnFrom(std::int64_t annotationId, std::optional<std::string_view> covered = std::nullopt);
    Result<std::string> documentText(std::int64_t documentId);
    explicit Store(std::unique_ptr<Database> db);
    Status migrate(int targetVersion);
    // Fills the folded names of entities and aliases another program added
    // (their `folded` is NULL).
    Status foldAddedNames();
    Result<std::int64_t> typeId(const std::string &name, const std::string &colorIfNew);
    // Annotations to write, read one at a time: a vector's, or the tagger's
    // compact suggestions expanded into one NewAnnotation reused for each;
    // what at() returns stays valid until its next call.
    struct Feed {
        std::size_t size = 0;
        std::function<const NewAnnotation &(std::size_t)> at;
        static Feed of(const std::vector<NewAnnotation> &annotations);
        static Feed of(const Suggestions &suggestions, NewAnnotation &scratch);
    };
    Result<AddedDocument> addDocumentFrom(const NewDocument &document, const Feed &annotations);
    Result<std::size_t> replaceSuggestionsFrom(std::int64_t documentId, const Feed &suggestions);
    Result<std::int64_t> entityId(std::int64_t typeId, const std::string &name, std::string_view alias);
    // Type and entity ids met while writing one document's annotations:
    // valid for that one write, which commits or rolls back as a whole.
    struct LinkCache {
        struct Entity {
            std::int64_t id = 0;
            std::set<std::string, std::less<>> aliases; // stored for it
        };
        std::map<std::string, std::int64_t, std::less<>> types;                        // by the name as given
        std::map<std::int64_t, std::map<std::string, Entity, std::less<>>> entities; // type: name: entity
        std::map<std::string, std::int64_t, std::less<>> provenances;
        std::int64_t nextId = 0; // the next free annotation id of the document; 0: not read yet
    };
    // The type and entity ids an annotation links to, created when
    // missing; fails when the span does not fit the text.
    struct Link {
        std::int64_t type = 0;
        std::int64_t entity = 0;
    };
    Result<Link> linkAnnotation(const text::OffsetIndex &text, const NewAnnotation &annotation, LinkCache &cache);
    // A document's annotations as stored (ids and codes, no names), in
    // text order, for the writers that compare them with others.
    struct StoredRow {
        std::int64_t id = 0, start = 0, end = 0, type = 0, entity = 0, origin = 0, status = 0;
        std::int64_t changed = 0; // Unix seconds of the last change
        std::int64_t provenance = 0;  // provenance id, 0 for none
        std::int64_t confidence = -1; // thousandths, -1 for none
    };
    Result<std::vector<StoredRow>> storedRows(std::int64_t documentId);
    // An annotation row on its way to the table, as stored: ids and codes
    // (modified 0, provenance 0 and confidence -1 are NULL).
    struct PendingRow {
        std::int64_t id = 0, start = 0, length = 0, type = 0, entity = 0, origin = 0, status = 0, created = 0;
        std::int64_t modified = 0, provenance = 0, confidence = -1;
    };
    // Links an annotation and gives it the document's next id; nothing is
    // written but the entity, alias or provenance it names.
    Result<PendingRow> pendingAnnotation(std::int64_t documentId, const text::OffsetIndex &text,
                                         const NewAnnotation &annotation, std::int64_t now, LinkCache &cache);
    // Writes rows, many to a statement.
    Status writeAnnotations(std::span<const PendingRow> rows);
    // Links and writes a document's new annotations a batch of rows at a
    // time, learns from those the analyst made or reviewed, and adds their
    // search summaries.
    Status insertAnnotations(std::int64_t documentId, const text::OffsetIndex &text, const Feed &annotations,
                             std::int64_t now, LinkCache &cache);
    Result<std::int64_t> insertAnnotation(std::int64_t documentId, const text::OffsetIndex &text,
                                          const NewAnnotation &annotation, std::int64_t now, LinkCache &cache);
    Status touchAnnotation(std::int64_t id, std::string_view setClause, std::int64_t value);
    // The id of a provenance's name, added when new; 0 for none.
    Result<std::int64_t> provenanceId(const std::string &name, LinkCache &cache);

    // Deletes row `id` of `table`, or says there is no such `what`.
    Status removeRow(std::string_view table, std::string_view what, std::int64_t id);
    // Adds the search summaries of rows just written, counted a batch at a
    // time, in a few statements; see BulkSummaries in Store.cpp.
    struct InsertedCounts {
        std::map<std::int64_t, std::int64_t> perType;                                 // type: mentions
        std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> perEntity; // entity: type, mentions
        void add(std::span<const PendingRow> rows);
    };
    Status summarizeInserted(std::int64_t documentId, const InsertedCounts &counts);

    std::unique_ptr<Database> m_db;
    int m_version = 0;
    // Read by the SQL function lede_row_summaries(): whether the insert
    // trigger keeps the summaries row by row (1) or the writer does it per
    // document (0).
    int m_rowSummaries = 1;
    // The first document id whose indexing waits for indexDeferred().
    std::optional<std::int64_t> m_deferredFrom;
    // What the full-text index reads of a new document (SearchIndexForm.h);
    // opened with the first document added.
    std::unique_ptr<SearchIndexForm> m_indexForms;
};

} // namespace lede
