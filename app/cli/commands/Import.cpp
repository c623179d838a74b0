#include "../Arguments.h"
#include "../Command.h"
#include "../Context.h"

#include "core/io/Importer.h"
#include "core/nlp/Tagging.h"
#include "core/store/Store.h"
#include "core/text/Text.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ostream>

namespace lede::cli {

namespace {

std::string formatDuration(double seconds)
{
    const auto s = static_cast<long>(seconds + 0.5);
    char buf[32];
    if (s >= 3600)
        std::snprintf(buf, sizeof buf, "%ldh%02ldm", s / 3600, (s / 60) % 60);
    else if (s >= 60)
        std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
    else
        std::snprintf(buf, sizeof buf, "%lds", s);
    return buf;
}

class ImportCommand final : public Command {
public:
    ImportCommand()
        : Command({"import", "PATH...", "import files and folders (txt, md, html, Lede json/jsonl)", {},
                   R"(Imports files and folders (recursively). Formats by extension: .txt .md
.html/.htm and Lede's own .json/.jsonl exports. Encodings: UTF-8 (with or
without BOM), UTF-16 with BOM, and legacy single-byte encodings (detected).
Articles already in the store (same text) count as duplicates. A file that
cannot be read is reported with its reason and the rest go on. New articles
are tagged: people, companies, nations, attacks and organisations become
suggestions to review.)",
                   R"(A Lede export (.json, .jsonl) of documents the store has already merges
their annotations into the stored ones: annotations the store lacks are
added, a review (accepted, rejected, manual) wins over an unreviewed
suggestion, and where both stores reviewed a span differently the newer
change is kept and counted as a conflict. Each file lands whole or not at
all.

Prints: imported N, duplicates D[, merged M annotations, C conflicts], failed F in T s
Exit status 1 when any file failed.)"})
    {
    }

    void declare(CLI::App &app) override
    {
        app.add_flag("--no-tag", m_noTag, "import without tagging");
        app.add_option_function<std::string>(
               "--max-size", [this](const std::string &v) { m_options.maxFileSize = parseSize(v); },
               "largest file to read, e.g. 20MB (the default), 500KB, 1GB")
            ->type_name("SIZE")
            ->check(isSize());
        app.add_option_function<std::string>(
               "--threads",
               [this](const std::string &v) {
                   m_options.readerThreads = static_cast<unsigned>(std::clamp<std::int64_t>(parseId(v, "thread count"), 1, 64));
               },
               "reader threads (default: cores - 1)")
            ->type_name("N")
            ->check(isId("thread count"));
        app.add_flag("--quiet", m_quiet, "no progress line");
        app.add_option("PATH", m_paths)->type_name(kPath);
    }

    int run(Context &ctx) override
    {
        if (m_paths.empty())
            throw UsageError{"import needs at least one file or folder"};
        Store *store = ctx.store(Access::Write);
        if (!store)
            return Failed;
        if (!m_noTag) {
            auto factory = annotatorFactory(*store);
            if (!factory)
                return ctx.fail(factory.message());
            m_options.makeAnnotator = std::move(*factory);
        }

        const bool showProgress = ctx.interactive && !m_quiet;
        auto lastDraw = std::chrono::steady_clock::now() - std::chrono::seconds(1);
        bool drew = false;
        auto progress = [&](const ImportProgress &p) {
            const auto now = std::chrono::steady_clock::now();
            if (!showProgress || (now - lastDraw < std::chrono::milliseconds(100) && p.done != p.total))
                return;
            lastDraw = now;
            drew = true;
            const double rate = p.seconds > 0 ? static_cast<double>(p.done) / p.seconds : 0;
            const double eta = rate > 0 ? static_cast<double>(p.total - p.done) / rate : 0;
            std::string name = text::forTerminal(p.currentFile);
            if (name.size() > 40)
                name = "…" + name.substr(name.size() - 39);
            char line[256];
            std::snprintf(line, sizeof line, "\r%zu/%zu  %.0f files/s  %.1f MB/s  ETA %s  %-40s", p.done, p.total, rate,
                          p.seconds > 0 ? static_cast<double>(p.bytes) / (1024.0 * 1024.0) / p.seconds : 0.0,
                          formatDuration(eta).c_str(), name.c_str());
            ctx.err << line << std::flush;
        };
        const ImportReport report = importPaths(*store, m_paths, m_options, progress);
        if (drew)
            ctx.err << "\r\033[K" << std::flush;
        for (const ImportFailure &f : report.failures)
            ctx.err << text::forTerminal(f.path) << ": " << text::forTerminal(f.reason) << '\n';
        if (report.ignored > 0)
            ctx.err << "lede-cli: skipped " << report.ignored << (report.ignored == 1 ? " file" : " files")
                    << " in folders with extensions Lede does not import\n";
        std::string merged;
        if (report.mergedDocuments > 0)
            merged = ", merged " + std::to_string(report.mergedAnnotations)
                + (report.mergedAnnotations == 1 ? " annotation, " : " annotations, ") + std::to_string(report.conflicts)
                + (report.conflicts == 1 ? " conflict" : " conflicts");
        char summary[200];
        std::snprintf(summary, sizeof summary, "imported %zu, duplicates %zu%s, failed %zu in %.2f s", report.imported,
                      report.duplicates, merged.c_str(), report.failures.size(), report.seconds);
        ctx.out << summary << '\n';
        return report.failures.empty() ? Ok : Failed;
    }

private:
    ImportOptions m_options;
    std::vector<std::string> m_paths;
    bool m_noTag = false;
    bool m_quiet = false;
};

} // namespace

std::unique_ptr<Command> makeImportCommand() { return std::make_unique<ImportCommand>(); }

} // namespace lede::cli
