#pragma once

#include "core/store/Domain.h"

#include <cstdint>
#include <string>

// Small builders of store values for tests of core and of the desktop.
namespace lede::test {

/// A tagger's suggestion over [start, end), linked to `entity` (default:
/// the annotated text).
inline NewAnnotation suggestion(std::int64_t start, std::int64_t end, const std::string &type, const std::string &entity = {})
{
    NewAnnotation a;
    a.start = start;
    a.end = end;
    a.type = type;
    a.entityName = entity;
    a.origin = Origin::Auto;
    a.status = AnnotationStatus::Suggested;
    return a;
}

} // namespace lede::test
