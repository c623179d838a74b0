#include "core/store/DeskOperations.h"

#include "core/store/Database.h"
#include "core/store/Store.h"
#include "core/store/AnnotationRow.h"
#include "core/store/StoreConnection.h"
#include "core/text/Text.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace lede {

namespace {



// A LIKE pattern matching `text` anywhere, with LIKE's own wildcards in
// the analyst's text escaped (ESCAPE '\').
std::string containsPattern(const std::string &text)
{
    std::string out = "%";
    for (const char c : text) {
        if (c == '%' || c == '_' || c == '\\')
            out.push_back('\\');
        out.push_back(c);
    }
    out.push_back('%');
    return out;
}

// The stored text of documents, read once each however many annotations
// of one document a batch touches.
class TextCache {
public:
    explicit TextCache(Database &db) : m_db(db) {}

    Result<std::string> covered(std::int64_t documentId, std::int64_t start, std::int64_t end)
    {
        auto it = m_texts.find(documentId);
        if (it == m_texts.end()) {
            LEDE_TRY_ASSIGN(auto s, m_db.prepare("SELECT text FROM documents WHERE id = ?"));
            s.bind(1, documentId);
            LEDE_TRY_ASSIGN(auto row, s.step());
            if (!row)
                return makeError("no document with id " + std::to_string(documentId), ErrorKind::NotFound);
            auto entry = std::make_unique<Entry>();
            entry->text = s.text(0);
            entry->index = std::make_unique<text::OffsetIndex>(entry->text);
            it = m_texts.emplace(documentId, std::move(entry)).first;
        }
        return std::string(it->second->index->slice(static_cast<std::size_t>(start), static_cast<std::size_t>(end)));
    }

private:
    struct Entry {
        std::string text;
        std::unique_ptr<text::OffsetIndex> index; // views `text`, so the entry never moves
    };
    Database &m_db;
    std::unordered_map<std::int64_t, std::unique_ptr<Entry>> m_texts;
};

bool isWordCodePoint(UChar32 c) { return u_isalnum(c) || u_hasBinaryProperty(c, UCHAR_ALPHABETIC) || c == '_'; }

} // namespace

Result<std::vector<std::int64_t>> listDocumentIds(Store &store, const DocumentFilter &filter)
{
    // Counts to sort by are aggregated once, in one pass over the
    // annotations, and joined; a count per document as a correlated
    // subquery lets the planner walk every annotation of a type for each
    // document, which is quadratic. The SQL is put together from constants
    // only; nothing the analyst typed reaches it but through bindings.
    std::string counts;
    switch (filter.sort) {
    case DocumentSort::Annotations:
        counts = "SELECT document_id, sum(mentions) AS n FROM document_types GROUP BY document_id";
        break;
    case DocumentSort::Suggestions:
        counts = "SELECT document_id, count(*) AS n FROM annotations WHERE status = 0 GROUP BY document_id";
        break;
    case DocumentSort::TypeCount:
        counts = "SELECT document_id, mentions AS n FROM document_types "
                 "WHERE type_id = (SELECT id FROM entity_types WHERE name = ?3)";
        break;
    default:
        break;
    }
    std::string sql = "SELECT d.id FROM documents d";
    if (!counts.empty())
        sql += " LEFT JOIN (" + counts + ") c ON c.document_id = d.id";
    sql += " WHERE 1";
    if (!filter.text.empty())
        sql += " AND (d.title LIKE ?1 ESCAPE '\\' OR d.source LIKE ?1 ESCAPE '\\')";
    if (filter.entityId != 0)
        sql += " AND d.id IN (SELECT document_id FROM document_entities WHERE entity_id = ?2)";
    std::string key;
    switch (filter.sort) {
    case DocumentSort::Id:
        key = "d.id";
        break;
    case DocumentSort::Title:
        key = "d.title COLLATE NOCASE";
        break;
    case DocumentSort::Source:
        key = "d.source COLLATE NOCASE";
        break;
    case DocumentSort::ImportedAt:
        key = "d.imported_at";
        break;
    case DocumentSort::Length:
        key = "d.length";
        break;
    case DocumentSort::Annotations:
    case DocumentSort::Suggestions:
    case DocumentSort::TypeCount:
        key = "coalesce(c.n, 0)";
        break;
    }
    const char *dir = filter.descending ? " DESC" : " ASC";
    sql += " ORDER BY " + key + dir;
    if (filter.sort != DocumentSort::Id)
        sql += std::string(", d.id") + dir;

    LEDE_TRY_ASSIGN(auto s, storeConnection(store).prepare(sql));
    if (!filter.text.empty())
        s.bind(1, containsPattern(filter.text));
    if (filter.entityId != 0)
        s.bind(2, filter.entityId);
    if (filter.sort == DocumentSort::TypeCount)
        s.bind(3, entity_type::canonicalName(filter.sortType));
    return collect<std::int64_t>(s, [](const Statement &st) { return st.int64(0); });
}

