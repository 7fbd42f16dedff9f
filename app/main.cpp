// Gwanje: the console of a u-City integrated operations center.

#include "CommandLine.h"
#include "CompositionRoot.h"
#include "gwanje/Version.h"

#include <QCoreApplication>
#include <QGuiApplication>
#include <QtQml/qqmlextensionplugin.h>

#include <cstdio>
#include <memory>

Q_IMPORT_QML_PLUGIN(Gwanje_UiPlugin)
Q_IMPORT_QML_PLUGIN(GwanjePlugin)

int main(int argc, char *argv[])
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));

    auto parsed = gwanje::parseCommandLine(arguments);
    if (auto *error = std::get_if<gwanje::CommandLineError>(&parsed)) {
        std::fprintf(stderr, "gwanje: %s\nTry 'gwanje --help'.\n", qUtf8Printable(error->message));
        return 2;
    }
    gwanje::Options options = std::get<gwanje::Options>(parsed);

    if (options.mode == gwanje::Options::Mode::Help) {
        std::fputs(qUtf8Printable(options.helpText), stdout);
        return 0;
    }
    if (options.mode == gwanje::Options::Mode::Version) {
        std::printf("gwanje %s (Qt %s)\n", gwanje::versionString, qVersion());
        return 0;
    }

    QCoreApplication::setOrganizationName(QStringLiteral("Gwanje"));
    QCoreApplication::setApplicationName(QStringLiteral("gwanje"));
    QCoreApplication::setApplicationVersion(QString::fromLatin1(gwanje::versionString));

    std::unique_ptr<QCoreApplication> app;
    if (options.mode == gwanje::Options::Mode::Headless)
        app = std::make_unique<QCoreApplication>(argc, argv);
    else
        app = std::make_unique<QGuiApplication>(argc, argv);
    if (options.dataDir.isEmpty())
        options.dataDir = gwanje::defaultDataDir(QCoreApplication::applicationDirPath());

    gwanje::CompositionRoot root(options);
    return options.mode == gwanje::Options::Mode::Headless ? root.runHeadless() : root.runGui();
}
