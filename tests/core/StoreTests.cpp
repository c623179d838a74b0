#include "TestUtil.h"
#include "StoreTestUtil.h"
#include "LegacyStore.h"

#include "core/store/Database.h"
#include "core/store/Store.h"
#include "core/store/StoreConnection.h"
#include "core/text/SearchIndexForm.h"
#include "core/text/Text.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

using namespace lede;

namespace {

NewDocument article(std::string text, std::string title = {})
{
    NewDocument d;
    d.text = std::move(text);
    d.title = std::move(title);
    d.source = "test.txt";
    return d;
}

} // namespace

TEST_CASE("a new store has the five default types with distinct colours and keys", "[store]")
{
    auto store = test::memoryStore();
    auto types = store->types();
    REQUIRE(types.ok());
    REQUIRE(types->size() == 5);
    std::set<std::string> names, colors, keys;
    for (const EntityType &t : *types) {
        names.insert(t.name);
        colors.insert(t.color);
        keys.insert(t.shortcut);
    }
    CHECK(names == std::set<std::string>{"PERSON", "COMPANY", "NATION", "ATTACK", "ORGANIZATION"});
    CHECK(colors.size() == 5);
    CHECK(keys == std::set<std::string>{"1", "2", "3", "4", "5"});
    CHECK(store->schemaVersion() == Store::latestSchemaVersion());
}

TEST_CASE("a store file carries Lede's application id and schema version", "[store]")
{
    test::TempDir dir;
    const std::string path = dir.file("lede.sqlite");
    REQUIRE(Store::open(path).ok());
    auto db = Database::open(path);
    REQUIRE(db.ok());
    CHECK(*(*db)->queryInt("PRAGMA application_id") == Store::kApplicationId);
    CHECK(*(*db)->queryInt("PRAGMA user_version") == Store::latestSchemaVersion());
}

TEST_CASE("documents are stored normalised with code-point lengths", "[store]")
{
    auto store = test::memoryStore();
    // "e" + combining acute becomes "é"; CRLF becomes LF.
    auto added = store->addDocument(article("Telefo\xCC\x81nica\r\nsigned 🔒"));
    REQUIRE(added.ok());
    CHECK_FALSE(added->duplicate);
    auto doc = store->document(added->id);
    REQUIRE(doc.ok());
    CHECK(doc->text == "Telefónica\nsigned 🔒");
    CHECK(doc->length == 19);
    CHECK(doc->title == "Telefónica");
    CHECK(doc->sha256 == text::sha256Hex(doc->text));
}

TEST_CASE("the same text is a duplicate even with other line ends", "[store]")
{
    auto store = test::memoryStore();
    auto first = store->addDocument(article("Cisco and Microsoft signed.\n"));
    auto second = store->addDocument(article("Cisco and Microsoft signed.\r\n"));
    REQUIRE(first.ok());
    REQUIRE(second.ok());
    CHECK(second->duplicate);
    CHECK(second->id == first->id);
    CHECK(store->documents()->size() == 1);
}

TEST_CASE("annotations link to entities and keep the covered text as an alias", "[store]")
{
    auto store = test::memoryStore();
    auto added = store->addDocument(article("Mr. Smith met Brad Smith."),
                                    {{4, 9, "PERSON", "Brad Smith", Origin::Auto, AnnotationStatus::Suggested, ""},
                                     {14, 24, "person", "", Origin::Manual, AnnotationStatus::Accepted, ""}});
    REQUIRE(added.ok());
    auto anns = store->annotations(added->id);
    REQUIRE(anns.ok());
    REQUIRE(anns->size() == 2);
    CHECK((*anns)[0].entityName == "Brad Smith");
    CHECK((*anns)[1].entityName == "Brad Smith");
    CHECK((*anns)[0].entityId == (*anns)[1].entityId);
    CHECK((*anns)[1].type == "PERSON");
    auto entity = store->entity((*anns)[0].entityId);
    REQUIRE(entity.ok());
    CHECK(entity->aliases == std::vector<std::string>{"Smith"});
}

TEST_CASE("a bad annotation leaves nothing of its document behind", "[store][transactions]")
{
    auto store = test::memoryStore();
    auto added = store->addDocument(article("Short text."), {{0, 5, "PERSON", "", Origin::Auto, AnnotationStatus::Suggested, ""},
                                                          {3, 400, "PERSON", "", Origin::Auto, AnnotationStatus::Suggested, ""}});
    CHECK_FALSE(added.ok());
    CHECK(added.message().find("outside the text") != std::string::npos);
    CHECK(store->documents()->empty());
    CHECK(*storeConnection(*store).queryInt("SELECT count(*) FROM annotations") == 0);
    CHECK(*storeConnection(*store).queryInt("SELECT count(*) FROM entities") == 0);
    CHECK(*storeConnection(*store).queryInt("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'short'") == 0);

    auto unknownType = store->addDocument(article("Another text."), {{0, 7, "NOSUCHTYPE", "", Origin::Auto, AnnotationStatus::Suggested, ""}});
    CHECK_FALSE(unknownType.ok());
    CHECK(store->documents()->empty());
}

