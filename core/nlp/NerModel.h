#pragma once

#include "core/base/Result.h"
#include "core/text/Tokenizer.h"

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace lede {

class Gazetteer;

/// A learned sequence labeller for names: an averaged perceptron over BIO
/// tags of Lede's five types, decoded with Viterbi under the BIO rules (an
/// I- tag only continues its own type).
///
/// Features describe each token by itself (word, lower-case form, shape,
/// prefixes and suffixes, case and sentence position), its neighbours
/// (words and shapes two either side), and what Lede's gazetteer says of
/// it (inside a name of a type, at its start or not). They are kept as
/// 64-bit hashes of their text; a model keeps only features seen at least
/// twice in training.
namespace ner {

/// The entity types, in the order of their tags.
inline constexpr std::array<std::string_view, 5> kTypes = {"PERSON", "COMPANY", "NATION", "ATTACK", "ORGANIZATION"};
/// Tags: 0 is O; 1 + 2k is B- of type k, 2 + 2k is I- of type k.
inline constexpr int kTagCount = 1 + 2 * static_cast<int>(kTypes.size());
using TagSet = std::uint16_t; // bit t: tag t is allowed
inline constexpr TagSet kAllTags = (1u << kTagCount) - 1;
inline constexpr int beginTag(int type) { return 1 + 2 * type; }
inline constexpr int insideTag(int type) { return 2 + 2 * type; }
inline constexpr int typeOfTag(int tag) { return (tag - 1) / 2; }
inline constexpr bool isBegin(int tag) { return tag > 0 && tag % 2 == 1; }
/// The index of `name` in kTypes, or -1.
int typeIndex(std::string_view name);

/// A sentence to learn from or to tag: UTF-16 text and its tokens.
struct Sentence {
    std::u16string text;
    std::vector<Token> tokens;
    /// What the rest of the document says of each token's word (see
    /// documentHints); empty when the sentence stands alone.
    std::vector<std::uint8_t> document;
    /// For training: the tags each token may carry (one bit for a sure
    /// label, several where the data leaves the type or the name open).
    std::vector<TagSet> allowed;
};

/// A name the model found: tokens [begin, end) of the sentence.
struct Mention {
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
    int type = 0;
    /// The margin of the best path over the best path without this
    /// mention, squashed into (0, 1): near 1 when nothing else comes close.
    float confidence = 0;
};

/// What the gazetteer says of each token of a sentence: the type of the
/// name it lies in (1 + index in kTypes; kTypes.size() + 1 for a blocking
/// entry; 0 for none), whether it starts that name, and the name's length
/// in tokens (at most 4).
struct GazetteerHits {
    std::vector<std::uint8_t> type, begins, length;
    /// The tagger's word classes of each token (titles, given names, legal
    /// suffixes, organisation heads, speech verbs...: EntityTagger's word
    /// lists), as bits; empty when there are none.
    std::vector<std::uint32_t> classes;
    /// Document evidence per token (documentHints); empty when none.
    std::vector<std::uint8_t> document;
};

/// Bits of what a document says of a word, per token: kCapitalisedInside,
/// the word stands capitalised inside a sentence somewhere in the document
/// (a name, most likely); kLowerSomewhere, it stands in lower case
/// somewhere (an ordinary word). A capitalised word at a sentence start is
/// read by these. `folds` gives each token's folded form.
inline constexpr std::uint8_t kCapitalisedInside = 1, kLowerSomewhere = 2;
std::vector<std::uint8_t> documentHints(const std::vector<Token> &tokens, const std::u16string_view *folds,
                                        std::u16string_view text);

/// Hashed features of a sentence's tokens: the same function serves
/// training and tagging, so both see the same features.
class Features {
public:
    /// Word classes of a sentence's tokens, as the tagger's lists give them.
    using Classifier = std::function<std::vector<std::uint32_t>(std::u16string_view, const std::vector<Token> &)>;
    explicit Features(const Gazetteer *gazetteer = nullptr, Classifier classifier = {})
        : m_gazetteer(gazetteer), m_classifier(std::move(classifier))
    {
    }
    /// The feature hashes of every token of `s`, in one flat buffer with
    /// `offsets` (token i owns [offsets[i], offsets[i + 1])).
    void extract(const Sentence &s, std::vector<std::uint64_t> &hashes, std::vector<std::uint32_t> &offsets) const;
    /// The same for tokens [0, count) of `tokens` over `text` (offsets into
    /// the whole text), with gazetteer hits the caller found already.
    void extract(std::u16string_view text, const Token *tokens, std::size_t count, const GazetteerHits &hits,
                 std::vector<std::uint64_t> &hashes, std::vector<std::uint32_t> &offsets) const;
    /// The same for tokens [first, last) only (their neighbours still take
    /// part), with the tokens' folded forms when the caller has them
    /// (`folds`, aligned with `tokens`; null: folded here).
    void extract(std::u16string_view text, const Token *tokens, std::size_t count, const GazetteerHits &hits,
                 std::size_t first, std::size_t last, const std::u16string_view *folds,
                 std::vector<std::uint64_t> &hashes, std::vector<std::uint32_t> &offsets) const;
    /// Longest gazetteer names, left to right, over the tokens.
    GazetteerHits gazetteerHits(std::u16string_view text, const std::vector<Token> &tokens) const;
    /// The same features of the word itself only (its folded and exact
    /// forms, and each with the word before or after it), without
    /// affixes, neighbours alone, shapes, lists, word classes or document
    /// evidence: what an update learns from a few reviews without moving
    /// what the base knows of words it never saw.
    Features lexical() const;

private:
    const Gazetteer *m_gazetteer;
    Classifier m_classifier;
    std::uint64_t m_templates = ~std::uint64_t{0}; // bit t: template t is extracted
};

class Model {
public:
    Model();
    ~Model();
    Model(Model &&) noexcept;
    Model &operator=(Model &&) noexcept;

    /// Reads a model written by save(); fails naming what is wrong.
    static Result<Model> load(std::string_view bytes);
    /// The model's bytes: the same model always gives the same bytes.
    std::string save() const;

    /// The names of a sentence, in order, never overlapping.
    std::vector<Mention> tag(const Sentence &sentence, const Features &features) const;
    /// The names from features already extracted, of a stretch of tokens
    /// that follows a token tagged `previous` (-1: the sentence start).
    std::vector<Mention> tag(const std::vector<std::uint64_t> &hashes, const std::vector<std::uint32_t> &offsets,
                             int previous = -1) const;
    /// Tags from features already extracted (see Features::extract).
    std::vector<int> decode(const std::vector<std::uint64_t> &hashes, const std::vector<std::uint32_t> &offsets,
                            std::vector<float> *scores = nullptr, TagSet *constraint = nullptr, int previous = -1) const;
    /// The same; with `scoresForNamesOnly`, `scores` is left empty when
    /// no token is part of a name, which saves the backward pass.
    std::vector<int> decode(const std::vector<std::uint64_t> &hashes, const std::vector<std::uint32_t> &offsets,
                            std::vector<float> *scores, TagSet *constraint, int previous,
                            bool scoresForNamesOnly) const;

    std::size_t featureCount() const;
    /// A 64-bit hash of the bytes save() writes: which model this is.
    std::uint64_t fingerprint() const;

    /// `update` over `base`: the update's weights and transitions add to
    /// the base's. The analyst's model update in a store is such a model,
    /// trained with TrainOptions::base. save() writes the update's own
    /// weights, without its base.
    static Model withBase(Model update, std::shared_ptr<const Model> base);
    /// The base this model updates, or null.
    const Model *base() const;

    struct TrainOptions {
        int epochs = 8;
        std::uint64_t seed = 1;
        int minCount = 2; // features seen fewer times are dropped
        /// Learn an update over this model: the trained model holds only
        /// what must change and comes back over `base` (withBase).
        std::shared_ptr<const Model> base;
        /// With a base: the features the update may learn (for example
        /// Features::lexical()), the base reading the full ones; null:
        /// the same features.
        const Features *updateFeatures = nullptr;
        /// Train until each right path leads every other by this much per
        /// wrong token (0: until it is best). An update learning a few
        /// reviews needs a margin, or its averaged weights stay too small
        /// to move its base.
        float margin = 0;
        /// The size of each step: an update over a base takes small ones,
        /// so that a few reviews move the words they are about more than
        /// what the base learned of every word.
        float rate = 1;
        /// Keep the average of the weights over training (the averaged
        /// perceptron) rather than the last ones. An update of a few
        /// reviews keeps the last: its average is mostly the steps before
        /// it had learned them.
        bool average = true;
        /// Stop after the first epoch without a mistake (`epochs` is then
        /// the most there will be).
        bool untilRight = false;
        std::function<void(int epoch, std::size_t mistakes, std::size_t sentences)> progress;
    };
    /// Learns from sentences with allowed tags: where several tags are
    /// allowed, the best-scoring allowed path is the target. Deterministic:
    /// the same sentences, options and seed give the same model.
    static Model train(const std::vector<Sentence> &sentences, const Features &features, const TrainOptions &options);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

/// Mentions from a tag sequence (an I- without its B- opens a mention).
std::vector<Mention> mentionsFromTags(const std::vector<int> &tags);

} // namespace ner
} // namespace lede
