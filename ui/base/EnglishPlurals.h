#pragma once

#include <QTranslator>

namespace lede::ui {

/// Lede's messages are written in English with plural endings in
/// parentheses ("%n document(s)", "%n match(es)", "%n entity(ies)"), the
/// way Qt's numerus forms expect a translation to resolve them. Without a
/// translation loaded this translator resolves them for English, so the
/// analyst reads "1 document" and "3 documents".
class EnglishPlurals : public QTranslator {
    Q_OBJECT

public:
    using QTranslator::QTranslator;

    bool isEmpty() const override { return false; }
    QString translate(const char *context, const char *sourceText, const char *disambiguation = nullptr,
                      int n = -1) const override;

    /// The rule itself, for tests.
    static QString resolve(const QString &text, int n);
};

} // namespace lede::ui
