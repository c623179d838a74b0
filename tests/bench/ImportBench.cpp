// Import throughput: Lede's import of generated articles (read, decode,
// normalise, hash, one transaction per file, full-text index) against the
// bare SQLite limit: the same texts inserted with one prepared statement in
// one transaction into a table with the same FTS5 index.
//
// usage: lede_bench_import [--docs N] [--size BYTES] [--threads N] [--rounds N] [--tagged-only]

#include "bench/ArticleGenerator.h"
#include "TestUtil.h"

#include "core/base/Memory.h"
#include "core/store/Database.h"
#include "core/io/Exporter.h"
#include "core/io/Importer.h"
#include "core/search/Search.h"
#include "core/store/Store.h"
#include "core/text/SearchIndexForm.h"
#include "core/nlp/Tagging.h"


#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

using namespace lede;

namespace {

double seconds(std::chrono::steady_clock::time_point since)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// The limit: one connection as Lede prepares it, one prepared statement,
// one transaction, an external-content FTS5 index with the same tokenizer.
double bareSqlite(const std::string &path, const std::vector<std::string> &texts)
{
    auto db = Database::open(path);
    if (!db || !Store::prepareConnection(**db)) {
        std::fprintf(stderr, "cannot open %s\n", path.c_str());
        return 0;
    }
    Database &d = **db;
    if (auto st = d.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                         "CREATE TABLE documents (id INTEGER PRIMARY KEY, title TEXT NOT NULL, text TEXT NOT NULL);"
                         "CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents', content_rowid='id',"
                         " tokenize=\"" + std::string(kSearchTokenizer) + "\", detail=full);"
                         "CREATE TRIGGER ai AFTER INSERT ON documents BEGIN"
                         " INSERT INTO documents_fts (rowid, title, text) VALUES (new.id, new.title, new.text); END;");
        !st) {
        std::fprintf(stderr, "schema: %s\n", st.message().c_str());
        return 0;
    }
    const auto start = std::chrono::steady_clock::now();
    (void)d.exec("BEGIN");
    auto ins = d.prepare("INSERT INTO documents (title, text) VALUES (?, ?)");
    for (const std::string &t : texts) {
        ins->bind(1, std::string_view(t).substr(0, t.find('\n'))).bind(2, t);
        if (auto st = ins->run(); !st)
            std::fprintf(stderr, "insert: %s\n", st.message().c_str());
    }
    (void)d.exec("COMMIT");
    return seconds(start);
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

std::size_t annotationCount(const std::string &path)
{
    auto db = Database::open(path);
    if (!db)
        return 0;
    auto q = (*db)->prepare("SELECT count(*) FROM annotations");
    if (!q)
        return 0;
    auto row = q->step();
    return row && *row ? static_cast<std::size_t>(q->int64(0)) : 0;
}

} // namespace

