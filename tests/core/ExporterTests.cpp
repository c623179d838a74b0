#include "core/io/Exporter.h"
#include "StoreTestUtil.h"
#include "core/base/Files.h"
#include "core/io/Importer.h"
#include "core/io/Json.h"
#include "core/store/Store.h"
#include "core/text/Text.h"

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

using namespace lede;
namespace fs = std::filesystem;

namespace {

// A fresh folder under the system temp folder, removed with its contents.
class ScratchFolder {
public:
    ScratchFolder()
    {
        std::random_device random;
        m_path = fs::temp_directory_path()
                 / ("lede-export-test-" + std::to_string(::getpid()) + "-" + std::to_string(random()));
        fs::create_directories(m_path);
    }
    ~ScratchFolder()
    {
        std::error_code ec;
        fs::remove_all(m_path, ec);
    }
    ScratchFolder(const ScratchFolder &) = delete;
    ScratchFolder &operator=(const ScratchFolder &) = delete;

    std::string file(const std::string &name) const { return (m_path / name).string(); }
    const fs::path &path() const { return m_path; }

    std::vector<std::string> names() const
    {
        std::vector<std::string> out;
        for (const auto &entry : fs::directory_iterator(m_path))
            out.push_back(entry.path().filename().string());
        std::sort(out.begin(), out.end());
        return out;
    }

private:
    fs::path m_path;
};

std::string readAll(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void writeAll(const std::string &path, const std::string &content)
{
    std::ofstream out(path, std::ios::binary);
    out << content;
}

// An annotation over the first occurrence of `needle` in `text`, with
// code-point offsets as the store expects.
NewAnnotation over(const std::string &text, const std::string &needle, const std::string &type,
                   AnnotationStatus status = AnnotationStatus::Accepted, const std::string &entityName = {})
{
    const std::size_t byte = text.find(needle);
    REQUIRE(byte != std::string::npos);
    NewAnnotation a;
    a.start = static_cast<std::int64_t>(text::codePointCount(std::string_view(text).substr(0, byte)));
    a.end = a.start + static_cast<std::int64_t>(text::codePointCount(needle));
    a.type = type;
    a.status = status;
    a.entityName = entityName;
    a.origin = Origin::Auto;
    return a;
}

std::int64_t addDocument(Store &store, const std::string &title, const std::string &source, const std::string &text,
                         const std::vector<NewAnnotation> &annotations, const std::string &url = {})
{
    NewDocument doc;
    doc.title = title;
    doc.source = source;
    doc.text = text;
    doc.url = url;
    auto added = store.addDocument(doc, annotations);
    REQUIRE(added.ok());
    REQUIRE_FALSE(added->duplicate);
    return added->id;
}

const std::string kAccordText = "Tech firms sign accord\n"
                                "Microsoft president Brad Smith said on Friday that the accord binds 34 companies. "
                                "Mr. Smith spoke in Munich.\n";
const std::string kPatchText = "🔒 Microsoft patched the flaw on Tuesday.\n";

// Two documents: an accord story with one annotation of each status and
// one linked to an entity named differently from its text, and a short
// note with an emoji before its only annotation.
NewAnnotation withProvenance(NewAnnotation a, std::string provenance, double confidence)
{
    a.provenance = std::move(provenance);
    a.confidence = confidence;
    return a;
}

std::unique_ptr<Store> newsStore()
{
    auto store = test::memoryStore();
    addDocument(*store, "Tech firms sign accord", "sub/accord.txt", kAccordText,
                {over(kAccordText, "Microsoft", "COMPANY"),
                 withProvenance(over(kAccordText, "Brad Smith", "PERSON", AnnotationStatus::Suggested), "model", 0.934),
                 over(kAccordText, "Mr. Smith", "PERSON", AnnotationStatus::Accepted, "Brad Smith"),
                 over(kAccordText, "Munich", "NATION", AnnotationStatus::Rejected)},
                "https://example.com/accord");
    addDocument(*store, "Patch notes", "patch.txt", kPatchText, {over(kPatchText, "Microsoft", "COMPANY")});
    return store;
}

std::string exportText(Store &store, const ExportOptions &options)
{
    std::ostringstream out;
    auto report = exportToStream(store, options, out);
    REQUIRE(report.ok());
    return out.str();
}

JsonValue exportJson(Store &store, ExportOptions options = {})
{
    options.format = ExportFormat::Json;
    const std::string out = exportText(store, options);
    auto parsed = parseJson(out);
    REQUIRE(parsed.ok());
    return std::move(parsed).value();
}

const std::string &stringAt(const JsonValue &object, std::string_view key)
{
    const JsonValue *v = object.find(key);
    REQUIRE(v);
    REQUIRE(v->isString());
    return v->asString();
}

std::int64_t intAt(const JsonValue &object, std::string_view key)
{
    const JsonValue *v = object.find(key);
    REQUIRE(v);
    REQUIRE(v->isInteger());
    return v->asInt();
}

const JsonValue::Array &arrayAt(const JsonValue &object, std::string_view key)
{
    const JsonValue *v = object.find(key);
    REQUIRE(v);
    REQUIRE(v->isArray());
    return v->asArray();
}

std::vector<std::string> splitLines(const std::string &text, const std::string &separator = "\n")
{
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find(separator, pos);
        if (end == std::string::npos)
            end = text.size();
        out.push_back(text.substr(pos, end - pos));
        pos = end + separator.size();
    }
    return out;
}

} // namespace

