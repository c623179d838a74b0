#include "../Arguments.h"
#include "../Command.h"
#include "../Context.h"

#include "core/base/Files.h"
#include "core/nlp/EntityTagger.h"
#include "core/nlp/Learning.h"
#include "core/nlp/NerCorpus.h"
#include "core/store/Store.h"
#include "core/text/Text.h"
#include "core/text/Tokenizer.h"

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <iomanip>
#include <ostream>

namespace lede::cli {

namespace {

void printScore(std::ostream &out, const std::string &title, const ner::Score &score)
{
    char line[200];
    std::snprintf(line, sizeof line, "%-14s %6s %6s %6s %6s %6s %6s\n", title.c_str(), "P", "R", "F1", "tp", "fp", "fn");
    out << line;
    std::size_t tp = 0, fp = 0, fn = 0;
    auto f1 = [](double p, double r) { return p + r > 0 ? 2 * p * r / (p + r) : 0.0; };
    for (std::size_t k = 0; k < ner::kTypes.size(); ++k) {
        const double p = score.tp[k] + score.fp[k] ? static_cast<double>(score.tp[k]) / static_cast<double>(score.tp[k] + score.fp[k]) : 0;
        const double r = score.tp[k] + score.fn[k] ? static_cast<double>(score.tp[k]) / static_cast<double>(score.tp[k] + score.fn[k]) : 0;
        std::snprintf(line, sizeof line, "%-14s %6.3f %6.3f %6.3f %6zu %6zu %6zu\n", std::string(ner::kTypes[k]).c_str(), p, r,
                      f1(p, r), score.tp[k], score.fp[k], score.fn[k]);
        out << line;
        if (ner::kTypes[k] != "ORGANIZATION") {
            tp += score.tp[k];
            fp += score.fp[k];
            fn += score.fn[k];
        }
    }
    if (score.eitherTp + score.eitherFn > 0) {
        std::snprintf(line, sizeof line, "%-14s %6s %6.3f %6s %6zu %6s %6zu  (COMPANY or ORGANIZATION: the data does not say)\n",
                      "ORG, either", "", static_cast<double>(score.eitherTp) / static_cast<double>(score.eitherTp + score.eitherFn),
                      "", score.eitherTp, "", score.eitherFn);
        out << line;
    }
    const double p = tp + fp ? static_cast<double>(tp) / static_cast<double>(tp + fp) : 0;
    const double r = tp + fn ? static_cast<double>(tp) / static_cast<double>(tp + fn) : 0;
    std::snprintf(line, sizeof line, "micro-F1 %.3f (P %.3f R %.3f) over PERSON, COMPANY, NATION, ATTACK names of one type\n",
                  f1(p, r), p, r);
    out << line << "precision by confidence:";
    for (std::size_t b = 0; b < score.byConfidence.size(); ++b)
        if (score.byConfidence[b] > 0) {
            std::snprintf(line, sizeof line, "  %.1f+ %.2f (%zu)", static_cast<double>(b) / 10.0,
                          static_cast<double>(score.rightByConfidence[b]) / static_cast<double>(score.byConfidence[b]),
                          score.byConfidence[b]);
            out << line;
        }
    out << "\n\n";
}

void printProvenances(std::ostream &out, const ner::Score &score)
{
    out << "provenance                          names  right  precision\n";
    for (const auto &[provenance, counts] : score.byProvenance)
        out << std::left << std::setw(34) << text::forTerminal(provenance) << std::right << std::setw(7) << counts.first
            << std::setw(7) << counts.second << std::setw(11) << std::setprecision(3) << std::fixed
            << (counts.first ? static_cast<double>(counts.second) / static_cast<double>(counts.first) : 0.0) << "\n";
    out << "\n";
}

class TrainCommand final : public Command {
public:
    TrainCommand()
        : Command({"train", "DIR", "learn a name model from training corpora, or (--from-store) from reviews",
                R"(usage: lede-cli train DIR [--out MODEL] [--epochs N] [--seed N] [--without C,...] [--cross C,...] [--provenance]
                     [--model-threshold C] [--quiet]
       lede-cli train --from-store [--no-retag] [--forget])",
                   R"(Learns Lede's name model (an averaged perceptron over BIO tags of the
five types) from DIR, a folder with one sub-folder of .conll files per
corpus, as scripts/ner/relabel.py writes it. The same data, epochs and
seed give the same model, byte for byte.)",
                   R"(With --from-store, learns from the analyst instead: the store's manual
annotations and accepted and rejected suggestions, with the sentences
around them, train an update of the built-in model that the store keeps
and tags with from then on (import, tag, the desktop). Then the documents
nobody has reviewed are re-tagged; what the analyst made or reviewed is
never touched.)"})
    {
    }

