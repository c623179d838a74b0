// Search at scale: builds a store of generated articles with entity
// annotations, then reports the index build time, the store's size against
// the raw text, and p50/p95 latency of the query kinds the issue names: a
// rare word, a word in most articles (top 50 ranked, with snippets), a
// phrase, a type-filtered query and an entity co-occurrence query.
//
// usage: lede_bench_search [--docs N] [--size BYTES] [--runs R] [--store PATH] [--reuse]
//
// --store keeps the store at PATH; with --reuse an existing store there is
// measured without building it again.
//
// The articles come from ArticleGenerator. Its 32 names are replaced, per
// article, by entities drawn from a pool of 20,000 with Zipf-like
// frequencies (a few entities in many articles, most in a handful), and
// every replaced name becomes an annotation, as the tagger would make it:
// about 70 per article, a dozen distinct entities each. People are named
// in full first and by surname after, which links aliases.

#include "bench/ArticleGenerator.h"
#include "TestUtil.h"

#include "core/store/Database.h"
#include "core/search/Search.h"
#include "core/store/Store.h"
#include "core/store/StoreConnection.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

using namespace lede;

namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

struct PoolEntity {
    std::string name;
    std::string surname; // people only
    std::string type;
};

// The names ArticleGenerator writes, longest first so that "the Lazarus
// Group" is found before shorter names that might begin it.
const std::vector<std::string> &generatorNames()
{
    static std::vector<std::string> names = [] {
        std::vector<std::string> n = {
            "Microsoft", "Cisco Systems", "Kaspersky", "Telefónica", "Maersk", "Merck", "FedEx", "Symantec",
            "Brad Smith", "Kevin Mandia", "Marcus Hutchins", "Ciaran Martin", "the United States", "Russia", "Britain",
            "North Korea", "Iran", "Ukrainian", "American", "Chinese", "WannaCry", "NotPetya", "Stuxnet", "EternalBlue",
            "Mirai", "Emotet", "the N.S.A.", "Europol", "the Lazarus Group", "Fancy Bear", "Google", "Hewlett-Packard"};
        std::sort(n.begin(), n.end(), [](const std::string &a, const std::string &b) { return a.size() > b.size(); });
        return n;
    }();
    return names;
}

