// Learning from the analyst: the learning curve and the time to retrain.
//
// Takes one corpus of relabelled training data (scripts/ner/relabel.py)
// and a base model that has not read it (trained here on the other
// corpora, as `lede-cli train --cross` does, or the built-in model with
// --built-in). For k = 0, 1, 2, 5, 10 an "analyst" imports k documents
// into a fresh store, tagged, and corrects them by the gold: accepts the
// right suggestions, rejects the wrong ones, adds the missed names. Then
// the store's model update is trained from those reviews (the path
// `lede-cli train --from-store` takes) and the same held-out documents
// are tagged and scored. Last, documents are corrected until the store
// holds 1,000 reviews, and the retraining is timed. --direct also trains
// updates from the corpus' own sentences of the first documents, without a
// store, for comparison; LEDE_BENCH_KEEP=FOLDER keeps each store there.
//
// usage: lede_bench_learning TRAIN_DIR CORPUS [--built-in] [--direct] [--test N] [--margin M] [--average 0|1] [--lexical 0|1] [--epochs N] [--repeats N] [--rate R | --rates R,R...]

#include "core/nlp/EntityTagger.h"
#include "core/nlp/Learning.h"
#include "core/nlp/NerCorpus.h"
#include "core/store/Store.h"
#include "core/nlp/Tagging.h"
#include "core/text/Text.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

using namespace lede;

