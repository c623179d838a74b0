#include "core/nlp/NerModel.h"

#include "core/nlp/Gazetteer.h"
#include "core/text/Hash.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <random>
#include <stdexcept>

namespace lede::ner {

int typeIndex(std::string_view name)
{
    for (std::size_t i = 0; i < kTypes.size(); ++i)
        if (kTypes[i] == name)
            return static_cast<int>(i);
    return -1;
}

namespace {

// Feature hashes: FNV-1a over the UTF-16 units of a value, combined with
// the template number by a mixer so that nearby values spread.
constexpr std::uint64_t kFnvOffset = 1469598103934665603ull;
constexpr std::uint64_t kFnvPrime = 1099511628211ull;

// The shipped model's constant (see text::mix64).
std::uint64_t mix(std::uint64_t h) { return text::mix64(h, 0xc4ceb9fe1a85ec53ull); }

// A string's hash: FNV-1a over its UTF-16 units.
std::uint64_t hashString(std::u16string_view s)
{
    std::uint64_t h = kFnvOffset;
    for (const char16_t c : s) {
        h ^= static_cast<std::uint64_t>(c);
        h *= kFnvPrime;
    }
    return h;
}

// Feature templates; their numbers are part of the model format.
enum Template : std::uint32_t {
    Bias = 1,
    Word,
    Exact,
    Shape,
    ShortShape,
    Prefix,
    Suffix,
    Flags,
    PrevWord,
    NextWord,
    PrevWord2,
    NextWord2,
    PrevShape,
    NextShape,
    PrevAndWord,
    WordAndNext,
    Gazetteer,
    ShapeWindow,
    PrevGazetteer,
    NextGazetteer,
    WordClass,
    PrevClass,
    NextClass,
    Prev2Class,
    Document,
};

// One weight of a feature: the tag it speaks for and how much.
struct Weight {
    float value = 0;
    std::uint8_t tag = 0;
};

// An open-addressing map from feature hash to its weights' place, probed
// linearly. A slot is eight bytes: the hash's high 32 bits as a check
// (the low bits chose the slot) and the weights' first index and count
// packed into one word, so a look-up touches one cache line of a table a
// third the size of one holding whole hashes. The table is kept at most
// a third full, so that the many features a model does not know (most of
// those of any text) end at an empty slot at once.
class FeatureTable {
public:
    static constexpr std::uint32_t kCountBits = 4;
    static constexpr std::uint32_t kMaxWeights = 1u << (32 - kCountBits);
    static_assert(kTagCount < (1 << kCountBits), "a feature's weight count must fit its bits");