TEST_CASE("export format names parse to formats", "[export]")
{
    CHECK(parseExportFormat("json") == ExportFormat::Json);
    CHECK(parseExportFormat("jsonl") == ExportFormat::JsonLines);
    CHECK(parseExportFormat("brat") == ExportFormat::Brat);
    CHECK(parseExportFormat("conll") == ExportFormat::Conll);
    CHECK(parseExportFormat("csv") == ExportFormat::Csv);
    CHECK_FALSE(parseExportFormat("xml"));
    CHECK_FALSE(parseExportFormat(""));
}

TEST_CASE("json export writes one corpus object with types, documents and annotations", "[export]")
{
    auto store = newsStore();
    ExportOptions options;
    std::ostringstream out;
    auto report = exportToStream(*store, options, out);
    REQUIRE(report.ok());
    CHECK(report->documents == 2);
    CHECK(report->annotations == 4); // the rejected one is left out
    CHECK(report->files.empty());

    const std::string text = out.str();
    REQUIRE(text.size() > 2);
    CHECK(text.substr(text.size() - 2) == "}\n");
    auto parsed = parseJson(text);
    REQUIRE(parsed.ok());
    const JsonValue &root = *parsed;

    CHECK(stringAt(root, "format") == "lede.corpus/1");
    const std::string &exportedAt = stringAt(root, "exported_at");
    CHECK(exportedAt.size() == 20);
    CHECK(exportedAt.back() == 'Z');

    bool sawPerson = false;
    for (const JsonValue &t : arrayAt(root, "types")) {
        if (stringAt(t, "name") != "PERSON")
            continue;
        sawPerson = true;
        CHECK(stringAt(t, "color") == "#e8590c");
        CHECK(stringAt(t, "shortcut") == "1");
    }
    CHECK(sawPerson);

    const auto &docs = arrayAt(root, "documents");
    REQUIRE(docs.size() == 2);
    const JsonValue &accord = docs[0];
    CHECK(intAt(accord, "id") == 1);
    CHECK(stringAt(accord, "title") == "Tech firms sign accord");
    CHECK(stringAt(accord, "source") == "sub/accord.txt");
    CHECK(stringAt(accord, "sha256") == text::sha256Hex(kAccordText));
    CHECK_FALSE(stringAt(accord, "imported_at").empty());
    CHECK(stringAt(accord, "url") == "https://example.com/accord");
    CHECK(accord.find("published_at") == nullptr);
    CHECK(stringAt(accord, "text") == kAccordText);
    CHECK(docs[1].find("url") == nullptr);

    const auto &annotations = arrayAt(accord, "annotations");
    REQUIRE(annotations.size() == 3);
    const JsonValue &brad = annotations[1];
    CHECK(intAt(brad, "start") == 43);
    CHECK(intAt(brad, "end") == 53);
    CHECK(intAt(brad, "start_utf16") == 43);
    CHECK(intAt(brad, "end_utf16") == 53);
    CHECK(stringAt(brad, "text") == "Brad Smith");
    CHECK(stringAt(brad, "prefix") == "sign accord\nMicrosoft president ");
    CHECK(stringAt(brad, "suffix") == " said on Friday that the accord ");
    CHECK(stringAt(brad, "type") == "PERSON");
    CHECK(stringAt(brad, "origin") == "auto");
    CHECK(stringAt(brad, "status") == "suggested");
    CHECK(intAt(brad, "id") > 0);
    const JsonValue *entity = brad.find("entity");
    REQUIRE(entity);
    REQUIRE(entity->isObject());
    CHECK(intAt(*entity, "id") > 0);
    CHECK(stringAt(*entity, "name") == "Brad Smith");

    const JsonValue &mister = annotations[2];
    CHECK(stringAt(mister, "text") == "Mr. Smith");
    CHECK(stringAt(mister, "status") == "accepted");
    CHECK(stringAt(*mister.find("entity"), "name") == "Brad Smith");
    CHECK(intAt(*mister.find("entity"), "id") == intAt(*entity, "id"));
}

TEST_CASE("json export gives code-point and UTF-16 offsets after an emoji", "[export]")
{
    auto store = newsStore();
    ExportOptions options;
    options.documentIds = {2};
    const JsonValue root = exportJson(*store, options);
    const auto &docs = arrayAt(root, "documents");
    REQUIRE(docs.size() == 1);
    const auto &annotations = arrayAt(docs[0], "annotations");
    REQUIRE(annotations.size() == 1);
    const JsonValue &microsoft = annotations[0];
    CHECK(intAt(microsoft, "start") == 2);
    CHECK(intAt(microsoft, "end") == 11);
    CHECK(intAt(microsoft, "start_utf16") == 3);
    CHECK(intAt(microsoft, "end_utf16") == 12);
    CHECK(stringAt(microsoft, "text") == "Microsoft");
    CHECK(stringAt(microsoft, "prefix") == "🔒 ");
    CHECK(stringAt(microsoft, "suffix") == " patched the flaw on Tuesday.\n");
}

