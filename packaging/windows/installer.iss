; Inno Setup 6 script: per-user installer of 党建积分台账 (no administrator rights needed).
; Built by packaging/windows/build_windows.ps1 after PyInstaller has produced dist\dangjian-ledger\:
;   ISCC.exe /DAppVersion=0.1.0 packaging\windows\installer.iss
; Saved as UTF-8 with BOM: Inno Setup 6 then reads the Chinese text correctly.
;
; Data: the app keeps its ledger, backups and logs in %LOCALAPPDATA%\dangjian-ledger (platformdirs),
; never in the program folder. The uninstaller removes only the files it installed, so the data
; stays; reinstalling or upgrading finds it again.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "党建积分台账"
#define AppExe "dangjian-ledger.exe"
#define Bundle "..\..\dist\dangjian-ledger"

[Setup]
; Never change AppId: upgrades and the uninstaller find the installation by it.
AppId={{6C1F3B52-7E1A-4C43-9D0B-2A5E8F1D7C40}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=党建积分台账 开发组
AppCopyright=© 2026 党建积分台账 开发组
VersionInfoVersion={#AppVersion}
; Per-user: installs under %LOCALAPPDATA%\Programs, shortcuts in the user's Start menu and desktop.
PrivilegesRequired=lowest
; An ASCII folder name: some old helper tools and scripts stumble over non-ASCII paths.
DefaultDirName={autopf}\dangjian-ledger
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UninstallDisplayName={#AppName}
UninstallDisplayIcon={app}\{#AppExe}
SetupIconFile=..\..\resources\icons\app.ico
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist\installer
OutputBaseFilename=dangjian-ledger-{#AppVersion}-setup
; Restart Manager closes a running copy before files are replaced.
CloseApplications=yes

[Languages]
; ChineseSimplified.isl ships with current Inno Setup 6; see build_windows.ps1 if it is missing.
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "在桌面创建快捷方式"; GroupDescription: "快捷方式："

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the program folder's libraries wholesale (a stale Qt DLL must not linger).
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "基层党组织积分台账"
Name: "{autoprograms}\{#AppName} 自检"; Filename: "{app}\dangjian-ledger-cli.exe"; Parameters: "--self-test --pause"; WorkingDir: "{app}"; Comment: "检查安装是否完好"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "立即启动{#AppName}"; Flags: nowait postinstall skipifsilent

[Messages]
FinishedLabel=安装已完成。台账数据保存在本机用户文件夹 AppData\Local\dangjian-ledger 中，卸载或升级本软件都不会删除它。