    void declare(CLI::App &app) override
    {
        app.add_option("DIR", m_folder, "the folder of training corpora")->type_name(kDir);
        std::vector<CLI::Option *> corpusOptions;
        corpusOptions.push_back(
            m_outOption = app.add_option("--out", m_out, "write the model here (default: print what was learned only)")
                              ->type_name(kPath));
        corpusOptions.push_back(app.add_option_function<std::string>(
                                       "--epochs",
                                       [this](const std::string &v) { m_options.epochs = static_cast<int>(parseCount(v, "epochs", 100)); },
                                       "passes over the data (default 8)")
                                    ->type_name("N")
                                    ->check(isCount("epochs", 100)));
        corpusOptions.push_back(app.add_option_function<std::string>(
                                       "--seed",
                                       [this](const std::string &v) { m_options.seed = static_cast<std::uint64_t>(parseId(v, "seed")); },
                                       "the order of the passes (default 1)")
                                    ->type_name("N")
                                    ->check(isId("seed")));
        corpusOptions.push_back(app.add_option_function<std::string>(
                                       "--without", [this](const std::string &v) { m_without = splitNames(v); },
                                       "leave these corpora out of training")
                                    ->type_name("C,.."));
        corpusOptions.push_back(app.add_option_function<std::string>(
                                       "--cross", [this](const std::string &v) { m_cross = splitNames(v); },
                                       "for each of these corpora, train on all the others\n"
                                       "(less --without) and score on it: the model on text of\n"
                                       "a kind it has not seen; prints P/R/F1 per type")
                                    ->type_name("C,.."));
        corpusOptions.push_back(app.add_flag("--provenance", m_provenance,
                                             "tag every corpus with the built-in tagger, print its\n"
                                             "scores on each (its model has seen them: they compare\n"
                                             "rules and lists) and how often a name from each list\n"
                                             "and rule is right: the precision the tagger reports as\n"
                                             "those names' confidence;\n"
                                             "with --cross, also per held-out corpus, the model's\n"
                                             "names by confidence (how its margins map onto precision)"));
        corpusOptions.push_back(app.add_option_function<std::string>(
                                       "--model-threshold",
                                       [this](const std::string &v) { m_threshold = parseFraction(v, "--model-threshold"); },
                                       "with --cross and --provenance, the tagger takes the\n"
                                       "model's names from confidence C (default 0.9), to\n"
                                       "measure that choice on held-out corpora")
                                    ->type_name("C")
                                    ->check(isFraction("--model-threshold")));
        app.add_flag("--quiet", m_quiet, "no line per epoch");
        auto *fromStore = app.add_flag("--from-store", m_fromStore,
                                       "learn from the store's reviews instead (below)");
        app.add_flag("--no-retag", m_noRetag, "with --from-store: keep the suggestions as they are")->needs(fromStore);
        app.add_flag("--forget", m_forget, "with --from-store: remove the store's update and tag\nwith the built-in model")
            ->needs(fromStore);
        for (CLI::Option *o : corpusOptions)
            o->excludes(fromStore);
    }

    int run(Context &ctx) override
    {
        if (m_fromStore) {
            if (!m_folder.empty())
                throw UsageError{"train --from-store takes no folder: it learns from the store's reviews"};
            return trainFromStore(ctx);
        }
        if (m_folder.empty())
            throw UsageError{"train needs the folder of training corpora"};
        return trainFromCorpora(ctx);
    }

private:
    int trainFromStore(Context &ctx)
    {
        Store *store = ctx.store(Access::Write);
        if (!store)
            return Failed;
        if (m_forget) {
            if (auto st = store->setModelUpdate(std::nullopt); !st)
                return ctx.fail(st.message());
            ctx.out << "removed the store's model update: tagging with the built-in model\n";
        } else {
            auto report = updateModelFromStore(*store);
            if (!report)
                return ctx.fail(report.message());
            char line[200];
            if (report->removed)
                std::snprintf(line, sizeof line, "no reviews to learn from: tagging with the built-in model");
            else
                std::snprintf(line, sizeof line,
                              "learned from %zu reviews in %zu sentences of %zu documents in %.2f s (%zu features, %s)",
                              report->reviews, report->sentences, report->documents, report->seconds, report->features,
                              files::formatSize(report->bytes).c_str());
            ctx.out << line << '\n';
        }
        if (m_noRetag)
            return Ok;
        auto retagged = retagUnreviewed(*store);
        if (!retagged)
            return ctx.fail(retagged.message());
        if (retagged->documents == 0) {
            ctx.out << "every document holds a review: no suggestions re-tagged\n";
            return Ok;
        }
        char line[160];
        std::snprintf(line, sizeof line, "re-tagged %zu unreviewed documents, %zu suggestions in %.2f s", retagged->documents,
                      retagged->suggestions, retagged->seconds);
        ctx.out << line << '\n';
        return Ok;
    }

