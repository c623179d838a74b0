#include "ui/base/EnglishPlurals.h"

namespace lede::ui {

QString EnglishPlurals::resolve(const QString &text, int n)
{
    const bool one = n == 1;
    QString out = text;
    out.replace(QStringLiteral("y(ies)"), one ? QStringLiteral("y") : QStringLiteral("ies"));
    out.replace(QStringLiteral("(es)"), one ? QString() : QStringLiteral("es"));
    out.replace(QStringLiteral("(s)"), one ? QString() : QStringLiteral("s"));
    return out;
}

QString EnglishPlurals::translate(const char *, const char *sourceText, const char *, int n) const
{
    // Only numerus messages are touched; a null string lets Qt fall back to
    // the source text for every other message.
    if (n < 0 || !sourceText)
        return {};
    const QString text = QString::fromUtf8(sourceText);
    if (!text.contains(QLatin1Char('(')))
        return {};
    return resolve(text, n);
}

} // namespace lede::ui
