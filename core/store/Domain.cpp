#include "core/store/Domain.h"

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

} // namespace lede
