#include "core/nlp/NerCorpus.h"

#include "core/nlp/EntityTagger.h"
#include "core/base/Files.h"
#include "core/text/Text.h"

#include <algorithm>
#include <filesystem>

namespace lede::ner {

namespace {

// "PERSON", "COMPANY|ORGANIZATION", "?ATTACK" -> type bits and maybe.
bool parseTypes(std::string_view label, std::uint8_t &types, bool &maybe)
{
    maybe = !label.empty() && label[0] == '?';
    if (maybe)
        label.remove_prefix(1);
    types = 0;
    while (!label.empty()) {
        const std::size_t bar = label.find('|');
        const int type = typeIndex(label.substr(0, bar));
        if (type < 0)
            return false;
        types = static_cast<std::uint8_t>(types | (1u << type));
        if (bar == std::string_view::npos)
            break;
        label.remove_prefix(bar + 1);
    }
    return types != 0;
}

struct SourceName {
    std::uint32_t u16Start, u16End;
    std::uint8_t types;
    bool maybe;
};

void finishSentence(Corpus &corpus, Tokenizer &tokenizer, std::u16string &text, std::vector<SourceName> &names)
{
    if (text.empty())
        return;
    Sentence s;
    s.text = std::move(text);
    s.tokens = tokenizer.tokenize(s.text, true);
    s.allowed.assign(s.tokens.size(), TagSet{1}); // O
    std::vector<GoldName> gold;
    std::size_t t = 0;
    for (const SourceName &n : names) {
        while (t < s.tokens.size() && s.tokens[t].u16Start < n.u16Start)
            ++t;
        std::size_t end = t;
        while (end < s.tokens.size() && s.tokens[end].u16Start < n.u16End)
            ++end;
        // A possessive or punctuation Lede split off the end is no part of
        // the name.
        while (end > t && (s.tokens[end - 1].has(Token::Possessive) || !s.tokens[end - 1].has(Token::Word)))
            --end;
        if (end == t)
            continue;
        TagSet first = n.maybe ? 1 : 0, rest = n.maybe ? 1 : 0;
        for (std::size_t k = 0; k < kTypes.size(); ++k)
            if (n.types & (1u << k)) {
                first = static_cast<TagSet>(first | (1u << beginTag(static_cast<int>(k))));
                rest = static_cast<TagSet>(rest | (1u << insideTag(static_cast<int>(k))));
            }
        s.allowed[t] = first;
        for (std::size_t k = t + 1; k < end; ++k)
            s.allowed[k] = rest;
        gold.push_back({static_cast<std::uint32_t>(t), static_cast<std::uint32_t>(end), n.types, n.maybe});
        t = end;
    }
    corpus.tokens += s.tokens.size();
    corpus.sentences.push_back(std::move(s));
    corpus.names.push_back(std::move(gold));
    text.clear();
    names.clear();
}

// Document evidence for the sentences of one document: its words are read
// over all of them, as the tagger reads a whole article. Corpora without
// documents give none.
void finishDocument(Corpus &corpus, std::size_t &documentStart)
{
    const std::size_t end = corpus.sentences.size();
    if (end > documentStart)
        corpus.documents.push_back(documentStart);
    if (end > documentStart + 1) {
        std::u16string text;
        std::vector<Token> tokens;
        for (std::size_t s = documentStart; s < end; ++s) {
            const Sentence &sentence = corpus.sentences[s];
            const auto shift = static_cast<std::uint32_t>(text.size() + 1);
            text += u'\n';
            text += sentence.text;
            for (Token t : sentence.tokens) {
                t.u16Start += shift;
                t.u16End += shift;
                tokens.push_back(t);
            }
        }
        const std::vector<std::uint8_t> hints = ner::documentHints(tokens, nullptr, text);
        std::size_t at = 0;
        for (std::size_t s = documentStart; s < end; ++s) {
            Sentence &sentence = corpus.sentences[s];
            sentence.document.assign(hints.begin() + static_cast<std::ptrdiff_t>(at),
                                     hints.begin() + static_cast<std::ptrdiff_t>(at + sentence.tokens.size()));
            at += sentence.tokens.size();
        }
    }
    documentStart = end;
}

} // namespace

void Score::add(const Score &other)
{
    for (std::size_t k = 0; k < kTypes.size(); ++k) {
        tp[k] += other.tp[k];
        fp[k] += other.fp[k];
        fn[k] += other.fn[k];
    }
    eitherTp += other.eitherTp;
    eitherFn += other.eitherFn;
    for (std::size_t b = 0; b < byConfidence.size(); ++b) {
        byConfidence[b] += other.byConfidence[b];
        rightByConfidence[b] += other.rightByConfidence[b];
    }
    for (const auto &[source, counts] : other.byProvenance) {
        byProvenance[source].first += counts.first;
        byProvenance[source].second += counts.second;
    }
}

Result<Corpus> readCorpus(const std::string &path, const std::string &name, Tokenizer &tokenizer)
{
    auto bytes = files::readFile(path, 1ull << 31);
    if (!bytes)
        return makeError(path + ": " + bytes.message());
    if (!text::isValidUtf8(*bytes))
        return makeError(path + ": not valid UTF-8");
    Corpus corpus;
    corpus.name = name;
    std::u16string text;
    std::vector<SourceName> names;
    std::size_t lineNo = 0;
    std::size_t documentStart = 0; // first sentence of the document being read
    std::string_view rest(*bytes);
    while (!rest.empty()) {
        const std::size_t nl = rest.find('\n');
        const std::string_view line = rest.substr(0, nl);
        rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
        ++lineNo;
        if (line.empty() || line.rfind("-DOCSTART-", 0) == 0) {
            finishSentence(corpus, tokenizer, text, names);
            if (!line.empty())
                finishDocument(corpus, documentStart);
            continue;
        }
        const std::size_t tab = line.rfind('\t');
        if (tab == std::string_view::npos || tab == 0)
            return makeError(path + ":" + std::to_string(lineNo) + ": expected a token, a tab and a label");
        const std::string_view token = line.substr(0, tab);
        const std::string_view label = line.substr(tab + 1);
        if (!text.empty())
            text.push_back(u' ');
        const auto start = static_cast<std::uint32_t>(text.size());
        text += text::toUtf16(token);
        const auto end = static_cast<std::uint32_t>(text.size());
        if (label == "O")
            continue;
        std::uint8_t types = 0;
        bool maybe = false;
        if (label.size() < 3 || (label[0] != 'B' && label[0] != 'I') || label[1] != '-'
            || !parseTypes(label.substr(2), types, maybe))
            return makeError(path + ":" + std::to_string(lineNo) + ": unknown label '" + std::string(label) + "'");
        const bool continues = label[0] == 'I' && !names.empty() && names.back().u16End + 1 == start
            && names.back().types == types && names.back().maybe == maybe;
        if (continues)
            names.back().u16End = end;
        else
            names.push_back({start, end, types, maybe});
    }
    finishSentence(corpus, tokenizer, text, names);
    finishDocument(corpus, documentStart);
    return corpus;
}

Result<std::vector<Corpus>> readCorpora(const std::string &folder, Tokenizer &tokenizer)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    std::vector<fs::path> dirs;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_directory(ec))
            dirs.push_back(it->path());
    if (ec)
        return makeError(folder + ": " + ec.message());
    std::sort(dirs.begin(), dirs.end());
    std::vector<Corpus> out;
    for (const fs::path &dir : dirs) {
        std::vector<fs::path> parts;
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
            if (it->path().extension() == ".conll")
                parts.push_back(it->path());
        std::sort(parts.begin(), parts.end());
        Corpus corpus;
        corpus.name = dir.filename().string();
        for (const fs::path &part : parts) {
            LEDE_TRY_ASSIGN(auto read, readCorpus(part.string(), corpus.name, tokenizer));
            const std::size_t shift = corpus.sentences.size();
            for (const std::size_t d : read.documents)
                corpus.documents.push_back(shift + d);
            for (std::size_t i = 0; i < read.sentences.size(); ++i) {
                corpus.sentences.push_back(std::move(read.sentences[i]));
                corpus.names.push_back(std::move(read.names[i]));
            }
            corpus.tokens += read.tokens;
        }
        if (!corpus.sentences.empty())
            out.push_back(std::move(corpus));
    }
    if (out.empty())
        return makeError(folder + ": no corpus (a folder of .conll files) in it");
    return out;
}

