using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace DicomArchive.Dicom;

/// <summary>
/// A data set (PS3.5 7): data elements kept in ascending tag order, as they are encoded. Values stay as the
/// bytes read until a typed getter asks for them; string getters decode with the data set's
/// <see cref="CharacterSet"/>.
/// </summary>
public sealed partial class DicomDataset : IEnumerable<DicomElement>
{
    private readonly List<DicomElement> elements = [];
    private DicomCharacterSet? characterSet;

    public DicomDataset()
    {
    }

    public DicomDataset(IEnumerable<DicomElement> elements)
    {
        ArgumentNullException.ThrowIfNull(elements);
        foreach (var element in elements)
        {
            Add(element);
        }
    }

    /// <summary>The number of elements at this level (items of sequences not counted).</summary>
    public int Count => elements.Count;

    /// <summary>
    /// The character set used when this data set has no Specific Character Set of its own: for an item of a
    /// sequence, the enclosing data set's (PS3.5 7.5.3); the default repertoire at the top level.
    /// </summary>
    public DicomCharacterSet FallbackCharacterSet { get; set; } = DicomCharacterSet.Default;

    /// <summary>
    /// For an item of a sequence: true when it was read with undefined length (PS3.5 7.5.1), false when with a
    /// defined one, null when unknown (built in memory). A writer keeping the form read uses it.
    /// </summary>
    public bool? HadUndefinedLength { get; set; }

    /// <summary>The character set that string values of this data set are decoded with.</summary>
    public DicomCharacterSet CharacterSet
    {
        get
        {
            if (characterSet is not null)
            {
                return characterSet;
            }

            if (TryGetElement(DicomTag.SpecificCharacterSet, out var element) && element is DicomValueElement { IsLoaded: true } value)
            {
                var terms = DicomValueCodec.SplitDefaultRepertoire(value.Bytes.Span);
                characterSet = DicomCharacterSet.FromTerms(terms);
                return characterSet;
            }

            return FallbackCharacterSet;
        }
    }

    /// <summary>Adds an element, replacing one with the same tag. Appending in ascending order is O(1).</summary>
    public void Add(DicomElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        if (element.Tag == DicomTag.SpecificCharacterSet)
        {
            characterSet = null;
        }

        if (elements.Count == 0 || elements[^1].Tag < element.Tag)
        {
            elements.Add(element);
            return;
        }

        var index = IndexOf(element.Tag);
        if (index >= 0)
        {
            elements[index] = element;
        }
        else
        {
            elements.Insert(~index, element);
        }
    }

    /// <summary>Removes the element with a tag; returns false when there was none.</summary>
    public bool Remove(DicomTag tag)
    {
        var index = IndexOf(tag);
        if (index < 0)
        {
            return false;
        }

        if (tag == DicomTag.SpecificCharacterSet)
        {
            characterSet = null;
        }

        elements.RemoveAt(index);
        return true;
    }

    public bool Contains(DicomTag tag) => IndexOf(tag) >= 0;

    public bool TryGetElement(DicomTag tag, [NotNullWhen(true)] out DicomElement? element)
    {
        var index = IndexOf(tag);
        element = index >= 0 ? elements[index] : null;
        return element is not null;
    }

    /// <summary>The element with a tag, or null.</summary>
    public DicomElement? this[DicomTag tag] => TryGetElement(tag, out var element) ? element : null;

    /// <summary>The sequence with a tag, or null when absent or not a sequence.</summary>
    public DicomSequence? GetSequence(DicomTag tag) => this[tag] as DicomSequence;

    /// <summary>Removes every element.</summary>
    public void Clear()
    {
        elements.Clear();
        characterSet = null;
    }

    public IEnumerator<DicomElement> GetEnumerator() => elements.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(DicomTag tag)
    {
        int lo = 0, hi = elements.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var cmp = elements[mid].Tag.Value.CompareTo(tag.Value);
            if (cmp == 0)
            {
                return mid;
            }

            if (cmp < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return ~lo;
    }
}