class EntityPool {
public:
    explicit EntityPool(std::size_t size)
    {
        std::mt19937_64 rng(99);
        static const char *syllables[] = {"ka", "ro", "vel", "tor", "mi", "sa", "den", "lu", "zer", "qua", "bri", "no",
                                          "tek", "var", "shi", "mon", "gal", "pre", "dro", "fen", "xi", "lor", "ush", "ab"};
        auto word = [&](int parts) {
            std::string w;
            for (int i = 0; i < parts; ++i)
                w += syllables[rng() % std::size(syllables)];
            w[0] = static_cast<char>(w[0] - 'a' + 'A');
            return w;
        };
        static const char *companySuffix[] = {"Systems", "Labs", "Group", "Networks", "Holdings", "Security", "Energy"};
        static const char *orgSuffix[] = {"Institute", "Agency", "Council", "Foundation", "Alliance"};
        static const char *nations[] = {"France", "Germany", "Japan", "Brazil", "India", "Israel", "Estonia", "Poland",
                                        "Canada", "Mexico", "Turkey", "Egypt", "Kenya", "Vietnam", "Norway", "Chile"};
        std::size_t nation = 0;
        while (m_entities.size() < size) {
            const auto r = rng() % 100;
            PoolEntity e;
            if (r < 35) {
                e.surname = word(2 + static_cast<int>(rng() % 2));
                e.name = word(2) + " " + e.surname;
                e.type = "PERSON";
            } else if (r < 65) {
                e.name = word(2) + " " + companySuffix[rng() % std::size(companySuffix)];
                e.type = "COMPANY";
            } else if (r < 80) {
                e.name = "the " + word(2) + " " + orgSuffix[rng() % std::size(orgSuffix)];
                e.type = "ORGANIZATION";
            } else if (r < 83 && nation < std::size(nations)) {
                e.name = nations[nation++];
                e.type = "NATION";
            } else {
                e.name = word(2 + static_cast<int>(rng() % 2));
                e.type = "ATTACK";
            }
            m_entities.push_back(std::move(e));
        }
        // The well-known names at ranks from the head to the long tail, so
        // queries about them span common and rare entities.
        static const std::pair<const char *, const char *> famous[] = {
            {"Microsoft", "COMPANY"},   {"Russia", "NATION"},        {"the United States", "NATION"},
            {"Kaspersky", "COMPANY"},   {"WannaCry", "ATTACK"},      {"Maersk", "COMPANY"},
            {"NotPetya", "ATTACK"},     {"Telefónica", "COMPANY"},   {"Europol", "ORGANIZATION"},
            {"Stuxnet", "ATTACK"},      {"Merck", "COMPANY"},        {"Fancy Bear", "ATTACK"},
            {"Cisco Systems", "COMPANY"}, {"the Lazarus Group", "ORGANIZATION"}, {"Emotet", "ATTACK"},
            {"Mirai", "ATTACK"}};
        const std::size_t ranks[] = {0, 1, 3, 9, 20, 45, 90, 150, 250, 400, 700, 1200, 2000, 3000, 5000, 9000};
        for (std::size_t i = 0; i < std::size(famous) && ranks[i] < size; ++i)
            m_entities[ranks[i]] = {famous[i].first, "", famous[i].second};
        m_entities[5] = {"Brad Smith", "Smith", "PERSON"};

        // Zipf's law with exponent 1: rank r drawn with weight 1/(r+1).
        m_cumulative.resize(size);
        double total = 0;
        for (std::size_t r = 0; r < size; ++r)
            m_cumulative[r] = total += 1.0 / static_cast<double>(r + 1);
    }

    std::size_t draw(std::mt19937_64 &rng) const
    {
        const double x = std::uniform_real_distribution<double>(0, m_cumulative.back())(rng);
        return static_cast<std::size_t>(std::lower_bound(m_cumulative.begin(), m_cumulative.end(), x) - m_cumulative.begin());
    }

    const PoolEntity &operator[](std::size_t i) const { return m_entities[i]; }
    std::size_t size() const { return m_entities.size(); }

private:
    std::vector<PoolEntity> m_entities;
    std::vector<double> m_cumulative;
};

std::size_t codePoints(std::string_view s)
{
    std::size_t n = 0;
    for (const char c : s)
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

// Rewrites an article's names into the document's entities and returns
// the annotations for them.
std::vector<NewAnnotation> castEntities(std::string &text, const EntityPool &pool, std::mt19937_64 &rng)
{
    std::vector<std::size_t> cast;
    const std::size_t wanted = 8 + rng() % 12;
    for (int tries = 0; cast.size() < wanted && tries < 100; ++tries) {
        const std::size_t e = pool.draw(rng);
        if (std::find(cast.begin(), cast.end(), e) == cast.end())
            cast.push_back(e);
    }
    const auto &names = generatorNames();
    std::vector<bool> named(cast.size(), false);
    std::vector<NewAnnotation> anns;
    std::string out;
    out.reserve(text.size() + text.size() / 4);
    std::size_t cp = 0;
    for (std::size_t i = 0; i < text.size();) {
        const bool wordStart = i == 0 || text[i - 1] == ' ' || text[i - 1] == '\n';
        std::size_t match = names.size();
        if (wordStart)
            for (std::size_t n = 0; n < names.size(); ++n) {
                const std::string &name = names[n];
                if (text.compare(i, name.size(), name) == 0
                    || (name.rfind("the ", 0) == 0 && text.compare(i, 4, "The ") == 0
                        && text.compare(i + 4, name.size() - 4, name, 4) == 0)) {
                    match = n;
                    break;
                }
            }
        if (match == names.size()) {
            out += text[i];
            cp += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
            ++i;
            continue;
        }
        const std::size_t slot = match % cast.size();
        const PoolEntity &e = pool[cast[slot]];
        const bool surname = !e.surname.empty() && named[slot];
        named[slot] = true;
        std::string surface = surname ? e.surname : e.name;
        if (i == 0 || (out.size() >= 2 && out[out.size() - 2] == '.'))
            surface[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(surface[0])));
        NewAnnotation a;
        a.start = static_cast<std::int64_t>(cp);
        a.end = static_cast<std::int64_t>(cp + codePoints(surface));
        a.type = e.type;
        a.entityName = e.name;
        a.origin = Origin::Auto;
        a.status = AnnotationStatus::Suggested;
        anns.push_back(std::move(a));
        out += surface;
        cp += codePoints(surface);
        i += names[match].size();
    }
    text = std::move(out);
    return anns;
}

