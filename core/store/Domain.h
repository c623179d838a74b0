#pragma once

#include "core/base/Result.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

// Lede's domain data: plain values, copied freely, owned by whoever holds
// them. Offsets are Unicode code points over the stored text, start
// inclusive, end exclusive.
namespace lede {

enum class Origin { Auto, Manual, Imported };
enum class AnnotationStatus { Suggested, Accepted, Rejected };

std::string_view toString(Origin origin);
std::string_view toString(AnnotationStatus status);
std::optional<Origin> parseOrigin(std::string_view text);
std::optional<AnnotationStatus> parseStatus(std::string_view text);

struct EntityType {
    std::int64_t id = 0;
    std::string name;
    std::string color;    // "#rrggbb"
    std::string shortcut; // one key, may be empty
};

/// The rules for a type's name, colour and shortcut, written once for the
/// store, import, the CLI and the desktop.
namespace entity_type {

/// The form a type is stored and compared in: ASCII upper case
/// ("company" is COMPANY).
std::string canonicalName(std::string_view name);
/// A name starts with a letter and holds at most 40 letters, digits, '_'
/// and '-' (ASCII).
Status checkName(std::string_view name);
/// "#rrggbb", in lower case.
std::string canonicalColor(std::string_view color);
/// A colour is "#RRGGBB", in either case.
Status checkColor(std::string_view color);
/// A shortcut is one printable ASCII character, or none.
Status checkShortcut(std::string_view shortcut);

} // namespace entity_type

struct Entity {
    std::int64_t id = 0;
    std::string name;
    std::string type;
    std::vector<std::string> aliases;
};

struct DocumentInfo {
    std::int64_t id = 0;
    std::string title;
    std::string source;
    std::string sha256;
    std::string importedAt;
    std::string url;
    std::string publishedAt;
    std::int64_t length = 0; // code points
    std::int64_t annotationCount = 0;
};

struct Document : DocumentInfo {
    std::string text;
};

/// An annotation's id carries its document: the document's id shifted
/// left by kAnnotationIdShift bits, plus the annotation's number within the
/// document (1 and up). A number, once given, is never given to another
/// annotation of the document, even after its annotation is deleted.
inline constexpr int kAnnotationIdShift = 32;
inline constexpr std::int64_t kMaxAnnotationNumber = (std::int64_t{1} << kAnnotationIdShift) - 1;
constexpr std::int64_t annotationId(std::int64_t documentId, std::int64_t number)
{
    return (documentId << kAnnotationIdShift) + number;
}
constexpr std::int64_t annotationNumber(std::int64_t id) { return id & kMaxAnnotationNumber; }
constexpr std::int64_t annotationDocument(std::int64_t id) { return id >> kAnnotationIdShift; }

struct Annotation {
    std::int64_t id = 0;
    std::int64_t documentId = 0;
    std::int64_t start = 0;
    std::int64_t end = 0;
    std::string type;
    std::int64_t entityId = 0; // 0 when unlinked
    std::string entityName;
    Origin origin = Origin::Manual;
    AnnotationStatus status = AnnotationStatus::Accepted;
    std::string createdAt;
    std::string modifiedAt;
    /// Why the tagger suggested it ("model", "rule:title",
    /// "gazetteer:mitre-attack:S0368"; TaggedSpan::provenance) and how sure it
    /// was (0-1, in thousandths); empty and none where no tagger judged it.
    std::string provenance = {};
    std::optional<double> confidence = {};

    bool operator==(const Annotation &) const = default;
};

/// A document as import or a test hands it to the store. `text` must be
/// valid UTF-8; the store normalises it to NFC and "\n".
struct NewDocument {
    std::string title;
    std::string source;
    std::string text;
    std::string url;
    std::string publishedAt;
    std::string importedAt; // empty: now
    /// Set by import when `text` is already NFC with "\n" line ends and
    /// `sha256` is its hash, so the writer need not redo that work.
    bool normalized = false;
    std::string sha256;
};

/// An annotation to add. An empty entityName links it to the entity named
/// by the covered text; `typeColor` is used only when the type is new.
/// Times are Unix seconds; 0 means now (created) and unchanged since
/// (modified). An import of a Lede export keeps the exported times, so
/// that merging two analysts' work can tell which change is newer.
struct NewAnnotation {
    std::int64_t start = 0;
    std::int64_t end = 0;
    std::string type;
    std::string entityName;
    Origin origin = Origin::Manual;
    AnnotationStatus status = AnnotationStatus::Accepted;
    std::string typeColor;
    std::int64_t createdAt = 0;
    std::int64_t modifiedAt = 0;
    std::string provenance = {};           // see Annotation::provenance
    std::optional<double> confidence = {}; // 0-1
};

/// The tagger's suggestions for one text, automatic and unreviewed
/// (Origin::Auto, AnnotationStatus::Suggested), held compactly: a 20 MB
/// article has some 300,000, which as NewAnnotations would take 60 MB.
/// Each type, entity name and provenance is kept once; a suggestion takes
/// 20 bytes, in blocks of a fixed size, so that a growing list is never
/// copied and wastes at most one block. A text's suggestions may name at
/// most 65,536 types and as many provenances (add() throws
/// std::length_error past that, which an import reports for the file).
class Suggestions {
public:
    Suggestions();
    ~Suggestions();
    Suggestions(Suggestions &&) noexcept;
    Suggestions &operator=(Suggestions &&) noexcept;
    Suggestions(const Suggestions &);
    Suggestions &operator=(const Suggestions &);

    void add(std::uint32_t start, std::uint32_t end, std::string_view type, std::string_view entityName,
             std::string_view provenance, float confidence);
    std::size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    /// Suggestion `i` written into `out`, whose strings a loop reuses.
    void get(std::size_t i, NewAnnotation &out) const;
    NewAnnotation operator[](std::size_t i) const;
    std::vector<NewAnnotation> expanded() const;

private:
    // Strings kept once each, numbered in the order first seen; the map's
    // keys view the strings, which a deque never moves.
    class Pool {
    public:
        Pool() = default;
        Pool(Pool &&) noexcept = default;
        Pool &operator=(Pool &&) noexcept = default;
        Pool(const Pool &other);
        Pool &operator=(const Pool &other);

        std::uint32_t intern(std::string_view s);
        const std::string &operator[](std::uint32_t i) const { return m_names[i]; }
        std::size_t size() const { return m_names.size(); }

    private:
        std::deque<std::string> m_names;
        std::unordered_map<std::string_view, std::uint32_t> m_ids;
    };
    struct Item {
        std::uint32_t start, end, entity;
        std::uint16_t type, provenance;
        float confidence;
    };
    static_assert(sizeof(Item) == 20);
    static constexpr std::size_t kBlockBits = 13; // 8,192 items, 160 KB
    static constexpr std::size_t kBlockSize = std::size_t{1} << kBlockBits;
    const Item &item(std::size_t i) const { return m_blocks[i >> kBlockBits][i & (kBlockSize - 1)]; }

    std::vector<std::unique_ptr<Item[]>> m_blocks;
    std::size_t m_size = 0;
    Pool m_types, m_entities, m_provenances;
};

/// Reads a document's text and proposes its annotations: the tagger, as
/// import runs it (ImportOptions::makeAnnotator).
using Annotator = std::function<Suggestions(const std::string &text)>;

} // namespace lede