TEST_CASE("the full-text index follows inserts and deletes", "[store]")
{
    auto store = test::memoryStore();
    auto a = store->addDocument(article("NotPetya hit Maersk and Merck."));
    REQUIRE(a.ok());
    auto count = [&](const char *q) {
        auto s = storeConnection(*store).prepare("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH ?");
        REQUIRE(s.ok());
        s->bind(1, q);
        REQUIRE(*s->step());
        return s->int64(0);
    };
    CHECK(count("maersk") == 1);
    REQUIRE(store->removeDocument(a->id).ok());
    CHECK(count("maersk") == 0);
}

TEST_CASE("annotations can be retyped, accepted, rejected and removed", "[store]")
{
    auto store = test::memoryStore();
    auto doc = store->addDocument(article("Kaspersky denied it."));
    REQUIRE(doc.ok());
    NewAnnotation na{0, 9, "ORGANIZATION", "", Origin::Auto, AnnotationStatus::Suggested, ""};
    auto id = store->addAnnotation(doc->id, na);
    REQUIRE(id.ok());
    REQUIRE(store->retypeAnnotation(*id, "COMPANY").ok());
    CHECK(store->annotation(*id)->type == "COMPANY");
    CHECK(store->annotation(*id)->entityName == "Kaspersky");
    REQUIRE(store->setAnnotationStatus(*id, AnnotationStatus::Rejected).ok());
    CHECK(store->annotation(*id)->status == AnnotationStatus::Rejected);
    CHECK(store->annotations(doc->id, {AnnotationStatus::Accepted, AnnotationStatus::Suggested})->empty());
    REQUIRE(store->removeAnnotation(*id).ok());
    CHECK_FALSE(store->annotation(*id).ok());
    CHECK_FALSE(store->removeAnnotation(*id).ok());
    CHECK_FALSE(store->retypeAnnotation(99, "COMPANY").ok());
}

TEST_CASE("custom types are validated and kept", "[store]")
{
    auto store = test::memoryStore();
    auto t = store->addType("malware-family", "#AABBCC", "6");
    REQUIRE(t.ok());
    CHECK(t->name == "MALWARE-FAMILY");
    CHECK(t->color == "#aabbcc");
    CHECK_FALSE(store->addType("PERSON", "#000000", "").ok());
    CHECK_FALSE(store->addType("Other", "#00000", "").ok());
    CHECK_FALSE(store->addType("Other", "#000000", "1").ok());
    CHECK_FALSE(store->addType("bad name", "#000000", "").ok());
    CHECK_FALSE(store->addType("", "#000000", "").ok());
    CHECK(store->types()->size() == 6);
}

TEST_CASE("a store at schema version 1 upgrades and keeps its documents", "[store][migrations]")
{
    test::TempDir dir;
    const std::string path = dir.file("old.sqlite");
    {
        Store::OpenOptions v1;
        v1.targetVersion = 1;
        auto old = Store::open(path, v1);
        REQUIRE(old.ok());
        CHECK((*old)->schemaVersion() == 1);
        test::addLegacyDocument(storeConnection(**old), 1, "Stuxnet damaged centrifuges in Iran.", "old.txt",
                                {{0, 7, "ATTACK", "", Origin::Manual, AnnotationStatus::Accepted, ""}});
    }
    auto store = Store::open(path);
    REQUIRE(store.ok());
    CHECK((*store)->schemaVersion() == Store::latestSchemaVersion());
    auto docs = (*store)->documents();
    REQUIRE(docs->size() == 1);
    CHECK((*docs)[0].annotationCount == 1);
    // The index added by version 2 covers the document written before it.
    CHECK(*storeConnection(**store).queryInt("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'centrifuges'") == 1);
}

TEST_CASE("a store from a newer Lede is refused and left unchanged", "[store][migrations]")
{
    test::TempDir dir;
    const std::string path = dir.file("new.sqlite");
    REQUIRE(Store::open(path).ok());
    {
        auto db = Database::open(path);
        REQUIRE((*db)->exec("PRAGMA user_version = 99").ok());
    }
    const std::string before = test::readFile(path);
    auto store = Store::open(path);
    REQUIRE_FALSE(store.ok());
    CHECK(store.message().find("newer version of Lede") != std::string::npos);
    CHECK(store.message().find(path) != std::string::npos);
    CHECK(test::readFile(path) == before);
}

