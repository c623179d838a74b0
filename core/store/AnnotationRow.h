#pragma once

#include "core/store/Database.h"
#include "core/store/Domain.h"

#include <cstdint>
#include <string>
#include <string_view>

// How an annotation is stored and read: its id scheme, one column list and
// one reader, shared by the store and the queries built on it so they
// cannot drift.
namespace lede::detail {

/// SQL condition: `idColumn` lies in the range of document `documentExpr`
/// (a column or a placeholder such as "?1"), spelled as a range on the key
/// so that SQLite reads just that range.
inline std::string inDocument(std::string_view idColumn, std::string_view documentExpr)
{
    static_assert(kAnnotationIdShift == 32 && kMaxAnnotationNumber == 4294967295, "the SQL below spells the scheme out");
    const std::string low = "(" + std::string(documentExpr) + " << 32)";
    return std::string(idColumn) + " BETWEEN " + low + " AND " + low + " + 4294967295";
}

/// origin and status are stored as their enums' ordinals.
inline constexpr int code(Origin o) { return static_cast<int>(o); }
inline constexpr int code(AnnotationStatus s) { return static_cast<int>(s); }
static_assert(code(Origin::Auto) == 0 && code(Origin::Manual) == 1 && code(Origin::Imported) == 2);
static_assert(code(AnnotationStatus::Suggested) == 0 && code(AnnotationStatus::Accepted) == 1
              && code(AnnotationStatus::Rejected) == 2);
Origin originFromCode(std::int64_t code);
AnnotationStatus statusFromCode(std::int64_t code);

/// SQL expressions naming a stored status or origin code in words.
inline constexpr std::string_view kStatusName =
    "CASE a.status WHEN 0 THEN 'suggested' WHEN 1 THEN 'accepted' ELSE 'rejected' END";
inline constexpr std::string_view kOriginName =
    "CASE a.origin WHEN 0 THEN 'auto' WHEN 1 THEN 'manual' ELSE 'imported' END";

/// SELECT of every annotation column, joined with its type and entity
/// names; `from` names the annotations `a` (and whatever drives them);
/// callers append WHERE and ORDER BY. Times come out as ISO 8601.
inline std::string annotationSelect(std::string_view from = "FROM annotations a ")
{
    return "SELECT a.id, a.document_id, a.start, a.end, t.name, a.entity_id, e.name, a.origin, a.status, "
           "strftime('%Y-%m-%dT%H:%M:%SZ', a.created_at, 'unixepoch'), "
           "strftime('%Y-%m-%dT%H:%M:%SZ', coalesce(a.modified_at, a.created_at), 'unixepoch'), prov.name, a.confidence "
           + std::string(from)
           + " JOIN entity_types t ON t.id = a.type_id LEFT JOIN entities e ON e.id = a.entity_id "
             "LEFT JOIN provenances prov ON prov.id = a.provenance_id ";
}

/// A confidence (0-1) as stored, in thousandths, and back.
inline std::int64_t confidenceCode(double confidence)
{
    const double c = confidence < 0.0 ? 0.0 : confidence > 1.0 ? 1.0 : confidence;
    return static_cast<std::int64_t>(c * 1000.0 + 0.5);
}
inline double confidenceFromCode(std::int64_t code) { return static_cast<double>(code) / 1000.0; }

/// The annotation on the current row of an annotationSelect() statement.
Annotation readAnnotationRow(const Statement &s);

/// Seconds since the Unix epoch, as annotation times are stored.
std::int64_t nowSeconds();

} // namespace lede::detail
