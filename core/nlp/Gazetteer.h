#pragma once

#include "core/base/Result.h"
#include "core/text/Tokenizer.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lede {

/// A list of names mapped to entities, matched over tokens: a trie whose
/// edges are folded tokens, so lookup costs one hash probe per token and
/// does not grow with the number of names.
///
/// A name is written as prose writes it ("U.S.", "Hewlett-Packard") and is
/// tokenised with the same Tokenizer as the text, so both sides agree on
/// what a token is. A case-sensitive name matches only text written
/// exactly so; any other name matches in any capitalisation that starts
/// with a capital (or exactly, when the name itself starts in lower case,
/// as "iSIGHT" does).
class Gazetteer {
public:
    struct Entity {
        std::string type;
        std::string canonical;
        bool nonEntity = false; // blocks tagging, as for "Geneva Conventions"
        std::string source;     // the list: "mitre-attack:S0368", "curated:nations", "learned"
    };

    struct Match {
        std::uint32_t begin = 0; // first token
        std::uint32_t end = 0;   // one past the last token
        std::uint32_t entity = 0;
    };

    static constexpr std::uint32_t kNoToken = 0xFFFFFFFFu;

    Gazetteer();
    ~Gazetteer();
    Gazetteer(Gazetteer &&) noexcept;
    Gazetteer &operator=(Gazetteer &&) noexcept;

    /// Adds a name for an entity (created on first use of type+canonical).
    /// Returns the entity's index.
    std::uint32_t add(std::string_view type, std::string_view canonical, std::string_view form, bool caseSensitive,
                      bool nonEntity = false, std::string_view source = {});

    /// Reads the TSV format of resources/gazetteers (TYPE, canonical,
    /// aliases separated by '|', flags, source; '=' prefixes a
    /// case-sensitive form). Malformed lines are reported with their number.
    Status loadTsv(std::string_view tsv);

    /// The id of a folded token, adding it to the vocabulary when new. Ids
    /// are dense from 0, so callers can keep per-token data in a vector.
    std::uint32_t internToken(std::u16string_view folded);

    std::size_t entityCount() const;
    std::size_t formCount() const;
    const Entity &entity(std::uint32_t index) const;

    /// Folded token ids for a tokenised text, one per token (kNoToken for
    /// tokens no name uses). Compute once per text and pass to longestMatch.
    std::vector<std::uint32_t> tokenIds(std::u16string_view text, const std::vector<Token> &tokens) const;
    std::vector<std::uint32_t> tokenIds(const FoldedTokens &folded) const;

    /// The longest name starting at token `at`, if any.
    std::optional<Match> longestMatch(std::u16string_view text, const std::vector<Token> &tokens,
                                      const std::vector<std::uint32_t> &ids, std::size_t at) const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace lede
