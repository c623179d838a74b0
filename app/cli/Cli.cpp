#include "Cli.h"

#include "core/io/Evaluation.h"
#include "core/io/Exporter.h"
#include "core/base/Files.h"
#include "core/io/Importer.h"
#include "core/io/Json.h"
#include "core/nlp/Learning.h"
#include "core/nlp/NerCorpus.h"
#include "core/nlp/EntityTagger.h"
#include "core/search/Search.h"
#include "core/store/Store.h"
#include "core/store/StoreAccess.h"
#include "core/nlp/Tagging.h"
#include "core/text/Text.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <unistd.h>

namespace lede::cli {

namespace {

constexpr const char *kUsage = R"(usage: lede-cli [--db PATH] COMMAND [ARGS...]

Lede keeps articles and their entity annotations in one store file.

Commands:
  import PATH...        import files and folders (txt, md, html, Lede json/jsonl)
  list                  list the documents
  show ID               print a document with its annotations inline
  annotate ID ...       add, remove, retype, accept or reject annotations
  export                write documents and annotations (json, jsonl, brat, conll, csv)
  types                 list entity types, or add one
  search QUERY          search the documents: words, "phrases", type: and entity: filters
  entities              list entities with their counts, or those next to one entity
  tag                   (re-)tag documents with the entity tagger
  eval DIR              measure the tagger against gold files
  train DIR             learn a name model from relabelled training corpora
  train --from-store    update the store's name model from the analyst's reviews
  stats                 counts of documents, annotations and entities
  backup PATH           copy the store, safely while it is in use, to one file
  check                 check that the store is sound

Options:
  --db PATH             the store (default: $LEDE_DB, else $XDG_DATA_HOME/lede/lede.sqlite)
  --help                this text; 'lede-cli COMMAND --help' explains a command
  --version             print the version

Exit status: 0 success, 1 some work failed, 2 a usage error.
)";

const std::map<std::string, std::string> kCommandHelp = {
    {"train", R"(usage: lede-cli train DIR [--out MODEL] [--epochs N] [--seed N] [--without C,...] [--cross C,...] [--provenance]
                     [--model-threshold C] [--quiet]
       lede-cli train --from-store [--no-retag] [--forget]

Learns Lede's name model (an averaged perceptron over BIO tags of the
five types) from DIR, a folder with one sub-folder of .conll files per
corpus, as scripts/ner/relabel.py writes it. The same data, epochs and
seed give the same model, byte for byte.

  --out MODEL     write the model here (default: print what was learned only)
  --epochs N      passes over the data (default 8)
  --seed N        the order of the passes (default 1)
  --without C,..  leave these corpora out of training
  --cross C,..    for each of these corpora, train on all the others
                  (less --without) and score on it: the model on text of
                  a kind it has not seen; prints P/R/F1 per type
  --provenance    tag every corpus with the built-in tagger and print how
                  often a name from each list and rule is right: the
                  precision the tagger reports as those names' confidence;
                  with --cross, also per held-out corpus, the model's
                  names by confidence (how its margins map onto precision)
  --model-threshold C  with --cross and --provenance, the tagger takes the
                  model's names from confidence C (default 0.9), to
                  measure that choice on held-out corpora

With --from-store, learns from the analyst instead: the store's manual
annotations and accepted and rejected suggestions, with the sentences
around them, train an update of the built-in model that the store keeps
and tags with from then on (import, tag, the desktop). Then the documents
nobody has reviewed are re-tagged; what the analyst made or reviewed is
never touched.

  --no-retag      keep the suggestions as they are
  --forget        remove the store's update: tag with the built-in model
)"},
    {"backup", R"(usage: lede-cli backup [--force] PATH

Writes a copy of the store to PATH: one self-contained file holding every
document, annotation, type and entity, consistent even while the desktop
or another lede-cli is writing. The copy is checked before it takes its
name, so PATH holds either the whole copy or what it held before. Copy a
store this way, not with cp: a store in use is more than one file (its
-wal holds the latest changes), and a copy of the file alone can lose
them or read as damaged. Open the copy with --db PATH.

  --force   replace PATH if it exists
)"},
    {"check", R"(usage: lede-cli check [--json]

Checks the store: SQLite's integrity check and links, the full-text index
against the documents, every document's text (UTF-8, NFC, length, hash),
every annotation inside its document and linked to an entity of its type,
and the search summaries against the annotations. Prints "ok" or one line
per problem. Changes nothing.

Exit status 1 when a problem is found.
)"},
    {"import", R"(usage: lede-cli import [--no-tag] [--max-size SIZE] [--threads N] [--quiet] PATH...

Imports files and folders (recursively). Formats by extension: .txt .md
.html/.htm and Lede's own .json/.jsonl exports. Encodings: UTF-8 (with or
without BOM), UTF-16 with BOM, and legacy single-byte encodings (detected).
Articles already in the store (same text) count as duplicates. A file that
cannot be read is reported with its reason and the rest go on. New articles
are tagged: people, companies, nations, attacks and organisations become
suggestions to review.

