#include "TestUtil.h"
#include "StoreTestUtil.h"

#include "core/io/Importer.h"
#include "core/search/Search.h"
#include "core/store/Store.h"
#include "core/store/StoreConnection.h"
#include "core/text/Text.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <stdexcept>

using namespace lede;

namespace {

std::string reasonFor(const ImportReport &report, const std::string &fileName)
{
    for (const ImportFailure &f : report.failures)
        if (f.path.size() >= fileName.size() && f.path.compare(f.path.size() - fileName.size(), fileName.size(), fileName) == 0)
            return f.reason;
    return {};
}

} // namespace

TEST_CASE("import reads a folder recursively with sources relative to it", "[import]")
{
    test::TempDir dir;
    dir.write("in/a.txt", "Cisco signs\n\nCisco Systems signed the accord.\n");
    dir.write("in/sub/b.md", "# Maersk recovers\n\nThe shipping company rebuilt its network.\n");
    dir.write("in/sub/c.html", "<html><head><title>Kaspersky &amp; the GRU</title><script>var x = '<p>no</p>';</script>"
                               "</head><body><h1>Ignored heading</h1><p>Caf&eacute; talk.</p><p>Second.</p></body></html>");
    dir.write("in/.hidden.txt", "should not be read");
    dir.write("in/image.png", std::string("\x89PNG\r\n\x1a\n\0\0", 10));
    auto store = test::memoryStore();
    const ImportReport report = importPaths(*store, {dir.file("in")}, {});
    CHECK(report.imported == 3);
    CHECK(report.failures.empty());
    CHECK(report.ignored == 1);

    auto docs = store->documents();
    REQUIRE(docs->size() == 3);
    CHECK((*docs)[0].source == "a.txt");
    CHECK((*docs)[0].title == "Cisco signs");
    CHECK((*docs)[1].source == "sub/b.md");
    CHECK((*docs)[1].title == "Maersk recovers");
    CHECK((*docs)[2].source == "sub/c.html");
    CHECK((*docs)[2].title == "Kaspersky & the GRU");
    auto html = store->document((*docs)[2].id);
    CHECK(html->text.find("Café talk.") != std::string::npos);
    CHECK(html->text.find("no</p>") == std::string::npos);
}

TEST_CASE("import decodes legacy and UTF-16 encodings into NFC UTF-8", "[import][encoding]")
{
    test::TempDir dir;
    dir.write("cp1252.txt", "Telef\xf3nica signed the accord on Tuesday, and Microsoft\x92s lawyers agreed.\n");
    dir.write("utf16le.txt", std::string("\xFF\xFE" "N\0o\0r\0s\0k\0 \0H\0y\0d\0r\0o\0\n\0", 26));
    dir.write("bom.txt", "\xEF\xBB\xBFZ\xC3\xBCrich office\r\nclosed\r\n");
    auto store = test::memoryStore();
    const ImportReport report = importPaths(*store, {dir.path().string()}, {});
    REQUIRE(report.failures.empty());
    REQUIRE(report.imported == 3);
    auto docs = store->documents();
    CHECK(store->document((*docs)[1].id)->text.rfind("Telefónica signed", 0) == 0);
    CHECK(store->document((*docs)[1].id)->text.find("Microsoft’s") != std::string::npos);
    CHECK(store->document((*docs)[0].id)->text == "Zürich office\nclosed\n");
    CHECK(store->document((*docs)[2].id)->text == "Norsk Hydro\n");
}

TEST_CASE("junk files fail with a reason and the batch goes on", "[import]")
{
    test::TempDir dir;
    dir.write("ok.txt", "Symantec published a report.\n");
    dir.write("empty.txt", "");
    dir.write("blank.txt", "  \n\n\t \n");
    dir.write("binary.txt", std::string("ELF\0\0\0\x01\x02\x03 binary", 16));
    dir.write("big.txt", std::string(3000, 'a'));
    dir.write("bad.json", "{\"format\": \"lede.corpus/1\", \"documents\": [");
    dir.write("other.json", "{\"hello\": 1}");
    auto store = test::memoryStore();
    ImportOptions options;
    options.maxFileSize = 2048;
    const ImportReport report = importPaths(*store, {dir.path().string(), dir.file("missing.txt")}, options);
    CHECK(report.imported == 1);
    CHECK(report.failures.size() == 7);
    CHECK(reasonFor(report, "empty.txt") == "empty file");
    CHECK(reasonFor(report, "blank.txt").find("empty") != std::string::npos);
    CHECK(reasonFor(report, "binary.txt").find("binary") != std::string::npos);
    CHECK(reasonFor(report, "big.txt").find("too large") != std::string::npos);
    CHECK(reasonFor(report, "bad.json").find("invalid JSON at line 1") != std::string::npos);
    CHECK(reasonFor(report, "other.json").find("not a Lede export") != std::string::npos);
    CHECK(reasonFor(report, "missing.txt") == "no such file or folder");
}

