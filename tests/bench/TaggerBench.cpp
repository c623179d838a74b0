// Tagging throughput on generated article text, gazetteer load time, peak
// memory, and the matcher's speed with a gazetteer grown to a million names.
//
// usage: lede_bench_tagger [--mb N] [--names N] [--files DIR]
//
// --files DIR tags the .txt articles of DIR instead (repeated up to --mb),
// the text ../shared/peers/run-compromise.sh tags, for comparing speeds.

#include "bench/ArticleGenerator.h"

#include "core/nlp/EmbeddedResources.h"
#include "core/nlp/EntityTagger.h"
#include "core/base/Files.h"
#include "core/text/Text.h"

#include <CLI/CLI.hpp>

#include <sys/resource.h>
#include <time.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <algorithm>
#include <string>
#include <vector>

using namespace lede;

namespace {

double secondsSince(std::chrono::steady_clock::time_point t)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

double peakMb()
{
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return static_cast<double>(ru.ru_maxrss) / 1024.0;
}

double threadCpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// Tags every article once; returns MB/s of this thread's CPU time (steady
// when other work shares the machine) and the number of spans.
std::pair<double, std::size_t> run(EntityTagger &tagger, const std::vector<std::string> &articles, double mb)
{
    std::size_t spans = 0;
    const double cpu = threadCpuSeconds();
    const auto start = std::chrono::steady_clock::now();
    for (const std::string &a : articles)
        spans += tagger.tag(a).size();
    const double cpuSeconds = threadCpuSeconds() - cpu;
    std::printf("  (%.2f s wall, %.2f s CPU)\n", secondsSince(start), cpuSeconds);
    return {mb / cpuSeconds, spans};
}

// Made-up multi-word names that never occur in the generated articles but
// share their first tokens with real words, so the trie is exercised.
std::string syntheticName(std::size_t i)
{
    static const char *heads[] = {"Northern", "Global", "United", "First", "Blue", "Red", "Silver", "Iron",
                                  "Quantum", "Atlas", "Delta", "Summit", "Crescent", "Harbor", "Pioneer", "Vector"};
    static const char *tails[] = {"Systems", "Holdings", "Partners", "Labs", "Group", "Networks", "Capital", "Works"};
    std::string name = heads[i % 16];
    name += ' ';
    std::size_t x = i / 16;
    do {
        name += static_cast<char>('A' + x % 26);
        name += "xq"[x % 2];
        x /= 26;
    } while (x > 0);
    name += ' ';
    name += tails[(i / 7) % 8];
    return name;
}

} // namespace

int main(int argc, char **argv)
{
    double targetMb = 50;
    std::size_t names = 1000000;
    std::string files;
    CLI::App cli("Tags generated or real articles and prints the tagger's speed, load times and memory.",
                 "lede_bench_tagger");
    cli.add_option("--mb", targetMb, "megabytes of text to tag")->capture_default_str();
    cli.add_option("--names", names, "most distinct names in generated text")->capture_default_str();
    cli.add_option("--files", files, "tag the .txt articles of this folder instead of generated text");
    CLI11_PARSE(cli, argc, argv);

    std::vector<std::string> articles;
    std::size_t bytes = 0;
    if (!files.empty()) {
        std::vector<std::string> read;
        std::vector<std::filesystem::path> paths;
        for (const auto &entry : std::filesystem::directory_iterator(files))
            if (entry.path().extension() == ".txt")
                paths.push_back(entry.path());
        std::sort(paths.begin(), paths.end());
        for (const auto &p : paths) {
            auto text = files::readFile(p.string(), 64u << 20);
            if (text)
                read.push_back(text::normalize(*text));
        }
        if (read.empty()) {
            std::fprintf(stderr, "%s: no .txt articles\n", files.c_str());
            return 1;
        }
        while (static_cast<double>(bytes) < targetMb * 1024 * 1024)
            for (const std::string &a : read) {
                articles.push_back(a);
                bytes += a.size();
            }
        std::printf("articles of %s: %zu files, repeated\n", files.c_str(), read.size());
    } else {
        bench::ArticleGenerator gen(7);
        while (static_cast<double>(bytes) < targetMb * 1024 * 1024) {
            articles.push_back(gen.article(5000));
            bytes += articles.back().size();
        }
    }
    const double mb = static_cast<double>(bytes) / (1024.0 * 1024.0);
    std::printf("text: %zu articles, %.1f MB\n", articles.size(), mb);

    const auto modelStart = std::chrono::steady_clock::now();
    auto model = EntityTagger::builtInModel();
    const double modelMs = secondsSince(modelStart) * 1000;
    if (!model) {
        std::fprintf(stderr, "%s\n", model.message().c_str());
        return 1;
    }
    std::printf("name model load: %.1f ms (%zu features; target < 200 ms)\n", modelMs, (*model)->featureCount());
    const auto loadStart = std::chrono::steady_clock::now();
    auto tagger = EntityTagger::createDefault();
    const double loadMs = secondsSince(loadStart) * 1000;
    if (!tagger) {
        std::fprintf(stderr, "%s\n", tagger.message().c_str());
        return 1;
    }
    std::printf("gazetteer load: %.1f ms (%zu entities, %zu names; target < 100 ms)\n", loadMs,
                (*tagger)->gazetteer().entityCount(), (*tagger)->gazetteer().formCount());

    auto [rate, spans] = run(**tagger, articles, mb);
    std::printf("tagging, one core: %.1f MB/s of CPU time, %zu spans (target >= 20 MB/s)\n", rate, spans);
    std::printf("peak memory: %.0f MB\n", peakMb());
    if (!files.empty())
        return 0;

    // The same tagger with a million more names.
    const auto growStart = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < names; ++i)
        (*tagger)->learn("COMPANY", "", syntheticName(i));
    std::printf("grown by %zu names in %.1f s (%zu names in all)\n", names, secondsSince(growStart),
                (*tagger)->gazetteer().formCount());
    auto [bigRate, bigSpans] = run(**tagger, articles, mb);
    std::printf("tagging with the grown gazetteer: %.1f MB/s, %zu spans (%.2fx the speed with the built-in one; target "
                "within 2x)\n",
                bigRate, bigSpans, rate / bigRate);
    std::printf("peak memory: %.0f MB\n", peakMb());
    return 0;
}