std::string rareWord(std::size_t k)
{
    static const char *parts[] = {"zor", "vex", "quil", "marn", "thep", "gosk", "plin", "dwer", "yob", "kesh"};
    return std::string(parts[k % 10]) + parts[(k / 10) % 10] + parts[(k / 100) % 10] + "a";
}

struct Latency {
    std::vector<double> ms;
    double percentile(double p) const
    {
        std::vector<double> v = ms;
        std::sort(v.begin(), v.end());
        if (v.empty())
            return 0;
        const auto i = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size()))) - 1;
        return v[std::min(i, v.size() - 1)];
    }
};

} // namespace

int main(int argc, char **argv)
{
    std::size_t docs = 100000;
    std::size_t size = 5000;
    int runs = 5;
    std::string keep;
    bool reuse = false;
    CLI::App cli("Times searches over a store of generated articles.", "lede_bench_search");
    cli.add_option("--docs", docs, "how many articles")->capture_default_str();
    cli.add_option("--size", size, "bytes of each article")->capture_default_str();
    cli.add_option("--runs", runs, "runs of each query")->capture_default_str();
    cli.add_option("--store", keep, "build (or with --reuse, read) the store here and keep it");
    cli.add_flag("--reuse", reuse, "search the --store as it is, without building it");
    CLI11_PARSE(cli, argc, argv);
    test::TempDir dir;
    const std::string path = keep.empty() ? dir.file("search.sqlite") : keep;
    const bool build = !(reuse && std::filesystem::exists(path));
    if (build) {
        std::error_code ec;
        std::filesystem::remove(path, ec);
        std::filesystem::remove(path + "-wal", ec);
        std::filesystem::remove(path + "-shm", ec);
    }

    auto opened = Store::open(path);
    if (!opened) {
        std::fprintf(stderr, "%s\n", opened.message().c_str());
        return 1;
    }
    Store &store = **opened;
    Database &db = storeConnection(store);

    if (build) {
        const EntityPool pool(20000);
        bench::ArticleGenerator gen(2024);
        std::mt19937_64 rng(7);
        std::uint64_t annotations = 0;
        double generating = 0;
        const auto start = Clock::now();
        // Batches of 1000 articles per transaction, as an import of a
        // folder would commit them.
        for (std::size_t i = 0; i < docs; ++i) {
            if (i % 1000 == 0 && !db.exec("BEGIN").ok())
                return 1;
            const auto g = Clock::now();
            NewDocument d;
            d.text = gen.article(size);
            if (rng() % 50 == 0) {
                // About 200 rare words, each in about ten articles.
                const auto pos = d.text.find(". ", d.text.size() / 2);
                if (pos != std::string::npos)
                    d.text.insert(pos + 2, "Analysts traced it to " + rareWord(rng() % 200) + ". ");
            }
            auto anns = castEntities(d.text, pool, rng);
            d.source = "generated/" + std::to_string(i) + ".txt";
            annotations += anns.size();
            generating += msSince(g);
            auto added = store.addDocument(d, anns);
            if (!added) {
                std::fprintf(stderr, "article %zu: %s\n", i, added.message().c_str());
                return 1;
            }
            if ((i + 1) % 1000 == 0 || i + 1 == docs) {
                if (!db.exec("COMMIT").ok())
                    return 1;
                std::fprintf(stderr, "\r%zu/%zu", i + 1, docs);
            }
        }
        const double importMs = msSince(start) - generating;
        std::fprintf(stderr, "\r");
        std::printf("import: %zu articles, %llu annotations in %.1f s (%.0f articles/s; text generation excluded)\n",
                    docs, static_cast<unsigned long long>(annotations), importMs / 1000,
                    static_cast<double>(docs) / (importMs / 1000));

        (void)db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }

    // Latency ------------------------------------------------------------
    Search search(store);
    SearchOptions options;
    options.limit = 50;
    {
        const auto t = Clock::now();
        auto first = search.search("security", options);
        std::printf("first query after opening (loads the ranking cache): %.1f ms\n", msSince(t));
        if (!first)
            return 1;
    }

    const std::vector<std::string> common = {"security", "network", "government", "attack", "data",
                                             "researchers", "officials", "malware", "ransomware", "systems"};
    const std::vector<std::string> types = {"ATTACK", "COMPANY", "PERSON", "NATION", "ORGANIZATION"};
    std::vector<std::string> rare, phrases, filtered;
    for (std::size_t k = 0; k < 10; ++k)
        rare.push_back(rareWord(k * 17 + 3));
    phrases = {"\"the government\"",        "\"security researchers\"", "\"critical infrastructure\"",
               "\"according to\"",          "\"last year\"",             "\"stolen credentials\"",
               "\"the attack\"",            "\"data breach\"",           "\"network security\"",
               "\"intelligence agency\""};
    for (std::size_t k = 0; k < 10; ++k)
        filtered.push_back(common[k] + " type:" + types[k % types.size()]);

    // Entities for co-occurrence: a spread from the head of the Zipf
    // distribution to its tail.
    auto listed = search.entities({"", "", 2000, 0});
    std::vector<std::string> cooccur;
    std::vector<std::int64_t> cooccurDocs;
    if (listed) {
        for (std::size_t rank : {25, 60, 120, 200, 300, 450, 600, 800, 1200, 1900})
            if (rank < listed->size()) {
                cooccur.push_back((*listed)[rank].name);
                cooccurDocs.push_back((*listed)[rank].documents);
            }
    }

    struct Kind {
        const char *name;
        std::vector<std::string> queries;
        bool cooccurrence = false;
    };
    const std::vector<Kind> kinds = {{"rare word", rare},
                                     {"word in most articles (top 50)", common},
                                     {"phrase", phrases},
                                     {"word + type filter", filtered},
                                     {"entity co-occurrence", cooccur, true},
                                     {"prefix (ransom*, secur*, ...)", {"ransom*", "secur*", "intel*", "vuln*", "infra*"}},
                                     {"filter only (type:ATTACK, ...)", {"type:ATTACK", "type:COMPANY", "type:PERSON"}}};
    auto measure = [&](const char *label) {
        std::printf("\nlatency %s, %d runs of each query, top 50 with snippets and match positions:\n", label, runs);
        std::printf("  %-34s %8s %8s %8s   %s\n", "query kind", "p50 ms", "p95 ms", "max ms", "matches (first query)");
        for (const Kind &k : kinds) {
            Latency lat;
            std::string matches;
            for (std::size_t q = 0; q < k.queries.size(); ++q) {
                for (int r = 0; r <= runs; ++r) {
                    const auto t = Clock::now();
                    std::int64_t total = 0;
                    if (k.cooccurrence) {
                        auto c = search.cooccurring(k.queries[q], {"COMPANY", 20});
                        if (!c) {
                            std::fprintf(stderr, "%s: %s\n", k.queries[q].c_str(), c.message().c_str());
                            return false;
                        }
                        total = cooccurDocs[q];
                    } else {
                        auto res = search.search(k.queries[q], options);
                        if (!res) {
                            std::fprintf(stderr, "%s: %s\n", k.queries[q].c_str(), res.message().c_str());
                            return false;
                        }
                        total = res->total;
                    }
                    const double ms = msSince(t);
                    if (r > 0) // the first run warms the page cache
                        lat.ms.push_back(ms);
                    if (q == 0 && r == 0)
                        matches = k.queries[q] + ": " + std::to_string(total) + (k.cooccurrence ? " documents" : " hits");
                }
            }
            std::printf("  %-34s %8.1f %8.1f %8.1f   %s\n", k.name, lat.percentile(0.5), lat.percentile(0.95),
                        lat.percentile(1.0), matches.c_str());
        }
        return true;
    };

    if (!measure(build ? "as imported (index built incrementally)" : "on the reused store"))
        return 1;
    if (build) {
        // What migration 4 does to an existing store: rebuild the index.
        const auto rebuild = Clock::now();
        if (auto st = db.exec("INSERT INTO documents_fts (documents_fts) VALUES ('rebuild')"); !st) {
            std::fprintf(stderr, "rebuild: %s\n", st.message().c_str());
            return 1;
        }
        std::printf("\nfull-text index build (rebuild of %zu articles, as migration 4 does): %.1f s\n", docs,
                    msSince(rebuild) / 1000);
        (void)db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
        if (!measure("after the rebuild"))
            return 1;
    }

    std::printf("\nco-occurrence (companies next to an entity) for entities in (documents): ");
    for (std::size_t i = 0; i < cooccur.size(); ++i)
        std::printf("%s%s (%lld)", i ? ", " : "", cooccur[i].c_str(), static_cast<long long>(cooccurDocs[i]));
    std::printf("\n");
    if (listed && !listed->empty()) {
        const auto t = Clock::now();
        auto head = search.cooccurring((*listed)[0].name, {"", 20});
        std::printf("co-occurrence of the most frequent entity, %s (%lld documents), all types: %.1f ms\n",
                    (*listed)[0].name.c_str(), static_cast<long long>((*listed)[0].documents), msSince(t));
        (void)head;
    }

    // Sizes, of the store as migrated (index rebuilt) -----------------------
    {
        const std::int64_t raw =
            *db.queryInt("SELECT sum(length(CAST(text AS BLOB)) + length(CAST(title AS BLOB))) FROM documents");
        const std::int64_t count = *db.queryInt("SELECT count(*) FROM documents");
        std::error_code ec;
        const auto file = static_cast<double>(std::filesystem::file_size(path, ec));
        auto group = [&](const char *where) {
            return static_cast<double>(*db.queryInt(std::string("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE ") + where));
        };
        const double mb = 1024.0 * 1024.0;
        const double text = group("name IN ('documents', 'sqlite_autoindex_documents_1')");
        const double fts = group("name LIKE 'documents_fts%'");
        const double ann = group("name = 'annotations' OR name LIKE 'annotations_%'");
        const double summaries =
            group("name LIKE 'document_types%' OR name LIKE 'document_entities%' OR name LIKE 'entity_stats%'");
        const double entities = group("name LIKE 'entit%' AND name NOT LIKE 'entity_stats%'");
        std::printf("store: %lld articles, raw text %.1f MB; file %.1f MB = %.2fx raw\n", static_cast<long long>(count),
                    static_cast<double>(raw) / mb, file / mb, file / static_cast<double>(raw));
        std::printf("  documents %.1f MB + full-text index %.1f MB = %.2fx raw (index alone %.2fx)\n", text / mb, fts / mb,
                    (text + fts) / static_cast<double>(raw), fts / static_cast<double>(raw));
        std::printf("  annotations %.1f MB, search summaries %.1f MB, entities and aliases %.1f MB\n", ann / mb,
                    summaries / mb, entities / mb);
    }

    return 0;
}