TEST_CASE("re-running an import adds nothing twice", "[import]")
{
    test::TempDir dir;
    for (int i = 0; i < 40; ++i)
        dir.write("batch/" + std::to_string(i) + ".txt", "Article number " + std::to_string(i) + " about WannaCry.\n");
    dir.write("batch/copy.txt", "Article number 7 about WannaCry.\r\n");
    auto store = test::memoryStore();
    const ImportReport first = importPaths(*store, {dir.file("batch")}, {});
    CHECK(first.imported == 40);
    CHECK(first.duplicates == 1);
    const ImportReport second = importPaths(*store, {dir.file("batch")}, {});
    CHECK(second.imported == 0);
    CHECK(second.duplicates == 41);
    CHECK(store->documents()->size() == 40);
}

TEST_CASE("parallel import gives the same store as a sequential one", "[import]")
{
    test::TempDir dir;
    for (int i = 0; i < 60; ++i)
        dir.write("p/" + std::to_string(1000 + i) + ".txt",
                  "Report " + std::to_string(i) + "\n\nBody " + std::string(static_cast<std::size_t>(i * 37 % 500), 'x') + "\n");
    auto sequential = test::memoryStore();
    auto parallel = test::memoryStore();
    ImportOptions one;
    one.readerThreads = 1;
    ImportOptions four;
    four.readerThreads = 4;
    importPaths(*sequential, {dir.file("p")}, one);
    importPaths(*parallel, {dir.file("p")}, four);
    auto a = sequential->documents();
    auto b = parallel->documents();
    REQUIRE(a->size() == b->size());
    for (std::size_t i = 0; i < a->size(); ++i) {
        CHECK((*a)[i].id == (*b)[i].id);
        CHECK((*a)[i].sha256 == (*b)[i].sha256);
        CHECK((*a)[i].source == (*b)[i].source);
    }
}

TEST_CASE("a reader that throws makes its file a failure; the readers stop and join however the import ends", "[import]")
{
    test::TempDir dir;
    for (int i = 0; i < 40; ++i)
        dir.write("t/" + std::to_string(100 + i) + ".txt", "Report " + std::to_string(i) + "\n\nKaspersky said so.\n");
    ImportOptions options;
    options.readerThreads = 3;
    options.makeAnnotator = [] {
        return Annotator([](const std::string &text) -> Suggestions {
            if (text.rfind("Report 7\n", 0) == 0)
                throw std::runtime_error("the annotator ran out of memory");
            return {};
        });
    };
    auto store = test::memoryStore();
    const ImportReport report = importPaths(*store, {dir.file("t")}, options);
    CHECK(report.imported == 39);
    REQUIRE(report.failures.size() == 1);
    CHECK(reasonFor(report, "107.txt") == "cannot read it: the annotator ran out of memory");

    // Cancelled before the first file: the readers, some mid-file, are
    // stopped and joined when the import returns.
    std::atomic<bool> cancel{true};
    auto other = test::memoryStore();
    const ImportReport stopped = importPaths(*other, {dir.file("t")}, options, {}, &cancel);
    CHECK(stopped.cancelled);
    CHECK(stopped.imported == 0);
    CHECK(other->documentIds()->empty());
}

TEST_CASE("a cancelled import stops between files and keeps whole files", "[import]")
{
    test::TempDir dir;
    for (int i = 0; i < 30; ++i)
        dir.write("c/" + std::to_string(100 + i) + ".txt", "Text " + std::to_string(i) + "\n");
    auto store = test::memoryStore();
    std::atomic<bool> cancel{false};
    const ImportReport report = importPaths(
        *store, {dir.file("c")}, {},
        [&](const ImportProgress &p) {
            if (p.done == 10)
                cancel = true;
        },
        &cancel);
    CHECK(report.cancelled);
    CHECK(report.imported == 10);
    CHECK(store->documents()->size() == 10);
}

