#pragma once

#include <QMessageBox>
#include <QString>
#include <QStringList>

#include <optional>

class QWidget;

namespace lede::ui {

/// Every question, notice and text prompt the application shows goes
/// through here, so tests can answer them instead of a person (as
/// KeePassXC's MessageBox::setNextAnswer does). In non-interactive mode
/// nothing is shown at all: questions take their default answer and
/// prompts are cancelled unless an answer was queued.
class MessageBox {
public:
    static QMessageBox::StandardButton question(QWidget *parent, const QString &title, const QString &text,
                                                QMessageBox::StandardButtons buttons = QMessageBox::Yes | QMessageBox::No,
                                                QMessageBox::StandardButton defaultButton = QMessageBox::Yes);
    static void information(QWidget *parent, const QString &title, const QString &text);
    static void warning(QWidget *parent, const QString &title, const QString &text);

    /// A line of text, offering `suggestions` to complete from; nullopt
    /// when cancelled.
    static std::optional<QString> text(QWidget *parent, const QString &title, const QString &label,
                                       const QString &initial, const QStringList &suggestions = {});

    /// Test hooks: the answer the next question gets, the text the next
    /// prompt returns (nullopt: cancel), and whether anything is shown.
    static void setNextAnswer(QMessageBox::StandardButton answer);
    static void setNextText(std::optional<QString> text);
    static void setNonInteractive(bool nonInteractive);
    /// The text of the last notice or warning, for tests to check.
    static QString lastMessage();
};

} // namespace lede::ui