  --no-tag          import without tagging
  --max-size SIZE   largest file to read, e.g. 20MB (the default), 500KB, 1GB
  --threads N       reader threads (default: cores - 1)
  --quiet           no progress line

A Lede export (.json, .jsonl) of documents the store has already merges
their annotations into the stored ones: annotations the store lacks are
added, a review (accepted, rejected, manual) wins over an unreviewed
suggestion, and where both stores reviewed a span differently the newer
change is kept and counted as a conflict. Each file lands whole or not at
all.

Prints: imported N, duplicates D[, merged M annotations, C conflicts], failed F in T s
Exit status 1 when any file failed.
)"},
    {"list", R"(usage: lede-cli list [--json]

Lists the documents: id, annotation count, title and source.
)"},
    {"show", R"(usage: lede-cli show ID [--status S,...] [--list] [--min-confidence C] [--least-confident]

Prints a document's text with its annotations inline as [text]{TYPE}.
By default every annotation that is not rejected is shown. --list adds a
table of the annotations: number (ANN for annotate), offsets, type,
status, origin, text, and for the tagger's suggestions why it made them
(provenance: a list such as gazetteer:mitre-attack:S0368, a rule such as
rule:title, the model, or "document" for a name repeated from elsewhere
in the text) and how sure it was (confidence, 0-1).

  --min-confidence C  hide suggestions the tagger was less sure of than C
                      (reviewed and manual annotations always show)
  --least-confident   list the suggestions alone, least confident first:
                      the order to review them in
)"},
    {"annotate", R"(usage: lede-cli annotate ID --add START END TYPE [--entity NAME]
       lede-cli annotate ID --remove ANN
       lede-cli annotate ID --retype ANN TYPE
       lede-cli annotate ID --accept ANN
       lede-cli annotate ID --reject ANN

Changes the annotations of document ID. START and END are code-point
offsets (END exclusive). ANN is the annotation's number in the document,
as `show --list` and `annotate --add` print it; its full id, as exports
write it, is accepted too. A new annotation is manual and accepted, linked to
the entity NAME (default: the annotated text).
)"},
    {"export", R"(usage: lede-cli export [--format json|jsonl|brat|conll|csv] [--out PATH] [--status S,...] [ID...]

Writes the given documents (default: all) with their annotations. Without
--out the output goes to standard output (brat needs --out, a folder).
--status takes suggested, accepted, rejected (comma separated); by default
every annotation that is not rejected is exported. Files are written
atomically.
)"},
    {"types", R"(usage: lede-cli types [--json]
       lede-cli types --add NAME [--color #RRGGBB] [--key K]

Lists the entity types with colour and shortcut key, or adds a type.
)"},
    {"tag", R"(usage: lede-cli tag [--all | ID...] [--quiet]

Runs the entity tagger again over the given documents (or all with --all).
Only unreviewed suggestions are replaced: manual, accepted and rejected
annotations stay as they are. Names you annotated or accepted are suggested
in other documents; suggestions you rejected are not made again.
)"},
    {"eval", R"(usage: lede-cli eval DIR [--json] [--pred OUT.json]

Imports every .txt of DIR into a temporary store, tags it and compares the
suggestions with the .gold.json beside each text (exact span and type).
Prints precision, recall and F1 per type and the micro-F1 over PERSON,
COMPANY, NATION and ATTACK. --pred writes the predictions in the format of
shared/eval/score.py.
)"},
    {"search", R"(usage: lede-cli search QUERY [--type T] [--entity NAME] [--limit N] [--offset N] [--json]

Searches the documents' titles, text and annotations. Words match whole
words, ignoring case and accents ("telefonica" finds "Telefónica"); text in
Chinese, Japanese or Thai is searched by word too. Several words must all
occur. Operators are written in capitals:

  ransomware hospitals     both words (AND is implied)
  wannacry OR notpetya     either word
  ransomware NOT wannacry  the first word without the second
  "state sponsored"        the words next to each other, in this order
  ransom*                  any word beginning with "ransom"
  (a OR b) c               parentheses group
  type:ATTACK              documents with an annotation of this type
  entity:"Brad Smith"      ... linked to this entity (by its name or an alias)
  status:accepted          only annotations of this status count
                           (suggested, accepted, rejected, all; comma separated)
  origin:manual            only annotations of this origin count
                           (auto, manual, imported, all)

Filters mix with words: 'ransomware type:COMPANY' finds articles about
ransomware that mention a company. Rejected annotations never count unless
status: says so. Hits are ranked by relevance, a match in the title counting
more; a query of filters only lists the documents with the most matching
annotations first. Each hit shows a snippet with the matches in [brackets]
(bold on a terminal).

  --type T         add type:T to the query
  --entity NAME    add entity:NAME to the query
  --limit N        hits to show (default 20, at most 1000)
  --offset N       skip the first N hits, for the next page
  --json           {"results": [{"id", "title", "score", "snippet", "matches",
                   "snippet_start", "snippet_end", "title_matches",
                   "document_matches"}], "total": N}; match offsets are
                   [start, end] in code points of the snippet, title or text

Exit status 2 when the query cannot be read.
)"},
    {"entities", R"(usage: lede-cli entities [--type T] [--prefix P] [--limit N] [--json]
       lede-cli entities --cooccur NAME [--type T] [--limit N] [--json]

Lists entities with how many times they are mentioned and in how many
documents, most documents first. Only annotations that are not rejected
count.

  --type T         only entities of type T
  --prefix P       only entities whose name or an alias begins with P
                   (case and accents ignored)
  --cooccur NAME   the entities sharing the most documents with NAME (a name
                   or an alias); "documents" counts the shared documents and
                   "mentions" the entity's mentions in them
  --limit N        entities to show (default 50, with --cooccur 20)
  --json           {"results": [{"id", "name", "type", "mentions", "documents"}]}
)"},
    {"stats", R"(usage: lede-cli stats [--json]

Counts of documents, annotations (by type, status and origin) and entities.
)"},
};

struct UsageError {
    std::string message;
};

// Splits a command's arguments into options and positionals. Options take
// their values from the declared arity; "--" ends options.
class Args {
public:
    Args(const std::vector<std::string> &args, const std::map<std::string, int> &arity)
    {
        for (std::size_t i = 0; i < args.size(); ++i) {
            const std::string &a = args[i];
            if (a == "--") {
                m_positional.insert(m_positional.end(), args.begin() + static_cast<long>(i) + 1, args.end());
                break;
            }
            if (a.size() > 1 && a[0] == '-' && !(a.size() > 1 && std::isdigit(static_cast<unsigned char>(a[1])))) {
                std::string name = a;
                std::optional<std::string> inlineValue;
                if (auto eq = a.find('='); eq != std::string::npos && a.rfind("--", 0) == 0) {
                    name = a.substr(0, eq);
                    inlineValue = a.substr(eq + 1);
                }
                auto it = arity.find(name);
                if (it == arity.end())
                    throw UsageError{"unknown option '" + name + "'"};
                std::vector<std::string> values;
                if (inlineValue) {
                    if (it->second != 1)
                        throw UsageError{"option '" + name + "' takes " + std::to_string(it->second) + " values"};
                    values.push_back(*inlineValue);
                } else {
                    for (int k = 0; k < it->second; ++k) {
                        if (i + 1 >= args.size())
                            throw UsageError{"option '" + name + "' needs " + std::to_string(it->second)
                                             + (it->second == 1 ? " value" : " values")};
                        values.push_back(args[++i]);
                    }
                }
                if (m_options.count(name))
                    throw UsageError{"option '" + name + "' given twice"};
                m_options[name] = std::move(values);
            } else {
                m_positional.push_back(a);
            }
        }
    }

    /// Every value that may end up in the store or in output must be
    /// UTF-8; paths (the options named, and the positionals when they are
    /// paths) are the file system's bytes and are left as they are.
    void requireText(const std::set<std::string> &pathOptions = {}, bool pathPositionals = false) const
    {
        for (const auto &[name, values] : m_options)
            for (const std::string &v : values)
                if (!pathOptions.count(name) && !text::isValidUtf8(v))
                    throw UsageError{"the value of " + name + " is not valid UTF-8 (byte "
                                     + std::to_string(text::firstInvalidUtf8(v) + 1) + ")"};
        if (!pathPositionals)
            for (const std::string &v : m_positional)
                if (!text::isValidUtf8(v))
                    throw UsageError{"argument '" + text::forTerminal(v) + "' is not valid UTF-8 (byte "
                                     + std::to_string(text::firstInvalidUtf8(v) + 1) + ")"};
    }

    bool has(const std::string &name) const { return m_options.count(name) > 0; }
    const std::vector<std::string> &values(const std::string &name) const { return m_options.at(name); }
    std::string value(const std::string &name, const std::string &fallback = {}) const
    {
        auto it = m_options.find(name);
        return it == m_options.end() || it->second.empty() ? fallback : it->second[0];
    }
    const std::vector<std::string> &positional() const { return m_positional; }

private:
    std::map<std::string, std::vector<std::string>> m_options;
    std::vector<std::string> m_positional;
};

std::int64_t parseId(const std::string &text, const std::string &what)
{
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec == std::errc::result_out_of_range)
        throw UsageError{what + " '" + text + "' is too large"};
    if (ec != std::errc() || p != text.data() + text.size())
        throw UsageError{what + " '" + text + "' is not a number"};
    if (v < 0)
        throw UsageError{what + " " + text + " is negative"
                         + (what.find("offset") != std::string::npos ? ": offsets count code points from 0" : "")};
    return v;
}