Result<std::vector<DocumentSummary>> documentSummaries(Store &store, const std::vector<std::int64_t> &ids)
{
    Database &db = storeConnection(store);
    std::vector<DocumentSummary> out;
    out.reserve(ids.size());
    for (const std::int64_t id : ids) {
        LEDE_TRY_ASSIGN(auto doc, db.cached("SELECT id, title, source, imported_at, length FROM documents WHERE id = ?"));
        doc.bind(1, id);
        LEDE_TRY_ASSIGN(auto row, doc.step());
        if (!row)
            continue;
        DocumentSummary d;
        d.id = doc.int64(0);
        d.title = doc.text(1);
        d.source = doc.text(2);
        d.importedAt = doc.text(3);
        d.length = doc.int64(4);

        LEDE_TRY_ASSIGN(auto counts, db.cached("SELECT t.name, a.status, count(*) FROM annotations a "
                                               "JOIN entity_types t ON t.id = a.type_id WHERE "
                                               + detail::inDocument("a.id", "?1") + " GROUP BY a.type_id, a.status"));
        counts.bind(1, id);
        for (;;) {
            LEDE_TRY_ASSIGN(auto r, counts.step());
            if (!r)
                break;
            const AnnotationStatus status = detail::statusFromCode(counts.int64(1));
            const std::int64_t n = counts.int64(2);
            if (status == AnnotationStatus::Rejected)
                continue;
            d.countsByType[counts.text(0)] += n;
            d.annotations += n;
            if (status == AnnotationStatus::Suggested)
                d.suggestions += n;
        }
        out.push_back(std::move(d));
    }
    return out;
}

Result<StoreCounts> storeCounts(Store &store)
{
    Database &db = storeConnection(store);
    StoreCounts c;
    LEDE_TRY_ASSIGN(auto docs, db.queryInt("SELECT count(*) FROM documents"));
    c.documents = docs;
    LEDE_TRY_ASSIGN(auto s, db.prepare("SELECT coalesce(sum(status <> 2), 0), coalesce(sum(status = 0), 0) FROM annotations"));
    LEDE_TRY(s.step());
    c.annotations = s.int64(0);
    c.suggestions = s.int64(1);
    return c;
}

Result<std::vector<EntitySummary>> corpusEntities(Store &store, std::size_t limit)
{
    LEDE_TRY_ASSIGN(auto s, storeConnection(store).prepare(
        "SELECT e.id, e.name, t.name, count(DISTINCT a.document_id), count(*), sum(a.status = 0) "
        "FROM annotations a JOIN entities e ON e.id = a.entity_id JOIN entity_types t ON t.id = e.type_id "
        "WHERE a.status <> 2 GROUP BY a.entity_id ORDER BY 4 DESC, 5 DESC, e.name LIMIT ?"));
    s.bind(1, limit == 0 ? std::int64_t{-1} : static_cast<std::int64_t>(limit));
    return collect<EntitySummary>(s, [](const Statement &st) {
        return EntitySummary{st.int64(0), st.text(1), st.text(2), st.int64(3), st.int64(4), st.int64(5)};
    });
}

Result<std::int64_t> ensureEntity(Store &store, const std::string &type, const std::string &rawName,
                                  const std::string &alias)
{
    return store.ensureEntity(type, rawName, alias);
}

Status renameEntity(Store &store, std::int64_t entityId, const std::string &rawName)
{
    Database &db = storeConnection(store);
    const std::string name(text::trim(rawName));
    if (name.empty())
        return makeError("an entity needs a name");
    if (!text::isValidUtf8(name))
        return makeError("the entity name is not valid UTF-8");
    LEDE_TRY_ASSIGN(auto tx, Transaction::begin(db));
    LEDE_TRY_ASSIGN(auto current, store.entity(entityId));
    LEDE_TRY_ASSIGN(auto typeId, store.typeIdByName(current.type));
    const std::string &oldName = current.name;
    const std::string &typeName = current.type;
    if (oldName == name)
        return {};
    LEDE_TRY_ASSIGN(auto clash, db.prepare("SELECT 1 FROM entities WHERE type_id = ? AND name = ?"));
    clash.bind(1, typeId).bind(2, name);
    LEDE_TRY_ASSIGN(auto exists, clash.step());
    if (exists)
        return makeError(typeName + " '" + name + "' exists already; link the mentions to it instead");
    LEDE_TRY_ASSIGN(auto upd, db.prepare(store.schemaVersion() >= Store::kFoldedColumnsVersion
                                             ? "UPDATE entities SET name = ?1, folded = lede_fold(?1) WHERE id = ?2"
                                             : "UPDATE entities SET name = ?1 WHERE id = ?2"));
    upd.bind(1, name).bind(2, entityId);
    if (auto st = upd.run(); !st)
        return st;
    LEDE_TRY_ASSIGN(auto learned, db.prepare("UPDATE learned_names SET entity = ? WHERE type_id = ? AND entity = ?"));
    learned.bind(1, name).bind(2, typeId).bind(3, oldName);
    if (auto st = learned.run(); !st)
        return st;
    return tx.commit();
}

