#include "core/AnnotationRow.h"

namespace lede::detail {

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
    a.origin = parseOrigin(s.textView(7)).value_or(Origin::Manual);
    a.status = parseStatus(s.textView(8)).value_or(AnnotationStatus::Accepted);
    a.createdAt = s.text(9);
    a.modifiedAt = s.text(10);
    return a;
}

} // namespace lede::detail
