// A Lede store in the hands of stock SQLite: Debian's sqlite3 shell, which
// knows none of Lede's functions or tokenizer, checks it, dumps it into a
// copy Lede opens and searches, and writes an entity and an annotation in
// plain SQL that Lede then shows with exact summaries.

#include "TestUtil.h"

#include "core/search/Search.h"
#include "core/store/DeskOperations.h"
#include "core/store/Store.h"
#include "core/text/Text.h"

#include <catch2/catch.hpp>

#include <cstdio>
#include <string>

using namespace lede;

namespace {

// Runs `command` in the shell and returns what it printed (stdout and
// stderr), with its exit status in `status`.
std::string shell(const std::string &command, int &status)
{
    std::string out;
    FILE *pipe = ::popen((command + " 2>&1").c_str(), "r");
    REQUIRE(pipe != nullptr);
    char buffer[4096];
    while (const std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe))
        out.append(buffer, n);
    status = ::pclose(pipe);
    return out;
}

std::string stockSql(const std::string &path, const std::string &sql)
{
    int status = 0;
    std::string out = shell(std::string(LEDE_SQLITE3_SHELL) + " '" + path + "' \"" + sql + "\"", status);
    INFO(sql << " gave " << out);
    CHECK(status == 0);
    return out;
}

NewAnnotation over(const std::string &text, const std::string &covered, const std::string &type,
                   const std::string &entity = "")
{
    const std::size_t byte = text.find(covered);
    REQUIRE(byte != std::string::npos);
    NewAnnotation a;
    a.start = static_cast<std::int64_t>(text::codePointCount(std::string_view(text).substr(0, byte)));
    a.end = a.start + static_cast<std::int64_t>(text::codePointCount(covered));
    a.type = type;
    a.entityName = entity;
    a.origin = Origin::Manual;
    a.status = AnnotationStatus::Accepted;
    return a;
}

} // namespace

