// lede: the desktop application. Everything but choosing the store lives
// in lede_ui; this is the window's main().

#include "core/base/Memory.h"
#include "core/store/Store.h"
#include "ui/base/EnglishPlurals.h"
#include "ui/app/MainWindow.h"
#include "ui/base/QtText.h"
#include "ui/app/Samples.h"
#include "ui/app/Workspace.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QSettings>
#include <QTimer>

#include <cstdlib>

int main(int argc, char **argv)
{
    lede::memory::returnLargeBlocksOnFree();
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Lede"));
    QApplication::setOrganizationName(QStringLiteral("Lede"));
    QApplication::setApplicationVersion(QStringLiteral(LEDE_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("lede"));
    lede::ui::initResources();
    lede::ui::EnglishPlurals plurals;
    QApplication::installTranslator(&plurals);

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Read and annotate articles: people, companies, nations and cyberattacks."));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption db(QStringLiteral("db"),
                          QApplication::translate("main", "The store to open (default: $LEDE_DB, else the last one, else %1).")
                              .arg(lede::ui::toQString(lede::Store::defaultPath())),
                          QStringLiteral("path"));
    parser.addOption(db);
    parser.addPositionalArgument(QStringLiteral("store"), QApplication::translate("main", "The store to open, as --db."), QStringLiteral("[store]"));
    parser.process(app);

    QString path = parser.value(db);
    if (path.isEmpty() && !parser.positionalArguments().isEmpty())
        path = parser.positionalArguments().constFirst();
    const char *env = std::getenv("LEDE_DB");
    if (path.isEmpty() && !(env && *env))
        path = QSettings().value(QStringLiteral("store/last")).toString();
    if (path.isEmpty())
        path = lede::ui::toQString(lede::Store::defaultPath());

    lede::ui::Workspace workspace;
    lede::ui::MainWindow window(&workspace);
    window.openStore(path);
    window.show();
    QTimer::singleShot(0, &window, [&window] { window.offerSamplesIfEmpty(); });
    return app.exec();
}
