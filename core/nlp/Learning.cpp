#include "core/nlp/Learning.h"

#include "core/nlp/EntityTagger.h"
#include "core/store/Store.h"
#include "core/nlp/Tagging.h"
#include "core/text/Text.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <set>

namespace lede {

std::vector<ner::TagSet> allowedTags(const std::vector<Token> &tokens, std::size_t first, std::size_t last,
                                     const std::vector<ReviewedSpan> &spans)
{
    std::vector<ner::TagSet> allowed(last - first, ner::TagSet{1}); // O
    // Open spans first, then rejections, then names, so that a name the
    // analyst made wins over a rejection of another type on the same words.
    for (const ReviewedSpan::Kind kind : {ReviewedSpan::Kind::Open, ReviewedSpan::Kind::Rejected, ReviewedSpan::Kind::Name}) {
        for (const ReviewedSpan &s : spans) {
            if (s.kind != kind)
                continue;
            bool begun = false;
            for (std::size_t k = first; k < last; ++k) {
                // A token belongs to the span it starts in.
                if (tokens[k].start < s.start || tokens[k].start >= s.end)
                    continue;
                ner::TagSet &a = allowed[k - first];
                switch (kind) {
                case ReviewedSpan::Kind::Open:
                    a = ner::kAllTags;
                    break;
                case ReviewedSpan::Kind::Rejected:
                    if (s.type >= 0)
                        a = static_cast<ner::TagSet>(a == 1 ? ner::kAllTags : a)
                            & static_cast<ner::TagSet>(~((1u << ner::beginTag(s.type)) | (1u << ner::insideTag(s.type))));
                    break;
                case ReviewedSpan::Kind::Name:
                    // A type the model does not know is no name of its five.
                    a = s.type < 0 ? ner::TagSet{1}
                                   : static_cast<ner::TagSet>(1u << (begun ? ner::insideTag(s.type) : ner::beginTag(s.type)));
                    break;
                }
                begun = true;
            }
        }
    }
    return allowed;
}

Result<ReviewedSentences> reviewedSentences(Store &store, Tokenizer &tokenizer)
{
    LEDE_TRY_ASSIGN(auto ids, store.reviewedDocumentIds());
    ReviewedSentences out;
    for (const std::int64_t id : ids) {
        LEDE_TRY_ASSIGN(auto doc, store.document(id));
        LEDE_TRY_ASSIGN(auto annotations, store.annotations(id));
        std::vector<ReviewedSpan> spans;
        std::vector<std::pair<std::int64_t, std::int64_t>> reviewed; // the reviews' spans
        for (const Annotation &a : annotations) {
            ReviewedSpan s{static_cast<std::uint32_t>(a.start), static_cast<std::uint32_t>(a.end), ner::typeIndex(a.type),
                           ReviewedSpan::Kind::Name};
            if (a.status == AnnotationStatus::Rejected)
                s.kind = ReviewedSpan::Kind::Rejected;
            else if (a.status == AnnotationStatus::Suggested && a.origin != Origin::Manual)
                s.kind = ReviewedSpan::Kind::Open;
            if (s.kind != ReviewedSpan::Kind::Open)
                reviewed.emplace_back(a.start, a.end);
            spans.push_back(s);
        }
        if (reviewed.empty())
            continue;
        const std::u16string wide = text::toUtf16(doc.text);
        const std::vector<Token> tokens = tokenizer.tokenize(wide, true);
        const std::vector<std::uint8_t> hints = ner::documentHints(tokens, nullptr, wide);
        bool used = false;
        for (std::size_t a = 0; a < tokens.size();) {
            std::size_t b = a + 1;
            while (b < tokens.size() && !tokens[b].has(Token::SentenceStart) && !tokens[b].has(Token::ParagraphStart))
                ++b;
            const std::int64_t from = tokens[a].start, to = tokens[b - 1].end;
            std::size_t held = 0;
            for (const auto &[start, end] : reviewed)
                held += start < to && end > from;
            if (held > 0) {
                ner::Sentence s;
                const std::uint32_t u16 = tokens[a].u16Start;
                s.text = wide.substr(u16, tokens[b - 1].u16End - u16);
                s.tokens.assign(tokens.begin() + static_cast<std::ptrdiff_t>(a), tokens.begin() + static_cast<std::ptrdiff_t>(b));
                for (Token &t : s.tokens) {
                    t.u16Start -= u16;
                    t.u16End -= u16;
                }
                s.document.assign(hints.begin() + static_cast<std::ptrdiff_t>(a), hints.begin() + static_cast<std::ptrdiff_t>(b));
                s.allowed = allowedTags(tokens, a, b, spans);
                out.sentences.push_back(std::move(s));
                out.reviews += held;
                used = true;
            }
            a = b;
        }
        out.documents += used;
    }
    return out;
}

std::string modelId(const ner::Model &model)
{
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(model.fingerprint()));
    return hex;
}

