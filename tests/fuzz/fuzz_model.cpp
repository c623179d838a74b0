// The name model on arbitrary bytes. With a first byte below 128 the rest
// is a model file: loading fails with a message or gives a model whose
// decoding of a fixed sentence stays inside it. Otherwise the rest is text
// (valid UTF-8), decoded by the built-in model and by the built-in model
// under a small update: mentions stay inside the sentence, in order,
// never overlapping, with confidences in [0, 1].
#include "core/nlp/EntityTagger.h"
#include "core/nlp/Learning.h"
#include "core/nlp/NerModel.h"
#include "core/text/Text.h"
#include "core/text/Tokenizer.h"

#include <cmath>
#include <cstdlib>
#include <memory>

namespace {

void checkMentions(const std::vector<lede::ner::Mention> &found, std::size_t tokens)
{
    std::uint32_t previousEnd = 0;
    for (const lede::ner::Mention &m : found) {
        if (m.begin >= m.end || m.end > tokens || m.begin < previousEnd || m.type < 0
            || m.type >= static_cast<int>(lede::ner::kTypes.size()) || !(m.confidence >= 0.0f && m.confidence <= 1.0f))
            std::abort();
        previousEnd = m.end;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char *data, std::size_t size)
{
    using namespace lede;
    static std::unique_ptr<EntityTagger> tagger = EntityTagger::createDefault().value();
    static const ner::Features features = tagger->modelFeatures();
    static Tokenizer tokenizer;
    static const std::shared_ptr<const ner::Model> base = EntityTagger::builtInModel().value();
    static const ner::Sentence fixed = [] {
        ner::Sentence s;
        s.text = u"Brad Smith of Microsoft said Russia was behind NotPetya.";
        s.tokens = tokenizer.tokenize(s.text, true);
        return s;
    }();
    // An update that learned one sentence, as a store's would.
    static const std::shared_ptr<const ner::Model> updated = [] {
        ner::Sentence s = fixed;
        s.allowed.assign(s.tokens.size(), 1);
        s.allowed[3] = static_cast<ner::TagSet>(1u << ner::beginTag(ner::typeIndex("ORGANIZATION")));
        return std::make_shared<const ner::Model>(trainUpdate({s}, features, base));
    }();
    if (size == 0)
        return 0;
    const std::string_view rest(reinterpret_cast<const char *>(data) + 1, size - 1);
    if (data[0] < 128) {
        auto model = ner::Model::load(rest);
        if (!model) {
            if (model.message().empty())
                std::abort();
            return 0;
        }
        checkMentions(model->tag(fixed, features), fixed.tokens.size());
        return 0;
    }
    if (!text::isValidUtf8(rest))
        return 0;
    ner::Sentence s;
    s.text = text::toUtf16(text::normalize(rest));
    s.tokens = tokenizer.tokenize(s.text, true);
    checkMentions(base->tag(s, features), s.tokens.size());
    checkMentions(updated->tag(s, features), s.tokens.size());
    return 0;
}