namespace {

double secondsSince(std::chrono::steady_clock::time_point t)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// One document of a corpus as text, with its gold names in code points.
struct GoldDocument {
    std::string text;
    struct Name {
        std::uint32_t start, end;
        std::uint8_t types;
        bool maybe;
    };
    std::vector<Name> names;
};

GoldDocument goldDocument(const ner::Corpus &c, std::size_t first, std::size_t last)
{
    // As evaluateTagger reads a document: a paragraph a sentence.
    GoldDocument doc;
    std::u16string text;
    std::uint32_t codePoints = 0;
    for (std::size_t s = first; s < last; ++s) {
        if (!text.empty()) {
            text += u"\n\n";
            codePoints += 2;
        }
        const ner::Sentence &sentence = c.sentences[s];
        for (const ner::GoldName &g : c.names[s])
            doc.names.push_back({codePoints + sentence.tokens[g.begin].start, codePoints + sentence.tokens[g.end - 1].end,
                                 g.types, g.maybe});
        text += sentence.text;
        for (const char16_t u : sentence.text)
            codePoints += !(u >= 0xDC00 && u <= 0xDFFF);
    }
    doc.text = text::toUtf8(text);
    return doc;
}

// The type an analyst gives a gold name: its one type, or ORGANIZATION
// for the ORG the data leaves open between a company and another body.
int chosenType(std::uint8_t types)
{
    for (int t = 0; t < static_cast<int>(ner::kTypes.size()); ++t)
        if (types == (1u << t))
            return t;
    if (types & (1u << ner::typeIndex("ORGANIZATION")))
        return ner::typeIndex("ORGANIZATION");
    for (int t = 0; t < static_cast<int>(ner::kTypes.size()); ++t)
        if (types & (1u << t))
            return t;
    return -1;
}

std::unique_ptr<EntityTagger> storeTagger(Store &store, const std::shared_ptr<const ner::Model> &base)
{
    auto tagger = taggerForStore(store);
    auto model = storeModel(store, base);
    if (!tagger || !model) {
        std::fprintf(stderr, "%s\n", (!tagger ? tagger.message() : model.message()).c_str());
        std::exit(1);
    }
    (*tagger)->setModel(*model);
    return std::move(*tagger);
}

// Imports a gold document tagged by the store's tagger and corrects it by
// the gold; returns the reviews made.
std::size_t importAndCorrect(Store &store, EntityTagger &tagger, const GoldDocument &gold, int number)
{
    NewDocument doc;
    doc.title = "document " + std::to_string(number);
    doc.source = "bench:" + std::to_string(number);
    doc.text = gold.text;
    auto added = store.addDocument(doc, tagger.suggest(gold.text));
    if (!added || added->duplicate)
        return 0;
    auto suggestions = store.annotations(added->id);
    std::size_t reviews = 0;
    std::vector<bool> found(gold.names.size(), false);
    for (const Annotation &a : *suggestions) {
        const int type = ner::typeIndex(a.type);
        bool right = false, open = false, overlaps = false;
        for (std::size_t g = 0; g < gold.names.size(); ++g) {
            const GoldDocument::Name &n = gold.names[g];
            overlaps = overlaps || (n.start < a.end && n.end > a.start);
            if (n.start != a.start || n.end != a.end)
                continue;
            if (type >= 0 && (n.types >> type) & 1u) {
                right = true;
                found[g] = true;
            }
            open = open || n.maybe;
        }
        if (open && !right)
            continue;
        // A suggestion over part of a name is replaced by the name below,
        // as a selection over it is in the desktop; one over no name is
        // rejected.
        if (!right && overlaps)
            continue;
        (void)store.setAnnotationStatus(a.id, right ? AnnotationStatus::Accepted : AnnotationStatus::Rejected);
        ++reviews;
    }
    for (std::size_t g = 0; g < gold.names.size(); ++g) {
        const GoldDocument::Name &n = gold.names[g];
        const int type = chosenType(n.types);
        if (found[g] || n.maybe || type < 0)
            continue;
        NewAnnotation a;
        a.start = n.start;
        a.end = n.end;
        a.type = std::string(ner::kTypes[static_cast<std::size_t>(type)]);
        a.origin = Origin::Manual;
        a.status = AnnotationStatus::Accepted;
        // A manual annotation over a suggestion replaces it, as in the desktop.
        auto anns = store.annotations(added->id);
        for (const Annotation &o : *anns)
            if (o.start < a.end && o.end > a.start && o.status == AnnotationStatus::Suggested)
                (void)store.removeAnnotation(o.id);
        if (store.addAnnotation(added->id, a))
            ++reviews;
    }
    return reviews;
}

struct Micro {
    double p = 0, r = 0, f1 = 0;
};

Micro micro(const ner::Score &s)
{
    std::size_t tp = s.eitherTp, fp = 0, fn = s.eitherFn;
    for (std::size_t k = 0; k < ner::kTypes.size(); ++k) {
        tp += s.tp[k];
        fp += s.fp[k];
        fn += s.fn[k];
    }
    Micro m;
    m.p = tp + fp ? static_cast<double>(tp) / static_cast<double>(tp + fp) : 0;
    m.r = tp + fn ? static_cast<double>(tp) / static_cast<double>(tp + fn) : 0;
    m.f1 = m.p + m.r > 0 ? 2 * m.p * m.r / (m.p + m.r) : 0;
    return m;
}

double typeF1(const ner::Score &s, std::size_t k)
{
    const double tp = static_cast<double>(s.tp[k]), fp = static_cast<double>(s.fp[k]), fn = static_cast<double>(s.fn[k]);
    return tp > 0 ? 2 * tp / (2 * tp + fp + fn) : 0;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 3) {
        std::fprintf(stderr, "usage: lede_bench_learning TRAIN_DIR CORPUS [--built-in] [--direct] [--test N]\n");
        return 2;
    }
    const std::string dir = argv[1], name = argv[2];
    bool builtIn = false, direct = false;
    std::size_t testDocuments = 30;
    for (int i = 3; i < argc; ++i) {
        if (std::strcmp(argv[i], "--built-in") == 0)
            builtIn = true;
        else if (std::strcmp(argv[i], "--direct") == 0)
            direct = true;
        else if (std::strcmp(argv[i], "--test") == 0 && i + 1 < argc)
            testDocuments = std::stoul(argv[++i]);
    }
    // --margin M, --epochs N and --repeats N try other update settings.
    ModelUpdateOptions updateOptions;
    for (int i = 3; i + 1 < argc; ++i) {
        if (std::strcmp(argv[i], "--margin") == 0)
            updateOptions.margin = std::stof(argv[i + 1]);
        else if (std::strcmp(argv[i], "--epochs") == 0)
            updateOptions.epochs = std::stoi(argv[i + 1]);
        else if (std::strcmp(argv[i], "--average") == 0)
            updateOptions.average = std::strcmp(argv[i + 1], "0") != 0;
        else if (std::strcmp(argv[i], "--lexical") == 0)
            updateOptions.lexical = std::strcmp(argv[i + 1], "0") != 0;
        else if (std::strcmp(argv[i], "--rate") == 0)
            updateOptions.rate = std::stof(argv[i + 1]);
        else if (std::strcmp(argv[i], "--repeats") == 0)
            updateOptions.repeats = std::stoi(argv[i + 1]);
    }
    std::printf("update: margin %.0f, %d epochs, each sentence %d times\n", static_cast<double>(updateOptions.margin),
                updateOptions.epochs, updateOptions.repeats);
    const auto started = std::chrono::steady_clock::now();
    Tokenizer tokenizer;
    auto corpora = ner::readCorpora(dir, tokenizer);
    if (!corpora) {
        std::fprintf(stderr, "%s\n", corpora.message().c_str());
        return 1;
    }
    const ner::Corpus *corpus = nullptr;
    for (const ner::Corpus &c : *corpora)
        if (c.name == name)
            corpus = &c;
    if (!corpus || corpus->documents.size() < testDocuments + 10) {
        std::fprintf(stderr, "%s: no such corpus, or fewer than %zu documents\n", name.c_str(), testDocuments + 10);
        return 1;
    }
    auto defaultTagger = EntityTagger::createDefault();
    if (!defaultTagger) {
        std::fprintf(stderr, "%s\n", defaultTagger.message().c_str());
        return 1;
    }
    std::shared_ptr<const ner::Model> base;
    if (builtIn) {
        base = EntityTagger::builtInModel().value();
    } else {
        std::vector<ner::Sentence> sentences;
        for (const ner::Corpus &c : *corpora)
            if (c.name != name)
                sentences.insert(sentences.end(), c.sentences.begin(), c.sentences.end());
        ner::Model::TrainOptions options;
        base = std::make_shared<const ner::Model>(ner::Model::train(sentences, (*defaultTagger)->modelFeatures(), options));
        std::printf("base model trained without %s in %.1f s\n", name.c_str(), secondsSince(started));
    }