Result<std::vector<Annotation>> entityAnnotations(Store &store, std::int64_t entityId)
{
    // The entity's documents come from the summary, each read as its
    // range of annotations: there is no index on entity_id.
    LEDE_TRY_ASSIGN(auto s, storeConnection(store).prepare(
        detail::annotationSelect("FROM document_entities de JOIN annotations a ON "
                                 + detail::inDocument("a.id", "de.document_id"))
        + "WHERE de.entity_id = ?1 AND a.entity_id = ?1 AND a.status <> 2 ORDER BY a.document_id, a.start, a.end, a.id"));
    s.bind(1, entityId);
    return collect<Annotation>(s, detail::readAnnotationRow);
}

Result<std::vector<LearnedNameState>> learnedNameStates(Store &store, const std::vector<Annotation> &annotations)
{
    Database &db = storeConnection(store);
    TextCache texts(db);
    std::set<std::pair<std::string, std::string>> seen;
    std::vector<LearnedNameState> out;
    for (const Annotation &a : annotations) {
        LEDE_TRY_ASSIGN(auto surface, texts.covered(a.documentId, a.start, a.end));
        const std::string type = entity_type::canonicalName(a.type);
        if (!seen.emplace(type, surface).second)
            continue;
        LearnedNameState state{type, surface, {}, 0, {}};
        LEDE_TRY_ASSIGN(auto s, db.cached("SELECT l.entity, l.polarity, l.updated_at FROM learned_names l "
                                          "JOIN entity_types t ON t.id = l.type_id WHERE t.name = ? AND l.surface = ?"));
        s.bind(1, type).bind(2, surface);
        LEDE_TRY_ASSIGN(auto row, s.step());
        if (row) {
            state.entity = s.text(0);
            state.polarity = static_cast<int>(s.int64(1));
            state.updatedAt = s.text(2);
        }
        out.push_back(std::move(state));
    }
    return out;
}