std::uint64_t parseSize(const std::string &text)
{
    std::uint64_t v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || p == text.data())
        throw UsageError{"size '" + text + "' is not a number such as 20MB"};
    std::string unit(p, text.data() + text.size());
    std::transform(unit.begin(), unit.end(), unit.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    std::uint64_t factor = 1;
    if (unit.empty() || unit == "B")
        factor = 1;
    else if (unit == "K" || unit == "KB")
        factor = 1024;
    else if (unit == "M" || unit == "MB")
        factor = 1024 * 1024;
    else if (unit == "G" || unit == "GB")
        factor = 1024ull * 1024 * 1024;
    else
        throw UsageError{"size '" + text + "' has an unknown unit (use KB, MB or GB)"};
    if (v == 0)
        throw UsageError{"size '" + text + "' must be more than zero"};
    // Files are read whole into memory: a limit past what any article or
    // export needs is a typo, and past 2^64 it would wrap around.
    constexpr std::uint64_t kMost = 16ull * 1024 * 1024 * 1024;
    if (v > kMost / factor)
        throw UsageError{"size '" + text + "' is more than 16 GB, the largest file Lede reads"};
    return v * factor;
}

std::set<AnnotationStatus> parseStatuses(const std::string &text)
{
    std::set<AnnotationStatus> out;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ',')) {
        if (item == "all") {
            out = {AnnotationStatus::Suggested, AnnotationStatus::Accepted, AnnotationStatus::Rejected};
            continue;
        }
        auto s = parseStatus(item);
        if (!s)
            throw UsageError{"status '" + item + "' is not one of suggested, accepted, rejected, all"};
        out.insert(*s);
    }
    if (out.empty())
        throw UsageError{"--status needs at least one status"};
    return out;
}

// What a command does with the store: a read command also works on a store
// this process cannot write; a write command refuses one up front, naming
// the store and the reason, instead of failing at its first write.
enum class Access { Read, Write };

class Context {
public:
    Context(std::ostream &out, std::ostream &err, bool interactive, std::string dbPath)
        : out(out), err(err), interactive(interactive), m_dbPath(std::move(dbPath))
    {
    }

    // Opens the store on first use; failures are reported here and the
    // caller returns Failed on nullptr.
    Store *store(Access access)
    {
        if (m_store && (access == Access::Read || !m_readOnly))
            return m_store.get();
        const std::optional<std::string> readOnly = storeReadOnlyReason(m_dbPath);
        if (readOnly && access == Access::Write) {
            err << "lede-cli: " << text::forTerminal(m_dbPath) << ": the store is read-only (" << *readOnly
                << "); nothing was changed. Make it writable and run the command again.\n";
            return nullptr;
        }
        Store::OpenOptions options;
        options.readOnly = readOnly.has_value();
        // Lede makes the folder of its own default store; a path the user
        // gave must lead to a folder that exists.
        options.createParent = m_dbPath == Store::builtInPath();
        std::error_code ec;
        const bool isNew = !std::filesystem::exists(m_dbPath, ec);
        auto opened = Store::open(m_dbPath, options);
        if (!opened) {
            err << "lede-cli: " << text::forTerminal(opened.message()) << '\n';
            return nullptr;
        }
        if (isNew && interactive)
            err << "lede-cli: created a new store at " << text::forTerminal(m_dbPath) << '\n';
        m_store = std::move(*opened);
        m_readOnly = options.readOnly;
        return m_store.get();
    }

    std::ostream &out;
    std::ostream &err;
    bool interactive;

private:
    std::string m_dbPath;
    std::unique_ptr<Store> m_store;
    bool m_readOnly = false;
};

int fail(Context &ctx, const std::string &message)
{
    ctx.err << "lede-cli: " << text::forTerminal(message) << '\n';
    return Failed;
}

std::string formatDuration(double seconds)
{
    const auto s = static_cast<long>(seconds + 0.5);
    char buf[32];
    if (s >= 3600)
        std::snprintf(buf, sizeof buf, "%ldh%02ldm", s / 3600, (s / 60) % 60);
    else if (s >= 60)
        std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
    else
        std::snprintf(buf, sizeof buf, "%lds", s);
    return buf;
}

int cmdImport(Context &ctx, const std::vector<std::string> &argv)
{
    Args args(argv, {{"--max-size", 1}, {"--threads", 1}, {"--quiet", 0}, {"--no-tag", 0}});
    args.requireText({}, true);
    if (args.positional().empty())
        throw UsageError{"import needs at least one file or folder"};
    ImportOptions options;
    if (args.has("--max-size"))
        options.maxFileSize = parseSize(args.value("--max-size"));
    if (args.has("--threads"))
        options.readerThreads = static_cast<unsigned>(std::clamp<std::int64_t>(parseId(args.value("--threads"), "thread count"), 1, 64));
    Store *store = ctx.store(Access::Write);
    if (!store)
        return Failed;
    if (!args.has("--no-tag")) {
        auto factory = annotatorFactory(*store);
        if (!factory)
            return fail(ctx, factory.message());
        options.makeAnnotator = std::move(*factory);
    }

    const bool showProgress = ctx.interactive && !args.has("--quiet");
    auto lastDraw = std::chrono::steady_clock::now() - std::chrono::seconds(1);
    bool drew = false;
    auto progress = [&](const ImportProgress &p) {
        const auto now = std::chrono::steady_clock::now();
        if (!showProgress || (now - lastDraw < std::chrono::milliseconds(100) && p.done != p.total))
            return;
        lastDraw = now;
        drew = true;
        const double rate = p.seconds > 0 ? static_cast<double>(p.done) / p.seconds : 0;
        const double eta = rate > 0 ? static_cast<double>(p.total - p.done) / rate : 0;
        std::string name = text::forTerminal(p.currentFile);
        if (name.size() > 40)
            name = "…" + name.substr(name.size() - 39);
        char line[256];
        std::snprintf(line, sizeof line, "\r%zu/%zu  %.0f files/s  %.1f MB/s  ETA %s  %-40s", p.done, p.total, rate,
                      p.seconds > 0 ? static_cast<double>(p.bytes) / (1024.0 * 1024.0) / p.seconds : 0.0,
                      formatDuration(eta).c_str(), name.c_str());
        ctx.err << line << std::flush;
    };
    const ImportReport report = importPaths(*store, args.positional(), options, progress);
    if (drew)
        ctx.err << "\r\033[K" << std::flush;
    for (const ImportFailure &f : report.failures)
        ctx.err << text::forTerminal(f.path) << ": " << text::forTerminal(f.reason) << '\n';
    if (report.ignored > 0)
        ctx.err << "lede-cli: skipped " << report.ignored
                << (report.ignored == 1 ? " file" : " files") << " in folders with extensions Lede does not import\n";
    std::string merged;
    if (report.mergedDocuments > 0)
        merged = ", merged " + std::to_string(report.mergedAnnotations)
            + (report.mergedAnnotations == 1 ? " annotation, " : " annotations, ") + std::to_string(report.conflicts)
            + (report.conflicts == 1 ? " conflict" : " conflicts");
    char summary[200];
    std::snprintf(summary, sizeof summary, "imported %zu, duplicates %zu%s, failed %zu in %.2f s", report.imported,
                  report.duplicates, merged.c_str(), report.failures.size(), report.seconds);
    ctx.out << summary << '\n';
    return report.failures.empty() ? Ok : Failed;
}

