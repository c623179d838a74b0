// Keeping a store: backups that are whole and sound while others write,
// and a check that finds what is wrong.
#include "TestUtil.h"
#include "StoreTestUtil.h"

#include "core/store/Database.h"
#include "core/store/Store.h"
#include "core/store/StoreConnection.h"

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <filesystem>

using namespace lede;
using lede::test::TempDir;
namespace fs = std::filesystem;

namespace {

std::int64_t addArticle(Store &store, const std::string &text)
{
    NewDocument doc;
    doc.title = text.substr(0, 20);
    doc.source = "a.txt";
    doc.text = text;
    auto added = store.addDocument(doc, {{0, 9, "COMPANY", "", Origin::Auto, AnnotationStatus::Suggested, ""}});
    REQUIRE(added.ok());
    return added->id;
}

bool mentions(const std::vector<std::string> &problems, const std::string &part)
{
    return std::any_of(problems.begin(), problems.end(), [&](const std::string &p) { return p.find(part) != std::string::npos; });
}

} // namespace

TEST_CASE("a backup is one sound file holding what was committed, even while another connection writes")
{
    TempDir dir;
    auto store = test::openStore(dir.file("store.sqlite"));
    addArticle(*store, "Microsoft and Google signed the accord.");
    // Another connection has a write under way: the backup is the snapshot
    // before it, whole.
    auto writer = test::openStore(dir.file("store.sqlite"));
    REQUIRE(storeConnection(*writer).exec("BEGIN IMMEDIATE").ok());
    REQUIRE(writer->addDocument({"Uncommitted", "u.txt", "Kaspersky denied it.", "", "", "", false, ""}).ok());

    const std::string backup = dir.file("copy.sqlite");
    REQUIRE(store->backup(backup).ok());
    CHECK_FALSE(fs::exists(backup + "-wal"));
    REQUIRE(storeConnection(*writer).exec("COMMIT").ok());
    {
        auto copy = test::openStore(backup, true);
        CHECK(copy->documentIds()->size() == 1);
        CHECK(copy->annotations(copy->documentIds()->at(0))->size() == 1);
        auto report = copy->check();
        REQUIRE(report.ok());
        INFO((report->problems.empty() ? std::string() : report->problems[0]));
        CHECK(report->problems.empty());
    }

    // An existing file is kept unless replacing it was asked for.
    const auto firstSize = fs::file_size(backup);
    auto again = store->backup(backup);
    REQUIRE_FALSE(again.ok());
    CHECK(again.message() == "cannot back up the store to " + backup + ": the file exists already");
    CHECK(again.kind() == ErrorKind::AlreadyExists);
    REQUIRE(store->backup(backup, true).ok());
    CHECK(fs::file_size(backup) >= firstSize);
    CHECK(test::openStore(backup, true)->documentIds()->size() == 2);

    // Never over the store itself, its side files or a folder; nothing is
    // left beside the copy.
    CHECK(store->backup(dir.file("store.sqlite"), true).message().find("it is the store Lede has open") != std::string::npos);
    CHECK(store->backup(dir.file("store.sqlite-wal"), true).message().find("write-ahead log") != std::string::npos);
    CHECK(store->backup(dir.path().string()).message().find("it is a folder") != std::string::npos);
    CHECK(store->backup(dir.file("no/such/folder/copy.sqlite")).message().find("does not exist") != std::string::npos);
    for (const auto &entry : fs::directory_iterator(dir.path()))
        CHECK(entry.path().filename().string().find(".tmp-") == std::string::npos);
}

TEST_CASE("a backup of a read-only store works and a check there says what it skipped")
{
    TempDir dir;
    const std::string path = dir.file("store.sqlite");
    {
        auto store = test::openStore(path);
        addArticle(*store, "Microsoft and Google signed the accord.");
    }
    auto readOnly = test::openStore(path, true);
    auto backedUp = readOnly->backup(dir.file("copy.sqlite"));
    INFO((backedUp.ok() ? std::string() : backedUp.message()));
    REQUIRE(backedUp.ok());
    auto report = readOnly->check();
    REQUIRE(report.ok());
    CHECK(report->problems.empty());
    CHECK(report->documents == 1);
    CHECK(report->annotations == 1);
}

TEST_CASE("check finds damaged texts, annotations, summaries and full-text index")
{
    TempDir dir;
    auto store = test::openStore(dir.file("store.sqlite"));
    const std::int64_t a = addArticle(*store, "Microsoft and Google signed the accord.");
    const std::int64_t b = addArticle(*store, "Kaspersky and Symantec studied Stuxnet.");
    auto clean = store->check();
    REQUIRE(clean.ok());
    CHECK(clean->problems.empty());
    CHECK(clean->documents == 2);

    Database &db = storeConnection(*store);
    const std::string A = std::to_string(a), B = std::to_string(b);
    REQUIRE(db.exec("UPDATE documents SET length = 5 WHERE id = " + A).ok());
    REQUIRE(db.exec("UPDATE documents SET sha256 = 'x' WHERE id = " + B).ok());
    REQUIRE(db.exec("UPDATE document_types SET mentions = 7 WHERE document_id = " + B).ok());
    REQUIRE(db.exec("INSERT INTO entities (type_id, name) VALUES ((SELECT id FROM entity_types WHERE name = 'PERSON'), 'Somebody')").ok());
    REQUIRE(db.exec("UPDATE annotations SET entity_id = (SELECT id FROM entities WHERE name = 'Somebody') WHERE id = "
                    + std::to_string(annotationId(b, 1))).ok());
    // An index entry for a document that is not there.
    REQUIRE(db.exec("INSERT INTO documents_fts (rowid, title, text) VALUES (999, 'ghost', 'ghost text')").ok());

    auto report = store->check();
    REQUIRE(report.ok());
    INFO([&] { std::string all; for (const auto &p : report->problems) all += p + "\n"; return all; }());
    CHECK(mentions(report->problems, "document " + A + ": its length says 5 characters, its text has 39"));
    CHECK(mentions(report->problems, "annotation 1 of document " + A + " (0-9) lies outside its text of 5 characters"));
    CHECK(mentions(report->problems, "document " + B + ": its hash does not match its text"));
    CHECK(mentions(report->problems, "search summary, the mentions of type 2 in document " + B + ": stored 7, the annotations give 1"));
    CHECK(mentions(report->problems, "annotation 1 of document " + B + " is a COMPANY but links to an entity of type PERSON"));
    CHECK(mentions(report->problems, "the full-text index does not match the documents"));
}