TEST_CASE("stock SQLite checks a Lede store, dumps it into one Lede reads, and writes names Lede shows", "[store][sqlite3]")
{
    REQUIRE(std::string(LEDE_SQLITE3_SHELL).size() > 0); // scripts/setup.sh installs Debian's sqlite3
    test::TempDir dir;
    const std::string path = dir.file("store.sqlite");
    const std::string text = "Telefónica said Kaspersky found WannaCry 🔒 on its network, and the Zephyr Group denied it.\n";
    {
        auto store = Store::open(path);
        REQUIRE(store.ok());
        NewDocument doc;
        doc.title = "Outage";
        doc.source = "outage.txt";
        doc.text = text;
        REQUIRE((*store)->addDocument(doc, {over(text, "Telefónica", "COMPANY"),
                                            over(text, "Kaspersky", "COMPANY", "Kaspersky Lab"),
                                            over(text, "WannaCry", "ATTACK")})
                    .ok());
    }

    {
        // Unicode61 alone would read this as one word: the store keeps its
        // index form, which stock SQLite searches as Lede does.
        auto store = Store::open(path);
        REQUIRE(store.ok());
        NewDocument doc;
        doc.title = "北京报告";
        doc.source = "beijing.txt";
        doc.text = "微软公司在北京发布了关于网络攻击的报告。Straße\n";
        REQUIRE((*store)->addDocument(doc).ok());
    }

    CHECK(stockSql(path, "PRAGMA integrity_check") == "ok\n");
    CHECK(stockSql(path, "PRAGMA foreign_key_check").empty());
    // The full-text index, through SQLite's own tokenizer.
    CHECK(stockSql(path, "INSERT INTO documents_fts (documents_fts, rank) VALUES ('integrity-check', 1)").empty());
    CHECK(stockSql(path, "SELECT id FROM documents_index_form") == "2\n"); // only the Chinese article needs one
    CHECK(stockSql(path, "SELECT rowid FROM documents_fts WHERE documents_fts MATCH 'network'") == "1\n");
    CHECK(stockSql(path, "SELECT rowid FROM documents_fts WHERE documents_fts MATCH 'telefonica'") == "1\n");
    CHECK(stockSql(path, "SELECT rowid FROM documents_fts WHERE documents_fts MATCH '北京'") == "2\n");
    CHECK(stockSql(path, "SELECT rowid FROM documents_fts WHERE documents_fts MATCH 'strasse'") == "2\n");

    SECTION("documents written and deleted in plain SQL keep the index whole, and Lede finds them")
    {
        stockSql(path, "INSERT INTO documents (title, source, sha256, text, length, imported_at) "
                      "VALUES ('Note', 'note.txt', 'f00d', 'Sandworm struck again.', 22, '2026-01-01T00:00:00Z'); "
                      "DELETE FROM documents WHERE id = 2");
        CHECK(stockSql(path, "INSERT INTO documents_fts (documents_fts, rank) VALUES ('integrity-check', 1)").empty());
        CHECK(stockSql(path, "SELECT count(*) FROM documents_index_form") == "0\n");
        auto store = Store::open(path);
        REQUIRE(store.ok());
        Search search(**store);
        CHECK(search.search("sandworm")->total == 1);
        CHECK(search.search("北京")->total == 0);
    }

    SECTION("a dump restored by the shell is a store Lede opens and searches")
    {
        const std::string copy = dir.file("copy.sqlite");
        int status = 0;
        const std::string out = shell(std::string(LEDE_SQLITE3_SHELL) + " '" + path + "' .dump | " + LEDE_SQLITE3_SHELL
                                          + " '" + copy + "'",
                                      status);
        INFO(out);
        REQUIRE(status == 0);
        CHECK(stockSql(copy, "PRAGMA integrity_check") == "ok\n");
        auto store = Store::open(copy);
        REQUIRE(store.ok());
        Search search(**store);
        auto found = search.search("network");
        REQUIRE(found.ok());
        CHECK(found->total == 1);
        CHECK(search.search("北京")->total == 1);
        CHECK(search.search("strasse")->total == 1);
        auto byAlias = search.findEntities("KASPERSKY");
        REQUIRE(byAlias.ok());
        CHECK(byAlias->size() == 1);
        CHECK(search.search("entity:\"Kaspersky Lab\"")->total == 1);
    }

    SECTION("an entity and an annotation written in plain SQL show up with exact summaries")
    {
        const std::size_t byte = text.find("Zephyr Group");
        const auto start = text::codePointCount(std::string_view(text).substr(0, byte));
        stockSql(path, "INSERT INTO entities (type_id, name) VALUES ((SELECT id FROM entity_types WHERE name = 'ORGANIZATION'), "
                      "'Zephyr Group'); "
                      "INSERT INTO annotations (id, start, length, type_id, entity_id, origin, status, created_at) "
                      "VALUES ((1 << 32) + 100, " + std::to_string(start) + ", 12, "
                      "(SELECT id FROM entity_types WHERE name = 'ORGANIZATION'), last_insert_rowid(), 1, 1, unixepoch())");
        CHECK(stockSql(path, "PRAGMA integrity_check") == "ok\n");
        CHECK(stockSql(path, "SELECT count(*) FROM entities WHERE folded IS NULL") == "1\n");
        {
            // Read-only: nothing is filled in, and the name is found all the same.
            Store::OpenOptions readOnly;
            readOnly.readOnly = true;
            auto store = Store::open(path, readOnly);
            REQUIRE(store.ok());
            auto annotations = (*store)->annotations(1);
            REQUIRE(annotations.ok());
            REQUIRE(annotations->size() == 4);
            CHECK(annotations->back().entityName == "Zephyr Group");
            CHECK(text::sliceCodePoints(text, static_cast<std::size_t>(annotations->back().start),
                                        static_cast<std::size_t>(annotations->back().end)) == "Zephyr Group");
            Search search(**store);
            CHECK(search.findEntities("zephyr group")->size() == 1);
            EntityListOptions prefix;
            prefix.prefix = "zeph";
            auto listed = search.entities(prefix);
            REQUIRE(listed.ok());
            REQUIRE(listed->size() == 1);
            CHECK(listed->front().name == "Zephyr Group");
            CHECK(listed->front().mentions == 1); // the summary trigger ran under stock SQLite
            CHECK(listed->front().documents == 1);
            auto summaries = documentSummaries(**store, {1});
            REQUIRE(summaries.ok());
            REQUIRE(summaries->size() == 1);
        }
        // Opened for writing, Lede fills in the folded name.
        REQUIRE(Store::open(path).ok());
        CHECK(stockSql(path, "SELECT folded FROM entities WHERE name = 'Zephyr Group'") == "zephyr group\n");
        CHECK(stockSql(path, "SELECT count(*) FROM entities WHERE folded IS NULL") == "0\n");
        CHECK(stockSql(path, "PRAGMA integrity_check") == "ok\n");
    }
}