TEST_CASE("a Lede JSON export comes back with its annotations marked imported", "[import][json]")
{
    const std::string json = R"({"format": "lede.corpus/1", "types": [{"name": "MALWARE", "color": "#123456"}],
      "documents": [{"title": "Grid", "source": "grid.txt", "text": "🔒 Industroyer hit Kyiv.",
        "annotations": [{"start": 2, "end": 13, "text": "Industroyer", "type": "MALWARE", "status": "accepted",
                         "entity": {"id": 9, "name": "Industroyer"}}]}]})";
    auto docs = parseLedeExport(json, false, "export.json");
    REQUIRE(docs.ok());
    REQUIRE(docs->size() == 1);
    auto store = test::memoryStore();
    auto added = store->addDocument((*docs)[0].document, (*docs)[0].annotations);
    REQUIRE(added.ok());
    auto anns = store->annotations(added->id);
    REQUIRE(anns->size() == 1);
    CHECK((*anns)[0].origin == Origin::Imported);
    CHECK((*anns)[0].status == AnnotationStatus::Accepted);
    CHECK((*anns)[0].type == "MALWARE");
    CHECK(store->type("MALWARE")->color == "#123456");
}

TEST_CASE("what an import may create is capped: titles as long as a first line, at most 100 new types a file", "[import][json]")
{
    test::TempDir dir;
    const std::string longTitle = "Tëchnology " + std::string(1 << 20, 'x');
    dir.write("long.json", R"({"format": "lede.corpus/1", "documents": [{"title": ")" + longTitle
                               + R"(", "text": "Microsoft patched it."}]})");
    dir.write("long.html", "<html><head><title>" + longTitle + "</title></head><body><p>Cisco did too.</p></body></html>");
    std::string many = R"({"format": "lede.corpus/1", "documents": [{"text": ")" + std::string(101, 'a')
                       + R"(", "annotations": [)";
    for (int i = 0; i < 101; ++i)
        many += (i ? "," : "") + std::string(R"({"start": )") + std::to_string(i) + R"(, "end": )" + std::to_string(i + 1)
                + R"(, "type": "T)" + std::to_string(i) + R"("})";
    dir.write("types.json", many + "]}]}");

    auto store = test::memoryStore();
    const ImportReport report = importPaths(*store, {dir.file("long.json"), dir.file("long.html"), dir.file("types.json")}, {});
    CHECK(report.imported == 2);
    CHECK(reasonFor(report, "types.json") == "names 101 entity types; an import takes at most 100 in one file");
    const auto documents = store->documents();
    REQUIRE(documents.ok());
    REQUIRE(documents->size() == 2);
    for (const DocumentInfo &d : *documents) {
        CHECK(text::codePointCount(d.title) == text::kMaxTitleLength);
        CHECK(d.title.rfind("Tëchnology xxx", 0) == 0);
    }
    CHECK(store->types()->size() == 5); // no type of the refused file was made
}

TEST_CASE("a JSON export with a wrong annotation is refused whole", "[import][json]")
{
    auto check = [](const std::string &annotation, const std::string &expected) {
        const std::string json = R"({"format": "lede.corpus/1", "documents": [{"text": "Mirai took down Dyn.", "annotations": [)"
            + annotation + "]}]}";
        auto docs = parseLedeExport(json, false, "x.json");
        REQUIRE_FALSE(docs.ok());
        INFO(docs.message());
        CHECK(docs.message().find(expected) != std::string::npos);
    };
    check(R"({"start": 0, "end": 50, "type": "ATTACK"})", "outside the text");
    check(R"({"start": 5, "end": 2, "type": "ATTACK"})", "outside the text");
    check(R"({"start": -1, "end": 2, "type": "ATTACK"})", "outside the text");
    check(R"({"start": 0, "end": 5, "type": "ATTACK", "text": "Mira"})", "quotes \"Mira\"");
    check(R"({"start": 0, "end": 5})", "no \"type\"");
    check(R"({"start": "0", "end": 5, "type": "ATTACK"})", "integer");
    check(R"({"start": 0, "end": 5, "type": "ATTACK", "status": "maybe"})", "unknown status");
}