namespace {

// Compares what was found in one sentence with its gold names.
// `right`, when given, receives for each found mention whether it counts
// as right (or unsure in the data).
void score(const std::vector<Mention> &found, const std::vector<GoldName> &gold, Score &score,
           std::vector<bool> *right = nullptr)
{
    std::vector<bool> matched(gold.size(), false);
    for (const Mention &m : found) {
        const auto bucket = static_cast<std::size_t>(std::clamp(m.confidence * 10.0f, 0.0f, 9.0f));
        ++score.byConfidence[bucket];
        bool counted = false;
        for (std::size_t g = 0; g < gold.size(); ++g) {
            const GoldName &n = gold[g];
            const bool overlaps = m.begin < n.end && n.begin < m.end;
            if (!overlaps)
                continue;
            if (n.begin == m.begin && n.end == m.end && (n.types >> m.type) & 1u) {
                const bool single = (n.types & (n.types - 1)) == 0;
                if (!n.maybe && single)
                    ++score.tp[static_cast<std::size_t>(m.type)];
                else if (!n.maybe)
                    ++score.eitherTp;
                matched[g] = true;
                counted = true;
                ++score.rightByConfidence[bucket];
                break;
            }
            if (n.maybe) { // found where the data is unsure: not held against it
                counted = true;
                ++score.rightByConfidence[bucket];
                break;
            }
        }
        if (!counted)
            ++score.fp[static_cast<std::size_t>(m.type)];
        if (right)
            right->push_back(counted);
    }
    for (std::size_t g = 0; g < gold.size(); ++g) {
        if (matched[g] || gold[g].maybe)
            continue;
        const std::uint8_t types = gold[g].types;
        if ((types & (types - 1)) != 0) {
            ++score.eitherFn;
            continue;
        }
        for (std::size_t k = 0; k < kTypes.size(); ++k)
            if ((types >> k) & 1u)
                ++score.fn[k];
    }
}

} // namespace

