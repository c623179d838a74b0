#include "ui/dialogs/MessageBox.h"

#include <QCompleter>
#include <QInputDialog>
#include <QLineEdit>

namespace lede::ui {

namespace {

struct Hooks {
    std::optional<QMessageBox::StandardButton> nextAnswer;
    bool hasNextText = false;
    std::optional<QString> nextText;
    bool nonInteractive = false;
    QString lastMessage;
};

Hooks &hooks()
{
    static Hooks h;
    return h;
}

} // namespace

QMessageBox::StandardButton MessageBox::question(QWidget *parent, const QString &title, const QString &text,
                                                 QMessageBox::StandardButtons buttons,
                                                 QMessageBox::StandardButton defaultButton)
{
    Hooks &h = hooks();
    if (h.nextAnswer) {
        const auto answer = *h.nextAnswer;
        h.nextAnswer.reset();
        return answer;
    }
    if (h.nonInteractive)
        return defaultButton;
    return QMessageBox::question(parent, title, text, buttons, defaultButton);
}

void MessageBox::information(QWidget *parent, const QString &title, const QString &text)
{
    hooks().lastMessage = text;
    if (!hooks().nonInteractive)
        QMessageBox::information(parent, title, text);
}

void MessageBox::warning(QWidget *parent, const QString &title, const QString &text)
{
    hooks().lastMessage = text;
    if (!hooks().nonInteractive)
        QMessageBox::warning(parent, title, text);
}

std::optional<QString> MessageBox::text(QWidget *parent, const QString &title, const QString &label,
                                        const QString &initial, const QStringList &suggestions)
{
    Hooks &h = hooks();
    if (h.hasNextText) {
        h.hasNextText = false;
        return std::exchange(h.nextText, std::nullopt);
    }
    if (h.nonInteractive)
        return std::nullopt;
    QInputDialog dialog(parent);
    dialog.setWindowTitle(title);
    dialog.setLabelText(label);
    dialog.setTextValue(initial);
    dialog.setMinimumWidth(420);
    if (!suggestions.isEmpty()) {
        // QInputDialog has no completer of its own; its line edit is its
        // only one.
        if (auto *edit = dialog.findChild<QLineEdit *>()) {
            auto *completer = new QCompleter(suggestions, &dialog);
            completer->setCaseSensitivity(Qt::CaseInsensitive);
            completer->setFilterMode(Qt::MatchContains);
            edit->setCompleter(completer);
        }
    }
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return dialog.textValue();
}

void MessageBox::setNextAnswer(QMessageBox::StandardButton answer) { hooks().nextAnswer = answer; }

void MessageBox::setNextText(std::optional<QString> text)
{
    hooks().hasNextText = true;
    hooks().nextText = std::move(text);
}

void MessageBox::setNonInteractive(bool nonInteractive) { hooks().nonInteractive = nonInteractive; }

QString MessageBox::lastMessage() { return hooks().lastMessage; }

} // namespace lede::ui
