using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace DicomArchive.Dicom.Network.Dimse;

/// <summary>
/// Encodes and decodes DIMSE command sets: group 0000 only, always implicit VR little endian (PS3.7 6.3.1), with
/// Command Group Length (0000,0000) first. Each element:
/// <code>
/// +-------------+---------------+---------------------+---------------------------+
/// | group (LE)  | element (LE)  | value length (UL LE)| value, padded to even     |
/// +-------------+---------------+---------------------+---------------------------+
/// </code>
/// Command elements hold only simple values (US, UL, UI, AE, LO, AT), so this codec is deliberately small and
/// separate from the general data set reader/writer.
/// </summary>
public static class DimseCommandCodec
{
    /// <summary>Largest command set this codec decodes; real ones are a few hundred bytes (bounds peer input).</summary>
    public const int MaximumCommandLength = 64 * 1024;

    const ushort AffectedSopClassUid = 0x0002;
    const ushort RequestedSopClassUid = 0x0003;
    const ushort CommandField = 0x0100;
    const ushort MessageId = 0x0110;
    const ushort MessageIdBeingRespondedTo = 0x0120;
    const ushort MoveDestination = 0x0600;
    const ushort Priority = 0x0700;
    const ushort CommandDataSetType = 0x0800;
    const ushort Status = 0x0900;
    const ushort OffendingElement = 0x0901;
    const ushort ErrorComment = 0x0902;
    const ushort ErrorId = 0x0903;
    const ushort AffectedSopInstanceUid = 0x1000;
    const ushort RequestedSopInstanceUid = 0x1001;
    const ushort EventTypeId = 0x1002;
    const ushort AttributeIdentifierList = 0x1005;
    const ushort ActionTypeId = 0x1008;
    const ushort Remaining = 0x1020;
    const ushort Completed = 0x1021;
    const ushort Failed = 0x1022;
    const ushort Warning = 0x1023;
    const ushort MoveOriginatorAe = 0x1030;
    const ushort MoveOriginatorMessageId = 0x1031;