TEST_CASE("json prefix and suffix hold at most 32 code points around the span", "[export]")
{
    auto store = test::memoryStore();
    // Accented letters are two bytes each, so a byte-counting quote would
    // come out short.
    const std::string filler = "éèêëàâäôöûüç ";
    std::string text;
    for (int i = 0; i < 5; ++i)
        text += filler;
    text += "Kaspersky";
    for (int i = 0; i < 5; ++i)
        text += " " + filler;
    text += "\n";
    addDocument(*store, "Accents", "accents.txt", text,
                {over(text, "Kaspersky", "COMPANY"), over(text, "éèê", "NATION")});

    const JsonValue root = exportJson(*store);
    const auto &annotations = arrayAt(arrayAt(root, "documents")[0], "annotations");
    REQUIRE(annotations.size() == 2);

    const JsonValue &atStart = annotations[0];
    CHECK(intAt(atStart, "start") == 0);
    CHECK(stringAt(atStart, "prefix").empty());
    CHECK(text::codePointCount(stringAt(atStart, "suffix")) == 32);

    const JsonValue &middle = annotations[1];
    const std::string &prefix = stringAt(middle, "prefix");
    const std::string &suffix = stringAt(middle, "suffix");
    CHECK(text::codePointCount(prefix) == 32);
    CHECK(text::codePointCount(suffix) == 32);
    const auto start = static_cast<std::size_t>(intAt(middle, "start"));
    const auto end = static_cast<std::size_t>(intAt(middle, "end"));
    CHECK(prefix == text::sliceCodePoints(text, start - 32, start));
    CHECK(suffix == text::sliceCodePoints(text, end, end + 32));
    CHECK(text.find(prefix + "Kaspersky" + suffix) != std::string::npos);
}

TEST_CASE("export leaves rejected annotations out unless their status is asked for", "[export]")
{
    auto store = newsStore();
    auto typesOf = [](const JsonValue &root) {
        std::vector<std::string> out;
        for (const JsonValue &a : arrayAt(arrayAt(root, "documents")[0], "annotations"))
            out.push_back(stringAt(a, "text") + "/" + stringAt(a, "status"));
        return out;
    };

    CHECK(typesOf(exportJson(*store))
          == std::vector<std::string>{"Microsoft/accepted", "Brad Smith/suggested", "Mr. Smith/accepted"});

    ExportOptions rejectedOnly;
    rejectedOnly.statuses = {AnnotationStatus::Rejected};
    CHECK(typesOf(exportJson(*store, rejectedOnly)) == std::vector<std::string>{"Munich/rejected"});

    ExportOptions acceptedOnly;
    acceptedOnly.statuses = {AnnotationStatus::Accepted};
    CHECK(typesOf(exportJson(*store, acceptedOnly))
          == std::vector<std::string>{"Microsoft/accepted", "Mr. Smith/accepted"});

    ExportOptions all;
    all.statuses = {AnnotationStatus::Suggested, AnnotationStatus::Accepted, AnnotationStatus::Rejected};
    CHECK(typesOf(exportJson(*store, all)).size() == 4);
}

TEST_CASE("export writes only the chosen documents, in the order given", "[export]")
{
    auto store = newsStore();
    addDocument(*store, "Third", "third.txt", "Nothing to see here.\n", {});

    ExportOptions options;
    options.documentIds = {3, 1, 3};
    const JsonValue root = exportJson(*store, options);
    const auto &docs = arrayAt(root, "documents");
    REQUIRE(docs.size() == 2);
    CHECK(intAt(docs[0], "id") == 3);
    CHECK(intAt(docs[1], "id") == 1);
    CHECK(arrayAt(docs[0], "annotations").empty());
}

TEST_CASE("export of an unknown document id fails and writes nothing", "[export]")
{
    auto store = newsStore();
    ExportOptions options;
    options.documentIds = {1, 99};

    std::ostringstream out;
    auto streamed = exportToStream(*store, options, out);
    REQUIRE_FALSE(streamed.ok());
    CHECK(streamed.message() == "no document with id 99");
    CHECK(out.str().empty());

    ScratchFolder folder;
    for (const ExportFormat format : {ExportFormat::Json, ExportFormat::Csv, ExportFormat::Brat}) {
        options.format = format;
        auto written = exportToPath(*store, options, folder.file("out"));
        REQUIRE_FALSE(written.ok());
        CHECK(written.message() == "no document with id 99");
        CHECK(folder.names().empty());
    }
}

