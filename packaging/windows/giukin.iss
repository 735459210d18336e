; Giữ Kín — Windows installer (Inno Setup 6.3 or later). Build: packaging\build.ps1 -Installer,
; or by hand after packaging\build.ps1:
;   iscc /DAppVersion=0.1.0 packaging\windows\giukin.iss   ->  dist\GiuKin-Setup-0.1.0.exe
; Signing: add /DSignToolName=giukinsign /S"giukinsign=signtool sign /fd SHA256 /tr <RFC 3161 URL>
; /td SHA256 /a $f" (see docs/packaging.md); the uninstaller is then signed too.
;
; Silent install for IT (SCCM, Intune, GPO startup script), as SYSTEM or an administrator:
;   GiuKin-Setup-0.1.0.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /SP- /LOG="%TEMP%\giukin-setup.log"
;   options: /DIR="D:\Apps\GiuKin"   /TASKS="autostart"  (or /TASKS="" for no autostart)
;            /POLICY="\\server\share\giukin\policy.json"  copies IT's policy to
;            %ProgramData%\GiuKin\policy.json (replacing an older one; kept on uninstall);
;            that folder is made writable by Administrators/SYSTEM only
;            /CLOSEAPPLICATIONS  closes a running Giữ Kín before files are replaced
; Silent uninstall:
;   "%ProgramFiles%\GiuKin\unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
; Uninstall removes the program, its Start menu entry and its autostart entry; it never
; touches %ProgramData%\GiuKin (IT policy) nor HKLM\Software\Policies\GiuKin (Group Policy).

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "Giữ Kín"
#define AppExe "giukin.exe"
#define AppPublisher "Giữ Kín"
; Relative to this script's folder (SourceDir).
#define DistDir "..\..\dist\giukin"
#define IconFile "..\..\resources\icons\giukin.ico"
; Vietnamese installer texts: Inno Setup ships no Vietnamese.isl of its own (it is an
; unofficial translation); put one in packaging\windows\Languages\ or in Inno's
; Languages\Unofficial\ folder and it is used. Our own messages below are translated either way.
#if FileExists(AddBackslash(SourcePath) + "Languages\Vietnamese.isl")
  #define VietnameseIsl AddBackslash(SourcePath) + "Languages\Vietnamese.isl"
#elif FileExists(AddBackslash(CompilerPath) + "Languages\Unofficial\Vietnamese.isl")
  #define VietnameseIsl "compiler:Languages\Unofficial\Vietnamese.isl"
#endif

[Setup]
AppId={{DEEE38A0-695A-4E42-9CCF-B5D5983ABD90}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppName} — che thông tin cá nhân trước khi dùng chatbot AI
; Per-machine install: IT installs once for every user of the workstation.
PrivilegesRequired=admin
DefaultDirName={autopf}\GiuKin
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist
OutputBaseFilename=GiuKin-Setup-{#AppVersion}
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Files in use (the tray is running): ask Restart Manager to close it, restart it afterwards.
CloseApplications=yes
CloseApplicationsFilter=*.exe,*.dll,*.pyd
RestartApplications=yes
ShowLanguageDialog=auto
LanguageDetectionMethod=uilanguage
#ifdef SignToolName
SignTool={#SignToolName}
SignedUninstaller=yes
#endif

[Languages]
#ifdef VietnameseIsl
Name: "vi"; MessagesFile: "{#VietnameseIsl}"
#endif
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
en.AutoStart=Start {#AppName} when any user signs in
en.AutoStartGroup=Start-up:
en.LaunchNow=Start {#AppName} now
en.Uninstalling=Closing {#AppName}...
#ifdef VietnameseIsl
vi.AutoStart=Khởi động {#AppName} khi người dùng đăng nhập
vi.AutoStartGroup=Khởi động:
vi.LaunchNow=Mở {#AppName} ngay
vi.Uninstalling=Đang đóng {#AppName}...
#endif

[Tasks]
Name: "autostart"; Description: "{cm:AutoStart}"; GroupDescription: "{cm:AutoStartGroup}"

[Files]
; The whole PyInstaller one-folder build: giukin.exe and _internal\ with the default rule
; pack (_internal\rules\default), the pinned public keys (_internal\rules\keys) and resources.
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
; IT's policy, only when /POLICY=path is given (replaces the previous one); never uninstalled.
Source: "{param:POLICY|}"; DestDir: "{commonappdata}\GiuKin"; DestName: "policy.json"; \
  Flags: external skipifsourcedoesntexist uninsneveruninstall; Check: HasPolicyParam

[Dirs]
; Created (empty) so IT knows where the policy goes; left in place on uninstall.
Name: "{commonappdata}\GiuKin"; Flags: uninsneveruninstall

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; \
  Comment: "Che thông tin cá nhân trước khi dùng chatbot AI"

[Registry]
; Autostart for every user (per-machine Run key); removed on uninstall.
Root: HKLM; Subkey: "Software\Microsoft\Windows\CurrentVersion\Run"; ValueType: string; \
  ValueName: "GiuKin"; ValueData: """{app}\{#AppExe}"""; Flags: uninsdeletevalue; Tasks: autostart

[Run]
; %ProgramData% lets every user create files in new subfolders: a user could plant their own
; policy.json. Make the policy folder admin-owned, writable by Administrators and SYSTEM only,
; readable by Users, and reset whatever was in it to inherit that.
Filename: "{sys}\icacls.exe"; \
  Parameters: """{commonappdata}\GiuKin"" /inheritance:r /grant:r *S-1-5-32-544:(OI)(CI)F *S-1-5-18:(OI)(CI)F *S-1-5-32-545:(OI)(CI)RX"; \
  Flags: runhidden
Filename: "{sys}\icacls.exe"; Parameters: """{commonappdata}\GiuKin"" /setowner *S-1-5-32-544 /T /C /Q"; \
  Flags: runhidden
Filename: "{sys}\icacls.exe"; Parameters: """{commonappdata}\GiuKin\*"" /reset /T /C /Q"; \
  Flags: runhidden
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchNow}"; \
  Flags: nowait postinstall skipifsilent runasoriginaluser

[UninstallRun]
; Stop running trays (any user) so every file can be removed.
Filename: "{sys}\taskkill.exe"; Parameters: "/F /T /IM {#AppExe}"; Flags: runhidden; \
  RunOnceId: "StopGiuKin"; StatusMsg: "{cm:Uninstalling}"

[UninstallDelete]
; Python caches written next to the program, if any; nothing under %ProgramData%.
Type: filesandordirs; Name: "{app}\_internal\__pycache__"

[Code]
function HasPolicyParam(): Boolean;
begin
  Result := ExpandConstant('{param:POLICY|}') <> '';
end;