    void reserve(std::size_t features)
    {
        std::size_t capacity = 16;
        while (capacity < features * 3)
            capacity *= 2;
        m_slots.assign(capacity, Slot{});
        m_mask = capacity - 1;
    }
    // `first` must be below kMaxWeights and count above 0; hashes are unique.
    void insert(std::uint64_t key, std::uint32_t first, std::uint8_t count)
    {
        std::size_t i = key & m_mask;
        while (m_slots[i].packed != 0)
            i = (i + 1) & m_mask;
        m_slots[i] = {static_cast<std::uint32_t>(key >> 32), first << kCountBits | count};
    }
    void prefetch(std::uint64_t key) const
    {
        if (!m_slots.empty())
            __builtin_prefetch(&m_slots[key & m_mask]);
    }
    // The weights' first index and count, or count 0 when unknown.
    std::pair<std::uint32_t, std::uint32_t> find(std::uint64_t key) const
    {
        if (m_slots.empty())
            return {0, 0};
        const auto check = static_cast<std::uint32_t>(key >> 32);
        std::size_t i = key & m_mask;
        while (m_slots[i].packed != 0) {
            if (m_slots[i].check == check)
                return {m_slots[i].packed >> kCountBits, m_slots[i].packed & ((1u << kCountBits) - 1)};
            i = (i + 1) & m_mask;
        }
        return {0, 0};
    }

private:
    struct Slot {
        std::uint32_t check = 0;
        std::uint32_t packed = 0; // first << kCountBits | count; 0 is empty
    };
    std::vector<Slot> m_slots;
    std::size_t m_mask = 0;
};

constexpr char kMagic[8] = {'L', 'E', 'D', 'E', 'N', 'E', 'R', '1'};

// BIO: an I- tag only after its own B- or I-.
bool allowedAfter(int previous, int tag)
{
    if (tag == 0 || isBegin(tag))
        return true;
    return previous == tag || previous == tag - 1;
}

constexpr float kImpossible = -1e30f;

// FNV-1a over a model's bytes, eight at a time.
std::uint64_t fingerprintOf(std::string_view bytes)
{
    std::uint64_t h = kFnvOffset;
    std::size_t i = 0;
    for (; i + 8 <= bytes.size(); i += 8) {
        std::uint64_t word;
        std::memcpy(&word, bytes.data() + i, 8);
        h = (h ^ word) * kFnvPrime;
    }
    for (; i < bytes.size(); ++i)
        h = (h ^ static_cast<unsigned char>(bytes[i])) * kFnvPrime;
    return mix(h);
}

} // namespace

// Features ------------------------------------------------------------------

Features Features::lexical() const
{
    Features f = *this;
    f.m_templates = 0;
    for (const std::uint32_t t : {Word, Exact, PrevAndWord, WordAndNext})
        f.m_templates |= std::uint64_t{1} << t;
    return f;
}

GazetteerHits Features::gazetteerHits(std::u16string_view text, const std::vector<Token> &tokens) const
{
    const std::size_t n = tokens.size();
    GazetteerHits hits;
    hits.type.assign(n, 0);
    hits.begins.assign(n, 0);
    hits.length.assign(n, 0);
    if (m_classifier)
        hits.classes = m_classifier(text, tokens);
    if (!m_gazetteer || n == 0)
        return hits;
    const std::vector<std::uint32_t> ids = m_gazetteer->tokenIds(text, tokens);
    for (std::size_t i = 0; i < n;) {
        auto match = ids[i] == Gazetteer::kNoToken ? std::nullopt : m_gazetteer->longestMatch(text, tokens, ids, i);
        if (!match) {
            ++i;
            continue;
        }
        const Gazetteer::Entity &e = m_gazetteer->entity(match->entity);
        const int type = e.nonEntity ? static_cast<int>(kTypes.size()) : typeIndex(e.type);
        for (std::uint32_t k = match->begin; k < match->end; ++k) {
            hits.type[k] = static_cast<std::uint8_t>(type + 1);
            hits.begins[k] = k == match->begin;
            hits.length[k] = static_cast<std::uint8_t>(std::min<std::uint32_t>(match->end - match->begin, 4));
        }
        i = match->end;
    }
    return hits;
}

void Features::extract(const Sentence &s, std::vector<std::uint64_t> &hashes, std::vector<std::uint32_t> &offsets) const
{
    GazetteerHits hits = gazetteerHits(s.text, s.tokens);
    hits.document = s.document;
    extract(s.text, s.tokens.data(), s.tokens.size(), hits, 0, s.tokens.size(), nullptr, hashes, offsets);
}

std::vector<std::uint8_t> documentHints(const std::vector<Token> &tokens, const std::u16string_view *folds,
                                        std::u16string_view text)
{
    // Words by their 64-bit hash in a flat table a quarter full; a clash
    // of two words' hashes would only blur one hint.
    std::size_t capacity = 64;
    while (capacity < tokens.size() * 4)
        capacity *= 2;
    std::vector<std::uint64_t> keys(capacity, 0);
    std::vector<std::uint8_t> bits(capacity, 0);
    std::vector<std::uint64_t> hashOf(tokens.size(), 0);
    auto slot = [&](std::uint64_t h) {
        std::size_t i = h & (capacity - 1);
        while (keys[i] != 0 && keys[i] != h)
            i = (i + 1) & (capacity - 1);
        return i;
    };
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const Token &t = tokens[i];
        if (!t.has(Token::Word))
            continue;
        const std::u16string own = folds ? std::u16string() : foldForMatch(text.substr(t.u16Start, t.u16End - t.u16Start));
        const std::uint64_t h = hashString(folds ? folds[i] : std::u16string_view(own)) | 1u;
        hashOf[i] = h;
        std::uint8_t b = 0;
        if (t.has(Token::Capitalized) && !t.has(Token::SentenceStart) && !t.has(Token::NewlineBefore))
            b |= kCapitalisedInside;
        const char16_t first = text[t.u16Start];
        if (first >= u'a' && first <= u'z')
            b |= kLowerSomewhere;
        const std::size_t at = slot(h);
        keys[at] = h;
        bits[at] |= b;
    }
    std::vector<std::uint8_t> out(tokens.size(), 0);
    for (std::size_t i = 0; i < tokens.size(); ++i)
        if (hashOf[i] != 0)
            out[i] = bits[slot(hashOf[i])];
    return out;
}

void Features::extract(std::u16string_view text, const Token *tokens, std::size_t count, const GazetteerHits &hits,
                       std::vector<std::uint64_t> &hashes, std::vector<std::uint32_t> &offsets) const
{
    extract(text, tokens, count, hits, 0, count, nullptr, hashes, offsets);
}

namespace {

// A feature's hash: its template mixed with up to three
// values (string hashes or small numbers).
std::uint64_t feature(std::uint32_t t, std::uint64_t a, std::uint64_t b = 0, std::uint64_t c = 0)
{
    std::uint64_t h = mix(a + 0x9E3779B97F4A7C15ull * (t + 1));
    h = mix(h ^ (b * 0xC2B2AE3D27D4EB4Full + 0x165667B19E3779F9ull));
    return mix(h ^ (c * 0x27D4EB2F165667C5ull + 0x85EBCA77C2B2AE63ull));
}

// What each token contributes, hashed once: its neighbours' features use
// the same values.
struct TokenHashes {
    std::uint64_t word = 0, exact = 0, shape = 0, shortShape = 0;
    std::uint64_t prefix[3] = {}, suffix[4] = {};
    std::uint8_t prefixes = 0, suffixes = 0;
    bool differs = false;
};

} // namespace