TEST_CASE("JSON Lines exports are read line by line with line numbers in errors", "[import][json]")
{
    auto ok = parseLedeExport("{\"text\": \"One.\"}\n\n{\"text\": \"Two.\"}\n", true, "x.jsonl");
    REQUIRE(ok.ok());
    CHECK(ok->size() == 2);
    auto bad = parseLedeExport("{\"text\": \"One.\"}\n{\"text\": \n", true, "x.jsonl");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.message().rfind("line 2", 0) == 0);
}

TEST_CASE("an import on a full disk reports it, keeps what was stored and finishes once there is room", "[import][reliability]")
{
    test::TempDir dir;
    for (int i = 0; i < 200; ++i)
        dir.write("full/" + std::to_string(1000 + i) + ".txt",
                  "Report " + std::to_string(i) + "\n\n" + std::string(4000, static_cast<char>('a' + i % 26)) + "\n");
    auto opened = Store::open(dir.file("store.sqlite"));
    REQUIRE(opened.ok());
    Store &store = **opened;
    // The file may grow by only a few pages: SQLite then fails as on a
    // full disk.
    const auto pages = storeConnection(store).queryInt("PRAGMA page_count");
    REQUIRE(pages.ok());
    REQUIRE(storeConnection(store).exec("PRAGMA max_page_count = " + std::to_string(*pages + 40)).ok());
    const ImportReport full = importPaths(store, {dir.file("full")}, {});
    CHECK(full.failures.size() > 0);
    CHECK(full.imported < 200);
    for (const ImportFailure &f : full.failures)
        CHECK_THAT(f.reason, Catch::Matchers::Contains("full"));
    const auto kept = store.documents();
    REQUIRE(kept.ok());
    CHECK(kept->size() == full.imported);
    CHECK(*storeConnection(store).queryInt("PRAGMA integrity_check = 1") == 0); // "ok" reads as 0

    REQUIRE(storeConnection(store).exec("PRAGMA max_page_count = 1073741823").ok());
    const ImportReport again = importPaths(store, {dir.file("full")}, {});
    CHECK(again.failures.empty());
    CHECK(store.documents()->size() == 200);
    // Every document in the search index once, whichever batch failed.
    auto checked = store.check();
    REQUIRE(checked.ok());
    CHECK(checked->problems.empty());
}

TEST_CASE("a JSON export lands whole or not at all", "[import][json]")
{
    // The second document's type is no type name; the store check fails,
    // and so does a colour that is no colour.
    auto documents = [](const std::string &second) {
        return R"({"format": "lede.corpus/1", "documents": [
            {"text": "Mirai took down Dyn.", "annotations": [{"start": 0, "end": 5, "type": "ATTACK"}]},
            {"text": "Emotet came back.", "annotations": [{"start": 0, "end": 6, "type": )" + second + R"(}]},
            {"text": "Conti retired.", "annotations": [{"start": 0, "end": 5, "type": "ORGANIZATION"}]}]})";
    };
    test::TempDir dir;
    dir.write("injection.json", documents(R"("'; DROP TABLE documents; --")"));
    dir.write("colour.json", R"({"format": "lede.corpus/1", "types": [{"name": "MALWARE", "color": "red"}],
        "documents": [{"text": "Mirai took down Dyn.", "annotations": [{"start": 0, "end": 5, "type": "MALWARE"}]}]})");
    dir.write("good.json", documents(R"("MALWARE")"));
    auto store = test::memoryStore();
    const ImportReport report = importPaths(*store, {dir.file("injection.json"), dir.file("colour.json")}, {});
    CHECK(report.imported == 0);
    REQUIRE(report.failures.size() == 2);
    CHECK(reasonFor(report, "injection.json").find("document 2 annotation 1 has an invalid type") != std::string::npos);
    CHECK(reasonFor(report, "colour.json").find("colour 'red' is not of the form #RRGGBB") != std::string::npos);
    CHECK(store->documentIds()->empty());

    // A failure while storing the third document (a trigger refuses it)
    // rolls back the first two as well.
    REQUIRE(storeConnection(*store).exec("CREATE TEMP TRIGGER refuse_conti BEFORE INSERT ON documents "
                                   "WHEN new.text LIKE 'Conti%' BEGIN SELECT RAISE(ABORT, 'refused for the test'); END").ok());
    const ImportReport stored = importPaths(*store, {dir.file("good.json")}, {});
    CHECK(stored.imported == 0);
    REQUIRE(stored.failures.size() == 1);
    CHECK(stored.failures[0].reason == "cannot store it: document 3: refused for the test");
    CHECK(store->documentIds()->empty());
    CHECK(*storeConnection(*store).queryInt("SELECT count(*) FROM entity_types WHERE name = 'MALWARE'") == 0);

    REQUIRE(storeConnection(*store).exec("DROP TRIGGER refuse_conti").ok());
    const ImportReport again = importPaths(*store, {dir.file("good.json")}, {});
    CHECK(again.imported == 3);
    CHECK(again.failures.empty());
}