TEST_CASE("jsonl export writes one document object per line", "[export]")
{
    auto store = newsStore();
    ExportOptions options;
    options.format = ExportFormat::JsonLines;
    const std::string out = exportText(*store, options);
    REQUIRE_FALSE(out.empty());
    CHECK(out.back() == '\n');
    const auto lines = splitLines(out);
    REQUIRE(lines.size() == 2);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        auto doc = parseJson(lines[i]);
        REQUIRE(doc.ok());
        CHECK(intAt(*doc, "id") == static_cast<std::int64_t>(i + 1));
        CHECK(doc->find("format") == nullptr);
        CHECK(doc->find("annotations") != nullptr);
    }
    CHECK(stringAt(*parseJson(lines[1]), "text") == kPatchText);
}

TEST_CASE("json and jsonl exports round-trip through the importer into a fresh store", "[export]")
{
    auto original = newsStore();
    ExportOptions all;
    all.statuses = {AnnotationStatus::Suggested, AnnotationStatus::Accepted, AnnotationStatus::Rejected};

    struct Seen {
        std::string title, source, text;
        std::vector<std::string> annotations;
        bool operator==(const Seen &) const = default;
    };
    auto snapshot = [](const JsonValue &root) {
        std::vector<Seen> out;
        for (const JsonValue &d : arrayAt(root, "documents")) {
            Seen seen{stringAt(d, "title"), stringAt(d, "source"), stringAt(d, "text"), {}};
            for (const JsonValue &a : arrayAt(d, "annotations"))
                seen.annotations.push_back(std::to_string(intAt(a, "start")) + "-" + std::to_string(intAt(a, "end"))
                                           + " " + stringAt(a, "type") + " "
                                           + stringAt(*a.find("entity"), "name") + " " + stringAt(a, "status")
                                           + (a.find("provenance") ? " " + stringAt(a, "provenance") : "")
                                           + (a.find("confidence") ? " " + std::to_string(a.find("confidence")->asDouble()) : ""));
            out.push_back(std::move(seen));
        }
        return out;
    };
    const std::vector<Seen> before = snapshot(exportJson(*original, all));
    REQUIRE(before.size() == 2);
    REQUIRE(before[0].annotations.size() == 4);
    CHECK(before[0].annotations[2] == "105-114 PERSON Brad Smith accepted");
    // Why the tagger suggested a name, and how sure it was, travel along.
    CHECK(before[0].annotations[1] == "43-53 PERSON Brad Smith suggested model 0.934000");

    for (const bool jsonLines : {false, true}) {
        CAPTURE(jsonLines);
        ExportOptions options = all;
        options.format = jsonLines ? ExportFormat::JsonLines : ExportFormat::Json;
        const std::string exported = exportText(*original, options);
        auto parsed = parseLedeExport(exported, jsonLines, "export.json");
        REQUIRE(parsed.ok());
        REQUIRE(parsed->size() == 2);

        auto copy = test::memoryStore();
        for (const ParsedDocument &doc : *parsed) {
            auto added = copy->addDocument(doc.document, doc.annotations);
            REQUIRE(added.ok());
        }
        CHECK(snapshot(exportJson(*copy, all)) == before);
    }
}

TEST_CASE("brat export writes text, standoff annotations and annotation.conf", "[export]")
{
    auto store = test::memoryStore();
    const std::string text = "Shares of Acme\nCorp fell after Brad Smith spoke.\n";
    const std::int64_t id = addDocument(*store, "Acme falls", "acme.txt", text,
                                        {over(text, "Acme\nCorp", "COMPANY"), over(text, "Brad Smith", "PERSON")});
    auto annotations = store->annotations(id);
    REQUIRE(annotations.ok());
    REQUIRE(annotations->size() == 2);

    ScratchFolder folder;
    const std::string out = folder.file("brat/corpus"); // created, parents too
    ExportOptions options;
    options.format = ExportFormat::Brat;
    auto report = exportToPath(*store, options, out);
    REQUIRE(report.ok());
    CHECK(report->documents == 1);
    CHECK(report->annotations == 2);
    CHECK(report->files.size() == 3);

    const fs::path root(out);
    std::vector<std::string> names;
    for (const auto &entry : fs::directory_iterator(root))
        names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    CHECK(names == std::vector<std::string>{"0001-acme-falls.ann", "0001-acme-falls.txt", "annotation.conf"});

    CHECK(readAll((root / "0001-acme-falls.txt").string()) == text);
    const std::string expected = "T1\tCOMPANY 10 14;15 19\tAcme Corp\n"
                                 "N1\tReference T1 Lede:" + std::to_string((*annotations)[0].entityId) + "\tAcme Corp\n"
                                 "T2\tPERSON 31 41\tBrad Smith\n"
                                 "N2\tReference T2 Lede:" + std::to_string((*annotations)[1].entityId) + "\tBrad Smith\n";
    CHECK(readAll((root / "0001-acme-falls.ann").string()) == expected);

    const std::string conf = readAll((root / "annotation.conf").string());
    CHECK(conf.find("[entities]\nPERSON\nCOMPANY\nNATION\nATTACK\nORGANIZATION\n") != std::string::npos);
    CHECK(conf.find("\n[relations]\n") != std::string::npos);
    CHECK(conf.find("\n[events]\n") != std::string::npos);
    CHECK(conf.find("\n[attributes]\n") != std::string::npos);
}

