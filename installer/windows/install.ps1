#Requires -Version 5.1
#Requires -RunAsAdministrator
<#
.SYNOPSIS
    Installs (or upgrades) DicomArchive as a Windows service. See docs/operations.md.

.DESCRIPTION
    - Copies a published build (dotnet publish -r win-x64 output, with dicom-archive.exe) to -InstallDir.
    - Registers the service "DicomArchive" (automatic, delayed start) running as the virtual account
      NT SERVICE\DicomArchive, with
          dicom-archive.exe --config "%ProgramData%\DicomArchive\appsettings.json"
      and recovery: restart after 5 s, 5 s, then 30 s; the failure count resets after a day.
    - Creates %ProgramData%\DicomArchive\data (storage + index) and \logs. The folder is closed to
      everyone but SYSTEM and Administrators (full control) and the service account (read; modify on data
      and logs): the images and index are patient data.
    - Writes %ProgramData%\DicomArchive\appsettings.json from the shipped, commented defaults, with the
      data and log paths set, only when it does not exist: an upgrade keeps it. appsettings.json.dist next
      to it holds the current build's defaults for comparison.
    - Opens the DIMSE port in Windows Firewall (inbound TCP, for dicom-archive.exe only).

    Upgrade: run the script again with the new build. The service is stopped, the binaries are replaced,
    the configuration and data are kept, and the service is started again.

.PARAMETER From
    The published build: a folder with dicom-archive.exe and appsettings.json.

.PARAMETER Build
    Publish src\DicomArchive.Service from this source tree (Release, win-x64) and install that.

.PARAMETER Port
    The port opened in the firewall. Default: Archive:Port of the installed configuration, else 11112.

.PARAMETER NoStart
    Register the service but do not start it (e.g. to edit the configuration first).

.EXAMPLE
    dotnet publish src\DicomArchive.Service -c Release -r win-x64 --self-contained false -o C:\temp\dicom-archive
    .\installer\windows\install.ps1 -From C:\temp\dicom-archive