TEST_CASE("an import's documents are indexed for search as its batch commits, a failed file's not at all", "[import][search]")
{
    test::TempDir dir;
    auto word = [](int i) { return std::string("zeta") + static_cast<char>('a' + i / 26) + static_cast<char>('a' + i % 26); };
    for (int i = 0; i < 30; ++i)
        dir.write("many/" + std::to_string(100 + i) + ".txt", "Dispatch " + std::to_string(i) + " names the codeword " + word(i) + ".\n");
    auto store = test::memoryStore();
    ImportOptions options;
    options.makeAnnotator = [&] {
        return ImportOptions::Annotator([&](const std::string &text) {
            // The sixth file's suggestion runs past its text: that file
            // fails in the store, inside the batch.
            Suggestions out;
            if (text.find(word(5)) != std::string::npos)
                out.add(0, 10000, "COMPANY", "", "", 1.0f);
            return out;
        });
    };
    const ImportReport report = importPaths(*store, {dir.file("many")}, options);
    CHECK(report.imported == 29);
    REQUIRE(report.failures.size() == 1);
    CHECK_THAT(report.failures[0].reason, Catch::Matchers::Contains("outside the text"));
    Search search(*store);
    for (int i = 0; i < 30; ++i) {
        INFO(word(i));
        CHECK(search.search(word(i))->total == (i == 5 ? 0 : 1));
    }
    Database &db = storeConnection(*store);
    CHECK(*db.queryInt("SELECT per_row FROM index_mode") == 1);
    CHECK(db.exec("INSERT INTO documents_fts (documents_fts, rank) VALUES ('integrity-check', 1)").ok());
    auto checked = store->check();
    REQUIRE(checked.ok());
    CHECK(checked->problems.empty());
    // Added alone afterwards, a document is indexed at once.
    NewDocument alone;
    alone.text = "A dispatch alone names zetazz.";
    alone.source = "alone.txt";
    REQUIRE(store->addDocument(alone).ok());
    CHECK(search.search("zetazz")->total == 1);
}

TEST_CASE("a search index left waiting is a finding of the store's check", "[import][search]")
{
    auto store = test::memoryStore();
    REQUIRE(storeConnection(*store).exec("UPDATE index_mode SET per_row = 0").ok());
    auto checked = store->check();
    REQUIRE(checked.ok());
    REQUIRE(checked->problems.size() == 1);
    CHECK_THAT(checked->problems[0], Catch::Matchers::Contains("UPDATE index_mode SET per_row = 1"));
}

TEST_CASE("a file named twice, by another path or through a link, is read once", "[import]")
{
    test::TempDir dir;
    dir.write("in/a.txt", "Dragos named the group behind the attack.\n");
    dir.write("in/b.txt", "Mandiant named another.\n");
    std::filesystem::create_symlink(dir.file("in/a.txt"), dir.file("link.txt"));
    auto store = test::memoryStore();
    const ImportReport report = importPaths(
        *store, {dir.file("in"), dir.file("in/a.txt"), dir.file("in/../in/b.txt"), dir.file("link.txt")}, {});
    CHECK(report.files == 2);
    CHECK(report.imported == 2);
    CHECK(report.duplicates == 0);
    CHECK(report.failures.empty());
}