int cmdList(Context &ctx, const std::vector<std::string> &argv)
{
    Args args(argv, {{"--json", 0}});
    args.requireText();
    if (!args.positional().empty())
        throw UsageError{"list takes no arguments"};
    Store *store = ctx.store(Access::Read);
    if (!store)
        return Failed;
    auto docs = store->documents();
    if (!docs)
        return fail(ctx, docs.message());
    if (args.has("--json")) {
        std::string json;
        JsonWriter w(json);
        w.beginObject().key("documents").beginArray();
        for (const DocumentInfo &d : *docs) {
            w.beginObject();
            w.key("id").value(d.id).key("title").value(d.title).key("source").value(d.source);
            w.key("imported_at").value(d.importedAt).key("length").value(d.length);
            w.key("annotations").value(d.annotationCount).endObject();
        }
        w.endArray().endObject();
        ctx.out << json << '\n';
        return Ok;
    }
    for (const DocumentInfo &d : *docs)
        ctx.out << std::setw(6) << d.id << "  " << std::setw(5) << d.annotationCount << "  " << text::forTerminal(d.title)
                << "  (" << text::forTerminal(d.source) << ")\n";
    return Ok;
}

// A number from 0 to 1, for `option`.
double parseFraction(const std::string &v, const char *option)
{
    char *end = nullptr;
    const double x = std::strtod(v.c_str(), &end);
    if (v.empty() || end != v.c_str() + v.size() || !(x >= 0.0 && x <= 1.0))
        throw UsageError{std::string(option) + " needs a number from 0 to 1, not '" + text::forTerminal(v) + "'"};
    return x;
}

int cmdShow(Context &ctx, const std::vector<std::string> &argv)
{
    Args args(argv, {{"--status", 1}, {"--list", 0}, {"--min-confidence", 1}, {"--least-confident", 0}});
    args.requireText();
    if (args.positional().size() != 1)
        throw UsageError{"show needs one document id"};
    const double minConfidence = args.has("--min-confidence") ? parseFraction(args.value("--min-confidence"), "--min-confidence") : 0.0;
    const std::int64_t id = parseId(args.positional()[0], "document id");
    const std::set<AnnotationStatus> statuses = args.has("--status")
        ? parseStatuses(args.value("--status"))
        : std::set<AnnotationStatus>{AnnotationStatus::Suggested, AnnotationStatus::Accepted};
    Store *store = ctx.store(Access::Read);
    if (!store)
        return Failed;
    auto doc = store->document(id);
    if (!doc)
        return fail(ctx, doc.message());
    auto annotations = store->annotations(id, statuses);
    if (!annotations)
        return fail(ctx, annotations.message());
    std::erase_if(*annotations, [&](const Annotation &a) {
        return a.status == AnnotationStatus::Suggested && a.confidence && *a.confidence < minConfidence;
    });
    const text::OffsetIndex index(doc->text);
    auto listLine = [&](const Annotation &a) {
        ctx.out << std::setw(5) << annotationNumber(a.id) << "  " << a.start << '-' << a.end << "  " << a.type << "  "
                << toString(a.status) << "  " << toString(a.origin) << "  "
                << text::forTerminal(index.slice(static_cast<std::size_t>(a.start), static_cast<std::size_t>(a.end)));
        if (!a.provenance.empty() || a.confidence) {
            ctx.out << "  (" << text::forTerminal(a.provenance);
            if (a.confidence)
                ctx.out << (a.provenance.empty() ? "" : " ") << std::fixed << std::setprecision(2) << *a.confidence;
            ctx.out << ')';
        }
        ctx.out << '\n';
    };
    if (args.has("--least-confident")) {
        std::vector<Annotation> open;
        for (const Annotation &a : *annotations)
            if (a.status == AnnotationStatus::Suggested)
                open.push_back(a);
        std::stable_sort(open.begin(), open.end(), [](const Annotation &x, const Annotation &y) {
            return x.confidence.value_or(1.0) < y.confidence.value_or(1.0);
        });
        ctx.out << "# " << doc->id << ": " << text::forTerminal(doc->title) << ": " << open.size()
                << (open.size() == 1 ? " suggestion" : " suggestions") << " to review, least confident first\n";
        for (const Annotation &a : open)
            listLine(a);
        return Ok;
    }

    // Inline markup cannot nest; an annotation overlapping an earlier one
    // is left out of the markup.
    std::string out;
    std::int64_t pos = 0;
    for (const Annotation &a : *annotations) {
        if (a.start < pos)
            continue;
        out += text::forTerminal(index.slice(static_cast<std::size_t>(pos), static_cast<std::size_t>(a.start)), true);
        out += '[';
        out += text::forTerminal(index.slice(static_cast<std::size_t>(a.start), static_cast<std::size_t>(a.end)), true);
        out += "]{" + a.type + '}';
        pos = a.end;
    }
    out += text::forTerminal(index.slice(static_cast<std::size_t>(pos), index.codePoints()), true);
    ctx.out << "# " << doc->id << ": " << text::forTerminal(doc->title) << "\n\n" << out;
    if (out.empty() || out.back() != '\n')
        ctx.out << '\n';
    if (args.has("--list")) {
        ctx.out << '\n';
        for (const Annotation &a : *annotations)
            listLine(a);
    }
    return Ok;
}

int cmdAnnotate(Context &ctx, const std::vector<std::string> &argv)
{
    Args args(argv, {{"--add", 3}, {"--entity", 1}, {"--remove", 1}, {"--retype", 2}, {"--accept", 1}, {"--reject", 1}});
    args.requireText();
    if (args.positional().size() != 1)
        throw UsageError{"annotate needs one document id"};
    const std::int64_t docId = parseId(args.positional()[0], "document id");
    int actions = 0;
    for (const char *a : {"--add", "--remove", "--retype", "--accept", "--reject"})
        actions += args.has(a);
    if (actions != 1)
        throw UsageError{"annotate needs exactly one of --add, --remove, --retype, --accept, --reject"};
    if (args.has("--entity") && !args.has("--add"))
        throw UsageError{"--entity goes with --add"};
    Store *store = ctx.store(Access::Write);
    if (!store)
        return Failed;
    if (auto doc = store->document(docId); !doc)
        return fail(ctx, doc.message());

    auto describe = [&](std::int64_t annId) {
        auto a = store->annotation(annId);
        auto doc = store->document(docId);
        if (!a || !doc)
            return std::string();
        return "[" + text::forTerminal(text::sliceCodePoints(doc->text, static_cast<std::size_t>(a->start), static_cast<std::size_t>(a->end)))
            + "]{" + a->type + "} " + std::to_string(a->start) + "-" + std::to_string(a->end) + " "
            + std::string(toString(a->status));
    };
    // The other actions name an annotation of this document by its number
    // in the document, or by its full id.
    auto owned = [&](const std::string &text) -> Result<std::int64_t> {
        const std::int64_t given = parseId(text, "annotation number");
        const std::int64_t annId = given <= kMaxAnnotationNumber ? annotationId(docId, given) : given;
        auto a = store->annotation(annId);
        if (!a)
            return makeError("document " + std::to_string(docId) + " has no annotation " + text);
        if (a->documentId != docId)
            return makeError("annotation " + text + " belongs to document " + std::to_string(a->documentId)
                             + ", not " + std::to_string(docId));
        return annId;
    };

    if (args.has("--add")) {
        const auto &v = args.values("--add");
        NewAnnotation a;
        a.start = parseId(v[0], "start offset");
        a.end = parseId(v[1], "end offset");
        a.type = v[2];
        a.entityName = args.value("--entity");
        a.origin = Origin::Manual;
        a.status = AnnotationStatus::Accepted;
        auto id = store->addAnnotation(docId, a);
        if (!id)
            return fail(ctx, "document " + std::to_string(docId) + ": " + id.message());
        ctx.out << "added annotation " << annotationNumber(*id) << ": " << describe(*id) << '\n';
        return Ok;
    }
    const std::string key = args.has("--remove") ? "--remove"
        : args.has("--retype")                   ? "--retype"
        : args.has("--accept")                   ? "--accept"
                                                 : "--reject";
    auto annId = owned(args.values(key)[0]);
    if (!annId)
        return fail(ctx, annId.message());
    Status st;
    if (key == "--remove")
        st = store->removeAnnotation(*annId);
    else if (key == "--retype")
        st = store->retypeAnnotation(*annId, args.values(key)[1]);
    else
        st = store->setAnnotationStatus(*annId, key == "--accept" ? AnnotationStatus::Accepted : AnnotationStatus::Rejected);
    if (!st)
        return fail(ctx, "annotation " + std::to_string(annotationNumber(*annId)) + ": " + st.message());
    if (key == "--remove")
        ctx.out << "removed annotation " << annotationNumber(*annId) << '\n';
    else
        ctx.out << "annotation " << annotationNumber(*annId) << ": " << describe(*annId) << '\n';
    return Ok;
}

