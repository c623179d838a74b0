#include "core/nlp/Tagging.h"

#include "core/store/Database.h"
#include "core/nlp/Learning.h"
#include "core/store/Store.h"

#include <chrono>
#include <map>

namespace lede {

namespace {

// Shares one read of the learned names among the taggers of all threads.
struct Lessons {
    std::vector<Store::LearnedName> names;
    std::map<std::pair<std::string, std::string>, Store::ReviewCount> reviews;
    std::shared_ptr<const ner::Model> model; // the store's, over the built-in one

    static Result<Lessons> read(Store &store)
    {
        LEDE_TRY_ASSIGN(auto names, store.learnedNames());
        LEDE_TRY_ASSIGN(auto reviews, store.reviewCounts());
        LEDE_TRY_ASSIGN(auto model, storeModel(store));
        return Lessons{std::move(names), std::move(reviews), std::move(model)};
    }

    // A name the tagger guessed is not suggested again once rejected. A
    // name from the built-in lists ("Poland") is more often wrong in one
    // place ("Greater Poland") than everywhere: it stops only when the
    // analyst rejected it twice and more often than they took it; until
    // then the rejections teach the model update, which reads the place.
    bool suppressed(EntityTagger &tagger, const Store::LearnedName &l) const
    {
        if (!tagger.listed(l.type, l.surface))
            return true;
        auto it = reviews.find({l.type, l.surface});
        return it != reviews.end() && it->second.rejected >= 2 && it->second.rejected > it->second.taken;
    }

    std::unique_ptr<EntityTagger> makeTagger() const
    {
        auto tagger = EntityTagger::createDefault();
        if (!tagger)
            return nullptr;
        (*tagger)->setModel(model);
        for (const Store::LearnedName &l : names) {
            if (l.accepted)
                (*tagger)->learn(l.type, l.entity, l.surface);
            else if (suppressed(**tagger, l))
                (*tagger)->suppress(l.type, l.surface);
        }
        return std::move(*tagger);
    }
};

} // namespace

Result<std::unique_ptr<EntityTagger>> taggerForStore(Store &store)
{
    LEDE_TRY_ASSIGN(auto lessons, Lessons::read(store));
    auto tagger = lessons.makeTagger();
    if (!tagger)
        return makeError("the built-in gazetteer could not be loaded");
    return tagger;
}

Result<std::function<Annotator()>> annotatorFactory(Store &store)
{
    LEDE_TRY_ASSIGN(auto read, Lessons::read(store));
    auto lessons = std::make_shared<const Lessons>(std::move(read));
    if (!lessons->makeTagger())
        return makeError("the built-in gazetteer could not be loaded");
    std::function<Annotator()> factory = [lessons]() -> Annotator {
        std::shared_ptr<EntityTagger> tagger = lessons->makeTagger();
        if (!tagger)
            return nullptr;
        return [tagger](const std::string &text) { return tagger->suggest(text); };
    };
    return factory;
}

Result<TagReport> retagDocuments(Store &store, EntityTagger &tagger, const std::vector<std::int64_t> &requested,
                                 const std::function<void(std::size_t, std::size_t)> &progress,
                                 const std::atomic<bool> *cancel)
{
    const auto started = std::chrono::steady_clock::now();
    std::vector<std::int64_t> ids = requested;
    if (ids.empty()) {
        LEDE_TRY_ASSIGN(auto all, store.documentIds());
        ids = std::move(all);
    }
    TagReport report;
    // As in import: each document is its own savepoint, committed in
    // batches so that tagging a large store is not bound by commits.
    std::optional<Transaction> batch;
    auto batchStarted = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (cancel && cancel->load()) {
            report.cancelled = true;
            break;
        }
        if (!batch) {
            LEDE_TRY_ASSIGN(auto tx, store.transaction());
            batch.emplace(std::move(tx));
            batchStarted = std::chrono::steady_clock::now();
        }
        LEDE_TRY_ASSIGN(auto doc, store.document(ids[i]));
        auto added = store.replaceSuggestions(ids[i], tagger.suggest(doc.text));
        if (!added)
            return makeError("document " + std::to_string(ids[i]) + ": " + added.message());
        ++report.documents;
        report.suggestions += *added;
        if (std::chrono::steady_clock::now() - batchStarted > std::chrono::milliseconds(250)) {
            LEDE_TRY(batch->commit());
            batch.reset();
        }
        if (progress)
            progress(i + 1, ids.size());
    }
    if (batch) {
        LEDE_TRY(batch->commit());
    }
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return report;
}

} // namespace lede
