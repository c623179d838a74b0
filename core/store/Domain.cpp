#include "core/store/Domain.h"

#include <algorithm>
#include <stdexcept>

namespace lede {

std::string_view toString(Origin origin)
{
    switch (origin) {
    case Origin::Auto:
        return "auto";
    case Origin::Manual:
        return "manual";
    case Origin::Imported:
        return "imported";
    }
    return "manual";
}

std::string_view toString(AnnotationStatus status)
{
    switch (status) {
    case AnnotationStatus::Suggested:
        return "suggested";
    case AnnotationStatus::Accepted:
        return "accepted";
    case AnnotationStatus::Rejected:
        return "rejected";
    }
    return "accepted";
}

std::optional<Origin> parseOrigin(std::string_view text)
{
    if (text == "auto")
        return Origin::Auto;
    if (text == "manual")
        return Origin::Manual;
    if (text == "imported")
        return Origin::Imported;
    return std::nullopt;
}

std::optional<AnnotationStatus> parseStatus(std::string_view text)
{
    if (text == "suggested")
        return AnnotationStatus::Suggested;
    if (text == "accepted")
        return AnnotationStatus::Accepted;
    if (text == "rejected")
        return AnnotationStatus::Rejected;
    return std::nullopt;
}

namespace entity_type {

namespace {

bool isAsciiAlpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool isAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool isHexDigit(char c) { return isAsciiDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

} // namespace

std::string canonicalName(std::string_view name)
{
    std::string out(name);
    for (char &c : out)
        if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 'a' + 'A');
    return out;
}

Status checkName(std::string_view name)
{
    const std::string quoted = "type name '" + std::string(name) + "'";
    for (const char c : name)
        if (!isAsciiAlpha(c) && !isAsciiDigit(c) && c != '_' && c != '-')
            return makeError(quoted + " may hold only letters, digits, '_' and '-'", ErrorKind::InvalidInput);
    if (name.empty() || name.size() > 40 || !isAsciiAlpha(name[0]))
        return makeError(quoted + " must start with a letter and have at most 40 characters", ErrorKind::InvalidInput);
    return {};
}

std::string canonicalColor(std::string_view color)
{
    std::string out(color);
    for (char &c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

Status checkColor(std::string_view color)
{
    bool valid = color.size() == 7 && color[0] == '#';
    for (std::size_t i = 1; valid && i < 7; ++i)
        valid = isHexDigit(color[i]);
    if (!valid)
        return makeError("colour '" + std::string(color) + "' is not of the form #RRGGBB", ErrorKind::InvalidInput);
    return {};
}

Status checkShortcut(std::string_view shortcut)
{
    if (shortcut.size() > 1 || (shortcut.size() == 1 && (shortcut[0] <= ' ' || shortcut[0] > '~')))
        return makeError("shortcut '" + std::string(shortcut) + "' must be a single printable character",
                         ErrorKind::InvalidInput);
    return {};
}

} // namespace entity_type

Suggestions::Pool::Pool(const Pool &other)
    : m_names(other.m_names)
{
    for (std::uint32_t i = 0; i < m_names.size(); ++i)
        m_ids.emplace(m_names[i], i);
}

Suggestions::Pool &Suggestions::Pool::operator=(const Pool &other)
{
    if (this != &other)
        *this = Pool(other);
    return *this;
}

std::uint32_t Suggestions::Pool::intern(std::string_view s)
{
    if (auto known = m_ids.find(s); known != m_ids.end())
        return known->second;
    const auto id = static_cast<std::uint32_t>(m_names.size());
    m_ids.emplace(m_names.emplace_back(s), id);
    return id;
}

Suggestions::Suggestions() = default;
Suggestions::~Suggestions() = default;
Suggestions::Suggestions(Suggestions &&) noexcept = default;
Suggestions &Suggestions::operator=(Suggestions &&) noexcept = default;

Suggestions::Suggestions(const Suggestions &other)
    : m_size(other.m_size)
    , m_types(other.m_types)
    , m_entities(other.m_entities)
    , m_provenances(other.m_provenances)
{
    m_blocks.reserve(other.m_blocks.size());
    for (std::size_t b = 0; b < other.m_blocks.size(); ++b) {
        m_blocks.push_back(std::make_unique_for_overwrite<Item[]>(kBlockSize));
        const std::size_t count = std::min(kBlockSize, m_size - b * kBlockSize);
        std::copy_n(other.m_blocks[b].get(), count, m_blocks[b].get());
    }
}

Suggestions &Suggestions::operator=(const Suggestions &other)
{
    if (this != &other)
        *this = Suggestions(other);
    return *this;
}

void Suggestions::add(std::uint32_t start, std::uint32_t end, std::string_view type, std::string_view entityName,
                      std::string_view provenance, float confidence)
{
    constexpr std::uint32_t kMostNames = 0xffff;
    const std::uint32_t typeId = m_types.intern(type);
    const std::uint32_t provenanceId = m_provenances.intern(provenance);
    if (typeId > kMostNames || provenanceId > kMostNames)
        throw std::length_error("one text's suggestions name more than 65,536 types or provenances");
    if ((m_size & (kBlockSize - 1)) == 0)
        m_blocks.push_back(std::make_unique_for_overwrite<Item[]>(kBlockSize));
    m_blocks.back()[m_size & (kBlockSize - 1)] = {start, end, m_entities.intern(entityName),
                                                  static_cast<std::uint16_t>(typeId),
                                                  static_cast<std::uint16_t>(provenanceId), confidence};
    ++m_size;
}

void Suggestions::get(std::size_t i, NewAnnotation &out) const
{
    const Item &item = this->item(i);
    out.start = item.start;
    out.end = item.end;
    out.type = m_types[item.type];
    out.entityName = m_entities[item.entity];
    out.origin = Origin::Auto;
    out.status = AnnotationStatus::Suggested;
    out.typeColor.clear();
    out.createdAt = 0;
    out.modifiedAt = 0;
    out.provenance = m_provenances[item.provenance];
    out.confidence = item.confidence;
}

NewAnnotation Suggestions::operator[](std::size_t i) const
{
    NewAnnotation out;
    get(i, out);
    return out;
}

std::vector<NewAnnotation> Suggestions::expanded() const
{
    std::vector<NewAnnotation> out(m_size);
    for (std::size_t i = 0; i < m_size; ++i)
        get(i, out[i]);
    return out;
}

} // namespace lede
