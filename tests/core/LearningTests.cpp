#include "TestUtil.h"
#include "StoreTestUtil.h"

#include "core/nlp/EntityTagger.h"
#include "core/nlp/Learning.h"
#include "core/nlp/NerModel.h"
#include "core/store/Store.h"
#include "core/nlp/Tagging.h"
#include "core/text/Text.h"

#include <catch2/catch.hpp>

using namespace lede;
using lede::test::TempDir;

namespace {

std::string tagsOf(const std::vector<ner::TagSet> &allowed)
{
    // One letter per token: O, a type's initial for its B- (upper) or I-
    // (lower), * for any tag, ~X for anything but X.
    std::string out;
    for (const ner::TagSet a : allowed) {
        if (!out.empty())
            out += ' ';
        if (a == ner::kAllTags) {
            out += '*';
            continue;
        }
        if (a == 1) {
            out += 'O';
            continue;
        }
        bool one = (a & (a - 1)) == 0;
        if (one) {
            int tag = 0;
            while (!((a >> tag) & 1u))
                ++tag;
            const char initial = ner::kTypes[static_cast<std::size_t>(ner::typeOfTag(tag))][0];
            out += ner::isBegin(tag) ? initial : static_cast<char>(initial - 'A' + 'a');
            continue;
        }
        for (int type = 0; type < static_cast<int>(ner::kTypes.size()); ++type)
            if (!((a >> ner::beginTag(type)) & 1u))
                out += std::string("~") + ner::kTypes[static_cast<std::size_t>(type)][0];
    }
    return out;
}

} // namespace

TEST_CASE("a reviewed sentence becomes allowed tags: names sure, rejections excluded, waiting suggestions open",
          "[learning]")
{
    Tokenizer tokenizer;
    const std::u16string text = u"Brad Smith of Microsoft met officials in Kyiv on 😀 Monday.";
    const std::vector<Token> tokens = tokenizer.tokenize(text, true);
    // Code points: "Brad Smith" 0-10, "Microsoft" 14-23, "Kyiv" 41-45,
    // "Monday" 51-57 (after the emoji, one code point).
    std::vector<ReviewedSpan> spans = {
        {0, 10, ner::typeIndex("PERSON"), ReviewedSpan::Kind::Name},
        {14, 23, ner::typeIndex("COMPANY"), ReviewedSpan::Kind::Open},
        {41, 45, ner::typeIndex("NATION"), ReviewedSpan::Kind::Rejected},
        {51, 57, -1, ReviewedSpan::Kind::Name}, // a user-defined type: none of the five
    };
    CHECK(tagsOf(allowedTags(tokens, 0, tokens.size(), spans)) == "P p O * O O O ~N O O O O");
}