void Features::extract(std::u16string_view text, const Token *tokens, std::size_t n, const GazetteerHits &hits,
                       std::size_t first, std::size_t last, const std::u16string_view *folds,
                       std::vector<std::uint64_t> &hashes, std::vector<std::uint32_t> &offsets) const
{
    hashes.clear();
    offsets.clear();
    // Neighbours two tokens out take part.
    const std::size_t from = first >= 2 ? first - 2 : 0;
    const std::size_t to = std::min(n, last + 2);
    thread_local std::vector<TokenHashes> local;
    thread_local std::u16string fold, shape, shortShape;
    local.assign(to - from, {});
    for (std::size_t i = from; i < to; ++i) {
        TokenHashes &h = local[i - from];
        const Token &t = tokens[i];
        const std::u16string_view word = text.substr(t.u16Start, t.u16End - t.u16Start);
        std::u16string_view w;
        if (folds) {
            w = folds[i];
        } else {
            fold = foldForMatch(word);
            w = fold;
        }
        h.word = hashString(w);
        h.differs = word != w;
        if (h.differs)
            h.exact = hashString(word);
        shape.clear();
        shortShape.clear();
        for (const char16_t c : word) {
            char16_t k;
            if (c >= u'A' && c <= u'Z')
                k = u'X';
            else if (c >= u'a' && c <= u'z')
                k = u'x';
            else if (c >= u'0' && c <= u'9')
                k = u'd';
            else if (c > 0x7f)
                k = (c >= 0xC0 && c <= 0xDE && c != 0xD7) ? u'X' : u'x'; // Latin-1 letters, roughly
            else
                k = c;
            if (shape.size() < 12)
                shape.push_back(k);
            if ((shortShape.empty() || shortShape.back() != k) && shortShape.size() < 12)
                shortShape.push_back(k);
        }
        h.shape = hashString(shape);
        h.shortShape = hashString(shortShape);
        for (std::size_t len = 1; len <= 3 && len < w.size(); ++len)
            h.prefix[h.prefixes++] = hashString(w.substr(0, len));
        for (std::size_t len = 1; len <= 4 && len < w.size(); ++len)
            h.suffix[h.suffixes++] = hashString(w.substr(w.size() - len));
    }
    constexpr std::uint64_t kStart = 0x5354415254ull, kEnd = 0x454e44ull; // outside the sentence
    auto word = [&](std::ptrdiff_t i) {
        return i < 0 ? kStart : i >= static_cast<std::ptrdiff_t>(n) ? kEnd : local[static_cast<std::size_t>(i) - from].word;
    };
    auto shapeAt = [&](std::ptrdiff_t i) {
        return i < 0 ? kStart : i >= static_cast<std::ptrdiff_t>(n) ? kEnd : local[static_cast<std::size_t>(i) - from].shortShape;
    };
    auto gaz = [&](std::ptrdiff_t i) -> std::uint64_t {
        return i < 0 || i >= static_cast<std::ptrdiff_t>(n) ? 99 : hits.type[static_cast<std::size_t>(i)];
    };
    auto keeps = [this](std::uint32_t feature) { return (m_templates >> feature) & 1u; };
    for (std::size_t k = first; k < last; ++k) {
        offsets.push_back(static_cast<std::uint32_t>(hashes.size()));
        const auto i = static_cast<std::ptrdiff_t>(k);
        const Token &t = tokens[k];
        const TokenHashes &h = local[k - from];
        if (keeps(Bias))
            hashes.push_back(feature(Bias, 0));
        if (keeps(Word))
            hashes.push_back(feature(Word, h.word));
        if (h.differs)
            if (keeps(Exact))
            hashes.push_back(feature(Exact, h.exact));
        if (keeps(Shape))
            hashes.push_back(feature(Shape, h.shape));
        if (keeps(ShortShape))
            hashes.push_back(feature(ShortShape, h.shortShape));
        for (std::uint8_t p = 0; p < h.prefixes; ++p)
            if (keeps(Prefix))
            hashes.push_back(feature(Prefix, h.prefix[p], p + 1u));
        for (std::uint8_t p = 0; p < h.suffixes; ++p)
            if (keeps(Suffix))
            hashes.push_back(feature(Suffix, h.suffix[p], p + 1u));
        const std::uint32_t flags = (t.has(Token::Capitalized) ? 1u : 0u) | (t.has(Token::AllUpper) ? 2u : 0u)
            | (t.has(Token::HasDigit) ? 4u : 0u) | (t.has(Token::SentenceStart) || k == 0 ? 8u : 0u)
            | (t.has(Token::Possessive) ? 16u : 0u) | (t.has(Token::Word) ? 32u : 0u);
        if (keeps(Flags))
            hashes.push_back(feature(Flags, flags));
        if (keeps(PrevWord))
            hashes.push_back(feature(PrevWord, word(i - 1)));
        if (keeps(NextWord))
            hashes.push_back(feature(NextWord, word(i + 1)));
        if (keeps(PrevWord2))
            hashes.push_back(feature(PrevWord2, word(i - 2)));
        if (keeps(NextWord2))
            hashes.push_back(feature(NextWord2, word(i + 2)));
        if (keeps(PrevShape))
            hashes.push_back(feature(PrevShape, shapeAt(i - 1)));
        if (keeps(NextShape))
            hashes.push_back(feature(NextShape, shapeAt(i + 1)));
        if (keeps(PrevAndWord))
            hashes.push_back(feature(PrevAndWord, word(i - 1), h.word));
        if (keeps(WordAndNext))
            hashes.push_back(feature(WordAndNext, h.word, word(i + 1)));
        if (keeps(ShapeWindow))
            hashes.push_back(feature(ShapeWindow, shapeAt(i - 1), h.shortShape, shapeAt(i + 1)));
        if (keeps(Gazetteer))
            hashes.push_back(feature(Gazetteer, hits.type[k], hits.begins[k], hits.length[k]));
        if (keeps(PrevGazetteer))
            hashes.push_back(feature(PrevGazetteer, gaz(i - 1), hits.type[k]));
        if (keeps(NextGazetteer))
            hashes.push_back(feature(NextGazetteer, hits.type[k], gaz(i + 1)));
        if (!hits.document.empty())
            if (keeps(Document))
            hashes.push_back(feature(Document, hits.document[k], t.has(Token::SentenceStart) || k == 0 ? 1u : 0u,
                                     t.has(Token::Capitalized) ? 1u : 0u));
        if (!hits.classes.empty()) {
            // Each list a token or its neighbours are on: "President" before,
            // "Inc." after, a given name here.
            auto classBits = [&](std::ptrdiff_t at, std::uint32_t feat) {
                if (at < 0 || at >= static_cast<std::ptrdiff_t>(n))
                    return;
                const std::uint32_t bits = hits.classes[static_cast<std::size_t>(at)] & 0xffffu;
                for (std::uint32_t b = 0; b < 16; ++b)
                    if ((bits >> b) & 1u)
                        if (keeps(feat))
            hashes.push_back(feature(feat, b));
            };
            classBits(i, WordClass);
            classBits(i - 1, PrevClass);
            classBits(i + 1, NextClass);
            classBits(i - 2, Prev2Class);
        }
    }
    offsets.push_back(static_cast<std::uint32_t>(hashes.size()));
}

