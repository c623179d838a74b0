#pragma once

#include "core/nlp/NerModel.h"
#include "core/base/Result.h"

#include <array>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace lede {
class EntityTagger;
}

namespace lede::ner {

/// A name as training data gives it: tokens [begin, end) of a sentence,
/// the types it may have (bit k: kTypes[k]), and whether it may also be no
/// name at all.
struct GoldName {
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
    std::uint8_t types = 0;
    bool maybe = false;
};

/// Sentences to learn from, retokenised as Lede tokenises text, so that
/// training and tagging see the same tokens.
struct Corpus {
    std::string name;
    std::vector<Sentence> sentences;
    std::vector<std::vector<GoldName>> names; // per sentence
    std::vector<std::size_t> documents;       // index of each document's first sentence
    std::size_t tokens = 0;
};

/// Reads a file of scripts/ner/relabel.py's training format (token, TAB,
/// label; blank lines between sentences; "-DOCSTART-" lines). The tokens
/// of a sentence are joined by spaces and tokenised with `tokenizer`; a
/// name covers the Lede tokens that start inside it. Fails on a malformed
/// label, naming the line.
Result<Corpus> readCorpus(const std::string &path, const std::string &name, Tokenizer &tokenizer);

/// Every corpus of `folder`: each sub-folder is one corpus, named as the
/// folder, holding *.conll files (read in name order). Corpora come sorted
/// by name.
Result<std::vector<Corpus>> readCorpora(const std::string &folder, Tokenizer &tokenizer);

/// Precision and recall counts per type, exact spans. Names the data
/// gives two possible types (most corpora's ORG: a company or another
/// body) are counted apart, in `either`: found when the model gives one
/// of the types.
struct Score {
    std::array<std::size_t, kTypes.size()> tp{}, fp{}, fn{};
    std::size_t eitherTp = 0, eitherFn = 0;
    /// Found names by confidence, in tenths: how many, and how many right
    /// (or unsure in the data), to choose a threshold on held-out text.
    std::array<std::size_t, 10> byConfidence{}, rightByConfidence{};
    /// evaluateTagger's names by provenanceFamily(): how many, how many right.
    std::map<std::string, std::pair<std::size_t, std::size_t>> byProvenance;
    void add(const Score &other);
};

/// Tags every sentence of `corpus` and compares with its names. A name the
/// data leaves open ("maybe") is neither missed nor wrongly found; one of
/// several possible types is right when the model gives any of them.
Score evaluate(const Model &model, const Features &features, const Corpus &corpus);

/// The same for the whole tagger (lists, rules, the model it holds and
/// document-level consistency), reading each document of the corpus as
/// one text, a paragraph a sentence. Corpora without documents are read
/// in stretches of 20 sentences.
Score evaluateTagger(EntityTagger &tagger, const Corpus &corpus);

/// A TaggedSpan::provenance without its entry: "gazetteer:mitre-attack",
/// "gazetteer:curated:nations", "rule:title", "model".
std::string provenanceFamily(std::string_view provenance);

} // namespace lede::ner
