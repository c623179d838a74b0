#include "ui/app/Samples.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

// Outside any namespace, as Q_INIT_RESOURCE requires.
static void initLedeResources() { Q_INIT_RESOURCE(lede); }

namespace lede::ui {

QString bundledSamplesDir()
{
    const QString candidates[] = {
        QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral(LEDE_RELATIVE_SAMPLES_DIR)),
        QStringLiteral(LEDE_INSTALLED_SAMPLES_DIR),
        QStringLiteral(LEDE_SOURCE_SAMPLES_DIR),
    };
    for (const QString &dir : candidates) {
        if (QFileInfo(dir).isDir())
            return QDir(dir).canonicalPath();
    }
    return {};
}

void initResources() { initLedeResources(); }

} // namespace lede::ui