// Model ---------------------------------------------------------------------

struct Model::Impl {
    FeatureTable table;
    std::vector<std::uint64_t> keys; // sorted, for saving
    std::vector<std::uint32_t> first;
    std::vector<std::uint8_t> count;
    std::vector<Weight> weights;
    // transition[previous + 1][tag]; row 0 is the sentence start
    std::array<std::array<float, kTagCount>, kTagCount + 1> transition{};
    // An update's base, whose emissions and transitions add to its own;
    // null for a model that stands alone.
    std::shared_ptr<const Model> base;
    // The transitions decoding uses: the model's own plus its base's.
    std::array<std::array<float, kTagCount>, kTagCount + 1> total{};
    std::uint64_t fingerprint = 0;

    void combine()
    {
        total = transition;
        if (!base)
            return;
        for (int p = 0; p <= kTagCount; ++p)
            for (int t = 0; t < kTagCount; ++t)
                total[p][t] += base->d->total[p][t];
    }

    // Fails only for a model too large for the table's packing.
    bool buildTable()
    {
        if (weights.size() >= FeatureTable::kMaxWeights)
            return false;
        // Two hashes that share their high bits and meet on one probe path
        // would be mistaken for each other: then spread the table wider.
        for (std::size_t spread = 1; spread <= 64; spread *= 2) {
            table.reserve(keys.size() * spread);
            for (std::size_t i = 0; i < keys.size(); ++i)
                if (count[i] > 0)
                    table.insert(keys[i], first[i], count[i]);
            bool exact = true;
            for (std::size_t i = 0; i < keys.size() && exact; ++i)
                exact = count[i] == 0 || table.find(keys[i]).first == first[i];
            if (exact)
                return true;
        }
        return false;
    }