int main(int argc, char **argv)
{
    memory::returnLargeBlocksOnFree(); // as lede-cli does
    std::size_t docs = 10000;
    std::size_t size = 5000;
    unsigned threads = 0;
    bool taggedOnly = false;
    unsigned rounds = 1;
    std::size_t rateEvery = 0;
    CLI::App cli("Imports generated articles into a Lede store, and the same texts into bare SQLite.",
                 "lede_bench_import");
    cli.add_option("--docs", docs, "how many articles")->capture_default_str();
    cli.add_option("--size", size, "bytes of each article")->capture_default_str();
    cli.add_option("--threads", threads, "reader threads (0: one a core)")->capture_default_str();
    cli.add_flag("--tagged-only", taggedOnly, "the bare insert and the tagged import only (for a profiler)");
    cli.add_option("--rounds", rounds, "times each import runs (medians are printed)")->check(CLI::Range(1u, 99u));
    cli.add_option("--rate-every", rateEvery, "print the tagged import's rate over each stretch of N documents");
    CLI11_PARSE(cli, argc, argv);

    test::TempDir dir;
    bench::ArticleGenerator gen(42);
    std::vector<std::string> texts;
    std::uint64_t bytes = 0;
    for (std::size_t i = 0; i < docs; ++i) {
        texts.push_back(gen.article(size));
        bytes += texts.back().size();
        char name[64];
        std::snprintf(name, sizeof name, "articles/%03zu/%06zu.txt", i / 1000, i);
        dir.write(name, texts.back());
    }
    const double mb = static_cast<double>(bytes) / (1024.0 * 1024.0);
    std::printf("articles: %zu, %.1f MB of text (%.0f bytes each)\n", docs, mb, static_cast<double>(bytes) / static_cast<double>(docs));

    // Each round runs the three timed imports once, each into a new file:
    // on a shared machine the figures of one run vary by a third, so the
    // ratios are given for every round and as medians.
    std::vector<double> bareTimes, untaggedTimes, taggedTimes;
    for (unsigned round = 0; round < rounds; ++round) {
        const std::string suffix = "-" + std::to_string(round) + ".sqlite";
        const double bare = bareSqlite(dir.file("bare" + suffix), texts);
        bareTimes.push_back(bare);
        std::printf("bare SQLite + same FTS5, one transaction:%8.2f s  %8.0f docs/s  %6.1f MB/s\n", bare,
                    static_cast<double>(docs) / bare, mb / bare);
        ImportOptions options;
        options.readerThreads = threads;
        if (!taggedOnly) {
            auto store = Store::open(dir.file("lede" + suffix));
            if (!store) {
                std::fprintf(stderr, "%s\n", store.message().c_str());
                return 1;
            }
            const ImportReport report = importPaths(**store, {dir.file("articles")}, options);
            untaggedTimes.push_back(report.seconds);
            std::printf("lede import (files, no tagging):       %8.2f s  %8.0f docs/s  %6.1f MB/s  (%zu imported, %zu failed)\n",
                        report.seconds, static_cast<double>(report.imported) / report.seconds, mb / report.seconds,
                        report.imported, report.failures.size());
            std::printf("lede / bare: %.2fx (target: within 2x)\n", report.seconds / bare);
        }
        auto tagged = Store::open(dir.file("lede-tagged" + suffix));
        if (!tagged) {
            std::fprintf(stderr, "%s\n", tagged.message().c_str());
            return 1;
        }
        auto factory = annotatorFactory(**tagged);
        if (!factory) {
            std::fprintf(stderr, "%s\n", factory.message().c_str());
            return 1;
        }
        ImportOptions withTagger = options;
        withTagger.makeAnnotator = *factory;
        // The rate over each stretch of rateEvery documents: a store that
        // grew slower per document as it filled would show it here.
        auto stretchStart = std::chrono::steady_clock::now();
        std::size_t stretchFrom = 0;
        auto progress = [&](const ImportProgress &p) {
            if (rateEvery == 0 || (p.done - stretchFrom < rateEvery && p.done < p.total))
                return;
            const double took = seconds(stretchStart);
            std::printf("  documents %zu-%zu: %.0f docs/s\n", stretchFrom + 1, p.done,
                        static_cast<double>(p.done - stretchFrom) / took);
            std::fflush(stdout);
            stretchFrom = p.done;
            stretchStart = std::chrono::steady_clock::now();
        };
        const ImportReport r = importPaths(**tagged, {dir.file("articles")}, withTagger, progress);
        taggedTimes.push_back(r.seconds);
        std::printf("lede import with tagging:              %8.2f s  %8.0f docs/s  %6.1f MB/s  (%zu annotations)\n",
                    r.seconds, static_cast<double>(r.imported) / r.seconds, mb / r.seconds,
                    annotationCount(dir.file("lede-tagged" + suffix)));
        std::printf("tagged / bare: %.2fx (target: within 3x)\n", r.seconds / bare);
    }
    if (rounds > 1) {
        const double bare = median(bareTimes);
        std::printf("medians of %u rounds: bare %.2f s", rounds, bare);
        if (!untaggedTimes.empty())
            std::printf(", untagged %.2f s (%.2fx)", median(untaggedTimes), median(untaggedTimes) / bare);
        std::printf(", tagged %.2f s (%.2fx)\n", median(taggedTimes), median(taggedTimes) / bare);
    }
    if (taggedOnly)
        return 0;
    {
        auto memStore = Store::open(dir.file("lede-mem.sqlite"));
        if (!memStore) {
            std::fprintf(stderr, "%s\n", memStore.message().c_str());
            return 1;
        }
        const auto start = std::chrono::steady_clock::now();
        for (const std::string &t : texts) {
            NewDocument d;
            d.text = t;
            d.source = "mem";
            if (auto added = (*memStore)->addDocument(d); !added) {
                std::fprintf(stderr, "%s\n", added.message().c_str());
                return 1;
            }
        }
        const double elapsed = seconds(start);
        std::printf("lede store only (in memory texts, one transaction each): %6.2f s  %8.0f docs/s  %6.1f MB/s\n",
                    elapsed, static_cast<double>(docs) / elapsed, mb / elapsed);
    }
    auto store = Store::open(dir.file("lede-0.sqlite"));
    if (!store) {
        std::fprintf(stderr, "%s\n", store.message().c_str());
        return 1;
    }
    {
        // Reading a Lede JSON export of the imported store back (parsing
        // only: what an import of the file does before it writes).
        std::ostringstream json;
        ExportOptions exportAll;
        exportAll.format = ExportFormat::Json;
        if (auto exported = exportToStream(**store, exportAll, json); !exported) {
            std::fprintf(stderr, "%s\n", exported.message().c_str());
            return 1;
        }
        const std::string content = json.str();
        const auto start = std::chrono::steady_clock::now();
        auto parsed = parseLedeExport(content, false, "bench.json");
        const double elapsed = seconds(start);
        if (!parsed) {
            std::fprintf(stderr, "%s\n", parsed.message().c_str());
            return 1;
        }
        const double jsonMb = static_cast<double>(content.size()) / (1024.0 * 1024.0);
        std::printf("reading a JSON export (%.1f MB, %zu documents): %6.2f s  %6.1f MB/s\n", jsonMb, parsed->size(),
                    elapsed, jsonMb / elapsed);
    }
    std::error_code ec;
    std::printf("store size: %.1f MB for %.1f MB of text\n",
                static_cast<double>(std::filesystem::file_size(dir.file("lede-0.sqlite"), ec)) / (1024.0 * 1024.0), mb);
    return 0;
}