int cmdExport(Context &ctx, const std::vector<std::string> &argv)
{
    Args args(argv, {{"--format", 1}, {"--out", 1}, {"--status", 1}});
    args.requireText({"--out"});
    ExportOptions options;
    if (args.has("--format")) {
        auto format = parseExportFormat(args.value("--format"));
        if (!format)
            throw UsageError{"format '" + args.value("--format") + "' is not one of json, jsonl, brat, conll, csv"};
        options.format = *format;
    }
    if (args.has("--status"))
        options.statuses = parseStatuses(args.value("--status"));
    for (const std::string &id : args.positional())
        options.documentIds.push_back(parseId(id, "document id"));
    if (options.format == ExportFormat::Brat && !args.has("--out"))
        throw UsageError{"brat writes a folder of files: give it with --out"};
    Store *store = ctx.store(Access::Read);
    if (!store)
        return Failed;
    auto report = args.has("--out") ? exportToPath(*store, options, args.value("--out"))
                                    : exportToStream(*store, options, ctx.out);
    if (!report) {
        // Standard output that failed: main() says why, once.
        if (const auto *buffer = dynamic_cast<const files::DescriptorBuffer *>(ctx.out.rdbuf()); buffer && buffer->error())
            return Failed;
        return fail(ctx, report.message());
    }
    if (args.has("--out"))
        ctx.err << "exported " << report->documents << " documents, " << report->annotations << " annotations to "
                << text::forTerminal(args.value("--out")) << '\n';
    return Ok;
}

int cmdTypes(Context &ctx, const std::vector<std::string> &argv)
{
    Args args(argv, {{"--add", 1}, {"--color", 1}, {"--colour", 1}, {"--key", 1}, {"--json", 0}});
    args.requireText();
    if (!args.positional().empty())
        throw UsageError{"types takes no positional arguments"};
    if ((args.has("--color") || args.has("--colour") || args.has("--key")) && !args.has("--add"))
        throw UsageError{"--color and --key go with --add NAME"};
    Store *store = ctx.store(args.has("--add") ? Access::Write : Access::Read);
    if (!store)
        return Failed;
    if (args.has("--add")) {
        auto t = store->addType(args.value("--add"), args.value("--color", args.value("--colour")), args.value("--key"));
        if (!t)
            return fail(ctx, t.message());
        ctx.out << "added type " << t->name << " " << t->color << (t->shortcut.empty() ? "" : " key " + t->shortcut)
                << '\n';
        return Ok;
    }
    auto types = store->types();
    if (!types)
        return fail(ctx, types.message());
    if (args.has("--json")) {
        std::string json;
        JsonWriter w(json);
        w.beginObject().key("types").beginArray();
        for (const EntityType &t : *types)
            w.beginObject().key("name").value(t.name).key("color").value(t.color).key("shortcut").value(t.shortcut).endObject();
        w.endArray().endObject();
        ctx.out << json << '\n';
        return Ok;
    }
    for (const EntityType &t : *types)
        ctx.out << std::left << std::setw(16) << t.name << std::setw(9) << t.color << (t.shortcut.empty() ? "-" : t.shortcut)
                << '\n';
    return Ok;
}

int cmdStats(Context &ctx, const std::vector<std::string> &argv)
{
    Args args(argv, {{"--json", 0}});
    args.requireText();
    if (!args.positional().empty())
        throw UsageError{"stats takes no arguments"};
    Store *store = ctx.store(Access::Read);
    if (!store)
        return Failed;
    auto st = store->stats();
    if (!st)
        return fail(ctx, st.message());
    if (args.has("--json")) {
        std::string json;
        JsonWriter w(json);
        w.beginObject().key("store").value(store->path()).key("documents").value(st->documents);
        w.key("text_bytes").value(st->textBytes).key("annotations").value(st->annotations);
        w.key("entities").value(st->entities);
        for (const auto &[name, map] : {std::pair{"by_type", &st->annotationsByType},
                                        std::pair{"by_status", &st->annotationsByStatus},
                                        std::pair{"by_origin", &st->annotationsByOrigin}}) {
            w.key(name).beginObject();
            for (const auto &[k, v] : *map)
                w.key(k).value(v);
            w.endObject();
        }
        w.endObject();
        ctx.out << json << '\n';
        return Ok;
    }
    ctx.out << "store        " << text::forTerminal(store->path()) << '\n';
    ctx.out << "documents    " << st->documents << " (" << std::fixed << std::setprecision(1)
            << static_cast<double>(st->textBytes) / 1024.0 << " KB of text)\n";
    ctx.out << "annotations  " << st->annotations << '\n';
    for (const auto &[type, n] : st->annotationsByType)
        ctx.out << "  " << std::left << std::setw(14) << type << n << '\n';
    for (const auto &[status, n] : st->annotationsByStatus)
        ctx.out << "  " << std::left << std::setw(14) << status << n << '\n';
    ctx.out << "entities     " << st->entities << '\n';
    return Ok;
}

int cmdTag(Context &ctx, const std::vector<std::string> &argv)
{
    Args args(argv, {{"--all", 0}, {"--quiet", 0}});
    args.requireText();
    std::vector<std::int64_t> ids;
    for (const std::string &id : args.positional())
        ids.push_back(parseId(id, "document id"));
    if (ids.empty() == !args.has("--all"))
        throw UsageError{"tag needs document ids or --all (not both)"};
    Store *store = ctx.store(Access::Write);
    if (!store)
        return Failed;
    auto tagger = taggerForStore(*store);
    if (!tagger)
        return fail(ctx, tagger.message());
    const bool showProgress = ctx.interactive && !args.has("--quiet");
    auto report = retagDocuments(*store, **tagger, ids, [&](std::size_t done, std::size_t total) {
        if (showProgress && (done % 50 == 0 || done == total))
            ctx.err << '\r' << done << '/' << total << std::flush;
    });
    if (showProgress)
        ctx.err << "\r\033[K" << std::flush;
    if (!report)
        return fail(ctx, report.message());
    char line[128];
    std::snprintf(line, sizeof line, "tagged %zu documents, %zu suggestions in %.2f s", report->documents,
                  report->suggestions, report->seconds);
    ctx.out << line << '\n';
    return Ok;
}