TEST_CASE("files that are not Lede stores are refused", "[store]")
{
    test::TempDir dir;
    const std::string junk = dir.write("junk.sqlite", "this is not a database at all, just some text that is long enough");
    auto a = Store::open(junk);
    REQUIRE_FALSE(a.ok());
    CHECK(a.message().find("not a Lede store") != std::string::npos);
    CHECK(a.kind() == ErrorKind::InvalidInput);

    const std::string foreign = dir.file("foreign.sqlite");
    {
        auto db = Database::open(foreign);
        REQUIRE((*db)->exec("CREATE TABLE t(x)").ok());
    }
    auto b = Store::open(foreign);
    REQUIRE_FALSE(b.ok());
    CHECK(b.message().find("not a Lede store") != std::string::npos);
    CHECK(b.kind() == ErrorKind::InvalidInput);

    auto c = Store::open(dir.path().string());
    CHECK_FALSE(c.ok());
}

TEST_CASE("the default store path follows LEDE_DB and XDG_DATA_HOME", "[store]")
{
    const char *oldDb = std::getenv("LEDE_DB");
    const std::string savedDb = oldDb ? oldDb : "";
    const char *oldXdg = std::getenv("XDG_DATA_HOME");
    const std::string savedXdg = oldXdg ? oldXdg : "";
    const char *oldHome = std::getenv("HOME");
    const std::string savedHome = oldHome ? oldHome : "";

    ::unsetenv("LEDE_DB");
    ::setenv("XDG_DATA_HOME", "/tmp/xdg-test", 1);
    CHECK(Store::defaultPath() == "/tmp/xdg-test/lede/lede.sqlite");
    ::setenv("LEDE_DB", "/tmp/elsewhere.sqlite", 1);
    CHECK(Store::defaultPath() == "/tmp/elsewhere.sqlite");
    ::unsetenv("XDG_DATA_HOME");
    ::unsetenv("LEDE_DB");
    ::setenv("HOME", "/home/analyst", 1);
    CHECK(Store::defaultPath() == "/home/analyst/.local/share/lede/lede.sqlite");

    if (oldDb)
        ::setenv("LEDE_DB", savedDb.c_str(), 1);
    if (oldXdg)
        ::setenv("XDG_DATA_HOME", savedXdg.c_str(), 1);
    if (oldHome)
        ::setenv("HOME", savedHome.c_str(), 1);
}

TEST_CASE("a failed document inside a batch rolls back alone", "[store][transactions]")
{
    auto store = test::memoryStore();
    auto batch = Transaction::begin(storeConnection(*store));
    REQUIRE(batch.ok());
    auto bad = store->addDocument(article("Bad annotation here."), {{0, 99, "PERSON", "", Origin::Auto, AnnotationStatus::Suggested, ""}});
    CHECK_FALSE(bad.ok());
    auto good = store->addDocument(article("Good document about Emotet."));
    CHECK(good.ok());
    REQUIRE(batch->commit().ok());
    auto docs = store->documents();
    REQUIRE(docs->size() == 1);
    CHECK((*docs)[0].title == "Good document about Emotet.");
}

TEST_CASE("a store written at every earlier schema version upgrades and keeps all its data", "[store][migrations]")
{
    for (int version = 1; version < Store::latestSchemaVersion(); ++version) {
        DYNAMIC_SECTION("from schema version " << version)
        {
            test::TempDir dir;
            const std::string path = dir.file("v" + std::to_string(version) + ".sqlite");
            {
                // Written as that version of Lede wrote: its migrations only.
                Store::OpenOptions old;
                old.targetVersion = version;
                auto store = Store::open(path, old);
                REQUIRE(store.ok());
                REQUIRE((*store)->schemaVersion() == version);
                Database &db = storeConnection(**store);
                test::addLegacyDocument(db, version, "Telefónica blamed WannaCry for the outage. 🔒", "a.txt",
                                        {{0, 10, "COMPANY", "", Origin::Manual, AnnotationStatus::Accepted, ""},
                                         {19, 27, "ATTACK", "", Origin::Auto, AnnotationStatus::Suggested, ""}});
                test::addLegacyDocument(db, version, "Kaspersky denied any link to the attack.", "b.txt",
                                        {{0, 9, "PERSON", "", Origin::Auto, AnnotationStatus::Rejected, ""}});
                // Unicode61 alone would read the whole sentence as one word.
                test::addLegacyDocument(db, version, "微软公司在北京发布了报告。", "c.txt", {});
                REQUIRE((*store)->addType("MALWARE", "#123456", "6").ok());
            }
            auto store = Store::open(path);
            REQUIRE(store.ok());
            Store &s = **store;
            CHECK(s.schemaVersion() == Store::latestSchemaVersion());
            auto docs = s.documents();
            REQUIRE(docs->size() == 3);
            CHECK((*docs)[0].annotationCount == 2);
            CHECK((*docs)[1].annotationCount == 1);
            CHECK(s.document((*docs)[0].id)->text == "Telefónica blamed WannaCry for the outage. 🔒");
            auto anns = s.annotations((*docs)[0].id);
            REQUIRE(anns->size() == 2);
            CHECK((*anns)[0].entityName == "Telefónica");
            CHECK((*anns)[0].status == AnnotationStatus::Accepted);
            CHECK((*anns)[1].origin == Origin::Auto);
            CHECK((*anns)[1].status == AnnotationStatus::Suggested);
            CHECK((*anns)[1].createdAt == "2025-03-01T12:00:00Z");
            CHECK((*anns)[1].type == "ATTACK");
            // Numbered within their document, in text order.
            CHECK((*anns)[0].id == annotationId((*docs)[0].id, 1));
            CHECK((*anns)[1].id == annotationId((*docs)[0].id, 2));
            CHECK((*anns)[1].end == 27);
            auto rejected = s.annotations((*docs)[1].id);
            REQUIRE(rejected->size() == 1);
            CHECK((*rejected)[0].status == AnnotationStatus::Rejected);
            CHECK(s.type("MALWARE")->color == "#123456");
            // What later versions add is filled from the old data: the
            // full-text index finds both articles, and the reviews teach.
            CHECK(*storeConnection(s).queryInt("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'outage'") == 1);
            CHECK(*storeConnection(s).queryInt("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'kaspersky'") == 1);
            auto learned = s.learnedNames();
            REQUIRE(learned.ok());
            CHECK(learned->size() == 2); // Telefónica accepted, Kaspersky as PERSON rejected
            CHECK(*storeConnection(s).queryInt("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH '北京'") == 1);
            CHECK(storeConnection(s).exec("INSERT INTO documents_fts (documents_fts, rank) VALUES ('integrity-check', 1)").ok());
            auto schema = storeConnection(s).prepare("SELECT sql FROM sqlite_schema WHERE name = 'documents_fts'");
            REQUIRE(schema.ok());
            REQUIRE(*schema->step());
            CHECK(schema->text(0).find(std::string(kSearchTokenizer)) != std::string::npos);
        }
    }
}

