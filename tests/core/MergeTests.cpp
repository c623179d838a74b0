// Two analysts, two stores, one article: what one exports, the other
// imports, and the work of both ends up in each.
#include "TestUtil.h"
#include "StoreTestUtil.h"

#include "core/io/Exporter.h"
#include "core/io/Importer.h"
#include "core/store/Store.h"
#include "core/store/StoreConnection.h"

#include <catch2/catch.hpp>

using namespace lede;
using lede::test::TempDir;

namespace {

const std::string kText = "Britain and the U.S. blamed Russia's GRU for NotPetya, which hit Maersk.";

NewAnnotation suggestion(std::int64_t start, std::int64_t end, const std::string &type)
{
    return {start, end, type, "", Origin::Auto, AnnotationStatus::Suggested, ""};
}

std::string exportJson(Store &store, const std::string &path)
{
    ExportOptions options;
    options.statuses = {AnnotationStatus::Suggested, AnnotationStatus::Accepted, AnnotationStatus::Rejected};
    auto report = exportToPath(store, options, path);
    REQUIRE(report.ok());
    return path;
}

const Annotation *at(const std::vector<Annotation> &all, std::int64_t start, std::int64_t end)
{
    for (const Annotation &a : all)
        if (a.start == start && a.end == end)
            return &a;
    return nullptr;
}

void setChanged(Store &store, std::int64_t annotationId, std::int64_t unixSeconds)
{
    REQUIRE(storeConnection(store)
                .exec("UPDATE annotations SET modified_at = " + std::to_string(unixSeconds)
                      + " WHERE id = " + std::to_string(annotationId))
                .ok());
}

// Store A: the article with the tagger's four suggestions; store B: A's
// export imported.
struct TwoAnalysts {
    TempDir dir;
    std::unique_ptr<Store> a = test::openStore(dir.file("a.sqlite"));
    std::unique_ptr<Store> b = test::openStore(dir.file("b.sqlite"));
    std::int64_t docA = 0, docB = 0;

    TwoAnalysts()
    {
        NewDocument doc;
        doc.title = "NotPetya";
        doc.source = "notpetya.txt";
        doc.text = kText;
        auto added = a->addDocument(doc, {suggestion(0, 7, "NATION"), suggestion(16, 20, "NATION"),
                                          suggestion(28, 34, "NATION"), suggestion(45, 53, "ATTACK")});
        REQUIRE(added.ok());
        docA = added->id;
        const ImportReport report = importPaths(*b, {exportJson(*a, dir.file("a.json"))}, {});
        REQUIRE(report.imported == 1);
        docB = report.documentIds.at(0);
    }
};

} // namespace

TEST_CASE("importing a colleague's export merges their work into the same article")
{
    TwoAnalysts t;
    // B annotates GRU and Maersk by hand and accepts NotPetya.
    REQUIRE(t.b->addAnnotation(t.docB, {37, 40, "ORGANIZATION", "GRU", Origin::Manual, AnnotationStatus::Accepted, ""}).ok());
    auto bAnns = *t.b->annotations(t.docB);
    REQUIRE(t.b->setAnnotationStatus(at(bAnns, 45, 53)->id, AnnotationStatus::Accepted).ok());
    REQUIRE(t.b->addAnnotation(t.docB, {65, 71, "COMPANY", "", Origin::Manual, AnnotationStatus::Accepted, ""}).ok());

    const ImportReport report = importPaths(*t.a, {exportJson(*t.b, t.dir.file("b.json"))}, {});
    CHECK(report.failures.empty());
    CHECK(report.imported == 0);
    CHECK(report.duplicates == 1);
    CHECK(report.mergedDocuments == 1);
    CHECK(report.mergedAnnotations == 3);
    CHECK(report.conflicts == 0);

    auto aAnns = *t.a->annotations(t.docA);
    REQUIRE(aAnns.size() == 6);
    REQUIRE(at(aAnns, 37, 40) != nullptr);
    CHECK(at(aAnns, 37, 40)->type == "ORGANIZATION");
    CHECK(at(aAnns, 37, 40)->status == AnnotationStatus::Accepted);
    CHECK(at(aAnns, 37, 40)->entityName == "GRU");
    CHECK(at(aAnns, 45, 53)->status == AnnotationStatus::Accepted);
    CHECK(at(aAnns, 45, 53)->id == annotationId(t.docA, 4)); // the same annotation, reviewed
    CHECK(at(aAnns, 65, 71)->type == "COMPANY");
    CHECK(at(aAnns, 0, 7)->status == AnnotationStatus::Suggested);
    // What B taught, A's tagger now knows too.
    auto learned = t.a->learnedNames();
    REQUIRE(learned.ok());
    CHECK(std::any_of(learned->begin(), learned->end(), [](const auto &l) { return l.surface == "GRU" && l.accepted; }));

    // Merging again, or re-importing A's own export, changes nothing.
    for (const std::string &file : {t.dir.file("b.json"), exportJson(*t.a, t.dir.file("a2.json"))}) {
        CAPTURE(file);
        const ImportReport again = importPaths(*t.a, {file}, {});
        CHECK(again.mergedDocuments == 1);
        CHECK(again.mergedAnnotations == 0);
        CHECK(again.conflicts == 0);
        CHECK(*t.a->annotations(t.docA) == aAnns);
    }
}

