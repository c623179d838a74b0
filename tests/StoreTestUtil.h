#pragma once

#include "core/store/Domain.h"
#include "core/store/Store.h"

#include <catch2/catch.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

// Small builders of store values for tests of core and of the desktop.
namespace lede::test {

/// The store at `path`, which must open.
inline std::unique_ptr<Store> openStore(const std::string &path, bool readOnly = false)
{
    Store::OpenOptions options;
    options.readOnly = readOnly;
    auto store = Store::open(path, options);
    REQUIRE(store.ok());
    return std::move(*store);
}

/// A new store in memory.
inline std::unique_ptr<Store> memoryStore() { return openStore(":memory:"); }

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

/// The analyst's own annotation over [start, end).
inline NewAnnotation manual(std::int64_t start, std::int64_t end, const std::string &type)
{
    NewAnnotation a = suggestion(start, end, type);
    a.origin = Origin::Manual;
    a.status = AnnotationStatus::Accepted;
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