TEST_CASE("brat export writes a long standoff file in pieces, every line in order", "[export]")
{
    auto store = test::memoryStore();
    std::string text;
    std::vector<NewAnnotation> spans;
    constexpr int kNames = 5'000; // some 200 KB of standoff lines
    for (int i = 0; i < kNames; ++i) {
        const auto start = static_cast<std::int64_t>(text.size());
        text += "Acme " + std::to_string(i) + " fell.\n";
        NewAnnotation a;
        a.start = start;
        a.end = start + 4;
        a.type = "COMPANY";
        a.entityName = "Acme";
        spans.push_back(a);
    }
    const std::int64_t id = addDocument(*store, "Acme again", "acme.txt", text, spans);
    ScratchFolder folder;
    ExportOptions options;
    options.format = ExportFormat::Brat;
    auto report = exportToPath(*store, options, folder.file("brat"));
    REQUIRE(report.ok());
    CHECK(report->annotations == kNames);
    auto entity = store->annotations(id);
    REQUIRE(entity.ok());
    const std::string ann = readAll((fs::path(folder.file("brat")) / "0001-acme-again.ann").string());
    REQUIRE(ann.size() > 128 * 1024);
    std::istringstream lines(ann);
    std::string line;
    int count = 0;
    while (std::getline(lines, line)) {
        const int k = count / 2;
        const std::size_t start = text.find("Acme " + std::to_string(k) + " ");
        if (count % 2 == 0)
            REQUIRE(line == "T" + std::to_string(k + 1) + "\tCOMPANY " + std::to_string(start) + ' ' + std::to_string(start + 4) + "\tAcme");
        else
            REQUIRE(line == "N" + std::to_string(k + 1) + "\tReference T" + std::to_string(k + 1) + " Lede:"
                                + std::to_string((*entity)[0].entityId) + "\tAcme");
        ++count;
    }
    CHECK(count == 2 * kNames);
}

TEST_CASE("brat export refuses a stream and a path that is a file", "[export]")
{
    auto store = newsStore();
    ExportOptions options;
    options.format = ExportFormat::Brat;
    std::ostringstream out;
    auto streamed = exportToStream(*store, options, out);
    REQUIRE_FALSE(streamed.ok());
    CHECK(streamed.message() == "brat writes a folder; give --out");

    ScratchFolder folder;
    writeAll(folder.file("taken"), "x");
    auto written = exportToPath(*store, options, folder.file("taken"));
    REQUIRE_FALSE(written.ok());
    CHECK(written.message().find(folder.file("taken")) != std::string::npos);
    CHECK(readAll(folder.file("taken")) == "x");
}

TEST_CASE("conll export tags a two-token entity B- then I- and splits sentences", "[export]")
{
    auto store = test::memoryStore();
    const std::string text = "Brad Smith visited Oslo. The talks ended.\n";
    addDocument(*store, "Visit", "visit.txt", text,
                {over(text, "Brad Smith", "PERSON"), over(text, "Oslo", "NATION")});
    ExportOptions options;
    options.format = ExportFormat::Conll;
    std::ostringstream out;
    auto report = exportToStream(*store, options, out);
    REQUIRE(report.ok());
    CHECK(report->annotations == 2);
    CHECK(out.str()
          == "-DOCSTART- -X- -X- O\n"
             "\n"
             "Brad -X- _ B-PERSON\n"
             "Smith -X- _ I-PERSON\n"
             "visited -X- _ O\n"
             "Oslo -X- _ B-NATION\n"
             ". -X- _ O\n"
             "\n"
             "The -X- _ O\n"
             "talks -X- _ O\n"
             "ended -X- _ O\n"
             ". -X- _ O\n"
             "\n");
}

TEST_CASE("conll export takes the tagger's tokens: possessives apart, hard-wrapped lines one sentence", "[export]")
{
    auto store = test::memoryStore();
    // A zero-width space between two words is no token of its own.
    const std::string text = "Microsoft\u2019s president spoke\nin Munich on Friday.\u200b Kaspersky denied it.\n";
    addDocument(*store, "Wrapped", "wrapped.txt", text,
                {over(text, "Microsoft", "COMPANY"), over(text, "Kaspersky", "COMPANY")});
    ExportOptions options;
    options.format = ExportFormat::Conll;
    CHECK(exportText(*store, options)
          == "-DOCSTART- -X- -X- O\n"
             "\n"
             "Microsoft -X- _ B-COMPANY\n"
             "\u2019s -X- _ O\n"
             "president -X- _ O\n"
             "spoke -X- _ O\n"
             "in -X- _ O\n"
             "Munich -X- _ O\n"
             "on -X- _ O\n"
             "Friday -X- _ O\n"
             ". -X- _ O\n"
             "\n"
             "Kaspersky -X- _ B-COMPANY\n"
             "denied -X- _ O\n"
             "it -X- _ O\n"
             ". -X- _ O\n"
             "\n");
}