    void emissions(const std::vector<std::uint64_t> &hashes, const std::vector<std::uint32_t> &offsets,
                   std::vector<std::array<float, kTagCount>> &out) const
    {
        const std::size_t n = offsets.empty() ? 0 : offsets.size() - 1;
        if (base)
            base->d->emissions(hashes, offsets, out);
        else
            out.assign(n, {});
        // Most look-ups miss the caches: ask for all of a sentence's slots
        // first, so that the memory fetches overlap, then for the weights.
        const std::size_t total = n == 0 ? 0 : offsets[n];
        for (std::size_t f = 0; f < total; ++f)
            table.prefetch(hashes[f]);
        thread_local std::vector<std::pair<std::uint32_t, std::uint32_t>> found;
        found.resize(total);
        for (std::size_t f = 0; f < total; ++f) {
            found[f] = table.find(hashes[f]);
            if (found[f].second != 0)
                __builtin_prefetch(&weights[found[f].first]);
        }
        for (std::size_t i = 0; i < n; ++i) {
            std::array<float, kTagCount> &e = out[i];
            for (std::uint32_t f = offsets[i]; f < offsets[i + 1]; ++f) {
                const auto [at, c] = found[f];
                for (std::uint32_t k = at; k < at + c; ++k)
                    e[weights[k].tag] += weights[k].value;
            }
        }
    }
};

namespace {

// Viterbi under the BIO rules, and where `allowed` is given, within the
// tags it allows. Fills `best` (max-marginal scores per token and tag)
// when asked, for confidences; with `bestForNamesOnly`, only when the
// path holds a name, and otherwise leaves `best` empty.
std::vector<int> viterbi(const std::vector<std::array<float, kTagCount>> &emit,
                         const std::array<std::array<float, kTagCount>, kTagCount + 1> &transition,
                         const TagSet *allowed, std::vector<std::array<float, kTagCount>> *best = nullptr,
                         int previous = -1, bool bestForNamesOnly = false)
{
    const std::size_t n = emit.size();
    std::vector<int> path(n, 0);
    if (n == 0)
        return path;
    thread_local std::vector<std::array<float, kTagCount>> score;
    thread_local std::vector<std::array<std::int8_t, kTagCount>> back;
    score.resize(n);
    back.resize(n);
    auto ok = [&](std::size_t i, int t) { return !allowed || (allowed[i] >> t) & 1u; };
    for (int t = 0; t < kTagCount; ++t)
        score[0][t] = ok(0, t) && allowedAfter(previous, t) ? transition[previous + 1][t] + emit[0][t] : kImpossible;
    for (std::size_t i = 1; i < n; ++i) {
        for (int t = 0; t < kTagCount; ++t) {
            float top = kImpossible;
            int arg = 0;
            if (ok(i, t)) {
                for (int p = 0; p < kTagCount; ++p) {
                    if (score[i - 1][p] <= kImpossible || !allowedAfter(p, t))
                        continue;
                    const float v = score[i - 1][p] + transition[p + 1][t];
                    if (v > top) {
                        top = v;
                        arg = p;
                    }
                }
            }
            score[i][t] = top <= kImpossible ? kImpossible : top + emit[i][t];
            back[i][t] = static_cast<std::int8_t>(arg);
        }
    }
    int last = 0;
    for (int t = 1; t < kTagCount; ++t)
        if (score[n - 1][t] > score[n - 1][last])
            last = t;
    if (score[n - 1][last] <= kImpossible) // the allowed tags admit no BIO path
        return allowed ? viterbi(emit, transition, nullptr, best, previous, bestForNamesOnly) : path;
    path[n - 1] = last;
    for (std::size_t i = n - 1; i > 0; --i)
        path[i - 1] = back[i][path[i]];
    if (best && bestForNamesOnly && std::all_of(path.begin(), path.end(), [](int t) { return t == 0; })) {
        best->clear();
        return path;
    }
    if (best) {
        // Backward scores: the best way to finish from tag t at token i,
        // not counting token i's own emission.
        std::vector<std::array<float, kTagCount>> after(n);
        after[n - 1].fill(0);
        for (std::size_t i = n - 1; i > 0; --i)
            for (int p = 0; p < kTagCount; ++p) {
                float top = kImpossible;
                for (int t = 0; t < kTagCount; ++t) {
                    if (!ok(i, t) || !allowedAfter(p, t) || after[i][t] <= kImpossible)
                        continue;
                    top = std::max(top, transition[p + 1][t] + emit[i][t] + after[i][t]);
                }
                after[i - 1][p] = top;
            }
        best->assign(n, {});
        for (std::size_t i = 0; i < n; ++i)
            for (int t = 0; t < kTagCount; ++t)
                (*best)[i][t] = score[i][t] <= kImpossible || after[i][t] <= kImpossible ? kImpossible
                                                                                          : score[i][t] + after[i][t];
    }
    return path;
}

} // namespace

Model::Model() : d(std::make_unique<Impl>()) {}
Model::~Model() = default;
Model::Model(Model &&) noexcept = default;
Model &Model::operator=(Model &&) noexcept = default;

std::size_t Model::featureCount() const { return d->keys.size(); }

std::uint64_t Model::fingerprint() const { return d->fingerprint; }

const Model *Model::base() const { return d->base.get(); }

Model Model::withBase(Model update, std::shared_ptr<const Model> base)
{
    update.d->base = std::move(base);
    update.d->combine();
    return update;
}

