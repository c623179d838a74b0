#pragma once

// Writes documents into a store kept at an earlier schema version the way
// that version of Lede wrote them, in plain SQL against that version's
// tables, so that upgrade tests start from what users' stores hold. The
// versions' own triggers (full-text index from 2, summaries from 4) do the
// rest, as they did then.

#include "core/store/Database.h"
#include "core/store/Domain.h"
#include "core/text/Text.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace lede::test {

/// Version 1 to 4: annotations with text origin and status, ISO 8601 times
/// and a document_id column; from version 3 reviewed names are learned.
/// Version 5: compact annotations (id = document << 20 plus the number in
/// the document, start and length, integer codes, Unix times) whose
/// search summaries its triggers keep. Versions 6 to 8 write the same
/// (6's trigger remembers deleted numbers; 7 adds provenance and
/// confidence columns that may stay empty; 8 a table of model updates;
/// 9 folded name columns, which Lede fills on its next open; 10 the same
/// (its change is the search index)). Version 11 numbers ids from
/// document << 32; 12 writes the same (its change is the table's CHECKs),
/// and is the latest.
inline std::int64_t addLegacyDocument(Database &db, int version, const std::string &text, const std::string &source,
                                      const std::vector<NewAnnotation> &annotations)
{
    REQUIRE(version <= 11);
    const std::string now = "2025-03-01T12:00:00Z";
    if (version >= 10) {
        // Lede 10 put a text's index form in first, under the id its
        // document then takes.
        auto form = db.prepare("INSERT INTO documents_index_form (id, title, text) "
                               "SELECT (SELECT coalesce(max(id), 0) + 1 FROM documents), lede_index_form(?1), lede_index_form(?2) "
                               "WHERE lede_index_form(?1) IS NOT NULL OR lede_index_form(?2) IS NOT NULL");
        REQUIRE(form.ok());
        form->bind(1, text::firstLineTitle(text)).bind(2, text);
        REQUIRE(form->run().ok());
    }
    auto doc = db.prepare("INSERT INTO documents (title, source, sha256, text, length, imported_at) "
                          "VALUES (?, ?, ?, ?, ?, ?)");
    REQUIRE(doc.ok());
    doc->bind(1, text::firstLineTitle(text)).bind(2, source).bind(3, text::sha256Hex(text)).bind(4, text);
    doc->bind(5, static_cast<std::int64_t>(text::codePointCount(text))).bind(6, now);
    REQUIRE(doc->run().ok());
    const std::int64_t id = db.lastInsertRowId();
    for (const NewAnnotation &a : annotations) {
        const std::string covered(text::sliceCodePoints(text, static_cast<std::size_t>(a.start),
                                                        static_cast<std::size_t>(a.end)));
        auto entity = db.prepare("INSERT OR IGNORE INTO entities (type_id, name) "
                                 "VALUES ((SELECT id FROM entity_types WHERE name = ?1), ?2)");
        REQUIRE(entity.ok());
        entity->bind(1, a.type).bind(2, covered);
        REQUIRE(entity->run().ok());
        if (version >= 5) {
            // The version's summary trigger asks lede_row_summaries(), which
            // the store registers on the connection.
            auto ann = db.prepare(
                "INSERT INTO annotations (id, start, length, type_id, entity_id, origin, status, created_at) "
                "SELECT (?1 << ?9) + 1 + (SELECT count(*) FROM annotations WHERE id BETWEEN ?1 << ?9 AND (?1 << ?9) + (1 << ?9) - 1), "
                "?2, ?3 - ?2, t.id, e.id, ?5, ?6, unixepoch(?7) FROM entity_types t JOIN entities e ON e.type_id = t.id "
                "WHERE t.name = ?4 AND e.name = ?8");
            REQUIRE(ann.ok());
            ann->bind(9, version >= 11 ? 32 : 20);
            ann->bind(1, id).bind(2, a.start).bind(3, a.end).bind(4, a.type).bind(5, static_cast<int>(a.origin));
            ann->bind(6, static_cast<int>(a.status)).bind(7, now).bind(8, covered);
            REQUIRE(ann->run().ok());
        } else {
            auto ann = db.prepare(
                "INSERT INTO annotations (document_id, start, end, type_id, entity_id, origin, status, created_at, modified_at) "
                "SELECT ?1, ?2, ?3, t.id, e.id, ?5, ?6, ?7, ?7 FROM entity_types t JOIN entities e ON e.type_id = t.id "
                "WHERE t.name = ?4 AND e.name = ?8");
            REQUIRE(ann.ok());
            ann->bind(1, id).bind(2, a.start).bind(3, a.end).bind(4, a.type).bind(5, toString(a.origin));
            ann->bind(6, toString(a.status)).bind(7, now).bind(8, covered);
            REQUIRE(ann->run().ok());
        }
        REQUIRE(db.changes() == 1);
        if (version >= 3 && (a.origin == Origin::Manual || a.status != AnnotationStatus::Suggested)) {
            auto learn = db.prepare("INSERT OR REPLACE INTO learned_names (type_id, surface, entity, polarity, updated_at) "
                                    "SELECT id, ?2, ?2, ?3, ?4 FROM entity_types WHERE name = ?1");
            REQUIRE(learn.ok());
            learn->bind(1, a.type).bind(2, covered).bind(3, a.status == AnnotationStatus::Rejected ? -1 : 1).bind(4, now);
            REQUIRE(learn->run().ok());
        }
    }
    return id;
}

} // namespace lede::test