TEST_CASE("annotation ids carry their document and number the document's annotations", "[store]")
{
    auto opened = Store::open(":memory:");
    REQUIRE(opened.ok());
    Store &store = **opened;
    auto a = store.addDocument(article("Maersk and Merck were hit by NotPetya."),
                               {{0, 6, "COMPANY", "", Origin::Auto, AnnotationStatus::Suggested, ""},
                                {11, 16, "COMPANY", "", Origin::Auto, AnnotationStatus::Suggested, ""}});
    auto b = store.addDocument(article("FedEx counted the cost."),
                               {{0, 5, "COMPANY", "", Origin::Auto, AnnotationStatus::Suggested, ""}});
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    auto anns = store.annotations(a->id);
    REQUIRE(anns->size() == 2);
    CHECK((*anns)[0].id == annotationId(a->id, 1));
    CHECK((*anns)[1].id == annotationId(a->id, 2));
    CHECK(annotationDocument((*anns)[1].id) == a->id);
    CHECK(annotationNumber((*anns)[1].id) == 2);
    CHECK(store.annotations(b->id)->at(0).id == annotationId(b->id, 1));

    // A new annotation takes the number after the highest: a removed
    // annotation's number is not given to another while later ones exist.
    REQUIRE(store.removeAnnotation((*anns)[0].id).ok());
    auto added = store.addAnnotation(a->id, {29, 37, "ATTACK", "", Origin::Manual, AnnotationStatus::Accepted, ""});
    REQUIRE(added.ok());
    CHECK(*added == annotationId(a->id, 3));
    CHECK(store.annotation(*added)->end == 37);
    CHECK(store.annotation(*added)->createdAt.size() == 20);
    CHECK(store.annotation(*added)->createdAt == store.annotation(*added)->modifiedAt);

    // Removing a document removes its range of annotations, and only that.
    REQUIRE(store.removeDocument(a->id).ok());
    CHECK(*storeConnection(store).queryInt("SELECT count(*) FROM annotations") == 1);
    CHECK(*storeConnection(store).queryInt("SELECT count(*) FROM document_types") == 1);
    CHECK(store.annotations(b->id)->size() == 1);

    // A document whose numbers are used up refuses more, with the reason.
    REQUIRE(storeConnection(store)
                .exec("UPDATE annotations SET id = " + std::to_string(annotationId(b->id, kMaxAnnotationNumber)))
                .ok());
    auto full = store.addAnnotation(b->id, {6, 13, "PERSON", "", Origin::Manual, AnnotationStatus::Accepted, ""});
    REQUIRE_FALSE(full.ok());
    CHECK(full.message().find("most annotations") != std::string::npos);
    CHECK(store.annotations(b->id)->size() == 1);
}

