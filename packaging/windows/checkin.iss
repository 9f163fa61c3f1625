; Windows installer for the app bundle (Inno Setup 6). NOT RUN HERE: built by
; .github/workflows/release.yml on a Windows runner, after `python tools/build_bundle.py`:
;   iscc /DAppVersion=0.1.0 packaging\windows\checkin.iss
; Installs for the current user without administrator rights (locked-down laptops), adds a
; Start-menu shortcut and makes .checkin files open in the app (checkin.exe --db "file").

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6F1B6C2A-5E0D-4C8B-9B7E-3D2A8C1E4F57}
AppName=checkin
AppVersion={#AppVersion}
AppPublisher=checkin
DefaultDirName={autopf}\checkin
DefaultGroupName=checkin
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
ChangesAssociations=yes
OutputDir=..\..\dist
OutputBaseFilename=checkin-{#AppVersion}-windows-x86_64-setup
SetupIconFile=..\..\build\checkin.ico
UninstallDisplayIcon={app}\checkin.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "spanish"; MessagesFile: "compiler:Languages\Spanish.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\checkin\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\checkin"; Filename: "{app}\checkin.exe"
Name: "{group}\{cm:UninstallProgram,checkin}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\checkin"; Filename: "{app}\checkin.exe"; Tasks: desktopicon

[Registry]
; HKA: the current user's classes for a per-user install, the machine's for an admin install.
Root: HKA; Subkey: "Software\Classes\.checkin"; ValueType: string; ValueName: ""; ValueData: "checkin.event"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\checkin.event"; ValueType: string; ValueName: ""; ValueData: "checkin event"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\checkin.event\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\checkin.exe,0"
Root: HKA; Subkey: "Software\Classes\checkin.event\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\checkin.exe"" --db ""%1"""

[Run]
Filename: "{app}\checkin.exe"; Description: "{cm:LaunchProgram,checkin}"; Flags: nowait postinstall skipifsilent
