#pragma once

#include "core/store/Domain.h"
#include "core/store/Store.h"

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

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

/// Adds a document titled `title` (its source `title`.txt) to `store`.
inline std::int64_t addDocument(Store &store, const std::string &title, const std::string &text,
                                const std::vector<NewAnnotation> &annotations = {})
{
    NewDocument doc;
    doc.title = title;
    doc.source = title + ".txt";
    doc.text = text;
    auto added = store.addDocument(doc, annotations);
    REQUIRE(added.ok());
    return added->id;
}

} // namespace lede::test