TEST_CASE("a removed annotation's number is never given to another annotation of its document", "[store]")
{
    auto opened = Store::open(":memory:");
    REQUIRE(opened.ok());
    Store &store = **opened;
    auto doc = store.addDocument(article("Maersk and Merck were hit by NotPetya."),
                                 {{0, 6, "COMPANY", "", Origin::Auto, AnnotationStatus::Suggested, ""},
                                  {11, 16, "COMPANY", "", Origin::Auto, AnnotationStatus::Suggested, ""}});
    REQUIRE(doc.ok());
    // The highest goes, twice over: the next numbers are 3 and then 4.
    REQUIRE(store.removeAnnotation(annotationId(doc->id, 2)).ok());
    auto third = store.addAnnotation(doc->id, {29, 37, "ATTACK", "", Origin::Manual, AnnotationStatus::Accepted, ""});
    REQUIRE(third.ok());
    CHECK(annotationNumber(*third) == 3);
    REQUIRE(store.removeAnnotation(*third).ok());
    REQUIRE(store.removeAnnotation(annotationId(doc->id, 1)).ok());
    auto fourth = store.addAnnotation(doc->id, {0, 6, "COMPANY", "", Origin::Manual, AnnotationStatus::Accepted, ""});
    REQUIRE(fourth.ok());
    CHECK(annotationNumber(*fourth) == 4);
}

TEST_CASE("re-tagging keeps the annotation and number of every suggestion it makes again", "[store]")
{
    auto opened = Store::open(":memory:");
    REQUIRE(opened.ok());
    Store &store = **opened;
    const std::vector<NewAnnotation> first = {{0, 7, "NATION", "", Origin::Auto, AnnotationStatus::Suggested, ""},
                                              {12, 16, "NATION", "", Origin::Auto, AnnotationStatus::Suggested, ""},
                                              {23, 29, "NATION", "", Origin::Auto, AnnotationStatus::Suggested, ""}};
    auto doc = store.addDocument(article("Britain and U.S. blame Russia for NotPetya."), first);
    REQUIRE(doc.ok());
    const auto before = *store.annotations(doc->id);
    REQUIRE(before.size() == 3);

    // The same suggestions again: nothing changes, not even the numbers.
    REQUIRE(*store.replaceSuggestions(doc->id, first) == 3);
    CHECK(*store.annotations(doc->id) == before);

    // "U.S." is no longer suggested, "NotPetya" is new, "Russia" now links
    // to another entity: Britain and Russia keep 1 and 3, U.S.'s 2 is gone
    // for good, NotPetya takes 4.
    const std::vector<NewAnnotation> second = {{0, 7, "NATION", "", Origin::Auto, AnnotationStatus::Suggested, ""},
                                               {23, 29, "NATION", "Russian Federation", Origin::Auto, AnnotationStatus::Suggested, ""},
                                               {34, 42, "ATTACK", "", Origin::Auto, AnnotationStatus::Suggested, ""}};
    REQUIRE(*store.replaceSuggestions(doc->id, second) == 3);
    auto after = *store.annotations(doc->id);
    REQUIRE(after.size() == 3);
    CHECK(annotationNumber(after[0].id) == 1);
    CHECK(annotationNumber(after[1].id) == 3);
    CHECK(after[1].entityName == "Russian Federation");
    CHECK(annotationNumber(after[2].id) == 4);
    CHECK(after[2].type == "ATTACK");
    // The summaries follow: one ATTACK, two NATION mentions.
    CHECK(*storeConnection(store).queryInt("SELECT mentions FROM document_types t JOIN entity_types e ON e.id = t.type_id "
                                     "WHERE e.name = 'NATION'") == 2);

    // U.S. suggested again is a new annotation, not number 2 come back.
    REQUIRE(*store.replaceSuggestions(doc->id, first) == 3);
    after = *store.annotations(doc->id);
    REQUIRE(after.size() == 3);
    CHECK(annotationNumber(after[0].id) == 1);
    CHECK(annotationNumber(after[1].id) == 5);
    CHECK(annotationNumber(after[2].id) == 3);
}

TEST_CASE("re-tagging never suggests over what the analyst reviewed, nested spans included", "[store]")
{
    auto opened = Store::open(":memory:");
    REQUIRE(opened.ok());
    Store &store = **opened;
    //                          0         1         2         3         4
    //                          0123456789012345678901234567890123456789012345
    auto doc = store.addDocument(article("The Bank of England and Lloyds Bank met Barclays."));
    REQUIRE(doc.ok());
    // A long reviewed span with a short one inside it, then one further on.
    REQUIRE(store.addAnnotation(doc->id, {4, 19, "ORGANIZATION", "", Origin::Manual, AnnotationStatus::Accepted, ""}).ok());
    REQUIRE(store.addAnnotation(doc->id, {4, 8, "COMPANY", "", Origin::Auto, AnnotationStatus::Rejected, ""}).ok());
    REQUIRE(store.addAnnotation(doc->id, {24, 35, "COMPANY", "", Origin::Manual, AnnotationStatus::Accepted, ""}).ok());
    const std::vector<NewAnnotation> tagged = {
        {12, 19, "NATION", "", Origin::Auto, AnnotationStatus::Suggested, ""},   // inside the first, past the nested one
        {18, 23, "COMPANY", "", Origin::Auto, AnnotationStatus::Suggested, ""},  // across its end
        {20, 23, "ORGANIZATION", "", Origin::Auto, AnnotationStatus::Suggested, ""}, // between the two: kept
        {31, 35, "COMPANY", "", Origin::Auto, AnnotationStatus::Suggested, ""},  // inside the second
        {40, 48, "COMPANY", "", Origin::Auto, AnnotationStatus::Suggested, ""}}; // after both: kept
    REQUIRE(*store.replaceSuggestions(doc->id, tagged) == 2);
    auto after = *store.annotations(doc->id);
    REQUIRE(after.size() == 5);
    std::vector<std::pair<std::int64_t, std::int64_t>> suggested;
    for (const Annotation &a : after)
        if (a.status == AnnotationStatus::Suggested)
            suggested.emplace_back(a.start, a.end);
    CHECK(suggested == std::vector<std::pair<std::int64_t, std::int64_t>>{{20, 23}, {40, 48}});
}

