#include "TestUtil.h"

#include "core/nlp/EntityTagger.h"
#include "core/nlp/NerCorpus.h"
#include "core/nlp/NerModel.h"

#include <catch2/catch.hpp>

#include <random>

using namespace lede;
using namespace lede::ner;
using lede::test::TempDir;

namespace {

// A small made-up corpus in relabel.py's format: people after "said",
// companies before "Inc", nations after "in", and an either-type ORG.
std::string syntheticCorpus(int sentences, std::uint32_t seed)
{
    // Names made up of syllables, so that the model must learn the places
    // names stand in rather than the names themselves.
    std::mt19937 rng(seed);
    const char *syllables[] = {"ka", "lo", "mi", "ver", "dan", "tor", "sel", "bri", "nu", "gal", "pe", "rin"};
    auto made = [&](int parts) {
        std::string w;
        for (int p = 0; p < parts; ++p)
            w += syllables[rng() % 12];
        w[0] = static_cast<char>(w[0] - 'a' + 'A');
        return w;
    };
    std::string out;
    for (int i = 0; i < sentences; ++i) {
        if (i % 10 == 0)
            out += "-DOCSTART-\n";
        const std::string person = made(2) + " " + made(3), company = made(3), nation = made(2);
        auto name = [&](const std::string &words, const std::string &label) {
            std::string lines;
            std::size_t at = 0;
            bool first = true;
            while (at <= words.size()) {
                const std::size_t space = words.find(' ', at);
                const std::string word = words.substr(at, space == std::string::npos ? std::string::npos : space - at);
                lines += word + "\t" + (first ? "B-" : "I-") + label + "\n";
                first = false;
                if (space == std::string::npos)
                    break;
                at = space + 1;
            }
            return lines;
        };
        out += "The\tO\n";
        out += name(company, "COMPANY");
        out += "Inc\tO\nopened\tO\nan\tO\noffice\tO\nin\tO\n";
        out += name(nation, "NATION");
        out += ",\tO\nsaid\tO\n";
        out += name(person, "PERSON");
        out += ".\tO\n\n";
    }
    return out;
}

Corpus readSynthetic(const TempDir &dir, int sentences, std::uint32_t seed, Tokenizer &tokenizer)
{
    const std::string path = dir.write("synthetic/train.conll", syntheticCorpus(sentences, seed));
    auto corpus = readCorpus(path, "synthetic", tokenizer);
    REQUIRE(corpus.ok());
    return std::move(corpus).value();
}

} // namespace

TEST_CASE("the relabelled training format is read into Lede's tokens with allowed tags", "[ner]")
{
    TempDir dir;
    Tokenizer tokenizer;
    const std::string path = dir.write("c/train.conll",
                                       "-DOCSTART-\nMicrosoft's\tB-COMPANY\nboss\tO\nmet\tO\nNATO\tB-COMPANY|ORGANIZATION\n"
                                       "and\tO\nFinnish\tB-?NATION\nofficials\tO\n.\tO\n\nbad\tX-LABEL\n");
    auto bad = readCorpus(path, "c", tokenizer);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.message() == path + ":11: unknown label 'X-LABEL'");

    dir.write("c/train.conll", "-DOCSTART-\nMicrosoft's\tB-COMPANY\nboss\tO\nmet\tO\nNATO\tB-COMPANY|ORGANIZATION\n"
                               "and\tO\nFinnish\tB-?NATION\nofficials\tO\n.\tO\n");
    auto corpus = readCorpus(path, "c", tokenizer);
    REQUIRE(corpus.ok());
    REQUIRE(corpus->sentences.size() == 1);
    const Sentence &s = corpus->sentences[0];
    // "Microsoft" "'s" boss met NATO and Finnish officials .
    REQUIRE(s.tokens.size() == 9);
    CHECK(s.allowed[0] == TagSet(1u << beginTag(typeIndex("COMPANY"))));
    CHECK(s.allowed[1] == 1); // the possessive is no part of the name
    CHECK(s.allowed[4] == TagSet((1u << beginTag(typeIndex("COMPANY"))) | (1u << beginTag(typeIndex("ORGANIZATION")))));
    CHECK(s.allowed[6] == TagSet(1u | (1u << beginTag(typeIndex("NATION")))));
    REQUIRE(corpus->names[0].size() == 3);
    CHECK(corpus->names[0][2].maybe);
}