TEST_CASE("when both analysts reviewed a span differently, the newer review wins and counts as a conflict")
{
    TwoAnalysts t;
    const auto aAnns = *t.a->annotations(t.docA);
    const auto bAnns = *t.b->annotations(t.docB);
    // Russia: A rejects it (earlier), B retypes it to ORGANIZATION and
    // accepts (later). Britain: B rejects it (earlier), A accepts (later).
    const std::int64_t aRussia = at(aAnns, 28, 34)->id, bRussia = at(bAnns, 28, 34)->id;
    const std::int64_t aBritain = at(aAnns, 0, 7)->id, bBritain = at(bAnns, 0, 7)->id;
    REQUIRE(t.a->setAnnotationStatus(aRussia, AnnotationStatus::Rejected).ok());
    REQUIRE(t.b->retypeAnnotation(bRussia, "ORGANIZATION").ok());
    REQUIRE(t.b->setAnnotationStatus(bRussia, AnnotationStatus::Accepted).ok());
    REQUIRE(t.b->setAnnotationStatus(bBritain, AnnotationStatus::Rejected).ok());
    REQUIRE(t.a->setAnnotationStatus(aBritain, AnnotationStatus::Accepted).ok());
    setChanged(*t.a, aRussia, 1'700'000'000);
    setChanged(*t.b, bRussia, 1'700'000'500);
    setChanged(*t.b, bBritain, 1'700'000'000);
    setChanged(*t.a, aBritain, 1'700'000'500);

    const ImportReport report = importPaths(*t.a, {exportJson(*t.b, t.dir.file("b.json"))}, {});
    CHECK(report.conflicts == 2);
    CHECK(report.mergedAnnotations == 1);
    const auto merged = *t.a->annotations(t.docA);
    REQUIRE(merged.size() == 4);
    CHECK(at(merged, 28, 34)->type == "ORGANIZATION"); // B's newer review
    CHECK(at(merged, 28, 34)->status == AnnotationStatus::Accepted);
    CHECK(at(merged, 28, 34)->id == aRussia);
    CHECK(at(merged, 0, 7)->status == AnnotationStatus::Accepted); // A's newer review
    CHECK(at(merged, 0, 7)->modifiedAt == "2023-11-14T22:21:40Z");
}

TEST_CASE("an unreviewed suggestion never overrides a review in a merge")
{
    TwoAnalysts t;
    const auto aAnns = *t.a->annotations(t.docA);
    REQUIRE(t.a->setAnnotationStatus(at(aAnns, 16, 20)->id, AnnotationStatus::Rejected).ok());
    // B's copy of U.S. is still a suggestion, and B's tagger calls it an ORGANIZATION.
    const auto bAnns = *t.b->annotations(t.docB);
    REQUIRE(storeConnection(*t.b).exec("UPDATE annotations SET type_id = (SELECT id FROM entity_types WHERE name = 'ORGANIZATION') "
                                 "WHERE id = " + std::to_string(at(bAnns, 0, 7)->id)).ok());
    const ImportReport report = importPaths(*t.a, {exportJson(*t.b, t.dir.file("b.json"))}, {});
    CHECK(report.mergedAnnotations == 0);
    CHECK(report.conflicts == 0);
    const auto now = *t.a->annotations(t.docA);
    CHECK(at(now, 16, 20)->status == AnnotationStatus::Rejected);
    CHECK(at(now, 0, 7)->type == "NATION");
}
