#include "core/io/Evaluation.h"

#include "core/base/Files.h"
#include "core/io/Importer.h"
#include "core/io/Json.h"
#include "core/store/Store.h"
#include "core/nlp/Tagging.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <tuple>

namespace fs = std::filesystem;

namespace lede {

const std::vector<std::string> &missionTypes()
{
    static const std::vector<std::string> types = {"PERSON", "COMPANY", "NATION", "ATTACK"};
    return types;
}

EvalCounts EvalReport::micro(const std::vector<std::string> &types) const
{
    EvalCounts total;
    for (const std::string &t : types) {
        auto it = byType.find(t);
        if (it == byType.end())
            continue;
        total.tp += it->second.tp;
        total.fp += it->second.fp;
        total.fn += it->second.fn;
    }
    return total;
}

namespace {

using Key = std::tuple<std::int64_t, std::int64_t, std::string>;

Result<std::map<std::string, std::set<Key>>> loadGold(const fs::path &folder)
{
    std::map<std::string, std::set<Key>> gold;
    std::vector<fs::path> files;
    std::error_code ec;
    for (const auto &entry : fs::directory_iterator(folder, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.size() > 10 && name.compare(name.size() - 10, 10, ".gold.json") == 0)
            files.push_back(entry.path());
    }
    if (ec)
        return makeError(folder.string() + ": " + ec.message());
    std::sort(files.begin(), files.end());
    for (const fs::path &f : files) {
        auto bytes = files::readFile(f.string(), 256ull * 1024 * 1024);
        if (!bytes)
            return makeError(f.string() + ": " + bytes.message());
        auto json = parseJson(*bytes);
        if (!json)
            return makeError(f.string() + ": " + json.message());
        const JsonValue *source = json->find("source");
        const JsonValue *entities = json->find("entities");
        if (!source || !source->isString() || !entities || !entities->isArray())
            return makeError(f.string() + ": not a gold file (needs \"source\" and \"entities\")");
        std::set<Key> &keys = gold[source->asString()];
        for (const JsonValue &e : entities->asArray()) {
            const JsonValue *start = e.find("start");
            const JsonValue *end = e.find("end");
            const JsonValue *type = e.find("type");
            if (!start || !end || !type || !start->isInteger() || !end->isInteger() || !type->isString())
                return makeError(f.string() + ": an entity lacks start, end or type");
            keys.emplace(start->asInt(), end->asInt(), type->asString());
        }
    }
    return gold;
}

} // namespace

Result<EvalReport> evaluateFolder(const std::string &folder)
{
    std::error_code ec;
    if (!fs::is_directory(folder, ec))
        return makeError(folder + ": not a folder");
    LEDE_TRY_ASSIGN(auto gold, loadGold(folder));

    std::vector<std::string> texts;
    for (const auto &entry : fs::directory_iterator(folder, ec))
        if (entry.is_regular_file() && entry.path().extension() == ".txt")
            texts.push_back(entry.path().string());
    std::sort(texts.begin(), texts.end());
    if (texts.empty())
        return makeError(folder + ": no .txt files to evaluate");

    LEDE_TRY_ASSIGN(auto store, Store::open(":memory:"));
    LEDE_TRY_ASSIGN(auto factory, annotatorFactory(*store));
    ImportOptions options;
    options.makeAnnotator = factory;
    const ImportReport imported = importPaths(*store, texts, options);

    EvalReport report;
    report.seconds = imported.seconds;
    report.bytes = imported.bytes;
    for (const ImportFailure &f : imported.failures)
        report.failures.push_back(f.path + ": " + f.reason);

    LEDE_TRY_ASSIGN(auto docs, store->documents());
    std::map<std::string, std::set<Key>> predicted;
    for (const DocumentInfo &d : docs) {
        LEDE_TRY_ASSIGN(auto anns, store->annotations(d.id));
        std::vector<TaggedSpan> &spans = report.predictions[d.source];
        std::set<Key> &keys = predicted[d.source];
        for (const Annotation &a : anns) {
            spans.push_back({static_cast<std::uint32_t>(a.start), static_cast<std::uint32_t>(a.end), a.type, a.entityName});
            keys.emplace(a.start, a.end, a.type);
        }
        if (!gold.count(d.source))
            report.withoutGold.push_back(d.source);
    }
    report.documents = gold.size();
    for (const auto &[source, goldKeys] : gold) {
        const std::set<Key> &pred = predicted[source];
        for (const Key &k : pred) {
            EvalCounts &c = report.byType[std::get<2>(k)];
            if (goldKeys.count(k))
                ++c.tp;
            else
                ++c.fp;
        }
        for (const Key &k : goldKeys)
            if (!pred.count(k))
                ++report.byType[std::get<2>(k)].fn;
    }
    return report;
}

} // namespace lede