    /// <summary>Encodes <paramref name="command"/> as a command set.</summary>
    public static byte[] Encode(DimseCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var body = new ArrayBufferWriter<byte>(256);

        // Elements in ascending tag order (PS3.5 7.1).
        WriteUid(body, AffectedSopClassUid, command.AffectedSopClassUid);
        WriteUid(body, RequestedSopClassUid, command.RequestedSopClassUid);
        WriteUS(body, CommandField, (ushort)command.CommandField);
        WriteUS(body, MessageId, command.MessageId);
        WriteUS(body, MessageIdBeingRespondedTo, command.MessageIdBeingRespondedTo);
        WriteText(body, MoveDestination, command.MoveDestination);
        WriteUS(body, Priority, (ushort?)command.Priority);
        WriteUS(body, CommandDataSetType, command.HasDataSet ? DimseCommand.DataSetPresent : DimseCommand.NoDataSet);
        WriteUS(body, Status, command.Status?.Code);
        WriteTags(body, OffendingElement, command.OffendingElements);
        WriteText(body, ErrorComment, command.ErrorComment);
        WriteUS(body, ErrorId, command.ErrorId);
        WriteUid(body, AffectedSopInstanceUid, command.AffectedSopInstanceUid);
        WriteUid(body, RequestedSopInstanceUid, command.RequestedSopInstanceUid);
        WriteUS(body, EventTypeId, command.EventTypeId);
        WriteTags(body, AttributeIdentifierList, command.AttributeIdentifiers);
        WriteUS(body, ActionTypeId, command.ActionTypeId);
        WriteUS(body, Remaining, command.RemainingSuboperations);
        WriteUS(body, Completed, command.CompletedSuboperations);
        WriteUS(body, Failed, command.FailedSuboperations);
        WriteUS(body, Warning, command.WarningSuboperations);
        WriteText(body, MoveOriginatorAe, command.MoveOriginatorAeTitle);
        WriteUS(body, MoveOriginatorMessageId, command.MoveOriginatorMessageId);

        byte[] result = new byte[12 + body.WrittenCount];
        Span<byte> span = result;
        WriteHeader(span, 0x0000, 4);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], (uint)body.WrittenCount);
        body.WrittenSpan.CopyTo(span[12..]);
        return result;
    }

    /// <summary>Decodes a command set.</summary>
    /// <exception cref="DicomContentException">
    /// An element runs past the end, an element is outside group 0000, a value has the wrong size, or Command Field is missing.
    /// </exception>
    public static DimseCommand Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaximumCommandLength)
        {
            throw new DicomContentException($"Command set of {bytes.Length} bytes exceeds {MaximumCommandLength}", 0);
        }

        var command = new DimseCommand();
        bool sawCommandField = false;
        int offset = 0;
        while (offset < bytes.Length)
        {
            if (bytes.Length - offset < 8)
            {
                throw new DicomContentException("Command element header is truncated", offset);
            }

            ushort group = BinaryPrimitives.ReadUInt16LittleEndian(bytes[offset..]);
            ushort element = BinaryPrimitives.ReadUInt16LittleEndian(bytes[(offset + 2)..]);
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(offset + 4)..]);
            if (group != 0x0000)
            {
                throw new DicomContentException($"Command set holds ({group:X4},{element:X4}) outside group 0000", offset);
            }

            if (length > (uint)(bytes.Length - offset - 8))
            {
                throw new DicomContentException($"Command element (0000,{element:X4}) length {length} runs past the command set", offset);
            }

            ReadOnlySpan<byte> value = bytes.Slice(offset + 8, (int)length);
            long valueOffset = offset + 8;
            switch (element)
            {
                case AffectedSopClassUid: command.AffectedSopClassUid = ReadText(value); break;
                case RequestedSopClassUid: command.RequestedSopClassUid = ReadText(value); break;
                case CommandField:
                    command.CommandField = (DimseCommandField)ReadUS(value, valueOffset);
                    sawCommandField = true;
                    break;
                case MessageId: command.MessageId = ReadUS(value, valueOffset); break;
                case MessageIdBeingRespondedTo: command.MessageIdBeingRespondedTo = ReadUS(value, valueOffset); break;
                case MoveDestination: command.MoveDestination = ReadText(value).TrimStart(' '); break;
                case Priority: command.Priority = (DimsePriority)ReadUS(value, valueOffset); break;
                case CommandDataSetType: command.HasDataSet = ReadUS(value, valueOffset) != DimseCommand.NoDataSet; break;
                case Status: command.Status = new DimseStatus(ReadUS(value, valueOffset)); break;
                case OffendingElement: command.OffendingElements = ReadTags(value, valueOffset); break;
                case ErrorComment: command.ErrorComment = ReadText(value); break;
                case ErrorId: command.ErrorId = ReadUS(value, valueOffset); break;
                case AffectedSopInstanceUid: command.AffectedSopInstanceUid = ReadText(value); break;
                case RequestedSopInstanceUid: command.RequestedSopInstanceUid = ReadText(value); break;
                case EventTypeId: command.EventTypeId = ReadUS(value, valueOffset); break;
                case AttributeIdentifierList: command.AttributeIdentifiers = ReadTags(value, valueOffset); break;
                case ActionTypeId: command.ActionTypeId = ReadUS(value, valueOffset); break;
                case Remaining: command.RemainingSuboperations = ReadUS(value, valueOffset); break;
                case Completed: command.CompletedSuboperations = ReadUS(value, valueOffset); break;
                case Failed: command.FailedSuboperations = ReadUS(value, valueOffset); break;
                case Warning: command.WarningSuboperations = ReadUS(value, valueOffset); break;
                case MoveOriginatorAe: command.MoveOriginatorAeTitle = ReadText(value).TrimStart(' '); break;
                case MoveOriginatorMessageId: command.MoveOriginatorMessageId = ReadUS(value, valueOffset); break;
                default:
                    // Group length and retired command elements (PS3.7 Annex C of older editions) are skipped.
                    break;
            }

            offset += 8 + (int)length;
        }

        if (!sawCommandField)
        {
            throw new DicomContentException("Command set has no Command Field (0000,0100)", 0);
        }

        return command;
    }

    static void WriteHeader(Span<byte> span, ushort element, int length)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(span, 0x0000);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], element);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)length);
    }

    static void WriteUS(ArrayBufferWriter<byte> output, ushort element, ushort? value)
    {
        if (value is not { } v)
        {
            return;
        }

        Span<byte> span = output.GetSpan(10);
        WriteHeader(span, element, 2);
        BinaryPrimitives.WriteUInt16LittleEndian(span[8..], v);
        output.Advance(10);
    }

    // PS3.5 6.2: UI values are padded with a trailing NUL to an even length.
    static void WriteUid(ArrayBufferWriter<byte> output, ushort element, string? value) => WritePadded(output, element, value, 0);

    // PS3.5 6.2: AE and LO values are padded with a trailing space.
    static void WriteText(ArrayBufferWriter<byte> output, ushort element, string? value) => WritePadded(output, element, value, (byte)' ');

    static void WritePadded(ArrayBufferWriter<byte> output, ushort element, string? value, byte pad)
    {
        if (value is null)
        {
            return;
        }

        int byteCount = Encoding.ASCII.GetByteCount(value);
        int padded = byteCount + (byteCount & 1);
        Span<byte> span = output.GetSpan(8 + padded);
        WriteHeader(span, element, padded);
        Encoding.ASCII.GetBytes(value, span[8..]);
        if (padded != byteCount)
        {
            span[8 + byteCount] = pad;
        }

        output.Advance(8 + padded);
    }

    static void WriteTags(ArrayBufferWriter<byte> output, ushort element, IReadOnlyList<DicomTag>? tags)
    {
        if (tags is null)
        {
            return;
        }

        Span<byte> span = output.GetSpan(8 + (4 * tags.Count));
        WriteHeader(span, element, 4 * tags.Count);
        for (int i = 0; i < tags.Count; i++)
        {
            // PS3.5 6.2 AT: group then element, each a 16-bit little endian value.
            BinaryPrimitives.WriteUInt16LittleEndian(span[(8 + (4 * i))..], tags[i].Group);
            BinaryPrimitives.WriteUInt16LittleEndian(span[(10 + (4 * i))..], tags[i].Element);
        }

        output.Advance(8 + (4 * tags.Count));
    }

    static ushort ReadUS(ReadOnlySpan<byte> value, long offset) => value.Length == 2
        ? BinaryPrimitives.ReadUInt16LittleEndian(value)
        : throw new DicomContentException($"US command element has length {value.Length}, not 2", offset);

    static string ReadText(ReadOnlySpan<byte> value)
    {
        int end = value.Length;
        while (end > 0 && (value[end - 1] == 0 || value[end - 1] == (byte)' '))
        {
            end--;
        }

        return Encoding.Latin1.GetString(value[..end]);
    }

    static DicomTag[] ReadTags(ReadOnlySpan<byte> value, long offset)
    {
        if (value.Length % 4 != 0)
        {
            throw new DicomContentException($"AT command element has length {value.Length}, not a multiple of 4", offset);
        }

        var tags = new DicomTag[value.Length / 4];
        for (int i = 0; i < tags.Length; i++)
        {
            tags[i] = new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(value[(4 * i)..]),
                BinaryPrimitives.ReadUInt16LittleEndian(value[((4 * i) + 2)..]));
        }

        return tags;
    }
}
