using System.Buffers;
using System.Buffers.Binary;
using DicomArchive.Dicom;

namespace DicomArchive.Benchmarks.Corpus;

/// <summary>
/// Writes a multi-frame object of any size without holding it in memory: the file header and the data set up to
/// the pixel data go through our writer, then the (7FE0,0010) element header is written by hand and the frames are
/// appended one at a time from a small set of pre-computed frames.
/// </summary>
public static class MultiFrameWriter
{
    public const int Rows = 512;
    public const int Columns = 512;
    public const int FrameBytes = Rows * Columns * 2;

    /// <summary>Multi-frame Grayscale Word Secondary Capture Image Storage: the simplest IOD that takes 16-bit frames.</summary>
    public const string SopClassUid = "1.2.840.10008.5.1.4.1.1.7.3";

    /// <summary>Distinct frames cycled through; more would only cost generation time.</summary>
    private const int DistinctFrames = 8;

    /// <summary>Writes the object to <paramref name="path"/> and returns its pixel data length (whole frames).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than one frame, or more than a 32-bit length holds.</exception>
    public static async Task<long> WriteAsync(
        string path, long pixelBytes, CorpusPlacement placement, Random random, CorpusUidGenerator uids, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(placement);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(uids);
        var frames = pixelBytes / FrameBytes;

        // PS3.5 7.1.2: a 32-bit value length, and 0xFFFFFFFF is reserved for undefined length.
        ArgumentOutOfRangeException.ThrowIfLessThan(frames, 1, nameof(pixelBytes));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(frames * FrameBytes, uint.MaxValue - 1, nameof(pixelBytes));
        var length = frames * FrameBytes;

        var sopInstanceUid = uids.Next();
        var ds = new DicomDataset();
        CommonModules.AddPatientStudySeries(ds, placement, sopInstanceUid, SopClassUid, random);
        ds.AddOrUpdate(DicomTag.ImageType, "DERIVED", "SECONDARY");
        ds.AddOrUpdate(DicomTag.ConversionType, "WSD");
        ds.AddOrUpdate(DicomTag.Manufacturer, "ACME Medical");
        ds.AddOrUpdate(DicomTag.BodyPartExamined, "CHEST");
        ds.AddOrUpdate(DicomTag.PatientOrientation, string.Empty);
        ds.AddOrUpdate(DicomTag.BurnedInAnnotation, "NO");
        ds.AddOrUpdate(DicomTag.PresentationLUTShape, "IDENTITY");
        ds.AddOrUpdate(DicomTag.RescaleIntercept, DicomVR.DS, 0.0);
        ds.AddOrUpdate(DicomTag.RescaleSlope, DicomVR.DS, 1.0);
        ds.AddOrUpdate(DicomTag.RescaleType, "US");
        ds.AddOrUpdate(DicomTag.SamplesPerPixel, DicomVR.US, 1L);
        ds.AddOrUpdate(DicomTag.PhotometricInterpretation, "MONOCHROME2");
        ds.AddOrUpdate(DicomTag.NumberOfFrames, DicomVR.IS, frames);
        ds.AddOrUpdate(DicomTag.FrameIncrementPointer, DicomTag.FrameTime);
        ds.AddOrUpdate(DicomTag.FrameTime, DicomVR.DS, 33.3);
        ds.AddOrUpdate(DicomTag.Rows, DicomVR.US, Rows);
        ds.AddOrUpdate(DicomTag.Columns, DicomVR.US, Columns);
        ds.AddOrUpdate(DicomTag.BitsAllocated, DicomVR.US, 16L);
        ds.AddOrUpdate(DicomTag.BitsStored, DicomVR.US, 12L);
        ds.AddOrUpdate(DicomTag.HighBit, DicomVR.US, 11L);
        ds.AddOrUpdate(DicomTag.PixelRepresentation, DicomVR.US, 0L);
        var meta = DicomFileMetaInformation.Create(SopClassUid, sopInstanceUid, TransferSyntax.ExplicitVRLittleEndian);
        var file = new DicomFile(meta, ds) { TransferSyntax = TransferSyntax.ExplicitVRLittleEndian };

        var seeds = new uint[DistinctFrames];
        for (var i = 0; i < seeds.Length; i++)
        {
            seeds[i] = (uint)random.Next();
        }

        var temporary = path + ".tmp";
        var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            await DicomFileWriter.WriteAsync(stream, file, ct: ct).ConfigureAwait(false);

            // PS3.5 7.1.2, explicit VR with a 32-bit length: tag, "OW", two reserved zero bytes, length.
            var header = new byte[12];
            BinaryPrimitives.WriteUInt16LittleEndian(header, DicomTag.PixelData.Group);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(2), DicomTag.PixelData.Element);
            "OW"u8.CopyTo(header.AsSpan(4));
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), (uint)length);
            await stream.WriteAsync(header, ct).ConfigureAwait(false);

            var frameBuffer = ArrayPool<byte>.Shared.Rent(FrameBytes * DistinctFrames);
            try
            {
                for (var i = 0; i < DistinctFrames; i++)
                {
                    PixelSynthesizer.Fill(frameBuffer.AsSpan(i * FrameBytes, FrameBytes), Rows, Columns, i, seeds[i]);
                }

                for (var frame = 0L; frame < frames; frame++)
                {
                    var offset = (int)(frame % DistinctFrames) * FrameBytes;
                    await stream.WriteAsync(frameBuffer.AsMemory(offset, FrameBytes), ct).ConfigureAwait(false);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(frameBuffer);
            }
        }

        File.Move(temporary, path, overwrite: true);
        return length;
    }
}