TEST_CASE("training is deterministic and a saved model loads back the same", "[ner]")
{
    TempDir dir;
    Tokenizer tokenizer;
    const Corpus corpus = readSynthetic(dir, 200, 7, tokenizer);
    const Features features;
    Model::TrainOptions options;
    options.epochs = 3;
    options.seed = 42;
    const std::string first = Model::train(corpus.sentences, features, options).save();
    const std::string second = Model::train(corpus.sentences, features, options).save();
    CHECK(first == second);
    options.seed = 43;
    CHECK(Model::train(corpus.sentences, features, options).save() != first);

    auto loaded = Model::load(first);
    REQUIRE(loaded.ok());
    CHECK(loaded->save() == first);
    CHECK_FALSE(Model::load("not a model").ok());
    CHECK(Model::load(first.substr(0, first.size() - 3)).message().find("cut short") != std::string::npos);
    std::string extra = first + "x";
    CHECK(Model::load(extra).message() == "the model has bytes after its end");
}

TEST_CASE("a trained model finds names of the patterns it learned in sentences it has not seen", "[ner]")
{
    TempDir dir;
    Tokenizer tokenizer;
    const Corpus train = readSynthetic(dir, 300, 1, tokenizer);
    const Features features;
    const Model model = Model::train(train.sentences, features, {});
    TempDir other;
    const Corpus test = readSynthetic(other, 100, 99, tokenizer);
    const Score score = evaluate(model, features, test);
    for (const char *type : {"PERSON", "COMPANY", "NATION"}) {
        const auto k = static_cast<std::size_t>(typeIndex(type));
        CAPTURE(type, score.tp[k], score.fp[k], score.fn[k]);
        CHECK(score.fn[k] == 0);
        CHECK(score.fp[k] == 0);
    }
    // Names the model never saw, in the same places.
    Sentence s;
    s.text = u"The Zorblax Inc opened an office in Ruritania , said Quentin Frobisher .";
    s.tokens = tokenizer.tokenize(s.text);
    const std::vector<Mention> found = model.tag(s, features);
    REQUIRE(found.size() == 3);
    CHECK(kTypes[static_cast<std::size_t>(found[0].type)] == "COMPANY");
    CHECK(kTypes[static_cast<std::size_t>(found[2].type)] == "PERSON");
    CHECK(found[2].end - found[2].begin == 2);
    for (const Mention &m : found)
        CHECK((m.confidence > 0.0f && m.confidence < 1.0f));
}

TEST_CASE("decoding yields ordered mentions inside the sentence, never overlapping, whatever the text", "[ner]")
{
    TempDir dir;
    Tokenizer tokenizer;
    const Corpus train = readSynthetic(dir, 100, 3, tokenizer);
    auto tagger = EntityTagger::createDefault();
    REQUIRE(tagger.ok());
    const Features features(&(*tagger)->gazetteer());
    const Model model = Model::train(train.sentences, features, {});
    std::mt19937 rng(5);
    const char16_t pieces[][12] = {u"Anna", u"Berg", u" ", u"Inc", u",", u".", u"'s", u"U.S.", u"\n\n", u"🔒", u"Vexcorp", u"in"};
    for (int round = 0; round < 300; ++round) {
        Sentence s;
        for (int k = 0; k < 20; ++k)
            s.text += std::u16string(pieces[rng() % 12]) + u" ";
        s.tokens = tokenizer.tokenize(s.text);
        std::uint32_t last = 0;
        for (const Mention &m : model.tag(s, features)) {
            CHECK(m.begin >= last);
            CHECK(m.end > m.begin);
            CHECK(m.end <= s.tokens.size());
            last = m.end;
        }
    }
}
