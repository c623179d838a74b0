#include "../Arguments.h"
#include "../Command.h"
#include "../Context.h"

#include "core/store/Store.h"
#include "core/text/Text.h"

#include <CLI/CLI.hpp>

#include <optional>
#include <ostream>

namespace lede::cli {

namespace {

class AnnotateCommand final : public Command {
public:
    AnnotateCommand()
        : Command({"annotate", "ID ...", "add, remove, retype, accept or reject annotations",
                R"(usage: lede-cli annotate ID --add START END TYPE [--entity NAME]
       lede-cli annotate ID --remove ANN
       lede-cli annotate ID --retype ANN TYPE
       lede-cli annotate ID --accept ANN
       lede-cli annotate ID --reject ANN)",
                   R"(Changes the annotations of document ID. START and END are code-point
offsets (END exclusive). ANN is the annotation's number in the document,
as `show --list` and `annotate --add` print it; its full id, as exports
write it, is accepted too. A new annotation is manual and accepted, linked to
the entity NAME (default: the annotated text).)",
                   {}})
    {
    }

    void declare(CLI::App &app) override
    {
        app.add_option_function<std::string>(
               "ID", [this](const std::string &v) { m_documentId = parseId(v, "document id"); }, "the document's id")
            ->check(isId("document id"));
        auto *add = app.add_option("--add", m_add, "a manual annotation over the code points START to END")
                        ->type_name("START END TYPE")
                        ->expected(3)
                        ->allow_extra_args(false)
                        ->check(isId("start offset").application_index(0))
                        ->check(isId("end offset").application_index(1));
        app.add_option("--entity", m_entity, "the entity the new annotation names")->type_name("NAME")->needs(add);
        auto *remove = app.add_option("--remove", m_remove, "remove an annotation")->type_name("ANN")->check(isId("annotation number"));
        auto *retype = app.add_option("--retype", m_retype, "give an annotation another type")
                           ->type_name("ANN TYPE")
                           ->expected(2)
                           ->allow_extra_args(false)
                           ->check(isId("annotation number").application_index(0));
        auto *accept = app.add_option("--accept", m_accept, "accept a suggestion")->type_name("ANN")->check(isId("annotation number"));
        auto *reject = app.add_option("--reject", m_reject, "reject a suggestion")->type_name("ANN")->check(isId("annotation number"));
        m_actions = {add, remove, retype, accept, reject};
        for (CLI::Option *a : m_actions)
            for (CLI::Option *b : m_actions)
                if (a != b)
                    a->excludes(b);
    }

    int run(Context &ctx) override
    {
        if (!m_documentId)
            throw UsageError{"annotate needs one document id"};
        std::size_t given = 0;
        for (const CLI::Option *a : m_actions)
            given += a->count() > 0;
        if (given != 1)
            throw UsageError{"annotate needs one of --add, --remove, --retype, --accept, --reject"};
        const std::int64_t docId = *m_documentId;
        Store *store = ctx.store(Access::Write);
        if (!store)
            return Failed;
        if (auto doc = store->document(docId); !doc)
            return ctx.fail(doc.message());

        auto describe = [&](std::int64_t annId) {
            auto a = store->annotation(annId);
            auto doc = store->document(docId);
            if (!a || !doc)
                return std::string();
            return "[" + text::forTerminal(text::sliceCodePoints(doc->text, static_cast<std::size_t>(a->start), static_cast<std::size_t>(a->end)))
                + "]{" + a->type + "} " + std::to_string(a->start) + "-" + std::to_string(a->end) + " "
                + std::string(toString(a->status));
        };
        // The other actions name an annotation of this document by its
        // number in the document, or by its full id.
        auto owned = [&](const std::string &text) -> Result<std::int64_t> {
            const std::int64_t number = parseId(text, "annotation number");
            const std::int64_t annId = number <= kMaxAnnotationNumber ? annotationId(docId, number) : number;
            auto a = store->annotation(annId);
            if (!a)
                return makeError("document " + std::to_string(docId) + " has no annotation " + text);
            if (a->documentId != docId)
                return makeError("annotation " + text + " belongs to document " + std::to_string(a->documentId) + ", not "
                                 + std::to_string(docId));
            return annId;
        };

        if (!m_add.empty()) {
            NewAnnotation a;
            a.start = parseId(m_add[0], "start offset");
            a.end = parseId(m_add[1], "end offset");
            a.type = m_add[2];
            a.entityName = m_entity;
            a.origin = Origin::Manual;
            a.status = AnnotationStatus::Accepted;
            auto id = store->addAnnotation(docId, a);
            if (!id)
                return ctx.fail("document " + std::to_string(docId) + ": " + id.message());
            ctx.out << "added annotation " << annotationNumber(*id) << ": " << describe(*id) << '\n';
            return Ok;
        }
        const std::string &named = !m_remove.empty() ? m_remove
            : !m_retype.empty()                      ? m_retype[0]
            : !m_accept.empty()                      ? m_accept
                                                     : m_reject;
        auto annId = owned(named);
        if (!annId)
            return ctx.fail(annId.message());
        Status st;
        if (!m_remove.empty())
            st = store->removeAnnotation(*annId);
        else if (!m_retype.empty())
            st = store->retypeAnnotation(*annId, m_retype[1]);
        else
            st = store->setAnnotationStatus(*annId, !m_accept.empty() ? AnnotationStatus::Accepted : AnnotationStatus::Rejected);
        if (!st)
            return ctx.fail("annotation " + std::to_string(annotationNumber(*annId)) + ": " + st.message());
        if (!m_remove.empty())
            ctx.out << "removed annotation " << annotationNumber(*annId) << '\n';
        else
            ctx.out << "annotation " << annotationNumber(*annId) << ": " << describe(*annId) << '\n';
        return Ok;
    }

private:
    std::optional<std::int64_t> m_documentId;
    std::vector<std::string> m_add;
    std::string m_entity;
    std::string m_remove;
    std::vector<std::string> m_retype;
    std::string m_accept;
    std::string m_reject;
    std::vector<CLI::Option *> m_actions;
};

} // namespace

std::unique_ptr<Command> makeAnnotateCommand() { return std::make_unique<AnnotateCommand>(); }

} // namespace lede::cli
