// The UI tests' main: a QApplication on the offscreen platform (unless the
// environment asks for another), so real widgets run without a display,
// then Catch2's own session.

#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "ui/base/EnglishPlurals.h"
#include "ui/dialogs/MessageBox.h"
#include "ui/app/Samples.h"

#include <QApplication>
#include <QDir>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <cstdio>

namespace {

QtMessageHandler previousHandler = nullptr;

// The offscreen platform says at every window that it cannot do what only
// a window manager does; that is expected here and drowns real warnings.
void quietOffscreen(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (message.startsWith(QLatin1String("This plugin does not support")))
        return;
    if (previousHandler)
        previousHandler(type, context, message);
    else
        std::fprintf(stderr, "%s\n", qPrintable(qFormatLogMessage(type, context, message)));
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    // Settings (window layout, recent stores) go to a folder of the test's
    // own, never to the user's.
    QTemporaryDir config;
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(config.path()));
    previousHandler = qInstallMessageHandler(quietOffscreen);
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("LedeTests"));
    QApplication::setApplicationName(QStringLiteral("lede_ui_tests"));
    QStandardPaths::setTestModeEnabled(true);
    lede::ui::initResources();
    lede::ui::EnglishPlurals plurals;
    QApplication::installTranslator(&plurals);
    // No dialog may wait for a person: questions take their default
    // answer and prompts cancel unless a test queued an answer.
    lede::ui::MessageBox::setNonInteractive(true);
    return Catch::Session().run(argc, argv);
}
