#pragma once

#include "core/store/Domain.h"
#include "core/base/Result.h"

#include <atomic>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

// Queries and batch edits the desktop application needs beyond Store's own
// API: paged document listing, entity summaries, batch annotation edits
// that can be replayed backwards (undo), entity renames and type edits.
// Free functions over a Store, each a single transaction when it writes;
// like Store they use the calling thread's connection only.
namespace lede {

class Store;

// Documents -----------------------------------------------------------------

enum class DocumentSort { Id, Title, Source, ImportedAt, Length, Annotations, Suggestions, TypeCount };

/// Which documents a list shows and in what order.
struct DocumentFilter {
    /// Case-insensitive substring of the title or source; empty: all.
    std::string text;
    /// Only documents with a non-rejected mention of this entity; 0: all.
    std::int64_t entityId = 0;
    DocumentSort sort = DocumentSort::Id;
    /// With DocumentSort::TypeCount: the type whose mentions are counted.
    std::string sortType;
    bool descending = false;
};

/// Ids of the documents `filter` selects, in its order (ties by id). Reads
/// no document text.
Result<std::vector<std::int64_t>> listDocumentIds(Store &store, const DocumentFilter &filter);

/// What a document list shows of one document.
struct DocumentSummary {
    std::int64_t id = 0;
    std::string title;
    std::string source;
    std::string importedAt;
    std::int64_t length = 0; // code points
    /// Non-rejected annotations by type name.
    std::map<std::string, std::int64_t> countsByType;
    std::int64_t annotations = 0; // non-rejected
    std::int64_t suggestions = 0; // awaiting review
};

/// Summaries of `ids`, in the same order; ids no longer in the store are
/// skipped. Reads no document text.
Result<std::vector<DocumentSummary>> documentSummaries(Store &store, const std::vector<std::int64_t> &ids);

/// Cheap counts for a status line.
struct StoreCounts {
    std::int64_t documents = 0;
    std::int64_t annotations = 0;
    std::int64_t suggestions = 0;
};
Result<StoreCounts> storeCounts(Store &store);

// Entities ------------------------------------------------------------------

struct EntitySummary {
    std::int64_t id = 0;
    std::string name;
    std::string type;
    std::int64_t documents = 0;   // documents with a non-rejected mention
    std::int64_t mentions = 0;    // non-rejected mentions
    std::int64_t suggestions = 0; // mentions awaiting review
};

/// Every entity with a non-rejected mention, most documents first, at most
/// `limit` of them (0: no limit).
Result<std::vector<EntitySummary>> corpusEntities(Store &store, std::size_t limit = 0);

/// The entity `name` of `type`, created when missing; `alias` (the text of
/// a mention) is recorded as an alias when it differs from the name.
Result<std::int64_t> ensureEntity(Store &store, const std::string &type, const std::string &name,
                                  const std::string &alias = {});

/// Renames an entity. Fails, changing nothing, when the type already has an
/// entity of that name (link the mentions to it instead). The names the
/// tagger learned for the old name follow.
Status renameEntity(Store &store, std::int64_t entityId, const std::string &name);

/// Non-rejected annotations linked to an entity, across all documents,
/// ordered by document and start.
Result<std::vector<Annotation>> entityAnnotations(Store &store, std::int64_t entityId);

// Batch annotation edits ------------------------------------------------------

/// One step of a batch. Which fields matter depends on the kind:
/// - Add: documentId, start, end, type, entityId (0: entityName, empty: the
///   covered text), origin, status. The new id is returned.
/// - Restore: the whole row as Store::annotation returned it, including id,
///   entityId and timestamps; the same id is used when it is free (it is
///   unless another writer took it), else a new one is returned.
/// - Update: id, and the type, entity (entityId when that entity exists
///   and has the type, else entityName) and status to set.
/// - Remove: id.
struct AnnotationEdit {
    enum class Kind { Add, Restore, Update, Remove };
    Kind kind = Kind::Add;
    Annotation annotation;
};

/// What the tagger learned for one (type, surface); `entity` empty and
/// `polarity` 0 when it learned nothing.
struct LearnedNameState {
    std::string type;
    std::string surface;
    std::string entity;
    int polarity = 0;
    std::string updatedAt;
};

/// The learned state of the (type, covered text) of each annotation, one
/// entry per distinct pair; for undoing what edits taught the tagger.
Result<std::vector<LearnedNameState>> learnedNameStates(Store &store, const std::vector<Annotation> &annotations);

/// Applies `edits` in order, then writes `learned` back (restoring what the
/// tagger had learned for those names), all in one transaction: on any
/// failure nothing changes. Returns one annotation id per edit (the new
/// id for Add and Restore). Manual and reviewed annotations teach the
/// tagger as Store's own methods do.
Result<std::vector<std::int64_t>> applyAnnotationEdits(Store &store, const std::vector<AnnotationEdit> &edits,
                                                       const std::vector<LearnedNameState> &learned = {});

/// A place where a text occurs as a whole word (code points).
struct Occurrence {
    std::int64_t documentId = 0;
    std::int64_t start = 0;
    std::int64_t end = 0;
};

/// Case-sensitive whole-word occurrences of `surface` (NFC) in one
/// document, or in every document when `documentId` is 0. `cancel` is
/// polled between documents; a cancelled search returns what it found.
Result<std::vector<Occurrence>> findOccurrences(Store &store, const std::string &surface, std::int64_t documentId,
                                                const std::atomic<bool> *cancel = nullptr);

// Types ----------------------------------------------------------------------

/// Sets a type's colour ("#rrggbb").
Status setTypeColor(Store &store, const std::string &type, const std::string &color);
/// Sets a type's shortcut key: one printable character no other type
/// uses, or empty for none.
Status setTypeShortcut(Store &store, const std::string &type, const std::string &shortcut);

} // namespace lede
