#include "ui/io/FileDialogs.h"

#include <QCoreApplication>
#include <QFileDialog>
#include <QFileIconProvider>
#include <QFileInfo>
#include <QIcon>
#include <QMimeDatabase>

namespace lede::ui::fileDialogs {

namespace {

// Icons and type names from a file's name, never its contents. Qt's own
// provider asks QMimeDatabase for the type of each listed file with
// MatchDefault, which reads the file whenever its name does not settle the
// type, as for a store's "-wal" and "-shm" files.
class NameOnlyIconProvider final : public QFileIconProvider {
public:
    using QFileIconProvider::icon;

    QIcon icon(const QFileInfo &info) const override
    {
        if (info.isRoot())
            return icon(Drive);
        if (info.isDir())
            return icon(Folder);
        const QMimeType mime = mimeOf(info);
        if (mime.isValid()) {
            QIcon themed = QIcon::fromTheme(mime.iconName());
            if (themed.isNull())
                themed = QIcon::fromTheme(mime.genericIconName());
            if (!themed.isNull())
                return themed;
        }
        return icon(File);
    }

    QString type(const QFileInfo &info) const override
    {
        if (info.isRoot())
            return QCoreApplication::translate("FileDialogs", "Drive");
        if (info.isDir())
            return QCoreApplication::translate("FileDialogs", "Folder");
        const QMimeType mime = mimeOf(info);
        if (mime.isValid() && !mime.comment().isEmpty())
            return mime.comment();
        return QCoreApplication::translate("FileDialogs", "File");
    }

private:
    static QMimeType mimeOf(const QFileInfo &info)
    {
        const QList<QMimeType> byName = QMimeDatabase().mimeTypesForFileName(info.fileName());
        return byName.isEmpty() ? QMimeType() : byName.first();
    }
};

NameOnlyIconProvider &iconProvider()
{
    static NameOnlyIconProvider provider;
    return provider;
}

} // namespace

std::unique_ptr<QFileDialog> make(QWidget *parent, Kind kind, const QString &caption, const QString &start,
                                  const QString &filter)
{
    // The dialog starts out on the working folder; until the event loop
    // runs it has only listed names there, so the provider set right away
    // is the one that describes every file it shows.
    auto dialog = std::make_unique<QFileDialog>(parent, caption);
    dialog->setOptions(QFileDialog::DontUseNativeDialog | QFileDialog::DontUseCustomDirectoryIcons);
    dialog->setIconProvider(&iconProvider());
    switch (kind) {
    case Kind::OpenFile:
        dialog->setFileMode(QFileDialog::ExistingFile);
        break;
    case Kind::OpenFiles:
        dialog->setFileMode(QFileDialog::ExistingFiles);
        break;
    case Kind::SaveFile:
        dialog->setFileMode(QFileDialog::AnyFile);
        dialog->setAcceptMode(QFileDialog::AcceptSave);
        break;
    case Kind::Folder:
        dialog->setFileMode(QFileDialog::Directory);
        dialog->setOption(QFileDialog::ShowDirsOnly);
        break;
    }
    if (!filter.isEmpty())
        dialog->setNameFilter(filter);
    const QFileInfo info(start);
    if (kind == Kind::Folder || info.isDir()) {
        dialog->setDirectory(start);
    } else {
        dialog->setDirectory(info.path());
        dialog->selectFile(info.fileName());
    }
    return dialog;
}

namespace {

QStringList run(QWidget *parent, Kind kind, const QString &caption, const QString &start, const QString &filter)
{
    auto dialog = make(parent, kind, caption, start, filter);
    if (dialog->exec() != QDialog::Accepted)
        return {};
    return dialog->selectedFiles();
}

QString first(const QStringList &files) { return files.isEmpty() ? QString() : files.first(); }

} // namespace

QString openFile(QWidget *parent, const QString &caption, const QString &start, const QString &filter)
{
    return first(run(parent, Kind::OpenFile, caption, start, filter));
}

QStringList openFiles(QWidget *parent, const QString &caption, const QString &start, const QString &filter)
{
    return run(parent, Kind::OpenFiles, caption, start, filter);
}

QString saveFile(QWidget *parent, const QString &caption, const QString &start, const QString &filter)
{
    return first(run(parent, Kind::SaveFile, caption, start, filter));
}

QString folder(QWidget *parent, const QString &caption, const QString &start)
{
    return first(run(parent, Kind::Folder, caption, start, {}));
}

} // namespace lede::ui::fileDialogs