int cmdEval(Context &ctx, const std::vector<std::string> &argv)
{
    Args args(argv, {{"--json", 0}, {"--pred", 1}});
    args.requireText({"--pred"}, true);
    if (args.positional().size() != 1)
        throw UsageError{"eval needs one folder"};
    auto report = evaluateFolder(args.positional()[0]);
    if (!report)
        return fail(ctx, report.message());
    for (const std::string &f : report->failures)
        ctx.err << f << '\n';
    const EvalCounts micro = report->micro(missionTypes());
    const double mb = static_cast<double>(report->bytes) / (1024.0 * 1024.0);

    if (args.has("--pred")) {
        std::string json;
        JsonWriter w(json);
        w.beginObject().key("docs").beginObject();
        for (const auto &[source, spans] : report->predictions) {
            w.key(source).beginArray();
            for (const TaggedSpan &s : spans)
                w.beginObject().key("start").value(std::int64_t(s.start)).key("end").value(std::int64_t(s.end))
                    .key("type").value(s.type).endObject();
            w.endArray();
        }
        w.endObject().endObject();
        json += '\n';
        if (auto st = files::writeFileAtomically(args.value("--pred"), json); !st)
            return fail(ctx, st.message());
    }
    if (args.has("--json")) {
        std::string json;
        JsonWriter w(json);
        w.beginObject().key("documents").value(std::int64_t(report->documents)).key("types").beginObject();
        for (const auto &[type, c] : report->byType) {
            w.key(type).beginObject().key("precision").value(c.precision()).key("recall").value(c.recall());
            w.key("f1").value(c.f1()).key("tp").value(std::int64_t(c.tp)).key("fp").value(std::int64_t(c.fp));
            w.key("fn").value(std::int64_t(c.fn)).endObject();
        }
        w.endObject().key("micro").beginObject().key("precision").value(micro.precision());
        w.key("recall").value(micro.recall()).key("f1").value(micro.f1()).endObject();
        w.key("seconds").value(report->seconds).key("megabytes").value(mb).endObject();
        ctx.out << json << '\n';
        return Ok;
    }
    char line[160];
    std::snprintf(line, sizeof line, "%-14s %6s %6s %6s %5s %5s %5s\n", "type", "P", "R", "F1", "tp", "fp", "fn");
    ctx.out << line;
    for (const auto &[type, c] : report->byType) {
        std::snprintf(line, sizeof line, "%-14s %6.3f %6.3f %6.3f %5zu %5zu %5zu\n", type.c_str(), c.precision(),
                      c.recall(), c.f1(), c.tp, c.fp, c.fn);
        ctx.out << line;
    }
    std::snprintf(line, sizeof line, "micro-F1 %.3f (P %.3f R %.3f) over %zu docs, types PERSON,COMPANY,NATION,ATTACK\n",
                  micro.f1(), micro.precision(), micro.recall(), report->documents);
    ctx.out << line;
    return Ok;
}

std::size_t parseCount(const std::string &text, const std::string &what, std::size_t most)
{
    const std::int64_t v = parseId(text, what);
    if (static_cast<std::uint64_t>(v) > most)
        throw UsageError{what + " '" + text + "' is more than " + std::to_string(most)};
    return static_cast<std::size_t>(v);
}

void writeSpans(JsonWriter &w, const std::vector<MatchSpan> &spans)
{
    w.beginArray();
    for (const MatchSpan &m : spans)
        w.beginArray().value(m.start).value(m.end).endArray();
    w.endArray();
}

// The snippet with its matches marked: bold on a terminal, [brackets]
// otherwise, so that piped output stays plain text.
std::string markMatches(const std::string &snippet, const std::vector<MatchSpan> &matches, bool bold)
{
    const text::OffsetIndex index(snippet);
    std::string out;
    std::size_t pos = 0;
    for (const MatchSpan &m : matches) {
        const auto start = static_cast<std::size_t>(m.start);
        const auto end = static_cast<std::size_t>(m.end);
        if (start < pos)
            continue;
        out += text::forTerminal(index.slice(pos, start));
        out += bold ? "\033[1m" : "[";
        out += text::forTerminal(index.slice(start, end));
        out += bold ? "\033[0m" : "]";
        pos = end;
    }
    out += text::forTerminal(index.slice(pos, index.codePoints()));
    return out;
}

std::string knownType(Store &store, const std::string &name)
{
    auto types = store.types();
    if (!types)
        return name;
    std::string list;
    for (const EntityType &t : *types) {
        auto same = [](char a, char b) {
            return std::toupper(static_cast<unsigned char>(a)) == std::toupper(static_cast<unsigned char>(b));
        };
        if (std::equal(t.name.begin(), t.name.end(), name.begin(), name.end(), same))
            return t.name;
        list += (list.empty() ? "" : ", ") + t.name;
    }
    throw UsageError{"unknown type '" + name + "'; the types are " + list};
}

int cmdSearch(Context &ctx, const std::vector<std::string> &argv)
{
    Args args(argv, {{"--type", 1}, {"--entity", 1}, {"--limit", 1}, {"--offset", 1}, {"--json", 0}});
    args.requireText();
    if (args.positional().empty() && !args.has("--type") && !args.has("--entity"))
        throw UsageError{"search needs a query"};
    // Unquoted words on the command line are one query.
    std::string text;
    for (const std::string &p : args.positional())
        text += (text.empty() ? "" : " ") + p;
    SearchOptions options;
    if (args.has("--limit"))
        options.limit = parseCount(args.value("--limit"), "limit", SearchOptions::kMaxLimit);
    if (args.has("--offset"))
        options.offset = parseCount(args.value("--offset"), "offset", 1000000000);
    Result<SearchQuery> query = text.empty() ? Result<SearchQuery>(SearchQuery{}) : parseQuery(text);
    if (!query)
        throw UsageError{query.message()};
    if (args.has("--type"))
        query->addFilter(QueryNode::Field::Type, args.value("--type"));
    if (args.has("--entity")) {
        if (text::trim(args.value("--entity")).empty())
            throw UsageError{"--entity needs a name"};
        query->addFilter(QueryNode::Field::Entity, args.value("--entity"));
    }
    Store *store = ctx.store(Access::Read);
    if (!store)
        return Failed;
    Search search(*store);
    if (auto st = search.validate(*query); !st)
        throw UsageError{st.message()};
    auto results = search.search(*query, options);
    if (!results)
        return fail(ctx, results.message());
    for (const std::string &note : results->notes)
        ctx.err << "lede-cli search: " << text::forTerminal(note) << '\n';

    if (args.has("--json")) {
        std::string json;
        JsonWriter w(json);
        w.beginObject().key("results").beginArray();
        for (const SearchHit &h : results->hits) {
            w.beginObject().key("id").value(h.documentId).key("title").value(h.title).key("score").value(h.score);
            w.key("snippet").value(h.snippet).key("matches");
            writeSpans(w, h.snippetMatches);
            w.key("snippet_start").value(h.snippetStart).key("snippet_end").value(h.snippetEnd);
            w.key("title_matches");
            writeSpans(w, h.titleMatches);
            w.key("document_matches");
            writeSpans(w, h.documentMatches);
            w.endObject();
        }
        w.endArray().key("total").value(results->total).endObject();
        ctx.out << json << '\n';
        return Ok;
    }
    const bool bold = &ctx.out == &std::cout && isatty(STDOUT_FILENO) != 0;
    for (const SearchHit &h : results->hits) {
        char score[32];
        std::snprintf(score, sizeof score, "%.2f", h.score);
        ctx.out << std::setw(6) << h.documentId << "  " << markMatches(h.title, h.titleMatches, bold) << "  (score "
                << score << ")\n        " << markMatches(h.snippet, h.snippetMatches, bold) << "\n\n";
    }
    const std::size_t first = results->hits.empty() ? 0 : options.offset + 1;
    if (results->hits.empty() && results->total > 0) {
        ctx.out << "no documents from " << options.offset + 1 << " on: " << results->total
                << (results->total == 1 ? " document matches" : " documents match") << " (see --offset): "
                << text::forTerminal(query->toString()) << '\n';
        return Ok;
    }
    ctx.out << (results->hits.empty() ? std::string("no documents match")
                                      : "documents " + std::to_string(first) + "-"
                                            + std::to_string(options.offset + results->hits.size()) + " of "
                                            + std::to_string(results->total))
            << ": " << text::forTerminal(query->toString()) << '\n';
    return Ok;
}