TEST_CASE("reviews in a long document are learned and counted from its text", "[store][learning]")
{
    // Many reviewed names in one document: each teaches its own surface.
    std::string text;
    std::vector<NewAnnotation> reviewed;
    for (int i = 0; i < 2000; ++i) {
        const std::string name = i % 2 ? "Zephyr Group" : "Kestrel 🔒 Systems";
        const auto at = static_cast<std::int64_t>(text::codePointCount(text));
        text += name + " said the breach was contained. ";
        reviewed.push_back({at, at + static_cast<std::int64_t>(text::codePointCount(name)), i % 2 ? "ORGANIZATION" : "COMPANY",
                            "", Origin::Auto, i % 3 == 0 ? AnnotationStatus::Rejected : AnnotationStatus::Accepted, ""});
    }
    auto store = test::memoryStore();
    REQUIRE(store->addDocument(article(text), reviewed).ok());
    auto learned = store->learnedNames();
    REQUIRE(learned.ok());
    REQUIRE(learned->size() == 2);
    std::set<std::string> surfaces;
    for (const auto &l : *learned)
        surfaces.insert(l.surface);
    CHECK(surfaces == std::set<std::string>{"Kestrel 🔒 Systems", "Zephyr Group"});
    auto counts = store->reviewCounts();
    REQUIRE(counts.ok());
    REQUIRE(counts->size() == 2);
    const auto &kestrel = counts->at({"COMPANY", "Kestrel 🔒 Systems"});
    CHECK(kestrel.taken + kestrel.rejected == 1000);
    CHECK(kestrel.rejected == 334); // i = 0, 6, 12, ... (every i divisible by 6)
    const auto &zephyr = counts->at({"ORGANIZATION", "Zephyr Group"});
    CHECK(zephyr.rejected == 333);  // i = 3, 9, 15, ...
}

TEST_CASE("a suggestion keeps its provenance and confidence, and re-tagging renews them", "[store][provenance]")
{
    auto opened = Store::open(":memory:");
    REQUIRE(opened.ok());
    Store &store = **opened;
    NewAnnotation russia{23, 29, "NATION", "", Origin::Auto, AnnotationStatus::Suggested, ""};
    russia.provenance = "gazetteer:curated:nations";
    russia.confidence = 0.78;
    auto doc = store.addDocument(article("Britain and U.S. blame Russia for NotPetya."), {russia});
    REQUIRE(doc.ok());
    REQUIRE(store.addAnnotation(doc->id, {34, 42, "ATTACK", "", Origin::Manual, AnnotationStatus::Accepted, ""}).ok());
    auto before = *store.annotations(doc->id);
    REQUIRE(before.size() == 2);
    CHECK(before[0].provenance == "gazetteer:curated:nations");
    REQUIRE(before[0].confidence);
    CHECK(*before[0].confidence == Approx(0.78));
    CHECK(before[1].provenance.empty()); // the analyst's own
    CHECK_FALSE(before[1].confidence);
    // Plain SQL reads them too: thousandths beside a named provenance.
    CHECK(*storeConnection(store).queryInt("SELECT a.confidence FROM annotations a JOIN provenances p ON p.id = a.provenance_id "
                                     "WHERE p.name = 'gazetteer:curated:nations'") == 780);

    russia.provenance = "model";
    russia.confidence = 0.97;
    REQUIRE(*store.replaceSuggestions(doc->id, {russia}) == 1);
    auto after = *store.annotations(doc->id);
    REQUIRE(after.size() == 2);
    CHECK(after[0].id == before[0].id);
    CHECK(after[0].provenance == "model");
    CHECK(*after[0].confidence == Approx(0.97));
}