std::vector<int> Model::decode(const std::vector<std::uint64_t> &hashes, const std::vector<std::uint32_t> &offsets,
                               std::vector<float> *scores, TagSet *constraint, int previous) const
{
    return decode(hashes, offsets, scores, constraint, previous, false);
}

std::vector<int> Model::decode(const std::vector<std::uint64_t> &hashes, const std::vector<std::uint32_t> &offsets,
                               std::vector<float> *scores, TagSet *constraint, int previous,
                               bool scoresForNamesOnly) const
{
    thread_local std::vector<std::array<float, kTagCount>> emit, best;
    d->emissions(hashes, offsets, emit);
    std::vector<int> path = viterbi(emit, d->total, constraint, scores ? &best : nullptr, previous, scoresForNamesOnly);
    if (scores && best.empty()) {
        scores->clear();
    } else if (scores) {
        // Per token: how far the chosen tag leads the best other tag.
        scores->assign(path.size(), 0);
        for (std::size_t i = 0; i < path.size(); ++i) {
            float other = kImpossible;
            for (int t = 0; t < kTagCount; ++t)
                if (t != path[i])
                    other = std::max(other, best[i][t]);
            (*scores)[i] = other <= kImpossible ? 1e3f : best[i][path[i]] - other;
        }
    }
    return path;
}

std::vector<Mention> mentionsFromTags(const std::vector<int> &tags)
{
    std::vector<Mention> out;
    for (std::size_t i = 0; i < tags.size();) {
        if (tags[i] == 0) {
            ++i;
            continue;
        }
        const int type = typeOfTag(tags[i]);
        std::size_t end = i + 1;
        while (end < tags.size() && tags[end] == insideTag(type))
            ++end;
        out.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(end), type, 0});
        i = end;
    }
    return out;
}

std::vector<Mention> Model::tag(const Sentence &sentence, const Features &features) const
{
    std::vector<std::uint64_t> hashes;
    std::vector<std::uint32_t> offsets;
    features.extract(sentence, hashes, offsets);
    return tag(hashes, offsets);
}

std::vector<Mention> Model::tag(const std::vector<std::uint64_t> &hashes, const std::vector<std::uint32_t> &offsets,
                               int previous) const
{
    // Most stretches hold no name: their margins are not worked out.
    std::vector<float> margins;
    const std::vector<int> path = decode(hashes, offsets, &margins, nullptr, previous, true);
    std::vector<Mention> out = mentionsFromTags(path);
    for (Mention &m : out) {
        // The weakest token decides how sure the mention is.
        float margin = std::numeric_limits<float>::max();
        for (std::uint32_t i = m.begin; i < m.end; ++i)
            margin = std::min(margin, margins[i]);
        m.confidence = 1.0f / (1.0f + std::exp(-margin / 24.0f));
    }
    return out;
}

// Saving and loading --------------------------------------------------------
//
// "LEDENER1", then little-endian: uint32 tag count, uint32 feature count,
// uint32 weight count; the transitions ((tags + 1) x tags floats); per
// feature its hash (uint64) and weight count (uint8), in hash order; per
// weight its tag (uint8) and value (float).

namespace {

template <typename T>
void put(std::string &out, T v)
{
    char buf[sizeof(T)];
    std::memcpy(buf, &v, sizeof(T));
    out.append(buf, sizeof(T));
}

class Reader {
public:
    explicit Reader(std::string_view bytes) : m_bytes(bytes) {}
    template <typename T>
    bool get(T &v)
    {
        if (m_bytes.size() - m_pos < sizeof(T))
            return false;
        std::memcpy(&v, m_bytes.data() + m_pos, sizeof(T));
        m_pos += sizeof(T);
        return true;
    }
    bool done() const { return m_pos == m_bytes.size(); }

private:
    std::string_view m_bytes;
    std::size_t m_pos = 0;
};

} // namespace

std::string Model::save() const
{
    static_assert(sizeof(float) == 4, "the model format stores IEEE single floats");
    std::string out(kMagic, sizeof kMagic);
    put<std::uint32_t>(out, kTagCount);
    put<std::uint32_t>(out, static_cast<std::uint32_t>(d->keys.size()));
    put<std::uint32_t>(out, static_cast<std::uint32_t>(d->weights.size()));
    for (const auto &row : d->transition)
        for (const float v : row)
            put<float>(out, v);
    for (std::size_t i = 0; i < d->keys.size(); ++i) {
        put<std::uint64_t>(out, d->keys[i]);
        put<std::uint8_t>(out, d->count[i]);
    }
    for (const Weight &w : d->weights) {
        put<std::uint8_t>(out, w.tag);
        put<float>(out, w.value);
    }
    return out;
}