TEST_CASE("conll export maps UTF-16 tokens back to code points after an emoji", "[export]")
{
    auto store = newsStore();
    ExportOptions options;
    options.format = ExportFormat::Conll;
    options.documentIds = {2};
    CHECK(exportText(*store, options)
          == "-DOCSTART- -X- -X- O\n"
             "\n"
             "🔒 -X- _ O\n"
             "Microsoft -X- _ B-COMPANY\n"
             "patched -X- _ O\n"
             "the -X- _ O\n"
             "flaw -X- _ O\n"
             "on -X- _ O\n"
             "Tuesday -X- _ O\n"
             ". -X- _ O\n"
             "\n");
}

TEST_CASE("conll export keeps the earlier, longer annotation where two overlap", "[export]")
{
    auto store = test::memoryStore();
    const std::string text = "Fancy Bear hit Acme Corp hard.\n";
    addDocument(*store, "Overlap", "overlap.txt", text,
                {over(text, "Fancy Bear", "ORGANIZATION"), over(text, "Bear hit Acme", "ATTACK"),
                 over(text, "Acme", "COMPANY"), over(text, "Acme Corp", "COMPANY")});
    ExportOptions options;
    options.format = ExportFormat::Conll;
    std::ostringstream out;
    auto report = exportToStream(*store, options, out);
    REQUIRE(report.ok());
    CHECK(report->annotations == 2);
    CHECK(out.str()
          == "-DOCSTART- -X- -X- O\n"
             "\n"
             "Fancy -X- _ B-ORGANIZATION\n"
             "Bear -X- _ I-ORGANIZATION\n"
             "hit -X- _ O\n"
             "Acme -X- _ B-COMPANY\n"
             "Corp -X- _ I-COMPANY\n"
             "hard -X- _ O\n"
             ". -X- _ O\n"
             "\n");
}

TEST_CASE("conll export reads a long text a part at a time, an annotation going on across the cut", "[export]")
{
    auto store = test::memoryStore();
    // Over 1 MB of paragraphs with a character outside the BMP in each:
    // tokenised in parts cut at blank lines, the first cut after 256 KB.
    const std::string paragraph = "Maersk 🔒 was hit by NotPetya.\n\n";
    std::string text;
    while (text.size() < (3u << 19))
        text += paragraph;
    const std::size_t paragraphs = text.size() / paragraph.size();
    const std::size_t cut = text::partEnd(text, 256u << 10, 64u << 10);
    REQUIRE(cut % paragraph.size() == 0);
    const std::size_t before = cut / paragraph.size(); // paragraphs before the cut
    std::vector<NewAnnotation> annotations;
    const auto paragraphCp = static_cast<std::int64_t>(text::codePointCount(paragraph));
    for (std::size_t p = 0; p < paragraphs; ++p) {
        NewAnnotation a = over(paragraph, "Maersk", "COMPANY");
        a.start += static_cast<std::int64_t>(p) * paragraphCp;
        a.end += static_cast<std::int64_t>(p) * paragraphCp;
        annotations.push_back(a);
    }
    // From the last "NotPetya" before the cut to the first "Maersk" after
    // it: it starts first, so it takes that "Maersk" from its company.
    NewAnnotation across = over(paragraph, "NotPetya", "ATTACK");
    across.start += static_cast<std::int64_t>(before - 1) * paragraphCp;
    across.end = static_cast<std::int64_t>(before) * paragraphCp + 6;
    annotations.push_back(across);
    addDocument(*store, "Long", "long.txt", text, annotations);

    ExportOptions options;
    options.format = ExportFormat::Conll;
    std::ostringstream out;
    auto report = exportToStream(*store, options, out);
    REQUIRE(report.ok());
    CHECK(report->annotations == paragraphs);
    const std::string block = "Maersk -X- _ B-COMPANY\n🔒 -X- _ O\nwas -X- _ O\nhit -X- _ O\nby -X- _ O\n"
                              "NotPetya -X- _ O\n. -X- _ O\n\n";
    std::string expected = "-DOCSTART- -X- -X- O\n\n";
    for (std::size_t p = 0; p < paragraphs; ++p) {
        if (p + 1 == before)
            expected += "Maersk -X- _ B-COMPANY\n🔒 -X- _ O\nwas -X- _ O\nhit -X- _ O\nby -X- _ O\n"
                        "NotPetya -X- _ B-ATTACK\n. -X- _ I-ATTACK\n\n";
        else if (p == before)
            expected += "Maersk -X- _ B-ATTACK\n🔒 -X- _ O\nwas -X- _ O\nhit -X- _ O\nby -X- _ O\n"
                        "NotPetya -X- _ O\n. -X- _ O\n\n";
        else
            expected += block;
    }
    CHECK(out.str() == expected);
}

