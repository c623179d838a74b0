#pragma once

#include "core/nlp/Gazetteer.h"
#include "core/store/Domain.h"
#include "core/nlp/NerModel.h"
#include "core/base/Result.h"
#include "core/text/Tokenizer.h"
#include "core/text/WordTable.h"

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace lede {

/// A name the tagger found: code-point offsets over the text it was given,
/// a type, and the canonical name of the entity it refers to.
struct TaggedSpan {
    std::uint32_t start = 0;
    std::uint32_t end = 0;
    std::string type;
    std::string entity;
    /// Why: "gazetteer:LIST:ID" (gazetteer:mitre-attack:S0368,
    /// gazetteer:sp500:MSFT, gazetteer:curated:nations, gazetteer:learned
    /// for the analyst's names), "rule:NAME" (rule:title,
    /// rule:legal-suffix...), "model", or "document" for a name repeated
    /// from elsewhere in the document.
    std::string provenance = {};
    /// How sure the tagger is, 0-1: the model's confidence for its names,
    /// the measured precision of a list or rule for theirs.
    float confidence = 1.0f;

    bool operator==(const TaggedSpan &) const = default;
};

/// Finds PERSON, COMPANY, NATION, ATTACK and ORGANIZATION names in news
/// text, following the annotation guidelines: gazetteer matches (longest
/// first, no overlaps), rules for names in no list (titles, given names,
/// speech verbs, appositions, legal suffixes, organisation and company
/// heads, attack cue words), then document-level consistency, so that
/// "Smith" after "Brad Smith" is the same person and a name tagged once is
/// tagged alike everywhere in the document.
///
/// An EntityTagger holds ICU iterators: use one per thread. Tagging is
/// read-only on the gazetteer and never fails; junk text yields no spans.
class EntityTagger {
public:
    /// A tagger with the built-in gazetteers and given names.
    static Result<std::unique_ptr<EntityTagger>> createDefault();

    /// `commonWords` are words that, capitalised at a sentence start, are
    /// read as ordinary words rather than names.
    EntityTagger(Gazetteer gazetteer, std::vector<std::string> givenNames, std::vector<std::string> commonWords = {});
    ~EntityTagger();

    /// Adds a name the analyst annotated or accepted: it is suggested
    /// wherever it appears (case-sensitively when `caseSensitive`).
    void learn(std::string_view type, std::string_view canonical, std::string_view surface);
    /// Stops suggesting `surface` as `type` (the analyst rejected it).
    void suppress(std::string_view type, std::string_view surface);
    /// Whether the built-in lists (not the analyst's names) hold `surface`,
    /// whole, as a name of `type`.
    bool listed(std::string_view type, std::string_view surface);

    /// Tags UTF-8 text (NFC, "\n"); spans are sorted and never overlap.
    /// A text longer than kWholeTextBytes (a book, a log, a report's
    /// collected annexes, not an article) is tagged in parts of about
    /// kPartBytes cut at paragraph breaks, so that memory stays bounded by
    /// the part, not the text; each part's names are then consistent
    /// within the part.
    std::vector<TaggedSpan> tag(std::string_view utf8);
    /// The same names as unreviewed suggestions for the store, in their
    /// compact form, built part by part: a 20 MB text's names never exist
    /// as TaggedSpans all at once.
    Suggestions suggest(std::string_view utf8);
    static constexpr std::size_t kWholeTextBytes = 1u << 20;
    static constexpr std::size_t kPartBytes = 256u << 10;

    /// The learned name model that decides names no list or rule settles
    /// (createDefault gives the built-in one); null: rules alone.
    void setModel(std::shared_ptr<const ner::Model> model);
    /// The built-in model, loaded once per process.
    static Result<std::shared_ptr<const ner::Model>> builtInModel();
    /// LEDE_NO_MODEL=1: tag with the lists and rules alone, to compare.
    static bool modelSwitchedOff();
    /// Names the model finds with less confidence are not taken.
    static constexpr float kModelConfidence = 0.9f;
    /// Another threshold, to measure the choice (lede-cli train --cross).
    void setModelConfidence(float threshold) { m_modelConfidence = threshold; }

    const Gazetteer &gazetteer() const { return m_gazetteer; }
    /// The word classes of tokens (bits of the tagger's word lists), for the
    /// name model's features in training as in tagging.
    std::vector<std::uint32_t> tokenClasses(std::u16string_view text, const std::vector<Token> &tokens) const;
    /// Features as this tagger gives them to its model.
    ner::Features modelFeatures() const;

    struct Context; // the working state of one tag() call
    struct Passes;  // each pass on its own, for its tests (TaggerContext.h)
    struct Run {    // a stretch of capitalised name words, in tokens
        std::size_t begin, end;
    };

private:
    // tag() for one text or part of one, offsets from its start.
    std::vector<TaggedSpan> tagWhole(std::string_view utf8);
    // Tags the text whole or in parts, handing each part's spans, with
    // offsets over the whole text, to `take`.
    template <typename Take> void tagParts(std::string_view utf8, Take take);

    // The passes of tag(), in order (Tagger*.cpp).
    static void markHeadlines(Context &cx);
    void applyGazetteer(Context &cx);
    static std::vector<Run> buildRuns(Context &cx);
    bool applyModel(Context &cx);
    void propagateKnown(Context &cx);
    void takeMention(Context &cx, std::uint32_t begin, std::uint32_t end, const ner::Mention &m);
    void propagateAliases(Context &cx);
    void propagateLists(Context &cx, const std::vector<Run> &runs);
    void dropNonNationUses(Context &cx);
    Gazetteer m_gazetteer;
    Tokenizer m_tokenizer;
    std::vector<std::uint32_t> wordClasses(const std::vector<std::uint32_t> &ids) const;
    std::vector<std::uint32_t> m_tokenClasses; // word-class bits by gazetteer token id
    std::set<std::pair<std::string, std::u16string>> m_suppressed; // (type, folded surface)
    std::shared_ptr<const ner::Model> m_model;
    float m_modelConfidence = kModelConfidence;
    ner::Features m_features = modelFeatures();
};

} // namespace lede