Score evaluate(const Model &model, const Features &features, const Corpus &corpus)
{
    Score total;
    for (std::size_t s = 0; s < corpus.sentences.size(); ++s)
        score(model.tag(corpus.sentences[s], features), corpus.names[s], total);
    return total;
}

std::string provenanceFamily(std::string_view provenance)
{
    // gazetteer:curated:FILE and gazetteer:LIST, without the entry after
    // them; rules and the rest whole.
    const std::string_view prefix = provenance.starts_with("gazetteer:curated:") ? "gazetteer:curated:"
        : provenance.starts_with("gazetteer:")                                   ? "gazetteer:"
                                                                                 : "";
    if (prefix.empty())
        return std::string(provenance);
    return std::string(provenance.substr(0, provenance.find(':', prefix.size())));
}

Score evaluateTagger(EntityTagger &tagger, const Corpus &corpus)
{
    Score total;
    // Documents of more than 200 sentences are corpora without document
    // boundaries: read in stretches of 20.
    std::vector<std::size_t> starts;
    std::vector<std::size_t> bounds = corpus.documents;
    bounds.push_back(corpus.sentences.size());
    for (std::size_t d = 0; d + 1 < bounds.size(); ++d) {
        starts.push_back(bounds[d]);
        if (bounds[d + 1] - bounds[d] > 200)
            for (std::size_t s = bounds[d] + 20; s < bounds[d + 1]; s += 20)
                starts.push_back(s);
    }
    if (starts.empty() || starts.front() != 0)
        starts.insert(starts.begin(), 0);
    starts.push_back(corpus.sentences.size());
    for (std::size_t d = 0; d + 1 < starts.size(); ++d) {
        // One text of the document's sentences, a paragraph each; where each
        // sentence starts, in code points.
        std::u16string text;
        std::vector<std::uint32_t> at;
        std::uint32_t codePoints = 0;
        for (std::size_t s = starts[d]; s < starts[d + 1]; ++s) {
            if (!text.empty()) {
                text += u"\n\n";
                codePoints += 2;
            }
            at.push_back(codePoints);
            const std::u16string &t = corpus.sentences[s].text;
            text += t;
            for (std::size_t i = 0; i < t.size(); ++i)
                if (!(t[i] >= 0xDC00 && t[i] <= 0xDFFF))
                    ++codePoints;
        }
        const std::vector<TaggedSpan> spans = tagger.tag(text::toUtf8(text));
        std::vector<std::vector<Mention>> found(starts[d + 1] - starts[d]);
        std::vector<std::vector<std::string>> provenances(found.size());
        for (const TaggedSpan &span : spans) {
            const int type = typeIndex(span.type);
            if (type < 0)
                continue;
            const auto sentence = static_cast<std::size_t>(std::upper_bound(at.begin(), at.end(), span.start) - at.begin()) - 1;
            const Sentence &s = corpus.sentences[starts[d] + sentence];
            const std::uint32_t start = span.start - at[sentence], end = span.end - at[sentence];
            Mention m{0, 0, type, span.confidence};
            bool aligned = false;
            for (std::size_t t = 0; t < s.tokens.size(); ++t) {
                if (s.tokens[t].start == start)
                    m.begin = static_cast<std::uint32_t>(t);
                if (s.tokens[t].end == end) {
                    m.end = static_cast<std::uint32_t>(t + 1);
                    aligned = m.end > m.begin;
                }
            }
            if (!aligned) { // a span across tokens: wrong, whatever it is
                m.begin = 0;
                m.end = static_cast<std::uint32_t>(s.tokens.size() + 1);
            }
            found[sentence].push_back(m);
            std::string family = provenanceFamily(span.provenance);
            if (family == "model") {
                // The model's names also by their confidence, in hundredths
                // from 0.90: how its margins map onto precision.
                const int hundredths = std::clamp(static_cast<int>(span.confidence * 100.0f), 0, 99);
                family += hundredths < 90 ? " <0.90" : " 0." + std::to_string(hundredths);
            }
            provenances[sentence].push_back(std::move(family));
        }
        for (std::size_t k = 0; k < found.size(); ++k) {
            std::vector<bool> right;
            score(found[k], corpus.names[starts[d] + k], total, &right);
            for (std::size_t i = 0; i < right.size(); ++i) {
                const std::string &family = provenances[k][i];
                auto count = [&](const std::string &key) {
                    auto &[names, correct] = total.byProvenance[key];
                    ++names;
                    correct += right[i];
                };
                count(family);
                if (const std::size_t space = family.find(' '); space != std::string::npos)
                    count(family.substr(0, space)); // "model 0.93" counts as "model" too
            }
        }
    }
    return total;
}

} // namespace lede::ner