#>
[CmdletBinding(DefaultParameterSetName = 'From')]
param(
    [Parameter(Mandatory = $true, ParameterSetName = 'From')]
    [string] $From,

    [Parameter(Mandatory = $true, ParameterSetName = 'Build')]
    [switch] $Build,

    [string] $InstallDir = (Join-Path $env:ProgramFiles 'DicomArchive'),

    [ValidateRange(1, 65535)]
    [int] $Port = 0,

    [switch] $NoStart
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$ServiceName = 'DicomArchive'
$ServiceAccount = "NT SERVICE\$ServiceName"
$FirewallRuleName = 'DicomArchive-DIMSE-In'
$DataRoot = Join-Path $env:ProgramData 'DicomArchive'
$ConfigFile = Join-Path $DataRoot 'appsettings.json'
$DataDir = Join-Path $DataRoot 'data'
$LogDir = Join-Path $DataRoot 'logs'
$Executable = Join-Path $InstallDir 'dicom-archive.exe'
$RepoRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent

function Write-Step([string] $Message) { Write-Host "install: $Message" }

# Runs a native program and fails on a non-zero exit code. Windows PowerShell turns a native program's
# stderr into errors under $ErrorActionPreference = 'Stop', so the output is collected with 'Continue'.
function Invoke-Native([string] $FilePath, [string[]] $Arguments) {
    $previous = $ErrorActionPreference
    $ErrorActionPreference = 'Continue'
    try {
        $output = (& $FilePath @Arguments 2>&1 | Out-String).Trim()
        $exitCode = $LASTEXITCODE
    }
    finally {
        $ErrorActionPreference = $previous
    }
    if ($exitCode -ne 0) {
        throw "$FilePath $($Arguments -join ' ') failed ($exitCode): $output"
    }
    return $output
}

# The shipped template's relative paths ("./data/...", "./logs/...") become the service's folders (JSON
# strings escape the backslashes of Windows paths). The keys that must come out right are checked, so a
# change of config\appsettings.json that would leave a development path in a service install fails here.
function ConvertTo-ServiceConfig([string] $Text) {
    $data = ($DataDir + '\').Replace('\', '\\')
    $logs = ($LogDir + '\').Replace('\', '\\')
    $Text = $Text.Replace('"./data/', '"' + $data).Replace('"./logs/', '"' + $logs)
    foreach ($line in @(('"StorageRoot": "{0}storage"' -f $data), ('"IndexPath": "{0}index.sqlite"' -f $data),
                        ('"path": "{0}dicom-archive-.log"' -f $logs))) {
        if (-not $Text.Contains($line)) { throw "the shipped appsettings.json did not give ${line}: update install.ps1" }
    }
    if ($Text.Contains('"./')) { throw "the shipped appsettings.json still has a relative path after the rewrite: update install.ps1" }
    return $Text
}

# The Archive:Port of a (commented) appsettings.json: the first "Port" key is the Archive section's,
# Peers come after it. Windows PowerShell's ConvertFrom-Json does not accept comments.
function Get-ConfiguredPort([string] $Path) {
    if (Test-Path -LiteralPath $Path) {
        $match = [regex]::Match((Get-Content -LiteralPath $Path -Raw), '"Port"\s*:\s*(\d+)')
        if ($match.Success) { return [int] $match.Groups[1].Value }
    }
    return 11112
}

# --- the build ------------------------------------------------------------------------------------------
$workDir = Join-Path ([System.IO.Path]::GetTempPath()) ("dicomarchive-install-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
New-Item -ItemType Directory -Path $workDir | Out-Null
try {
    if ($Build) {
        $project = Join-Path $RepoRoot 'src\DicomArchive.Service'
        if (-not (Test-Path -LiteralPath $project)) { throw "-Build must run from a source tree ($project is missing)" }
        Write-Step "publishing src\DicomArchive.Service (Release, win-x64)"
        $From = Join-Path $workDir 'publish'
        Invoke-Native 'dotnet' @('publish', $project, '-c', 'Release', '-r', 'win-x64', '--self-contained', 'false', '-o', $From,
            '--artifacts-path', (Join-Path $workDir 'artifacts'), '--nologo') | Out-Null
    }

    $From = (Resolve-Path -LiteralPath $From).Path
    if (-not (Test-Path -LiteralPath (Join-Path $From 'dicom-archive.exe'))) {
        throw "$From has no dicom-archive.exe (publish with -r win-x64 on any OS, or on Windows)"
    }
    if (-not (Test-Path -LiteralPath (Join-Path $From 'appsettings.json'))) {
        throw "$From has no appsettings.json (the shipped defaults)"
    }

    # The build must run here before anything is replaced: a missing .NET runtime is caught now.
    try {
        $version = Invoke-Native (Join-Path $From 'dicom-archive.exe') @('--version')
    }
    catch {
        throw "$($_.Exception.Message)`n(the .NET 10 runtime must be installed)"
    }
    Write-Step "installing DicomArchive $version"

    # --- configuration and data folders -----------------------------------------------------------------
    foreach ($dir in @($DataRoot, $DataDir, $LogDir)) {
        if (-not (Test-Path -LiteralPath $dir)) { New-Item -ItemType Directory -Path $dir | Out-Null }
    }

    $template = Get-Content -LiteralPath (Join-Path $From 'appsettings.json') -Raw
    $template = ConvertTo-ServiceConfig $template
    $utf8 = New-Object System.Text.UTF8Encoding($false)
    [System.IO.File]::WriteAllText("$ConfigFile.dist", $template, $utf8)
    if (Test-Path -LiteralPath $ConfigFile) {
        Write-Step "kept $ConfigFile (this build's defaults are in appsettings.json.dist)"
    }
    else {
        [System.IO.File]::WriteAllText($ConfigFile, $template, $utf8)
        Write-Step "wrote $ConfigFile"
    }

    # --- stop a running service, then replace the binaries ----------------------------------------------
    $service = Get-Service -Name $ServiceName -ErrorAction SilentlyContinue
    if ($null -ne $service -and $service.Status -ne 'Stopped') {
        Write-Step "stopping $ServiceName for the upgrade"
        Stop-Service -Name $ServiceName
        (Get-Service -Name $ServiceName).WaitForStatus('Stopped', [TimeSpan]::FromSeconds(60))
    }

    $staged = "$InstallDir.new"
    if (Test-Path -LiteralPath $staged) { Remove-Item -LiteralPath $staged -Recurse -Force }
    Copy-Item -LiteralPath $From -Destination $staged -Recurse
    # The build's own appsettings.json would point verbs run by hand at .\data: make it a link to the
    # installed configuration (the service itself is started with --config).
    Remove-Item -LiteralPath (Join-Path $staged 'appsettings.json')
    try {
        New-Item -ItemType SymbolicLink -Path (Join-Path $staged 'appsettings.json') -Target $ConfigFile | Out-Null
    }
    catch {
        Write-Warning "no link to $ConfigFile in $InstallDir ($($_.Exception.Message)): run verbs with --config `"$ConfigFile`""
    }
    $docs = Join-Path $RepoRoot 'docs\operations.md'
    if (Test-Path -LiteralPath $docs) {
        New-Item -ItemType Directory -Path (Join-Path $staged 'docs') | Out-Null
        Copy-Item -LiteralPath $docs -Destination (Join-Path $staged 'docs')
    }
    if (Test-Path -LiteralPath $InstallDir) { Remove-Item -LiteralPath $InstallDir -Recurse -Force }
    Move-Item -LiteralPath $staged -Destination $InstallDir
    Write-Step "installed the build in $InstallDir"

    # --- the service ------------------------------------------------------------------------------------
    $binaryPath = '"{0}" --config "{1}"' -f $Executable, $ConfigFile
    if ($null -eq $service) {
        New-Service -Name $ServiceName -BinaryPathName $binaryPath -DisplayName 'DicomArchive DICOM archive' `
            -Description 'DICOM archive: stores, finds and retrieves images over DICOM networking (DIMSE).' `
            -StartupType Automatic | Out-Null
        Write-Step "registered the service $ServiceName"
    }
    else {
        # Win32_Service.Change takes the path as one string: no quoting through sc.exe's parser.
        $cim = Get-CimInstance -ClassName Win32_Service -Filter "Name='$ServiceName'"
        $result = Invoke-CimMethod -InputObject $cim -MethodName Change -Arguments @{ PathName = $binaryPath }
        if ($result.ReturnValue -ne 0) { throw "updating the service command line failed (Win32_Service.Change: $($result.ReturnValue))" }
        Write-Step "updated the service $ServiceName"
    }

    # A virtual account: no password, no interactive logon, its own SID for the ACLs below.
    Invoke-Native 'sc.exe' @('config', $ServiceName, 'obj=', $ServiceAccount, 'start=', 'delayed-auto')
    # Restart on failure: 5 s, 5 s, then 30 s; the count resets after a day without failure. failureflag 1
    # also counts a stop with a non-zero exit code (not only a crash) as a failure.
    Invoke-Native 'sc.exe' @('failure', $ServiceName, 'reset=', '86400', 'actions=', 'restart/5000/restart/5000/restart/30000')
    Invoke-Native 'sc.exe' @('failureflag', $ServiceName, '1')

    # --- ACLs: SYSTEM and Administrators full control, the service account read (+ modify on data/logs) --
    # Well-known SIDs, so the names do not depend on the Windows display language.
    $system = '*S-1-5-18'
    $admins = '*S-1-5-32-544'
    Invoke-Native 'icacls.exe' @($DataRoot, '/inheritance:r', '/grant:r', "${system}:(OI)(CI)F", "${admins}:(OI)(CI)F",
        "${ServiceAccount}:(OI)(CI)RX") | Out-Null
    foreach ($dir in @($DataDir, $LogDir)) {
        Invoke-Native 'icacls.exe' @($dir, '/grant:r', "${ServiceAccount}:(OI)(CI)M") | Out-Null
    }
    Write-Step "set the ACLs of $DataRoot"

    # --- firewall -----------------------------------------------------------------------------------------
    if ($Port -eq 0) { $Port = Get-ConfiguredPort $ConfigFile }
    Get-NetFirewallRule -Name $FirewallRuleName -ErrorAction SilentlyContinue | Remove-NetFirewallRule
    New-NetFirewallRule -Name $FirewallRuleName -DisplayName "DicomArchive DICOM (TCP $Port)" `
        -Direction Inbound -Protocol TCP -LocalPort $Port -Program $Executable -Action Allow | Out-Null
    Write-Step "opened TCP port $Port in Windows Firewall (rule $FirewallRuleName)"

    if ($NoStart) {
        Write-Step "done; start the service with: Start-Service $ServiceName"
        return
    }

    Start-Service -Name $ServiceName
    (Get-Service -Name $ServiceName).WaitForStatus('Running', [TimeSpan]::FromSeconds(60))
    Write-Step "$ServiceName is running (logs: $LogDir)"
}
finally {
    Remove-Item -LiteralPath $workDir -Recurse -Force -ErrorAction SilentlyContinue
}