TEST_CASE("conll export starts each document with -DOCSTART- and separates sentences by blank lines", "[export]")
{
    auto store = newsStore();
    ExportOptions options;
    options.format = ExportFormat::Conll;
    const std::string out = exportText(*store, options);
    const auto lines = splitLines(out);
    std::size_t docStarts = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (lines[i] == "-DOCSTART- -X- -X- O") {
            ++docStarts;
            REQUIRE(i + 1 < lines.size());
            CHECK(lines[i + 1].empty());
            continue;
        }
        if (lines[i].empty())
            continue;
        // Every token line has four space-separated columns.
        CHECK(std::count(lines[i].begin(), lines[i].end(), ' ') == 3);
    }
    CHECK(docStarts == 2);
    // The heading line is a sentence of its own, ended by its line break.
    CHECK(out.find("accord -X- _ O\n\nMicrosoft -X- _ B-COMPANY\n") != std::string::npos);
    CHECK(out.find("Brad -X- _ B-PERSON\nSmith -X- _ I-PERSON\nsaid -X- _ O\n") != std::string::npos);
    CHECK(out.find("companies -X- _ O\n. -X- _ O\n\n") != std::string::npos);
    // "Mr." is not asserted either way: ICU may or may not split after it.
    CHECK(out.find("Munich") != std::string::npos);
    CHECK(out.find("B-NATION") == std::string::npos); // rejected by default
}

TEST_CASE("csv export quotes titles with commas and quotes and texts with line breaks", "[export]")
{
    auto store = test::memoryStore();
    const std::string text = "Acme, Inc. said \"no\" to Globex\nCorp on Monday.\n";
    NewAnnotation suggested = over(text, "Globex\nCorp", "COMPANY", AnnotationStatus::Suggested);
    suggested.provenance = "rule:legal-suffix";
    suggested.confidence = 0.58;
    addDocument(*store, "Acme, Inc. says \"no\"", "acme.txt", text, {over(text, "Acme, Inc.", "COMPANY"), suggested});
    ExportOptions options;
    options.format = ExportFormat::Csv;
    std::ostringstream out;
    auto report = exportToStream(*store, options, out);
    REQUIRE(report.ok());
    CHECK(report->annotations == 2);
    CHECK(out.str()
          == "document_id,title,start,end,text,type,entity,origin,status,provenance,confidence\r\n"
             "1,\"Acme, Inc. says \"\"no\"\"\",0,10,\"Acme, Inc.\",COMPANY,\"Acme, Inc.\",auto,accepted,,\r\n"
             "1,\"Acme, Inc. says \"\"no\"\"\",24,35,\"Globex\nCorp\",COMPANY,\"Globex\nCorp\",auto,suggested,"
             "rule:legal-suffix,0.58\r\n");
}

TEST_CASE("export to a path writes the file whole and reports it", "[export]")
{
    auto store = newsStore();
    ScratchFolder folder;
    const std::string path = folder.file("corpus.json");
    ExportOptions options;
    auto report = exportToPath(*store, options, path);
    REQUIRE(report.ok());
    CHECK(report->files == std::vector<std::string>{path});
    CHECK(folder.names() == std::vector<std::string>{"corpus.json"});
    auto parsed = parseLedeExport(readAll(path), false, "corpus.json");
    REQUIRE(parsed.ok());
    CHECK(parsed->size() == 2);
}

TEST_CASE("atomic write replaces an existing file and leaves no temporary file behind", "[export]")
{
    ScratchFolder folder;
    const std::string path = folder.file("out.txt");
    writeAll(path, "old content that is longer than the new one\n");
    REQUIRE(::chmod(path.c_str(), 0600) == 0);

    REQUIRE(files::writeFileAtomically(path, "new\n").ok());
    CHECK(readAll(path) == "new\n");
    CHECK(folder.names() == std::vector<std::string>{"out.txt"});
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);

    REQUIRE(files::writeFileAtomically(folder.file("fresh.txt"), "").ok());
    CHECK(readAll(folder.file("fresh.txt")).empty());
    CHECK(folder.names() == std::vector<std::string>{"fresh.txt", "out.txt"});
}

TEST_CASE("atomic write failures name the path and leave nothing behind", "[export]")
{
    ScratchFolder folder;
    const std::string missing = folder.file("no/such/folder/out.txt");
    auto st = files::writeFileAtomically(missing, "x");
    REQUIRE_FALSE(st.ok());
    CHECK(st.message().find(missing) != std::string::npos);

    fs::create_directory(folder.path() / "sub");
    const std::string isFolder = folder.file("sub");
    st = files::writeFileAtomically(isFolder, "x");
    REQUIRE_FALSE(st.ok());
    CHECK(st.message().find(isFolder) != std::string::npos);
    CHECK(folder.names() == std::vector<std::string>{"sub"});
    CHECK(fs::is_empty(folder.path() / "sub"));
}

