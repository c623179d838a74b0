// The tagger's document pass: a name read once is read alike wherever
// else it stands in the document.
#include "core/nlp/TaggerContext.h"

#include <unordered_map>
#include <unordered_set>

namespace lede {

// Document-level consistency: every name tagged once, and a person's
// surname or a company's first word, is tagged alike wherever else it
// stands untagged.
void EntityTagger::propagateKnown(Context &cx)
{
    const std::vector<Token> &tokens = cx.tokens;
    const std::size_t n = tokens.size();
    // Every name tagged once, and a
    // person's surname or a company's first word, is tagged alike wherever
    // else it stands untagged.
    struct Known {
        Kind kind;
        std::string type;
        std::string canonical;
        float confidence; // of the name it repeats
        bool partOfCompany = false; // a company's name without its head
    };
    std::unordered_map<std::u16string, Known> known;
    std::size_t maxKeyTokens = 1;
    const std::size_t spanCount = cx.spans.size();
    // Longer names first, so that "Smith" means the "Brad Smith" of this
    // document rather than a bare "Smith" met before him.
    std::vector<std::size_t> order(spanCount);
    for (std::size_t si = 0; si < spanCount; ++si)
        order[si] = si;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return cx.spans[a].end - cx.spans[a].begin > cx.spans[b].end - cx.spans[b].begin;
    });
    for (const std::size_t si : order) {
        const Span &s = cx.spans[si];
        if (s.type.empty() || s.kind == Kind::Block)
            continue;
        auto [entry, added] = known.try_emplace(cx.key(s.begin, s.end));
        if (added)
            entry->second = Known{s.kind, s.type, s.canonical.empty() ? cx.surfaceUtf8(s.begin, s.end) : s.canonical,
                                  s.confidence};
        const std::string &canonical = entry->second.canonical;
        maxKeyTokens = std::max<std::size_t>(maxKeyTokens, s.end - s.begin);
        if (s.kind == Kind::Person && s.end - s.begin >= 2) {
            std::size_t lastTok = s.end - 1;
            if (tokens[lastTok].has(Token::Word) && tokens[lastTok].has(Token::Capitalized)
                && !cx.is(lastTok, W::Stop))
                known.emplace(std::u16string(cx.fold(lastTok)), Known{s.kind, s.type, canonical, s.confidence * 0.95f});
            // "Brad Smith" also as "Smith-Jones"? no: surnames only.
        }
        if (s.kind == Kind::Company && s.end - s.begin >= 2 && tokens[s.begin].has(Token::Capitalized)
            && cx.is(s.end - 1, W::CompanyHead) && !cx.is(s.begin, W::Stop))
            known.emplace(std::u16string(cx.fold(s.begin)), Known{s.kind, s.type, canonical, s.confidence * 0.95f});
        // And its name without the head: "Harbin Ridge" of "Harbin Ridge
        // Trading", "Eastlight Logistics" of "Eastlight Logistics LLC".
        std::size_t head = s.end - 1;
        if (head > s.begin && cx.isChar(head, u'.'))
            --head;
        if (s.kind == Kind::Company && head >= s.begin + 2 && cx.is(head, W::CompanyHead) && !cx.is(s.begin, W::Stop)
            && cx.isNameWord(head - 1))
            known.emplace(cx.key(s.begin, head), Known{s.kind, s.type, canonical, s.confidence * 0.95f, true});
    }
    // A person found by a rule under a surname alone ("Mr. Smith") is the
    // person of that surname named in full elsewhere in the document.
    for (Span &s : cx.spans) {
        if (s.kind != Kind::Person || s.fromGazetteer || s.end - s.begin != 1)
            continue;
        auto it = known.find(cx.key(s.begin, s.end));
        if (it != known.end() && it->second.kind == Kind::Person)
            s.canonical = it->second.canonical;
    }
    // A person's surname that is also a nation's name ("Lisa Monaco") is
    // the person where a person stands: before or after a speech verb,
    // after a title; "officials in Monaco" stay with the nation.
    for (Span &s : cx.spans) {
        if (s.kind != Kind::Nation || s.end - s.begin != 1)
            continue;
        auto it = known.find(cx.key(s.begin, s.end));
        if (it == known.end() || it->second.kind != Kind::Person)
            continue;
        const std::size_t at = s.begin;
        if (at >= 1 && (cx.fold(at - 1) == u"in" || cx.fold(at - 1) == u"of" || cx.fold(at - 1) == u"from"))
            continue; // "officials in Monaco said": the place
        const bool speechAfter = at + 1 < n
            && (cx.is(at + 1, W::Speech) || (cx.isChar(at + 1, u',') && at + 2 < n && cx.is(at + 2, W::Speech)));
        const bool before = at >= 1 && (cx.is(at - 1, W::Speech) || cx.is(at - 1, W::Title)
                                        || (cx.isChar(at - 1, u'.') && at >= 2 && cx.is(at - 2, W::Title)));
        if (!speechAfter && !before)
            continue;
        s.kind = Kind::Person;
        s.type = it->second.type;
        s.canonical = it->second.canonical;
        s.fromGazetteer = false;
        s.provenance = "document";
        s.confidence = it->second.confidence;
    }
    // First tokens of the known names, by hash: most capitalised words are
    // ruled out without building a key.
    std::unordered_set<std::size_t> firstTokens;
    for (const auto &[k, v] : known)
        firstTokens.insert(std::hash<std::u16string_view>{}(std::u16string_view(k).substr(0, k.find(u'\x1f'))));
    for (std::size_t i = 0; i < n; ++i) {
        if (cx.owner[i] >= 0 || !tokens[i].has(Token::Word) || !tokens[i].has(Token::Capitalized)
            || cx.is(i, W::Stop) || !firstTokens.count(std::hash<std::u16string_view>{}(cx.fold(i))))
            continue;
        for (std::size_t len = std::min(maxKeyTokens, n - i); len >= 1; --len) {
            if (!cx.free(i, i + len))
                continue;
            auto it = known.find(cx.key(i, i + len));
            if (it == known.end())
                continue;
            // A longer capitalised name continues past the match: "Smith
            // Barney" is not Mr. Smith.
            if (i + len < n && cx.isNameWord(i + len) && !tokens[i + len].has(Token::SentenceStart)
                && !tokens[i + len].has(Token::NewlineBefore) && it->second.kind == Kind::Person && len == 1)
                break;
            // As sure as the name it repeats (a part of it a little less).
            Span repeated(static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(i + len), it->second.kind,
                          it->second.type, it->second.canonical, false);
            repeated.partOfCompany = it->second.partOfCompany;
            cx.add(std::move(repeated), "document", it->second.confidence);
            i += len - 1;
            break;
        }
    }

}

} // namespace lede