TEST_CASE("a document's annotations are numbered past 2^20", "[store]")
{
    auto store = test::memoryStore();
    auto doc = store->addDocument(article("Maersk and Merck were hit by NotPetya."));
    REQUIRE(doc.ok());
    // As if a long article had used the first 1,048,575 numbers already.
    REQUIRE(storeConnection(*store)
                .exec("INSERT INTO annotation_numbers (document_id, last) VALUES (" + std::to_string(doc->id) + ", 1048575)")
                .ok());
    auto added = store->addAnnotation(doc->id, {0, 6, "COMPANY", "", Origin::Manual, AnnotationStatus::Accepted, ""});
    REQUIRE(added.ok());
    CHECK(annotationNumber(*added) == 1048576);
    CHECK(annotationDocument(*added) == doc->id);
    auto listed = store->annotations(doc->id);
    REQUIRE(listed.ok());
    REQUIRE(listed->size() == 1);
    CHECK(listed->front().id == *added);
    CHECK(listed->front().documentId == doc->id);
    // Deleting the document takes the annotation with it.
    REQUIRE(store->removeDocument(doc->id).ok());
    CHECK(*storeConnection(*store).queryInt("SELECT count(*) FROM annotations") == 0);
}

TEST_CASE("a document's many annotations are written whole, a batch of rows at a time", "[store]")
{
    auto store = test::memoryStore();
    // 150 mentions (more than one INSERT takes) of three companies, every
    // fifth rejected, some with a provenance and confidence and some not.
    std::string text;
    std::vector<NewAnnotation> annotations;
    const char *names[] = {"Maersk", "Merck", "Mondelez"};
    for (int i = 0; i < 150; ++i) {
        const std::string name = names[i % 3];
        const auto start = static_cast<std::int64_t>(text::codePointCount(text));
        text += name + " 🔒 was hit. ";
        NewAnnotation a{start, start + static_cast<std::int64_t>(name.size()), "COMPANY", "", Origin::Auto,
                        i % 5 == 4 ? AnnotationStatus::Rejected : AnnotationStatus::Suggested, ""};
        if (i % 2 == 0) {
            a.provenance = "model";
            a.confidence = 0.5;
        }
        annotations.push_back(a);
    }
    auto doc = store->addDocument(article(text), annotations);
    REQUIRE(doc.ok());
    auto stored = store->annotations(doc->id);
    REQUIRE(stored.ok());
    REQUIRE(stored->size() == 150);
    for (std::size_t i = 0; i < stored->size(); ++i) {
        const Annotation &a = (*stored)[i];
        CHECK(annotationNumber(a.id) == static_cast<std::int64_t>(i + 1));
        CHECK(a.start == annotations[i].start);
        CHECK(a.end == annotations[i].end);
        CHECK(a.status == annotations[i].status);
        CHECK(a.provenance == annotations[i].provenance);
        CHECK(a.confidence.has_value() == annotations[i].confidence.has_value());
    }
    Database &db = storeConnection(*store);
    // 120 not rejected: 40 of each company, in one type's count.
    CHECK(*db.queryInt("SELECT mentions FROM document_types WHERE document_id = " + std::to_string(doc->id)) == 120);
    CHECK(*db.queryInt("SELECT count(*) FROM document_entities WHERE mentions = 40") == 3);
    auto report = store->check();
    REQUIRE(report.ok());
    CHECK(report->problems.empty());
}

TEST_CASE("the tagger's compact suggestions are written a batch at a time, with exact summaries", "[store]")
{
    auto store = test::memoryStore();
    // 10,000 suggestions, more than two batches of rows, of three companies
    // and one attack, after a character outside the BMP each.
    std::string text;
    Suggestions suggestions;
    const char *names[] = {"Maersk", "Merck", "Mondelez", "NotPetya"};
    for (int i = 0; i < 10000; ++i) {
        const std::string name = names[i % 4];
        const auto start = static_cast<std::uint32_t>(text::codePointCount(text));
        text += "🔒 " + name + " was hit. ";
        suggestions.add(start + 2, start + 2 + static_cast<std::uint32_t>(name.size()), i % 4 == 3 ? "ATTACK" : "COMPANY",
                        i % 4 == 3 ? "NotPetya" : "", i % 2 ? "model" : "rule:title", 0.5f);
    }
    auto doc = store->addDocument(article(text), suggestions);
    REQUIRE(doc.ok());
    auto stored = store->annotations(doc->id);
    REQUIRE(stored.ok());
    REQUIRE(stored->size() == 10000);
    for (std::size_t i = 0; i < stored->size(); ++i) {
        const Annotation &a = (*stored)[i];
        REQUIRE(annotationNumber(a.id) == static_cast<std::int64_t>(i + 1));
        REQUIRE(a.entityName == names[i % 4]);
        REQUIRE(a.provenance == (i % 2 ? "model" : "rule:title"));
        REQUIRE(a.origin == Origin::Auto);
        REQUIRE(a.status == AnnotationStatus::Suggested);
    }
    Database &db = storeConnection(*store);
    const std::string id = std::to_string(doc->id);
    CHECK(*db.queryInt("SELECT sum(mentions) FROM document_types WHERE document_id = " + id) == 10000);
    CHECK(*db.queryInt("SELECT count(*) FROM document_entities WHERE document_id = " + id + " AND mentions = 2500") == 4);
    // Tagged again alike: every suggestion keeps its annotation and number.
    auto again = store->replaceSuggestions(doc->id, suggestions);
    REQUIRE(again.ok());
    CHECK(*again == 10000);
    auto after = store->annotations(doc->id);
    REQUIRE(after.ok());
    CHECK(*after == *stored);
    CHECK(*db.queryInt("SELECT sum(mentions) FROM document_types WHERE document_id = " + id) == 10000);
    auto report = store->check();
    REQUIRE(report.ok());
    CHECK(report->problems.empty());
}

