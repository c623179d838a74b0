#include "../Arguments.h"
#include "../Command.h"
#include "../Context.h"

#include "core/nlp/Tagging.h"
#include "core/store/Store.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <ostream>

namespace lede::cli {

namespace {

class TagCommand final : public Command {
public:
    TagCommand()
        : Command({"tag", "", "(re-)tag documents with the entity tagger", "usage: lede-cli tag [--all | ID...] [--quiet]",
                   R"(Runs the entity tagger again over the given documents (or all with --all).
Only unreviewed suggestions are replaced: manual, accepted and rejected
annotations stay as they are. Names you annotated or accepted are suggested
in other documents; suggestions you rejected are not made again.)",
                   {}})
    {
    }

    void declare(CLI::App &app) override
    {
        app.add_option_function<std::vector<std::string>>(
               "ID",
               [this](const std::vector<std::string> &ids) {
                   for (const std::string &v : ids)
                       m_ids.push_back(parseId(v, "document id"));
               },
               "the documents to tag")
            ->check(isId("document id"));
        app.add_flag("--all", m_all, "tag every document");
        app.add_flag("--quiet", m_quiet, "no progress line");
    }

    int run(Context &ctx) override
    {
        if (m_ids.empty() == !m_all)
            throw UsageError{"tag needs document ids or --all (not both)"};
        Store *store = ctx.store(Access::Write);
        if (!store)
            return Failed;
        auto tagger = taggerForStore(*store);
        if (!tagger)
            return ctx.fail(tagger.message());
        const bool showProgress = ctx.interactive && !m_quiet;
        auto report = retagDocuments(*store, **tagger, m_ids, [&](std::size_t done, std::size_t total) {
            if (showProgress && (done % 50 == 0 || done == total))
                ctx.err << '\r' << done << '/' << total << std::flush;
        });
        if (showProgress)
            ctx.err << "\r\033[K" << std::flush;
        if (!report)
            return ctx.fail(report.message());
        char line[128];
        std::snprintf(line, sizeof line, "tagged %zu documents, %zu suggestions in %.2f s", report->documents,
                      report->suggestions, report->seconds);
        ctx.out << line << '\n';
        return Ok;
    }

private:
    std::vector<std::int64_t> m_ids;
    bool m_all = false;
    bool m_quiet = false;
};

} // namespace

std::unique_ptr<Command> makeTagCommand() { return std::make_unique<TagCommand>(); }

} // namespace lede::cli