namespace {

Result<std::int64_t> addEdit(Store &store, const Annotation &a)
{
    NewAnnotation na;
    na.start = a.start;
    na.end = a.end;
    na.type = a.type;
    na.entityName = a.entityName;
    na.origin = a.origin;
    na.status = a.status;
    if (a.entityId != 0) {
        // Link to the entity itself when it still exists under this type;
        // otherwise to the entity of the same name, created if need be.
        auto e = store.entity(a.entityId);
        if (e && e->type == entity_type::canonicalName(a.type))
            na.entityName = e->name;
    }
    return store.addAnnotation(a.documentId, na);
}

Result<std::int64_t> restoreEdit(Store &store, const Annotation &a)
{
    Database &db = storeConnection(store);
    auto id = addEdit(store, a);
    if (!id)
        return id;
    std::int64_t finalId = *id;
    // The old id comes back if it is free; it must lie in the range of
    // the document the annotation is restored to.
    if (a.id != 0 && a.id != *id && annotationDocument(a.id) == a.documentId) {
        LEDE_TRY_ASSIGN(auto taken, db.cached("SELECT 1 FROM annotations WHERE id = ?"));
        taken.bind(1, a.id);
        LEDE_TRY_ASSIGN(auto row, taken.step());
        if (!row)
            finalId = a.id;
    }
    // Times come back as they were; ISO 8601 text becomes Unix seconds.
    LEDE_TRY_ASSIGN(auto s, db.cached("UPDATE annotations SET id = ?1, created_at = coalesce(unixepoch(?2), created_at), "
                                      "modified_at = unixepoch(?3) WHERE id = ?4"));
    s.bind(1, finalId).bind(2, a.createdAt).bind(3, a.modifiedAt).bind(4, *id);
    LEDE_TRY(s.run());
    return finalId;
}

Result<std::int64_t> updateEdit(Store &store, TextCache &texts, const Annotation &a)
{
    Database &db = storeConnection(store);
    std::int64_t documentId = 0;
    std::int64_t start = 0;
    std::int64_t end = 0;
    std::int64_t currentType = 0;
    std::int64_t currentEntity = 0;
    AnnotationStatus currentStatus = AnnotationStatus::Accepted;
    bool manual = false;
    {
        LEDE_TRY_ASSIGN(auto cur, db.cached("SELECT document_id, start, end, type_id, coalesce(entity_id, 0), status, origin "
                                            "FROM annotations WHERE id = ?"));
        cur.bind(1, a.id);
        LEDE_TRY_ASSIGN(auto row, cur.step());
        if (!row)
            return makeError("no annotation with id " + std::to_string(a.id), ErrorKind::NotFound);
        documentId = cur.int64(0);
        start = cur.int64(1);
        end = cur.int64(2);
        currentType = cur.int64(3);
        currentEntity = cur.int64(4);
        currentStatus = detail::statusFromCode(cur.int64(5));
        manual = detail::originFromCode(cur.int64(6)) == Origin::Manual;
    }

    const std::string type = entity_type::canonicalName(a.type);
    LEDE_TRY_ASSIGN(auto typeId, store.typeIdByName(type));
    std::int64_t entityId = 0;
    std::string entityName;
    if (a.entityId != 0) {
        LEDE_TRY_ASSIGN(auto e, db.cached("SELECT type_id, name FROM entities WHERE id = ?"));
        e.bind(1, a.entityId);
        LEDE_TRY_ASSIGN(auto found, e.step());
        if (found && e.int64(0) == typeId) {
            entityId = a.entityId;
            entityName = e.text(1);
        }
    }
    LEDE_TRY_ASSIGN(auto covered, texts.covered(documentId, start, end));
    if (entityId == 0) {
        entityName = a.entityName.empty() ? covered : std::string(text::trim(a.entityName));
        LEDE_TRY_ASSIGN(auto e, ensureEntity(store, type, entityName, covered));
        entityId = e;
    }
    if (currentType == typeId && currentEntity == entityId && currentStatus == a.status)
        return a.id;
    const std::string now = text::nowIso8601();
    LEDE_TRY_ASSIGN(auto s, db.cached("UPDATE annotations SET type_id = ?, entity_id = ?, status = ?, modified_at = ? WHERE id = ?"));
    s.bind(1, typeId).bind(2, entityId).bind(3, detail::code(a.status)).bind(4, detail::nowSeconds()).bind(5, a.id);
    LEDE_TRY(s.run());
    LEDE_TRY(store.learnFromReview(typeId, covered, entityName, manual ? Origin::Manual : Origin::Auto, a.status, now));
    return a.id;
}

} // namespace

Result<std::vector<std::int64_t>> applyAnnotationEdits(Store &store, const std::vector<AnnotationEdit> &edits,
                                                       const std::vector<LearnedNameState> &learned)
{
    Database &db = storeConnection(store);
    LEDE_TRY_ASSIGN(auto tx, Transaction::begin(db));
    TextCache texts(db);
    std::vector<std::int64_t> ids;
    ids.reserve(edits.size());
    for (const AnnotationEdit &edit : edits) {
        const Annotation &a = edit.annotation;
        Result<std::int64_t> id = std::int64_t{0};
        switch (edit.kind) {
        case AnnotationEdit::Kind::Add:
            id = addEdit(store, a);
            break;
        case AnnotationEdit::Kind::Restore:
            id = restoreEdit(store, a);
            break;
        case AnnotationEdit::Kind::Update:
            id = updateEdit(store, texts, a);
            break;
        case AnnotationEdit::Kind::Remove: {
            LEDE_TRY_ASSIGN(auto s, db.cached("DELETE FROM annotations WHERE id = ?"));
            s.bind(1, a.id);
            LEDE_TRY(s.run());
            if (db.changes() == 0)
                return makeError("no annotation with id " + std::to_string(a.id), ErrorKind::NotFound);
            id = a.id;
            break;
        }
        }
        if (!id)
            return id.error();
        ids.push_back(*id);
    }
    for (const LearnedNameState &l : learned) {
        LEDE_TRY_ASSIGN(auto typeId, store.typeIdByName(l.type));
        if (l.polarity == 0) {
            LEDE_TRY_ASSIGN(auto del, db.cached("DELETE FROM learned_names WHERE type_id = ? AND surface = ?"));
            del.bind(1, typeId).bind(2, l.surface);
            LEDE_TRY(del.run());
        } else {
            LEDE_TRY_ASSIGN(auto put, db.cached("INSERT OR REPLACE INTO learned_names (type_id, surface, entity, polarity, updated_at) "
                                                "VALUES (?, ?, ?, ?, ?)"));
            put.bind(1, typeId).bind(2, l.surface).bind(3, l.entity).bind(4, l.polarity > 0 ? 1 : -1);
            put.bind(5, l.updatedAt.empty() ? text::nowIso8601() : l.updatedAt);
            LEDE_TRY(put.run());
        }
    }
    LEDE_TRY(tx.commit());
    return ids;
}