TEST_CASE("a cancelled export to a path keeps the old file and removes its temporary file", "[export]")
{
    auto store = newsStore();
    ScratchFolder folder;
    const std::string path = folder.file("corpus.jsonl");
    writeAll(path, "previous export\n");

    std::atomic<bool> cancel{false};
    std::size_t progressCalls = 0;
    ExportOptions options;
    options.format = ExportFormat::JsonLines;
    options.cancel = &cancel;
    options.progress = [&](std::size_t done, std::size_t total) {
        ++progressCalls;
        CHECK(total == 2);
        if (done == 1)
            cancel = true;
    };
    auto report = exportToPath(*store, options, path);
    REQUIRE_FALSE(report.ok());
    CHECK(report.message() == "export cancelled");
    CHECK(report.kind() == ErrorKind::Cancelled);
    CHECK(progressCalls == 1);
    CHECK(readAll(path) == "previous export\n");
    CHECK(folder.names() == std::vector<std::string>{"corpus.jsonl"});
}

TEST_CASE("fileStemFor turns titles into plain names prefixed by the padded id", "[export]")
{
    CHECK(fileStemFor(7, "Tech firms sign accord") == "0007-tech-firms-sign-accord");
    CHECK(fileStemFor(7, "../../etc/passwd") == "0007-etc-passwd");
    CHECK(fileStemFor(7, "..\\..\\Windows\\System32") == "0007-windows-system32");
    CHECK(fileStemFor(7, "") == "0007-untitled");
    CHECK(fileStemFor(7, "   ") == "0007-untitled");
    CHECK(fileStemFor(7, "..") == "0007-untitled");
    CHECK(fileStemFor(7, "CON") == "0007-con");
    CHECK(fileStemFor(7, "Société Générale à Paris") == "0007-societe-generale-a-paris");
    CHECK(fileStemFor(7, "東京の会議") == "0007-untitled");
    CHECK(fileStemFor(7, "Ｆｕｌｌｗｉｄｔｈ ﬁnance") == "0007-fullwidth-finance");
    CHECK(fileStemFor(12345, "Q3: up 5%!") == "12345-q3-up-5");
    CHECK(fileStemFor(7, std::string("nul\0byte", 8)) == "0007-nul-byte");

    std::string longTitle;
    for (int i = 0; i < 50; ++i)
        longTitle += "word ";
    const std::string stem = fileStemFor(7, longTitle);
    CHECK(stem.size() <= 5 + 60);
    CHECK(stem.back() != '-');

    for (const std::string &title :
         {std::string("../../etc/passwd"), std::string(""), std::string("   "), std::string("CON"),
          std::string("/"), std::string("a/b\\c:d*e?f\"g<h>i|j"), std::string(".hidden"), std::string("\n\t\r"),
          longTitle, std::string("🔒🔒🔒"), std::string("\xff\xfe invalid UTF-8")}) {
        CAPTURE(title);
        const std::string s = fileStemFor(42, title);
        CHECK(s.rfind("0042-", 0) == 0);
        CHECK(s.size() > 5);
        CHECK(s.size() <= 5 + 60);
        CHECK(s.back() != '-');
        CHECK(s.find("--") == std::string::npos);
        for (const char c : s)
            CHECK(((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'));
    }
}

TEST_CASE("a document with many annotations is exported whole, in pieces, in every single-file format", "[export]")
{
    // Far more output than one piece (256 KB) holds.
    std::string text;
    std::vector<NewAnnotation> annotations;
    for (int i = 0; i < 6000; ++i) {
        const auto at = static_cast<std::int64_t>(text::codePointCount(text));
        text += "Kestrel 🔒 Systems said the \"breach\", was contained.\n";
        annotations.push_back({at, at + 17, "COMPANY", "", Origin::Manual, AnnotationStatus::Accepted, ""});
    }
    auto store = test::memoryStore();
    NewDocument doc;
    doc.title = "Kestrel";
    doc.source = "kestrel.txt";
    doc.text = text;
    auto added = store->addDocument(doc, annotations);
    REQUIRE(added.ok());
    for (const ExportFormat format : {ExportFormat::Json, ExportFormat::JsonLines, ExportFormat::Csv, ExportFormat::Conll}) {
        ExportOptions options;
        options.format = format;
        const std::string out = exportText(*store, options);
        if (format == ExportFormat::Conll) {
            std::size_t begins = 0;
            for (std::size_t at = out.find(" B-COMPANY\n"); at != std::string::npos; at = out.find(" B-COMPANY\n", at + 1))
                ++begins;
            CHECK(begins == 6000);
            CHECK(out.size() > (256u << 10));
            continue;
        }
        if (format == ExportFormat::Csv) {
            std::size_t rows = 0;
            for (std::size_t at = out.find("\r\n"); at != std::string::npos; at = out.find("\r\n", at + 2))
                ++rows;
            CHECK(rows == 6001); // the header and one row each
            CHECK(out.size() > (256u << 10));
            continue;
        }
        REQUIRE(out.size() > (256u << 10));
        auto parsed = parseLedeExport(out, format == ExportFormat::JsonLines, "x.json");
        REQUIRE(parsed.ok());
        REQUIRE(parsed->size() == 1);
        CHECK((*parsed)[0].document.text == text);
        REQUIRE((*parsed)[0].annotations.size() == 6000);
        CHECK((*parsed)[0].annotations.back().start == annotations.back().start);
    }
}