int cmdEntities(Context &ctx, const std::vector<std::string> &argv)
{
    Args args(argv, {{"--type", 1}, {"--prefix", 1}, {"--cooccur", 1}, {"--limit", 1}, {"--json", 0}});
    args.requireText();
    if (!args.positional().empty())
        throw UsageError{"entities takes no positional arguments"};
    if (args.has("--cooccur") && args.has("--prefix"))
        throw UsageError{"--prefix cannot be combined with --cooccur"};
    if (args.has("--cooccur") && text::trim(args.value("--cooccur")).empty())
        throw UsageError{"--cooccur needs an entity name"};
    const bool cooccur = args.has("--cooccur");
    const std::size_t limit =
        args.has("--limit") ? parseCount(args.value("--limit"), "limit", 100000) : (cooccur ? 20 : 50);
    Store *store = ctx.store(Access::Read);
    if (!store)
        return Failed;
    const std::string type = args.has("--type") ? knownType(*store, args.value("--type")) : std::string();
    Search search(*store);
    auto listed = cooccur ? search.cooccurring(args.value("--cooccur"), {type, limit})
                          : search.entities({type, args.value("--prefix"), limit, 0});
    if (!listed)
        return fail(ctx, listed.message());
    if (args.has("--json")) {
        std::string json;
        JsonWriter w(json);
        w.beginObject().key("results").beginArray();
        for (const EntityCount &e : *listed)
            w.beginObject().key("id").value(e.id).key("name").value(e.name).key("type").value(e.type)
                .key("mentions").value(e.mentions).key("documents").value(e.documents).endObject();
        w.endArray().endObject();
        ctx.out << json << '\n';
        return Ok;
    }
    ctx.out << std::right << std::setw(9) << (cooccur ? "shared" : "documents") << std::setw(10) << "mentions" << "  "
            << std::left << std::setw(14) << "type" << "name\n";
    for (const EntityCount &e : *listed)
        ctx.out << std::right << std::setw(9) << e.documents << std::setw(10) << e.mentions << "  " << std::left
                << std::setw(14) << e.type << text::forTerminal(e.name) << '\n';
    return Ok;
}

int cmdBackup(Context &ctx, const std::vector<std::string> &argv)
{
    Args args(argv, {{"--force", 0}});
    args.requireText({}, true);
    if (args.positional().size() != 1)
        throw UsageError{"backup needs the path of the copy"};
    Store *store = ctx.store(Access::Read);
    if (!store)
        return Failed;
    const std::string &path = args.positional()[0];
    if (auto st = store->backup(path, args.has("--force")); !st) {
        if (!args.has("--force") && st.message().find("exists already") != std::string::npos)
            return fail(ctx, st.message() + "; choose another name, or give --force to replace it");
        return fail(ctx, st.message());
    }
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    ctx.err << "backed up " << text::forTerminal(store->path()) << " to " << text::forTerminal(path)
            << (ec ? std::string() : " (" + files::formatSize(size) + ")") << '\n';
    return Ok;
}

int cmdCheck(Context &ctx, const std::vector<std::string> &argv)
{
    Args args(argv, {{"--json", 0}});
    args.requireText();
    if (!args.positional().empty())
        throw UsageError{"check takes no arguments"};
    Store *store = ctx.store(Access::Read);
    if (!store)
        return Failed;
    auto report = store->check();
    if (!report)
        return fail(ctx, "cannot check " + store->path() + ": " + report.message());
    if (args.has("--json")) {
        std::string json;
        JsonWriter w(json);
        w.beginObject().key("store").value(store->path()).key("ok").value(report->problems.empty());
        w.key("documents").value(report->documents).key("annotations").value(report->annotations);
        for (const auto &[key, list] : {std::pair{"problems", &report->problems}, std::pair{"notes", &report->notes}}) {
            w.key(key).beginArray();
            for (const std::string &p : *list)
                w.value(p);
            w.endArray();
        }
        w.endObject();
        ctx.out << json << '\n';
    } else {
        for (const std::string &note : report->notes)
            ctx.err << "lede-cli check: " << text::forTerminal(note) << '\n';
        for (const std::string &problem : report->problems)
            ctx.out << text::forTerminal(problem) << '\n';
        if (report->problems.empty())
            ctx.out << "ok: " << report->documents << " documents, " << report->annotations << " annotations\n";
        else
            ctx.out << text::forTerminal(store->path()) << ": " << report->problems.size()
                    << (report->problems.size() == 1 ? " problem" : " problems") << '\n';
    }
    return report->problems.empty() ? Ok : Failed;
}

std::set<std::string> splitNames(const std::string &text)
{
    std::set<std::string> out;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ','))
        if (!item.empty())
            out.insert(item);
    return out;
}

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