    int trainFromCorpora(Context &ctx)
    {
        const bool quiet = m_quiet || !ctx.interactive;
        const auto started = std::chrono::steady_clock::now();
        auto seconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };

        Tokenizer tokenizer;
        auto corpora = ner::readCorpora(m_folder, tokenizer);
        if (!corpora)
            return ctx.fail(corpora.message());
        std::set<std::string> known;
        for (const ner::Corpus &c : *corpora)
            known.insert(c.name);
        for (const std::set<std::string> *names : {&m_without, &m_cross})
            for (const std::string &n : *names)
                if (!known.count(n))
                    throw UsageError{"there is no corpus '" + n + "' in " + m_folder};
        auto tagger = EntityTagger::createDefault();
        if (!tagger)
            return ctx.fail(tagger.message());
        (*tagger)->setModelConfidence(static_cast<float>(m_threshold));
        const ner::Features features = (*tagger)->modelFeatures();
        std::size_t tokens = 0;
        for (const ner::Corpus &c : *corpora)
            tokens += c.tokens;
        ctx.err << "read " << corpora->size() << " corpora, " << tokens << " tokens in " << std::fixed << std::setprecision(1)
                << seconds() << " s\n";
        if (!quiet)
            m_options.progress = [&](int epoch, std::size_t mistakes, std::size_t sentences) {
                ctx.err << "  epoch " << epoch << ": " << mistakes << " of " << sentences << " sentences wrong\n";
            };

        auto trainOn = [&](const std::string &leftOut) {
            std::vector<ner::Sentence> sentences;
            for (const ner::Corpus &c : *corpora)
                if (c.name != leftOut && !m_without.count(c.name))
                    sentences.insert(sentences.end(), c.sentences.begin(), c.sentences.end());
            return ner::Model::train(sentences, features, m_options);
        };
        // Before --cross, which gives the tagger other models.
        if (m_provenance) {
            ner::Score all;
            for (const ner::Corpus &c : *corpora) {
                if (m_without.count(c.name))
                    continue;
                const ner::Score score = ner::evaluateTagger(**tagger, c);
                // The built-in model was trained on these corpora: the
                // figures compare rules and lists, not generalisation.
                printScore(ctx.out, c.name + ", the built-in tagger", score);
                all.add(score);
            }
            printProvenances(ctx.out, all);
            ctx.err << "scored the tagger's provenances in " << seconds() << " s\n";
        }
        for (const std::string &heldOut : m_cross) {
            auto model = std::make_shared<ner::Model>(trainOn(heldOut));
            for (const ner::Corpus &c : *corpora) {
                if (c.name != heldOut)
                    continue;
                printScore(ctx.out, heldOut + " (held out), model alone", ner::evaluate(*model, features, c));
                (*tagger)->setModel(nullptr);
                printScore(ctx.out, heldOut + " (held out), the tagger without the model", ner::evaluateTagger(**tagger, c));
                (*tagger)->setModel(model);
                const ner::Score withModel = ner::evaluateTagger(**tagger, c);
                printScore(ctx.out, heldOut + " (held out), the tagger with the model", withModel);
                if (m_provenance)
                    printProvenances(ctx.out, withModel);
            }
            ctx.err << "trained without " << heldOut << " and scored on it in " << seconds() << " s\n";
        }
        if (!*m_outOption)
            return Ok;
        const ner::Model model = trainOn("");
        const std::string saved = model.save();
        if (auto st = files::writeFileAtomically(m_out, saved); !st)
            return ctx.fail(st.message());
        ctx.err << "wrote " << text::forTerminal(m_out) << ": " << model.featureCount() << " features, "
                << files::formatSize(static_cast<std::uint64_t>(saved.size())) << ", in " << seconds() << " s\n";
        return Ok;
    }

    std::string m_folder;
    std::string m_out;
    ner::Model::TrainOptions m_options;
    std::set<std::string> m_without;
    std::set<std::string> m_cross;
    double m_threshold = EntityTagger::kModelConfidence;
    bool m_provenance = false;
    bool m_quiet = false;
    bool m_fromStore = false;
    bool m_noRetag = false;
    bool m_forget = false;
    CLI::Option *m_outOption = nullptr;
};

} // namespace

std::unique_ptr<Command> makeTrainCommand() { return std::make_unique<TrainCommand>(); }

} // namespace lede::cli
