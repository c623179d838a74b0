#pragma once

#include <QString>
#include <QStringList>

#include <memory>

class QFileDialog;
class QWidget;

namespace lede::ui {

/// The desktop's file choosers. Every file dialog in Lede comes from here.
///
/// The dialogs are Qt's own, never the platform's, and they tell files
/// apart by their names alone. A file dialog that sniffs contents (Qt's
/// default, and the GTK and KDE dialogs that run inside the process) opens
/// and closes every file of the folder it shows; when that folder holds
/// the open store, closing those descriptors drops this process's SQLite
/// locks on the store (see core/Files.h), and a lede-cli run next to the
/// desktop then deletes the store's -wal while the desktop still writes to
/// it. Both choices keep Lede from ever opening a file it merely lists.
namespace fileDialogs {

enum class Kind { OpenFile, OpenFiles, SaveFile, Folder };

/// A dialog of `kind` showing `start` (a folder, or a file to preselect),
/// ready for exec() or open(). Exposed for the tests.
std::unique_ptr<QFileDialog> make(QWidget *parent, Kind kind, const QString &caption, const QString &start,
                                  const QString &filter = {});

/// Empty when the user cancels.
QString openFile(QWidget *parent, const QString &caption, const QString &start, const QString &filter);
QStringList openFiles(QWidget *parent, const QString &caption, const QString &start, const QString &filter);
QString saveFile(QWidget *parent, const QString &caption, const QString &start, const QString &filter);
QString folder(QWidget *parent, const QString &caption, const QString &start);

} // namespace fileDialogs

} // namespace lede::ui