Result<Model> Model::load(std::string_view bytes)
{
    if (bytes.size() < sizeof kMagic || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0)
        return makeError("not a Lede name model (it does not start with LEDENER1)");
    Reader r(bytes.substr(sizeof kMagic));
    std::uint32_t tagCount = 0, features = 0, weights = 0;
    if (!r.get(tagCount) || !r.get(features) || !r.get(weights))
        return makeError("the model is cut short in its header");
    if (tagCount != kTagCount)
        return makeError("the model has " + std::to_string(tagCount) + " tags; this Lede knows " + std::to_string(kTagCount));
    if (features > bytes.size() / 9 || weights > bytes.size() / 5)
        return makeError("the model's header counts more features than the file holds");
    Model m;
    Impl &d = *m.d;
    for (auto &row : d.transition)
        for (float &v : row)
            if (!r.get(v) || !std::isfinite(v))
                return makeError("the model's transitions are cut short or not numbers");
    d.keys.resize(features);
    d.count.resize(features);
    d.first.resize(features);
    std::uint64_t total = 0;
    for (std::uint32_t i = 0; i < features; ++i) {
        if (!r.get(d.keys[i]) || !r.get(d.count[i]))
            return makeError("the model's features are cut short");
        if (d.count[i] > kTagCount || (i > 0 && d.keys[i] <= d.keys[i - 1]))
            return makeError("the model's feature " + std::to_string(i) + " is malformed");
        d.first[i] = static_cast<std::uint32_t>(total);
        total += d.count[i];
    }
    if (total != weights)
        return makeError("the model's features do not add up to its weights");
    d.weights.resize(weights);
    for (std::uint32_t k = 0; k < weights; ++k) {
        Weight &w = d.weights[k];
        if (!r.get(w.tag) || !r.get(w.value))
            return makeError("the model's weights are cut short");
        if (w.tag >= kTagCount || !std::isfinite(w.value))
            return makeError("the model's weight " + std::to_string(k) + " is malformed");
    }
    if (!r.done())
        return makeError("the model has bytes after its end");
    if (!d.buildTable())
        return makeError("the model has more weights than this Lede can hold");
    d.combine();
    d.fingerprint = fingerprintOf(bytes);
    return m;
}

// Training --------------------------------------------------------------------