Result<std::vector<Occurrence>> findOccurrences(Store &store, const std::string &surface, std::int64_t documentId,
                                                const std::atomic<bool> *cancel)
{
    std::vector<Occurrence> out;
    if (surface.empty() || !text::isValidUtf8(surface))
        return out;
    std::string sql = "SELECT id, text FROM documents WHERE instr(text, ?1) > 0";
    if (documentId != 0)
        sql += " AND id = ?2";
    sql += " ORDER BY id";
    LEDE_TRY_ASSIGN(auto s, storeConnection(store).prepare(sql));
    s.bind(1, surface);
    if (documentId != 0)
        s.bind(2, documentId);
    const auto surfaceLength = static_cast<std::int64_t>(text::codePointCount(surface));
    for (;;) {
        if (cancel && cancel->load())
            return out;
        LEDE_TRY_ASSIGN(auto row, s.step());
        if (!row)
            return out;
        const std::int64_t id = s.int64(0);
        const std::string_view t = s.textView(1);
        const auto *bytes = reinterpret_cast<const std::uint8_t *>(t.data());
        const auto n = static_cast<std::int32_t>(t.size());
        // Code points are counted incrementally between matches, so a
        // document is walked once however many matches it has.
        std::size_t counted = 0;
        std::int64_t codePoints = 0;
        for (std::size_t at = t.find(surface); at != std::string_view::npos; at = t.find(surface, at + 1)) {
            for (; counted < at; ++counted)
                if ((bytes[counted] & 0xC0) != 0x80)
                    ++codePoints;
            const auto endByte = static_cast<std::int32_t>(at + surface.size());
            bool whole = true;
            if (at > 0) {
                std::int32_t i = static_cast<std::int32_t>(at);
                UChar32 c = 0;
                U8_PREV(bytes, 0, i, c);
                whole = !isWordCodePoint(c);
            }
            if (whole && endByte < n) {
                std::int32_t i = endByte;
                UChar32 c = 0;
                U8_NEXT(bytes, i, n, c);
                whole = !isWordCodePoint(c);
            }
            if (whole)
                out.push_back({id, codePoints, codePoints + surfaceLength});
        }
    }
}

Status setTypeColor(Store &store, const std::string &type, const std::string &rawColor)
{
    LEDE_TRY(entity_type::checkColor(rawColor));
    const std::string color = entity_type::canonicalColor(rawColor);
    LEDE_TRY_ASSIGN(auto s, storeConnection(store).prepare("UPDATE entity_types SET color = ? WHERE name = ?"));
    s.bind(1, color).bind(2, entity_type::canonicalName(type));
    if (auto st = s.run(); !st)
        return st;
    if (storeConnection(store).changes() == 0)
        return makeError("unknown type '" + type + "'", ErrorKind::NotFound);
    return {};
}

Status setTypeShortcut(Store &store, const std::string &type, const std::string &shortcut)
{
    LEDE_TRY(entity_type::checkShortcut(shortcut));
    Database &db = storeConnection(store);
    LEDE_TRY_ASSIGN(auto tx, Transaction::begin(db));
    const std::string name = entity_type::canonicalName(type);
    if (!shortcut.empty()) {
        LEDE_TRY_ASSIGN(auto clash, db.prepare("SELECT name FROM entity_types WHERE shortcut = ? AND name <> ?"));
        clash.bind(1, shortcut).bind(2, name);
        LEDE_TRY_ASSIGN(auto row, clash.step());
        if (row)
            return makeError("shortcut '" + shortcut + "' is already used by type " + clash.text(0));
    }
    LEDE_TRY_ASSIGN(auto s, db.prepare("UPDATE entity_types SET shortcut = ? WHERE name = ?"));
    s.bindOptional(1, shortcut).bind(2, name);
    if (auto st = s.run(); !st)
        return st;
    if (db.changes() == 0)
        return makeError("unknown type '" + type + "'", ErrorKind::NotFound);
    return tx.commit();
}

} // namespace lede