TEST_CASE("a document's annotations are read one at a time in text order, whatever order they were added in", "[store]")
{
    auto store = test::memoryStore();
    const std::string text = "Maersk, Merck and Mondelez were hit by NotPetya 🔒 in 2017.";
    auto at = [&](std::string_view needle, const char *type, AnnotationStatus status) {
        const auto start = static_cast<std::int64_t>(text::codePointCount(text.substr(0, text.find(needle))));
        return NewAnnotation{start, start + static_cast<std::int64_t>(needle.size()), type, "", Origin::Manual, status, ""};
    };
    // In text order, then out of it (ids no longer follow the text).
    auto sorted = store->addDocument(article(text), {at("Maersk", "COMPANY", AnnotationStatus::Accepted),
                                                     at("Merck", "COMPANY", AnnotationStatus::Rejected),
                                                     at("NotPetya", "ATTACK", AnnotationStatus::Accepted)});
    auto shuffled = store->addDocument(article(text + " Again."),
                                       {at("NotPetya", "ATTACK", AnnotationStatus::Accepted),
                                        at("Maersk", "COMPANY", AnnotationStatus::Accepted),
                                        at("Mondelez", "COMPANY", AnnotationStatus::Rejected),
                                        at("Merck", "COMPANY", AnnotationStatus::Accepted)});
    REQUIRE(sorted.ok());
    REQUIRE(shuffled.ok());
    for (const std::int64_t id : {sorted->id, shuffled->id})
        for (const std::set<AnnotationStatus> &statuses :
             {std::set<AnnotationStatus>{}, std::set<AnnotationStatus>{AnnotationStatus::Accepted}}) {
            std::vector<Annotation> read;
            REQUIRE(store->forEachAnnotation(id, statuses, [&](const Annotation &a) {
                                 read.push_back(a);
                                 return Status{};
                             }).ok());
            auto listed = store->annotations(id, statuses);
            REQUIRE(listed.ok());
            CHECK(read == *listed);
            CHECK(std::is_sorted(read.begin(), read.end(),
                                 [](const Annotation &x, const Annotation &y) { return x.start < y.start; }));
        }
    // A failure of the reader stops the reading and is returned.
    std::size_t calls = 0;
    const Status stopped = store->forEachAnnotation(shuffled->id, {}, [&](const Annotation &) -> Status {
        ++calls;
        return makeError("the disk is full");
    });
    CHECK(stopped.message() == "the disk is full");
    CHECK(calls == 1);
}

TEST_CASE("an annotation's origin and status take only their codes, checked without a temporary table", "[store]")
{
    auto store = test::memoryStore();
    auto doc = store->addDocument(article("Maersk was hit by NotPetya."));
    REQUIRE(doc.ok());
    Database &db = storeConnection(*store);
    auto insert = [&](const std::string &origin, const std::string &status) {
        return db.exec("INSERT INTO annotations (id, start, length, type_id, origin, status, created_at) VALUES ((" +
                       std::to_string(doc->id) + " << 32) + (SELECT count(*) + 1 FROM annotations), 0, 6, 1, " +
                       origin + ", " + status + ", 0)");
    };
    CHECK(insert("0", "2").ok());
    CHECK(insert("'1'", "1").ok()); // integer affinity makes it 1
    CHECK_FALSE(insert("3", "0").ok());
    CHECK_FALSE(insert("1.5", "0").ok());
    CHECK_FALSE(insert("0", "-1").ok());
    CHECK_FALSE(insert("0", "'accepted'").ok());
    auto plan = db.prepare("EXPLAIN INSERT INTO annotations (id, start, length, type_id, origin, status, created_at) "
                           "VALUES (?, 0, 1, 1, 0, 0, 0)");
    REQUIRE(plan.ok());
    // The statement's own program, before its triggers' (whose addresses
    // start again from 0).
    bool ephemeral = false;
    for (std::int64_t last = -1; *plan->step() && plan->int64(0) > last; last = plan->int64(0))
        ephemeral = ephemeral || plan->text(1) == "OpenEphemeral";
    CHECK_FALSE(ephemeral);
}
