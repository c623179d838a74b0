#include "core/store/AnnotationRow.h"

#include <ctime>

namespace lede::detail {

namespace {

// A stored code as its enum; a code no Lede wrote (the schema's CHECK
// rules them out) reads as `fallback`.
template <typename Enum>
Enum fromCode(std::int64_t code, Enum last, Enum fallback)
{
    return code >= 0 && code <= static_cast<std::int64_t>(last) ? static_cast<Enum>(code) : fallback;
}

} // namespace

Origin originFromCode(std::int64_t code) { return fromCode(code, Origin::Imported, Origin::Manual); }

AnnotationStatus statusFromCode(std::int64_t code)
{
    return fromCode(code, AnnotationStatus::Rejected, AnnotationStatus::Accepted);
}

Annotation readAnnotationRow(const Statement &s)
{
    Annotation a;
    a.id = s.int64(0);
    a.documentId = s.int64(1);
    a.start = s.int64(2);
    a.end = s.int64(3);
    a.type = s.text(4);
    a.entityId = s.isNull(5) ? 0 : s.int64(5);
    a.entityName = s.text(6);
    a.origin = originFromCode(s.int64(7));
    a.status = statusFromCode(s.int64(8));
    a.createdAt = s.text(9);
    a.modifiedAt = s.text(10);
    a.provenance = s.text(11);
    if (!s.isNull(12))
        a.confidence = confidenceFromCode(s.int64(12));
    return a;
}

std::int64_t nowSeconds() { return static_cast<std::int64_t>(std::time(nullptr)); }

} // namespace lede::detail
