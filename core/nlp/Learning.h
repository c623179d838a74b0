#pragma once

#include "core/nlp/NerModel.h"
#include "core/base/Result.h"
#include "core/nlp/Tagging.h"
#include "core/text/Tokenizer.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace lede {

class EntityTagger;
class Store;

/// Learning from the analyst: the reviews in a store (manual annotations,
/// accepted and rejected suggestions) become training sentences for an
/// update of the name model, kept in the store over the model Lede ships.
///
/// A sentence takes part when it holds a review: its reviewed names are
/// what they must be, a rejected suggestion is anything but its type, a
/// suggestion still waiting is left open, and every other word is no name
/// (an analyst who corrected a sentence has read it).

/// The training sentences of a store's reviews, tokenised as the tagger
/// tokenises, with document evidence as in tagging.
struct ReviewedSentences {
    std::vector<ner::Sentence> sentences;
    std::size_t documents = 0; // documents they come from
    std::size_t reviews = 0;   // reviews they hold
};
Result<ReviewedSentences> reviewedSentences(Store &store, Tokenizer &tokenizer);

/// The allowed tags of a sentence's tokens [first, last) of `tokens` from
/// annotations given as code-point spans: exposed for tests.
struct ReviewedSpan {
    std::uint32_t start = 0, end = 0;
    int type = -1; // index in ner::kTypes; -1 for a type the model does not know
    enum class Kind { Name, Rejected, Open } kind = Kind::Name;
};
std::vector<ner::TagSet> allowedTags(const std::vector<Token> &tokens, std::size_t first, std::size_t last,
                                     const std::vector<ReviewedSpan> &spans);

struct ModelUpdateOptions {
    /// Passes at most: training stops once every reviewed sentence is read
    /// right by the margin.
    int epochs = 60;
    std::uint64_t seed = 1;
    /// How many times each reviewed sentence is read per epoch: a review
    /// is one sentence against the million the shipped model read, and
    /// repeating it lets the update learn it without many epochs.
    int repeats = 2;
    /// How far a reviewed reading must lead the others, per token (see
    /// ner::Model::TrainOptions::margin): 72 is a confidence of 0.95, above
    /// the 0.9 the tagger asks of the model before it takes a name.
    float margin = 72;
    /// The step of each correction (ner::Model::TrainOptions::rate).
    float rate = 0.1f;
    /// Learn only the features of the reviewed words themselves
    /// (ner::Features::lexical).
    bool lexical = true;
    /// Average the weights (ner::Model::TrainOptions::average).
    bool average = false;
    /// The model to update; null: the built-in one.
    std::shared_ptr<const ner::Model> base;
};

/// The update of `base` that learns `sentences` (reviewedSentences'),
/// with the features `features` (the built-in tagger's).
ner::Model trainUpdate(const std::vector<ner::Sentence> &sentences, const ner::Features &features,
                       std::shared_ptr<const ner::Model> base, const ModelUpdateOptions &options = {});

struct ModelUpdateReport {
    std::size_t sentences = 0, documents = 0, reviews = 0;
    std::size_t features = 0; // features the update holds
    std::size_t bytes = 0;
    double seconds = 0;
    std::int64_t trainedAt = 0; // Unix seconds, as the store keeps it
    bool removed = false;       // no reviews: the store's update was removed
};

/// Trains the store's model update from all of its reviews, over the
/// built-in model, with the features of the built-in lists, and keeps it
/// in the store, replacing the earlier one. A store without reviews loses
/// its update. Deterministic: the same reviews give the same bytes.
Result<ModelUpdateReport> updateModelFromStore(Store &store, const ModelUpdateOptions &options = {});

/// The model a store tags with: its update over the built-in model, or the
/// built-in model when it has none or the update was trained over another
/// model than this Lede ships; null when the built-in model is switched
/// off (LEDE_NO_MODEL=1). With `base`, the same over that model instead.
Result<std::shared_ptr<const ner::Model>> storeModel(Store &store, std::shared_ptr<const ner::Model> base = nullptr);

/// A model's fingerprint as model_updates.base keeps it.
std::string modelId(const ner::Model &model);

/// Documents none of whose annotations has been reviewed, in id order:
/// those an updated model re-tags.
Result<std::vector<std::int64_t>> unreviewedDocumentIds(Store &store);

/// Re-tags the unreviewed documents with the store's tagger (taggerForStore),
/// as after an update; `retagged` receives the ids of those it re-tagged.
Result<TagReport> retagUnreviewed(Store &store, std::vector<std::int64_t> *retagged = nullptr,
                                  const std::atomic<bool> *cancel = nullptr);

} // namespace lede