Model Model::train(const std::vector<Sentence> &sentences, const Features &features, const TrainOptions &options)
{
    // Features become dense ids in the order first seen, and each sentence
    // keeps its tokens' ids, so the epochs do no hashing.
    std::unordered_map<std::uint64_t, std::uint32_t> ids;
    std::vector<std::uint64_t> idKeys;
    std::vector<std::uint32_t> seen;
    struct Prepared {
        std::vector<std::uint32_t> ids;
        std::vector<std::uint32_t> offsets;
    };
    std::vector<Prepared> prepared(sentences.size());
    // Over a base, the base's emissions of each sentence, read once: the
    // base does not change while the update learns.
    const Model *base = options.base.get();
    std::vector<std::vector<std::array<float, kTagCount>>> baseEmit(base ? sentences.size() : 0);
    {
        std::vector<std::uint64_t> hashes;
        for (std::size_t s = 0; s < sentences.size(); ++s) {
            features.extract(sentences[s], hashes, prepared[s].offsets);
            if (base)
                base->d->emissions(hashes, prepared[s].offsets, baseEmit[s]);
            if (base && options.updateFeatures)
                options.updateFeatures->extract(sentences[s], hashes, prepared[s].offsets);
            prepared[s].ids.reserve(hashes.size());
            for (const std::uint64_t h : hashes) {
                auto [it, fresh] = ids.try_emplace(h, static_cast<std::uint32_t>(idKeys.size()));
                if (fresh) {
                    idKeys.push_back(h);
                    seen.push_back(0);
                }
                ++seen[it->second];
                prepared[s].ids.push_back(it->second);
            }
        }
    }
    // Rare features are dropped: row -1.
    std::vector<std::int32_t> row(idKeys.size(), -1);
    std::int32_t rows = 0;
    for (std::size_t i = 0; i < idKeys.size(); ++i)
        if (static_cast<int>(seen[i]) >= options.minCount)
            row[i] = rows++;
    for (Prepared &p : prepared) {
        std::vector<std::uint32_t> kept;
        std::vector<std::uint32_t> offsets = {0};
        for (std::size_t t = 0; t + 1 < p.offsets.size(); ++t) {
            for (std::uint32_t f = p.offsets[t]; f < p.offsets[t + 1]; ++f)
                if (row[p.ids[f]] >= 0)
                    kept.push_back(static_cast<std::uint32_t>(row[p.ids[f]]));
            offsets.push_back(static_cast<std::uint32_t>(kept.size()));
        }
        p.ids = std::move(kept);
        p.offsets = std::move(offsets);
    }

    // Averaged perceptron: w is the current weight, u the sum of each
    // update times its step, so that the average is w - u / steps.
    const auto weightCount = static_cast<std::size_t>(rows) * kTagCount;
    std::vector<float> w(weightCount, 0);
    std::vector<double> u(weightCount, 0);
    std::array<std::array<float, kTagCount>, kTagCount + 1> tw{};
    std::array<std::array<double, kTagCount>, kTagCount + 1> tu{};
    double step = 1;
    std::vector<std::size_t> order(sentences.size());
    std::iota(order.begin(), order.end(), 0);
    std::mt19937_64 rng(options.seed);

    std::vector<std::array<float, kTagCount>> emit;
    for (int epoch = 0; epoch < options.epochs; ++epoch) {
        // Fisher-Yates with the generator's raw output: the same on every
        // standard library, unlike std::shuffle.
        for (std::size_t i = order.size(); i > 1; --i)
            std::swap(order[i - 1], order[rng() % i]);
        std::size_t mistakes = 0;
        for (const std::size_t s : order) {
            const Prepared &p = prepared[s];
            const std::size_t n = p.offsets.size() - 1;
            if (n == 0)
                continue;
            if (base)
                emit = baseEmit[s];
            else
                emit.assign(n, {});
            for (std::size_t i = 0; i < n; ++i)
                for (std::uint32_t f = p.offsets[i]; f < p.offsets[i + 1]; ++f) {
                    const float *r = &w[static_cast<std::size_t>(p.ids[f]) * kTagCount];
                    for (int t = 0; t < kTagCount; ++t)
                        emit[i][t] += r[t];
                }
            auto transitions = tw;
            if (base)
                for (int q = 0; q <= kTagCount; ++q)
                    for (int t = 0; t < kTagCount; ++t)
                        transitions[q][t] += base->d->total[q][t];
            const std::vector<int> gold = viterbi(emit, transitions, sentences[s].allowed.data());
            if (options.margin > 0) {
                // The guess is made where every tag the data rules out
                // scores `margin` more: the right reading must win by that.
                const std::vector<TagSet> &allowed = sentences[s].allowed;
                for (std::size_t i = 0; i < n; ++i)
                    if (allowed[i] != kAllTags)
                        for (int t = 0; t < kTagCount; ++t)
                            if (!((allowed[i] >> t) & 1u))
                                emit[i][t] += options.margin;
            }
            const std::vector<int> guess = viterbi(emit, transitions, nullptr);
            const float rate = options.rate;
            if (guess != gold) {
                ++mistakes;
                for (std::size_t i = 0; i < n; ++i) {
                    const int g = gold[i], q = guess[i];
                    const int gp = i == 0 ? -1 : gold[i - 1], qp = i == 0 ? -1 : guess[i - 1];
                    if (g != q) {
                        for (std::uint32_t f = p.offsets[i]; f < p.offsets[i + 1]; ++f) {
                            const std::size_t base = static_cast<std::size_t>(p.ids[f]) * kTagCount;
                            w[base + g] += rate;
                            u[base + g] += step * rate;
                            w[base + q] -= rate;
                            u[base + q] -= step * rate;
                        }
                    }
                    if (g != q || gp != qp) {
                        tw[gp + 1][g] += rate;
                        tu[gp + 1][g] += step * rate;
                        tw[qp + 1][q] -= rate;
                        tu[qp + 1][q] -= step * rate;
                    }
                }
            }
            step += 1;
        }
        if (options.progress)
            options.progress(epoch + 1, mistakes, sentences.size());
        if (options.untilRight && mistakes == 0)
            break;
    }

    // The averaged weights, kept sparse: per feature only the tags it
    // moved, in hash order.
    Model m;
    Impl &d = *m.d;
    for (int p = 0; p <= kTagCount; ++p)
        for (int t = 0; t < kTagCount; ++t)
            d.transition[p][t] = options.average ? static_cast<float>(tw[p][t] - tu[p][t] / step) : tw[p][t];
    std::vector<std::pair<std::uint64_t, std::int32_t>> byHash;
    for (std::size_t i = 0; i < idKeys.size(); ++i)
        if (row[i] >= 0)
            byHash.emplace_back(idKeys[i], row[i]);
    std::sort(byHash.begin(), byHash.end());
    for (const auto &[hash, r] : byHash) {
        std::uint8_t kept = 0;
        const std::size_t firstWeight = d.weights.size();
        for (int t = 0; t < kTagCount; ++t) {
            const std::size_t k = static_cast<std::size_t>(r) * kTagCount + static_cast<std::size_t>(t);
            const float avg = options.average ? static_cast<float>(w[k] - u[k] / step) : w[k];
            if (std::fabs(avg) < 1e-3f)
                continue;
            d.weights.push_back({avg, static_cast<std::uint8_t>(t)});
            ++kept;
        }
        if (kept == 0)
            continue;
        d.keys.push_back(hash);
        d.count.push_back(kept);
        d.first.push_back(static_cast<std::uint32_t>(firstWeight));
    }
    if (!d.buildTable())
        throw std::length_error("the trained name model has more weights than its table can hold");
    d.fingerprint = fingerprintOf(m.save());
    d.base = options.base;
    d.combine();
    return m;
}

} // namespace lede::ner