    // Documents: the first ones are the analyst's, the last testDocuments
    // are scored at every k.
    std::vector<std::size_t> bounds = corpus->documents;
    bounds.push_back(corpus->sentences.size());
    const std::size_t documents = bounds.size() - 1;
    const std::size_t firstTest = documents - testDocuments;
    ner::Corpus test;
    test.name = name + " (held-out documents)";
    for (std::size_t d = firstTest; d < documents; ++d) {
        test.documents.push_back(test.sentences.size());
        for (std::size_t s = bounds[d]; s < bounds[d + 1]; ++s) {
            test.sentences.push_back(corpus->sentences[s]);
            test.names.push_back(corpus->names[s]);
        }
    }
    std::printf("%s: %zu documents; the analyst corrects the first k, %zu are scored\n\n", name.c_str(), documents,
                testDocuments);
    std::printf("%4s %8s %7s %7s %7s  %7s %7s %7s %7s %7s  %8s  %7s %7s\n", "k", "reviews", "P", "R", "F1", "PERSON", "COMPANY",
                "NATION", "ATTACK", "ORG", "retrain", "F1 names", "model");

    auto point = [&](std::size_t k, bool stopAtThousand) {
        const char *keep = std::getenv("LEDE_BENCH_KEEP"); // a folder to keep each store in
        auto opened = Store::open(keep ? std::string(keep) + "/k" + std::to_string(k) + (stopAtThousand ? "-1000" : "") + ".sqlite" : std::string(":memory:"));
        Store &store = **opened;
        std::size_t reviews = 0, corrected = 0;
        auto tagger = storeTagger(store, base);
        for (std::size_t d = 0; d < firstTest && (stopAtThousand ? reviews < 1000 : corrected < k); ++d) {
            reviews += importAndCorrect(store, *tagger, goldDocument(*corpus, bounds[d], bounds[d + 1]), static_cast<int>(d));
            ++corrected;
        }
        double retrain = 0;
        if (corrected > 0) {
            ModelUpdateOptions options = updateOptions;
            options.base = base;
            auto report = updateModelFromStore(store, options);
            if (!report) {
                std::fprintf(stderr, "%s\n", report.message().c_str());
                std::exit(1);
            }
            retrain = report->seconds;
        }
        auto learned = storeTagger(store, base);
        const ner::Score score = ner::evaluateTagger(*learned, test);
        const Micro m = micro(score);
        // The model alone, with its update; then the tagger with the
        // analyst's names alone, without the model update.
        auto model = storeModel(store, base);
        const Micro alone = micro(ner::evaluate(**model, learned->modelFeatures(), test));
        learned->setModel(base);
        const Micro names = micro(ner::evaluateTagger(*learned, test));
        std::printf("%4zu %8zu %7.3f %7.3f %7.3f  %7.3f %7.3f %7.3f %7.3f %7.3f  %7.2fs  %7.3f %7.3f\n", corrected, reviews, m.p,
                    m.r, m.f1, typeF1(score, 0), typeF1(score, 1), typeF1(score, 2), typeF1(score, 3), typeF1(score, 4), retrain,
                    names.f1, alone.f1);
        std::fflush(stdout);
    };
    if (direct) {
        // The update learned from the corpus' own sentences of the first
        // documents, without a store: what the store's examples should reach.
        for (const std::size_t k : {5, 10, 52}) {
            std::vector<ner::Sentence> sentences(corpus->sentences.begin(),
                                                 corpus->sentences.begin() + static_cast<std::ptrdiff_t>(bounds[std::min(k, firstTest)]));
            const ner::Features features = (*defaultTagger)->modelFeatures();
            const ner::Model update = trainUpdate(sentences, features, base, updateOptions);
            const Micro m = micro(ner::evaluate(update, features, test));
            std::printf("direct k=%zu: %zu sentences, model alone P %.3f R %.3f F1 %.3f\n", k, sentences.size(), m.p, m.r, m.f1);
        }
        const Micro m0 = micro(ner::evaluate(*base, (*defaultTagger)->modelFeatures(), test));
        std::printf("base alone P %.3f R %.3f F1 %.3f\n", m0.p, m0.r, m0.f1);
    }
    std::vector<float> rates = {updateOptions.rate};
    for (int i = 3; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], "--rates") == 0) { // several, over one base: "0.01,0.1"
            rates.clear();
            for (const char *p = argv[i + 1]; *p;) {
                char *end = nullptr;
                rates.push_back(std::strtof(p, &end));
                p = *end ? end + 1 : end;
            }
        }
    for (const float rate : rates) {
        updateOptions.rate = rate;
        if (rates.size() > 1)
            std::printf("rate %.3f\n", static_cast<double>(rate));
        for (const std::size_t k : {0, 1, 2, 5, 10})
            point(k, false);
        point(0, true);
    }
    std::printf("\nF1 counts every type (either-type ORG names as right when given either); retrain is "
                "updateModelFromStore's wall time;\n"
                "F1 names: the analyst's names taught, without the model update;\n"
                "model: the model with its update alone, without lists or rules. Total %.1f s\n",
                secondsSince(started));
    return 0;
}