// train --from-store: the store's model update from its reviews.
int trainFromStore(Context &ctx, const Args &args)
{
    if (!args.positional().empty())
        throw UsageError{"train --from-store takes no folder: it learns from the store's reviews"};
    for (const char *other : {"--out", "--epochs", "--seed", "--without", "--cross", "--provenance"})
        if (args.has(other))
            throw UsageError{std::string(other) + " is for training from corpora, not --from-store"};
    Store *store = ctx.store(Access::Write);
    if (!store)
        return Failed;
    if (args.has("--forget")) {
        if (auto st = store->setModelUpdate(std::nullopt); !st)
            return fail(ctx, st.message());
        ctx.out << "removed the store's model update: tagging with the built-in model\n";
    } else {
        auto report = updateModelFromStore(*store);
        if (!report)
            return fail(ctx, report.message());
        char line[200];
        if (report->removed)
            std::snprintf(line, sizeof line, "no reviews to learn from: tagging with the built-in model");
        else
            std::snprintf(line, sizeof line, "learned from %zu reviews in %zu sentences of %zu documents in %.2f s (%zu features, %s)",
                          report->reviews, report->sentences, report->documents, report->seconds, report->features,
                          files::formatSize(report->bytes).c_str());
        ctx.out << line << '\n';
    }
    if (args.has("--no-retag"))
        return Ok;
    auto retagged = retagUnreviewed(*store);
    if (!retagged)
        return fail(ctx, retagged.message());
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

int cmdTrain(Context &ctx, const std::vector<std::string> &argv)
{
    Args args(argv, {{"--out", 1}, {"--epochs", 1}, {"--seed", 1}, {"--without", 1}, {"--cross", 1}, {"--provenance", 0}, {"--model-threshold", 1}, {"--quiet", 0},
                     {"--from-store", 0}, {"--no-retag", 0}, {"--forget", 0}});
    args.requireText({"--out"}, true);
    if (args.has("--from-store"))
        return trainFromStore(ctx, args);
    if (args.has("--no-retag") || args.has("--forget"))
        throw UsageError{"--no-retag and --forget go with --from-store"};
    if (args.positional().size() != 1)
        throw UsageError{"train needs the folder of training corpora"};
    ner::Model::TrainOptions options;
    if (args.has("--epochs"))
        options.epochs = static_cast<int>(parseCount(args.value("--epochs"), "epochs", 100));
    if (args.has("--seed"))
        options.seed = static_cast<std::uint64_t>(parseId(args.value("--seed"), "seed"));
    const std::set<std::string> without = splitNames(args.value("--without"));
    const std::set<std::string> cross = splitNames(args.value("--cross"));
    const bool quiet = args.has("--quiet") || !ctx.interactive;
    const auto started = std::chrono::steady_clock::now();
    auto seconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };

    const double threshold = args.has("--model-threshold") ? parseFraction(args.value("--model-threshold"), "--model-threshold")
                                                            : EntityTagger::kModelConfidence;

    Tokenizer tokenizer;
    auto corpora = ner::readCorpora(args.positional()[0], tokenizer);
    if (!corpora)
        return fail(ctx, corpora.message());
    std::set<std::string> known;
    for (const ner::Corpus &c : *corpora)
        known.insert(c.name);
    for (const std::set<std::string> *names : {&without, &cross})
        for (const std::string &n : *names)
            if (!known.count(n))
                throw UsageError{"there is no corpus '" + n + "' in " + args.positional()[0]};
    auto tagger = EntityTagger::createDefault();
    if (!tagger)
        return fail(ctx, tagger.message());
    (*tagger)->setModelConfidence(static_cast<float>(threshold));
    const ner::Features features = (*tagger)->modelFeatures();
    std::size_t tokens = 0;
    for (const ner::Corpus &c : *corpora)
        tokens += c.tokens;
    ctx.err << "read " << corpora->size() << " corpora, " << tokens << " tokens in " << std::fixed << std::setprecision(1)
            << seconds() << " s\n";
    if (!quiet)
        options.progress = [&](int epoch, std::size_t mistakes, std::size_t sentences) {
            ctx.err << "  epoch " << epoch << ": " << mistakes << " of " << sentences << " sentences wrong\n";
        };

    auto trainOn = [&](const std::string &leftOut) {
        std::vector<ner::Sentence> sentences;
        for (const ner::Corpus &c : *corpora)
            if (c.name != leftOut && !without.count(c.name))
                sentences.insert(sentences.end(), c.sentences.begin(), c.sentences.end());
        return ner::Model::train(sentences, features, options);
    };
    auto printProvenances = [&](const ner::Score &score) {
        ctx.out << "provenance                          names  right  precision\n";
        for (const auto &[provenance, counts] : score.byProvenance)
            ctx.out << std::left << std::setw(34) << text::forTerminal(provenance) << std::right << std::setw(7) << counts.first
                    << std::setw(7) << counts.second << std::setw(11) << std::setprecision(3) << std::fixed
                    << (counts.first ? static_cast<double>(counts.second) / static_cast<double>(counts.first) : 0.0)
                    << "\n";
        ctx.out << "\n";
    };
    // Before --cross, which gives the tagger other models.
    if (args.has("--provenance")) {
        ner::Score all;
        for (const ner::Corpus &c : *corpora)
            if (!without.count(c.name))
                all.add(ner::evaluateTagger(**tagger, c));
        printProvenances(all);
        ctx.err << "scored the tagger's provenances in " << seconds() << " s\n";
    }
    for (const std::string &heldOut : cross) {
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
            if (args.has("--provenance"))
                printProvenances(withModel);
        }
        ctx.err << "trained without " << heldOut << " and scored on it in " << seconds() << " s\n";
    }
    if (!args.has("--out"))
        return Ok;
    const ner::Model model = trainOn("");
    if (auto st = files::writeFileAtomically(args.value("--out"), model.save()); !st)
        return fail(ctx, st.message());
    ctx.err << "wrote " << text::forTerminal(args.value("--out")) << ": " << model.featureCount() << " features, "
            << files::formatSize(static_cast<std::uint64_t>(model.save().size())) << ", in " << seconds() << " s\n";
    return Ok;
}

using Command = int (*)(Context &, const std::vector<std::string> &);

const std::map<std::string, Command> kCommands = {
    {"import", cmdImport}, {"list", cmdList},   {"show", cmdShow},   {"annotate", cmdAnnotate},
    {"export", cmdExport}, {"types", cmdTypes}, {"stats", cmdStats}, {"tag", cmdTag},
    {"eval", cmdEval},     {"search", cmdSearch}, {"entities", cmdEntities}, {"backup", cmdBackup},
    {"check", cmdCheck},   {"train", cmdTrain},
};

} // namespace

int run(const std::vector<std::string> &argv, std::ostream &out, std::ostream &err, bool interactive)
{
    // Global options may come before or after the command name.
    std::string dbPath;
    std::string command;
    std::vector<std::string> rest;
    bool help = false;
    for (std::size_t i = 0; i < argv.size(); ++i) {
        const std::string &a = argv[i];
        if (a == "--db" || a.rfind("--db=", 0) == 0) {
            if (a == "--db") {
                if (i + 1 >= argv.size()) {
                    err << "lede-cli: option '--db' needs a path\n";
                    return Usage;
                }
                dbPath = argv[++i];
            } else {
                dbPath = a.substr(5);
            }
            if (dbPath.empty()) {
                err << "lede-cli: option '--db' needs a path\n";
                return Usage;
            }
        } else if (a == "--help" || a == "-h") {
            help = true;
        } else if (a == "--version" && command.empty()) {
            out << "lede-cli " << LEDE_VERSION << '\n';
            return Ok;
        } else if (command.empty() && !a.empty() && a[0] != '-') {
            command = a;
        } else if (command.empty()) {
            err << "lede-cli: unknown option '" << text::forTerminal(a) << "'\n" << "Try 'lede-cli --help'.\n";
            return Usage;
        } else {
            rest.push_back(a);
        }
    }
    if (command.empty()) {
        (help ? out : err) << kUsage;
        return help ? Ok : Usage;
    }
    auto it = kCommands.find(command);
    if (it == kCommands.end()) {
        err << "lede-cli: unknown command '" << text::forTerminal(command) << "'\nTry 'lede-cli --help'.\n";
        return Usage;
    }
    if (help) {
        out << kCommandHelp.at(command);
        return Ok;
    }
    if (const char *env = std::getenv("LEDE_DB"); dbPath.empty() && env && !*env) {
        err << "lede-cli: LEDE_DB is set but empty: set it to a store's path, or unset it to use "
            << text::forTerminal(Store::builtInPath()) << '\n';
        return Usage;
    }
    Context ctx(out, err, interactive, dbPath.empty() ? Store::defaultPath() : dbPath);
    try {
        return it->second(ctx, rest);
    } catch (const UsageError &e) {
        err << "lede-cli " << command << ": " << text::forTerminal(e.message) << "\nTry 'lede-cli " << command
            << " --help'.\n";
        return Usage;
    }
}

} // namespace lede::cli
