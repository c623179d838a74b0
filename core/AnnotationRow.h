#pragma once

#include "core/Database.h"
#include "core/Model.h"

#include <string_view>

// How an annotation is read from the store: one column list and one reader,
// shared by the store and the queries built on it so they cannot drift.
namespace lede::detail {

/// SELECT of every annotation column, joined with its type and entity
/// names; callers append WHERE and ORDER BY.
inline constexpr std::string_view kAnnotationSelect =
    "SELECT a.id, a.document_id, a.start, a.end, t.name, a.entity_id, e.name, a.origin, a.status, a.created_at, "
    "a.modified_at FROM annotations a JOIN entity_types t ON t.id = a.type_id "
    "LEFT JOIN entities e ON e.id = a.entity_id ";

/// The annotation on the current row of a kAnnotationSelect statement.
Annotation readAnnotationRow(const Statement &s);

} // namespace lede::detail