TEST_CASE("a model update adds to its base, and saves and loads without it", "[learning][ner]")
{
    auto base = EntityTagger::builtInModel();
    REQUIRE(base.ok());
    auto tagger = EntityTagger::createDefault();
    REQUIRE(tagger.ok());
    const ner::Features features = (*tagger)->modelFeatures();
    Tokenizer tokenizer;
    // The analyst says "Quillfeather" is a company, twice.
    std::vector<ner::Sentence> sentences;
    for (const char16_t *t : {u"Quillfeather raised its forecast on Tuesday.", u"Shares of Quillfeather rose sharply."}) {
        ner::Sentence s;
        s.text = t;
        s.tokens = tokenizer.tokenize(s.text, true);
        s.allowed.assign(s.tokens.size(), 1);
        for (std::size_t k = 0; k < s.tokens.size(); ++k)
            if (s.text.substr(s.tokens[k].u16Start, s.tokens[k].u16End - s.tokens[k].u16Start) == u"Quillfeather")
                s.allowed[k] = static_cast<ner::TagSet>(1u << ner::beginTag(ner::typeIndex("COMPANY")));
        sentences.push_back(std::move(s));
    }
    const ner::Model update = trainUpdate(sentences, features, *base);
    CHECK(update.base() == base->get());
    CHECK(update.featureCount() > 0);
    CHECK(update.featureCount() < (*base)->featureCount() / 100); // only what had to change
    // Deterministic, and the bytes hold the update alone.
    CHECK(trainUpdate(sentences, features, *base).save() == update.save());
    CHECK(update.save().size() < 100'000);

    auto loaded = ner::Model::load(update.save());
    REQUIRE(loaded.ok());
    CHECK(loaded->base() == nullptr);
    const ner::Model over = ner::Model::withBase(std::move(*loaded), *base);
    for (const ner::Sentence &s : sentences) {
        std::vector<std::uint64_t> hashes;
        std::vector<std::uint32_t> offsets;
        features.extract(s, hashes, offsets);
        std::vector<float> a, b;
        CHECK(over.decode(hashes, offsets, &a) == update.decode(hashes, offsets, &b));
        CHECK(a == b);
        // It learned them: the first token of each is now a company.
        const std::vector<ner::Mention> found = over.tag(s, features);
        bool company = false;
        for (const ner::Mention &m : found)
            company = company || (ner::kTypes[static_cast<std::size_t>(m.type)] == "COMPANY" && m.confidence >= EntityTagger::kModelConfidence
                                  && s.text.substr(s.tokens[m.begin].u16Start, 12) == u"Quillfeather");
        INFO(text::toUtf8(s.text) << ": " << found.size() << " names");
        for (const ner::Mention &m : found)
            UNSCOPED_INFO(m.begin << "-" << m.end << " " << ner::kTypes[static_cast<std::size_t>(m.type)] << " " << m.confidence);
        CHECK(company);
    }
}

TEST_CASE("the store keeps one model update, counts reviews and knows reviewed documents", "[learning][store]")
{
    auto store = test::memoryStore();
    CHECK(store->modelUpdate()->has_value() == false);
    NewDocument a, b, c;
    a.text = "Alpha Corp hired Dana Reyes.";
    b.text = "Nothing here was reviewed by Beta Inc.";
    c.text = "Gamma Ltd bought Delta.";
    auto da = store->addDocument(a, {{0, 10, "COMPANY", "", Origin::Auto, AnnotationStatus::Suggested, ""}});
    auto db = store->addDocument(b, {{29, 37, "COMPANY", "", Origin::Auto, AnnotationStatus::Suggested, ""}});
    auto dc = store->addDocument(c);
    REQUIRE((da && db && dc));
    CHECK(store->reviewsSince(0).value() == 0);
    CHECK(store->reviewedDocumentIds()->empty());
    auto anns = store->annotations(da->id);
    REQUIRE(store->setAnnotationStatus((*anns)[0].id, AnnotationStatus::Accepted).ok());
    REQUIRE(store->addAnnotation(dc->id, {0, 9, "COMPANY", "", Origin::Manual, AnnotationStatus::Accepted, ""}).ok());
    CHECK(store->reviewsSince(0).value() == 2);
    CHECK(store->reviewsSince(4'000'000'000).value() == 0);
    CHECK(*store->reviewedDocumentIds() == std::vector<std::int64_t>{da->id, dc->id});
    CHECK(*unreviewedDocumentIds(*store) == std::vector<std::int64_t>{db->id});

    Store::ModelUpdate update{"0123456789abcdef", std::string("\0\1binary\xff", 9), 3, 2, 2, 1'700'000'000};
    REQUIRE(store->setModelUpdate(update).ok());
    auto read = store->modelUpdate();
    REQUIRE(read.ok());
    REQUIRE(read->has_value());
    CHECK((*read)->model == update.model);
    CHECK((*read)->base == update.base);
    CHECK((*read)->reviews == 2);
    REQUIRE(store->setModelUpdate(std::nullopt).ok());
    CHECK(store->modelUpdate()->has_value() == false);
}

TEST_CASE("an update trained over another model than the built-in one is not used", "[learning]")
{
    auto store = test::memoryStore();
    Store::ModelUpdate stale{"ffffffffffffffff", "LEDENER1 not even a model", 1, 1, 1, 1};
    REQUIRE(store->setModelUpdate(stale).ok());
    auto model = storeModel(*store);
    REQUIRE(model.ok());
    CHECK(model->get() == EntityTagger::builtInModel()->get());
}

TEST_CASE("a correction taught to the store changes the next tagging of a similar sentence", "[learning]")
{
    TempDir dir;
    auto opened = Store::open(dir.file("store.sqlite"));
    REQUIRE(opened.ok());
    Store &store = **opened;
    // The analyst marks three makers of goods as companies, where the
    // built-in model is unsure of them (below the tagger's 0.9).
    const char *names[] = {"Velmora", "Quintarro", "Heskel"};
    for (const char *name : names) {
        NewDocument doc;
        doc.text = std::string(name) + " said on Tuesday it would cut 200 jobs at its plant.";
        auto added = store.addDocument(doc);
        REQUIRE(added.ok());
        REQUIRE(store.addAnnotation(added->id, {0, static_cast<std::int64_t>(std::string_view(name).size()), "COMPANY", "",
                                                Origin::Manual, AnnotationStatus::Accepted, ""})
                    .ok());
    }
    auto report = updateModelFromStore(store);
    REQUIRE(report.ok());
    CHECK(report->reviews == 3);
    CHECK(report->sentences == 3);
    CHECK_FALSE(report->removed);

    // A new sentence about one of them: the store's model now reads it as a
    // company, sure enough for the tagger; the built-in model alone does not.
    Tokenizer tokenizer;
    ner::Sentence s;
    s.text = u"Velmora said on Friday it would close two plants.";
    s.tokens = tokenizer.tokenize(s.text, true);
    auto tagger = EntityTagger::createDefault();
    REQUIRE(tagger.ok());
    const ner::Features features = (*tagger)->modelFeatures();
    auto sure = [&](const ner::Model &model) {
        for (const ner::Mention &m : model.tag(s, features))
            if (m.begin == 0 && m.end == 1 && ner::kTypes[static_cast<std::size_t>(m.type)] == "COMPANY")
                return m.confidence >= EntityTagger::kModelConfidence;
        return false;
    };
    auto learned = storeModel(store);
    REQUIRE(learned.ok());
    CHECK(sure(**learned));
    CHECK_FALSE(sure(**EntityTagger::builtInModel()));

    // Retraining is deterministic, and a store without reviews drops it.
    const std::string bytes = (*store.modelUpdate())->model;
    REQUIRE(updateModelFromStore(store).ok());
    CHECK((*store.modelUpdate())->model == bytes);
}

TEST_CASE("a name from the lists is dropped everywhere only when rejected twice and more often than taken", "[learning]")
{
    auto store = test::memoryStore();
    auto addWith = [&](const std::string &text, std::int64_t start, std::int64_t end, AnnotationStatus status) {
        NewDocument doc;
        doc.text = text;
        auto added = store->addDocument(doc, {{start, end, "NATION", "", Origin::Auto, AnnotationStatus::Suggested, ""}});
        REQUIRE(added.ok());
        auto anns = store->annotations(added->id);
        REQUIRE(store->setAnnotationStatus((*anns)[0].id, status).ok());
    };
    auto suggestsPoland = [&] {
        auto tagger = taggerForStore(*store);
        REQUIRE(tagger.ok());
        for (const TaggedSpan &s : (*tagger)->tag("Officials in Poland said so."))
            if (s.type == "NATION")
                return true;
        return false;
    };
    CHECK(suggestsPoland());
    addWith("Legends of Greater Poland were told.", 19, 25, AnnotationStatus::Rejected);
    CHECK(suggestsPoland()); // once: wrong there, not everywhere
    addWith("Farms of Greater Poland grew.", 17, 23, AnnotationStatus::Rejected);
    CHECK_FALSE(suggestsPoland()); // twice, never taken
    addWith("Poland joined.", 0, 6, AnnotationStatus::Accepted);
    CHECK(suggestsPoland()); // taken since
}
