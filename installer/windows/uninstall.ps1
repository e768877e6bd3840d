#Requires -Version 5.1
#Requires -RunAsAdministrator
<#
.SYNOPSIS
    Removes the DicomArchive Windows service. See docs/operations.md.

.DESCRIPTION
    Stops and deletes the service "DicomArchive", removes its firewall rule and the binaries in -InstallDir.
    The configuration, data (images and index) and logs in %ProgramData%\DicomArchive are kept, so a later
    install.ps1 picks them up again, unless -Purge is given.

.PARAMETER Purge
    Also delete %ProgramData%\DicomArchive: the configuration, every stored image, the index and the logs.
#>
[CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High')]
param(
    [string] $InstallDir = (Join-Path $env:ProgramFiles 'DicomArchive'),

    [switch] $Purge
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$ServiceName = 'DicomArchive'
$FirewallRuleName = 'DicomArchive-DIMSE-In'
$DataRoot = Join-Path $env:ProgramData 'DicomArchive'

function Write-Step([string] $Message) { Write-Host "uninstall: $Message" }

$service = Get-Service -Name $ServiceName -ErrorAction SilentlyContinue
if ($null -ne $service) {
    if ($service.Status -ne 'Stopped') {
        Write-Step "stopping $ServiceName"
        # The service ends running associations gracefully on stop.
        Stop-Service -Name $ServiceName
        (Get-Service -Name $ServiceName).WaitForStatus('Stopped', [TimeSpan]::FromSeconds(60))
    }

    # Remove-Service exists from PowerShell 6 only; sc.exe delete works everywhere.
    $output = (& sc.exe delete $ServiceName | Out-String).Trim()
    if ($LASTEXITCODE -ne 0) { throw "sc.exe delete $ServiceName failed ($LASTEXITCODE): $output" }
    Write-Step "removed the service $ServiceName"
}
else {
    Write-Step "no service $ServiceName registered"
}

Get-NetFirewallRule -Name $FirewallRuleName -ErrorAction SilentlyContinue | Remove-NetFirewallRule
Write-Step "removed the firewall rule $FirewallRuleName"

foreach ($dir in @($InstallDir, "$InstallDir.new")) {
    if (Test-Path -LiteralPath $dir) {
        Remove-Item -LiteralPath $dir -Recurse -Force
    }
}
Write-Step "removed $InstallDir"

if (-not $Purge) {
    Write-Step "kept the configuration, data and logs in $DataRoot; install.ps1 picks them up again, -Purge deletes them"
    return
}

if ((Test-Path -LiteralPath $DataRoot) -and
    $PSCmdlet.ShouldProcess($DataRoot, 'Delete the configuration, every stored image, the index and the logs')) {
    Remove-Item -LiteralPath $DataRoot -Recurse -Force
    Write-Step "purged $DataRoot"
}