ner::Model trainUpdate(const std::vector<ner::Sentence> &examples, const ner::Features &features,
                       std::shared_ptr<const ner::Model> base, const ModelUpdateOptions &options)
{
    std::vector<ner::Sentence> sentences;
    sentences.reserve(examples.size() * static_cast<std::size_t>(std::max(1, options.repeats)));
    for (int r = 0; r < std::max(1, options.repeats); ++r)
        sentences.insert(sentences.end(), examples.begin(), examples.end());
    ner::Model::TrainOptions train;
    train.epochs = options.epochs;
    train.seed = options.seed;
    train.minCount = 1;
    train.base = std::move(base);
    train.margin = options.margin;
    train.rate = options.rate;
    train.average = options.average;
    train.untilRight = true;
    const ner::Features lexical = features.lexical();
    if (options.lexical)
        train.updateFeatures = &lexical;
    return ner::Model::train(sentences, features, train);
}

Result<ModelUpdateReport> updateModelFromStore(Store &store, const ModelUpdateOptions &options)
{
    const auto started = std::chrono::steady_clock::now();
    std::shared_ptr<const ner::Model> base = options.base;
    if (!base) {
        LEDE_TRY_ASSIGN(auto builtIn, EntityTagger::builtInModel());
        base = builtIn;
    }
    // The features of the built-in lists alone. With the analyst's names in
    // the lists, every name of the reviewed sentences would be a list's,
    // and the update would learn that a name no list holds is no name:
    // the very names it is for.
    LEDE_TRY_ASSIGN(auto tagger, EntityTagger::createDefault());
    Tokenizer tokenizer;
    LEDE_TRY_ASSIGN(auto examples, reviewedSentences(store, tokenizer));
    ModelUpdateReport report;
    report.sentences = examples.sentences.size();
    report.documents = examples.documents;
    report.reviews = examples.reviews;
    if (examples.sentences.empty()) {
        LEDE_TRY(store.setModelUpdate(std::nullopt));
        report.removed = true;
    } else {
        const ner::Model update = trainUpdate(examples.sentences, tagger->modelFeatures(), base, options);
        Store::ModelUpdate row;
        row.base = modelId(*base);
        row.model = update.save();
        row.sentences = static_cast<std::int64_t>(report.sentences);
        row.documents = static_cast<std::int64_t>(report.documents);
        row.reviews = static_cast<std::int64_t>(report.reviews);
        row.trainedAt = static_cast<std::int64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                                      std::chrono::system_clock::now().time_since_epoch())
                                                      .count());
        report.features = update.featureCount();
        report.bytes = row.model.size();
        report.trainedAt = row.trainedAt;
        LEDE_TRY(store.setModelUpdate(row));
    }
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return report;
}

Result<std::shared_ptr<const ner::Model>> storeModel(Store &store, std::shared_ptr<const ner::Model> base)
{
    if (!base) {
        if (EntityTagger::modelSwitchedOff())
            return std::shared_ptr<const ner::Model>{};
        LEDE_TRY_ASSIGN(auto builtIn, EntityTagger::builtInModel());
        base = builtIn;
    }
    LEDE_TRY_ASSIGN(auto update, store.modelUpdate());
    if (!update || update->base != modelId(*base))
        return base;
    auto loaded = ner::Model::load(update->model);
    if (!loaded)
        return makeError("the store's model update: " + loaded.message());
    return std::shared_ptr<const ner::Model>(std::make_shared<ner::Model>(ner::Model::withBase(std::move(*loaded), base)));
}

Result<std::vector<std::int64_t>> unreviewedDocumentIds(Store &store)
{
    LEDE_TRY_ASSIGN(auto all, store.documentIds());
    LEDE_TRY_ASSIGN(auto reviewed, store.reviewedDocumentIds());
    std::vector<std::int64_t> out;
    std::set_difference(all.begin(), all.end(), reviewed.begin(), reviewed.end(), std::back_inserter(out));
    return out;
}

Result<TagReport> retagUnreviewed(Store &store, std::vector<std::int64_t> *retagged, const std::atomic<bool> *cancel)
{
    LEDE_TRY_ASSIGN(auto ids, unreviewedDocumentIds(store));
    if (ids.empty()) // retagDocuments reads an empty list as all of them
        return TagReport{};
    LEDE_TRY_ASSIGN(auto tagger, taggerForStore(store));
    auto report = retagDocuments(store, *tagger, ids, {}, cancel);
    if (report && retagged)
        retagged->assign(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(report->documents));
    return report;
}

} // namespace lede
