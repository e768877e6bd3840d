using System.Globalization;
using DicomArchive.Service.Tests.Support;

namespace DicomArchive.Service.Tests.EndToEnd;

/// <summary>
/// Nothing acknowledged is ever lost (ARCHITECTURE.md): the process is killed with SIGKILL in the middle of a stream
/// of stores, again and again; after a restart every instance that was answered with success is on disk, intact and
/// indexed, and no temporary file is left.
/// </summary>
[NonParallelizable]
public sealed class CrashRecoveryTests
{
    /// <summary>Rounds in the suite; DICOMARCHIVE_CRASH_ROUNDS=20 (or more) for the long run.</summary>
    private static int Rounds => int.TryParse(Environment.GetEnvironmentVariable("DICOMARCHIVE_CRASH_ROUNDS"), CultureInfo.InvariantCulture, out var n) ? n : 5;

    [Test]
    public async Task KillDuringStores_Restart_EveryAcknowledgedInstanceIntactIndexedAndNoTempFiles()
    {
        var root = TestInstances.NewTempFolder("crash");
        var files = await TestInstances.WriteStudyAsync(Path.Combine(root, "in"), 400);
        var acknowledged = new HashSet<string>(StringComparer.Ordinal);
        var random = new Random(20261125);
        var next = 0;

        for (var round = 0; round < Rounds; round++)
        {
            await using var archive = await ArchiveProcess.StartAsync(root);
            using var stop = new CancellationTokenSource();
            var sender = Task.Run(async () =>
            {
                try
                {
                    await using var client = await StoreEndToEndTests.ConnectAsync(archive.Port);
                    while (!stop.IsCancellationRequested)
                    {
                        var file = files[next % files.Count];
                        var response = await client.StoreFileAsync(file);
                        if (response.Status!.Value.IsSuccess)
                        {
                            lock (acknowledged)
                            {
                                acknowledged.Add(file);
                            }
                        }

                        next++;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The archive was killed under the client: expected, and the one store in flight was not acknowledged.
                }
            });

            // Kill in the middle of the stream: once this round has stores acknowledged (the first ones wait for the
            // JIT, longer on a loaded machine), then after a random 150-500 ms more.
            var before = Count(acknowledged);
            for (var wait = 0; wait < 600 && Count(acknowledged) == before && !sender.IsCompleted; wait++)
            {
                await Task.Delay(50);
            }

            await Task.Delay(150 + random.Next(350));
            await archive.KillAsync();
            await stop.CancelAsync();
            await sender;
        }

        acknowledged.Should().NotBeEmpty("stores were acknowledged before the kills (how many depends on the machine's load)");
        TestContext.Out.WriteLine($"{acknowledged.Count} instances acknowledged over {Rounds} kills");
        // Success is answered only after the index row committed: every acknowledged instance is indexed already,
        // before the restart's recovery could add rows for files it finds (issue 10: "intact and indexed").
        await using (var index = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(root, "index.sqlite")};Pooling=False"))
        {
            await index.OpenAsync();
            foreach (var file in acknowledged)
            {
                var (meta, _) = await StoredFiles.SplitAsync(file);
                await using var command = index.CreateCommand();
                command.CommandText = "SELECT COUNT(*) FROM instances WHERE sop_instance_uid = $uid";
                command.Parameters.AddWithValue("$uid", meta.GetString(Dicom.DicomTag.MediaStorageSOPInstanceUID));
                ((long)(await command.ExecuteScalarAsync())!).Should().Be(1, $"{Path.GetFileName(file)} was acknowledged, so its row was committed");
            }
        }

        await using (var restarted = await ArchiveProcess.StartAsync(root))
        {
            Directory.GetFiles(Path.Combine(restarted.StorageRoot, ".tmp")).Should().BeEmpty("start-up removes what a crash left half-written");
            Directory.GetFiles(restarted.StorageRoot, "*.part", SearchOption.AllDirectories).Should()
                .BeEmpty("recovery also removes temp files left beside final paths");
            restarted.Output.Should().Contain("Recovery indexed", "after a kill the store was not closed cleanly: start-up looks for files without a row");
            foreach (var file in acknowledged)
            {
                var sop = Path.GetFileNameWithoutExtension(file);
                var (meta, _) = await StoredFiles.SplitAsync(file);
                var stored = StoredFiles.Find(restarted.StorageRoot, meta.GetString(Dicom.DicomTag.MediaStorageSOPInstanceUID));
                stored.Should().NotBeNull($"{sop} was acknowledged before a kill");
                (await StoredFiles.SameDataSetAsync(file, stored!)).Should().BeTrue();
            }

            (await restarted.TerminateAsync(TimeSpan.FromSeconds(15))).Should().Be(0);
        }

        var (code, stdout, _) = await StoreEndToEndTests.RunVerbAsync(["verify", .. ArchiveProcess.DataArgs(root)]);
        code.Should().Be(0, stdout);
        Directory.Delete(root, recursive: true);
    }

    [Test]
    public async Task CleanStop_Restart_SkipsTheRecoveryWalk()
    {
        var root = TestInstances.NewTempFolder("clean-stop");
        var files = await TestInstances.WriteStudyAsync(Path.Combine(root, "in"), 3);
        await using (var archive = await ArchiveProcess.StartAsync(root))
        {
            await using var client = await StoreEndToEndTests.ConnectAsync(archive.Port);
            foreach (var file in files)
            {
                (await client.StoreFileAsync(file)).Status!.Value.IsSuccess.Should().BeTrue();
            }

            await client.ReleaseAsync();
            (await archive.TerminateAsync(TimeSpan.FromSeconds(15))).Should().Be(0);
        }

        await using (var restarted = await ArchiveProcess.StartAsync(root))
        {
            restarted.Output.Should().Contain("closed cleanly last time").And.NotContain("Recovery indexed");
            (await restarted.TerminateAsync(TimeSpan.FromSeconds(15))).Should().Be(0);
        }

        Directory.Delete(root, recursive: true);
    }

    private static int Count(HashSet<string> set)
    {
        lock (set)
        {
            return set.Count;
        }
    }
}
