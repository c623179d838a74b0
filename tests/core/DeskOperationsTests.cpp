// The queries and batch edits core/store/DeskOperations.h adds for the
// desktop application, tested on their own, without Qt.

#include "StoreTestUtil.h"
#include "TestUtil.h"

#include "core/store/DeskOperations.h"
#include "core/store/Store.h"

#include <catch2/catch.hpp>

#include <memory>

using namespace lede;
using namespace lede::test;

namespace {

// A store file in a temporary folder.
struct StoreFixture {
    TempDir dir;
    std::unique_ptr<Store> opened;

    StoreFixture()
    {
        auto st = Store::open(dir.file("store.sqlite"));
        REQUIRE(st.ok());
        opened = std::move(*st);
    }

    Store &store() { return *opened; }

    std::int64_t addDocument(const std::string &title, const std::string &text, const std::vector<NewAnnotation> &annotations = {})
    {
        return test::addDocument(store(), title, text, annotations);
    }
};

} // namespace

TEST_CASE("document filters treat the analyst's text literally")
{
    StoreFixture f;
    f.addDocument("Profits up 100% at Acme", "Profits up 100% at Acme\n\nText.\n");
    f.addDocument("Profits up 1000 at Acme", "Profits up 1000 at Acme\n\nMore text.\n");
    f.addDocument("snake_case in titles", "snake_case in titles\n\nEven more.\n");
    DocumentFilter filter;
    filter.text = "100%";
    CHECK(listDocumentIds(f.store(), filter)->size() == 1);
    filter.text = "e_c";
    CHECK(listDocumentIds(f.store(), filter)->size() == 1);
    filter.text = "PROFITS";
    CHECK(listDocumentIds(f.store(), filter)->size() == 2);
}

TEST_CASE("whole-word occurrences are found in code points, also after non-BMP characters")
{
    StoreFixture f;
    const auto id = f.addDocument("T", "😀 Sandworm, Sandworms and 𝐁Sandworm; Sandworm.\n");
    auto found = findOccurrences(f.store(), "Sandworm", id);
    REQUIRE(found.ok());
    REQUIRE(found->size() == 2);
    CHECK(found->at(0).start == 2);
    CHECK(found->at(0).end == 10);
    CHECK(found->at(1).start == 37);
    auto everywhere = findOccurrences(f.store(), "Sandworm", 0);
    CHECK(everywhere->size() == 2);
    CHECK(findOccurrences(f.store(), "", 0)->empty());
}

TEST_CASE("a batch of annotation edits is all or nothing")
{
    StoreFixture f;
    const auto id = f.addDocument("T", "Brad Smith met Spain.\n", {suggestion(0, 10, "PERSON")});
    const Annotation a = f.store().annotations(id)->at(0);
    Annotation accepted = a;
    accepted.status = AnnotationStatus::Accepted;
    Annotation missing;
    missing.id = 9999;
    auto result = applyAnnotationEdits(f.store(), {{AnnotationEdit::Kind::Update, accepted}, {AnnotationEdit::Kind::Remove, missing}});
    CHECK_FALSE(result.ok());
    CHECK(f.store().annotations(id)->at(0).status == AnnotationStatus::Suggested);
}

TEST_CASE("a removed annotation is restored under its own id with its times")
{
    StoreFixture f;
    const auto id = f.addDocument("T", "Brad Smith met Spain.\n", {suggestion(0, 10, "PERSON", "Brad Smith")});
    const Annotation a = f.store().annotations(id)->at(0);
    REQUIRE(applyAnnotationEdits(f.store(), {{AnnotationEdit::Kind::Remove, a}}).ok());
    CHECK(f.store().annotations(id)->empty());
    auto ids = applyAnnotationEdits(f.store(), {{AnnotationEdit::Kind::Restore, a}});
    REQUIRE(ids.ok());
    CHECK(ids->at(0) == a.id);
    const Annotation back = f.store().annotations(id)->at(0);
    CHECK(back.id == a.id);
    CHECK(back.entityId == a.entityId);
    CHECK(back.createdAt == a.createdAt);
    CHECK(back.status == AnnotationStatus::Suggested);
    CHECK(back.origin == Origin::Auto);
}

TEST_CASE("renaming an entity refuses a name its type already has")
{
    StoreFixture f;
    const auto id = f.addDocument("T", "Brad Smith met Smith.\n", {suggestion(0, 10, "PERSON"), suggestion(15, 20, "PERSON")});
    const auto all = *f.store().annotations(id);
    CHECK_FALSE(renameEntity(f.store(), all[1].entityId, "Brad Smith").ok());
    REQUIRE(renameEntity(f.store(), all[1].entityId, "Mr. Smith").ok());
    CHECK(f.store().annotations(id)->at(1).entityName == "Mr. Smith");
    CHECK_FALSE(renameEntity(f.store(), all[1].entityId, "  ").ok());
}

TEST_CASE("type colours and keys are validated")
{
    StoreFixture f;
    CHECK_FALSE(setTypeColor(f.store(), "PERSON", "red").ok());
    CHECK_FALSE(setTypeColor(f.store(), "NOPE", "#112233").ok());
    CHECK(setTypeColor(f.store(), "person", "#AABBCC").ok());
    CHECK(f.store().type("PERSON")->color == "#aabbcc");
    CHECK_FALSE(setTypeShortcut(f.store(), "PERSON", "2").ok()); // COMPANY has it
    CHECK_FALSE(setTypeShortcut(f.store(), "PERSON", "ab").ok());
    CHECK(setTypeShortcut(f.store(), "PERSON", "").ok());
    CHECK(f.store().type("PERSON")->shortcut.empty());
}

TEST_CASE("document summaries count annotations by type without rejected ones")
{
    StoreFixture f;
    const auto id = f.addDocument("T", "Brad Smith met Smith in Spain.\n",
                                  {suggestion(0, 10, "PERSON"), suggestion(15, 20, "PERSON"), suggestion(24, 29, "NATION")});
    const Annotation smith = f.store().annotations(id)->at(1);
    REQUIRE(f.store().setAnnotationStatus(smith.id, AnnotationStatus::Rejected).ok());
    auto rows = documentSummaries(f.store(), {id, 12345});
    REQUIRE(rows.ok());
    REQUIRE(rows->size() == 1);
    CHECK(rows->at(0).countsByType.at("PERSON") == 1);
    CHECK(rows->at(0).countsByType.at("NATION") == 1);
    CHECK(rows->at(0).annotations == 2);
    CHECK(rows->at(0).suggestions == 2);
    auto counts = storeCounts(f.store());
    CHECK(counts->documents == 1);
    CHECK(counts->annotations == 2);
}
