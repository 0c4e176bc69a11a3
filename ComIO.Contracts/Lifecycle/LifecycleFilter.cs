namespace ComIO.Contracts.Lifecycle;

/// <summary>
/// Which objects a lifecycle rule applies to: all conditions must hold (an empty filter matches every object). Tag
/// conditions need the object to carry each tag with exactly that value; size bounds are exclusive. Immutable.
/// </summary>
/// <param name="Prefix">Key prefix ("" = any key).</param>
/// <param name="Tags">Tags the object must carry (key, value).</param>
/// <param name="ObjectSizeGreaterThan">Exclusive lower size bound, or null.</param>
/// <param name="ObjectSizeLessThan">Exclusive upper size bound, or null.</param>
public sealed record LifecycleFilter(string Prefix, IReadOnlyList<KeyValuePair<string, string>> Tags, long? ObjectSizeGreaterThan, long? ObjectSizeLessThan)
{
    /// <summary>The filter matching every object.</summary>
    public static LifecycleFilter All { get; } = new(string.Empty, [], null, null);

    /// <summary>True if the object (key, size, tags) satisfies every condition.</summary>
    public bool Matches(string key, long size, IReadOnlyList<KeyValuePair<string, string>> objectTags)
    {
        if (!key.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        if (ObjectSizeGreaterThan is { } greater && size <= greater)
        {
            return false;
        }

        if (ObjectSizeLessThan is { } less && size >= less)
        {
            return false;
        }

        foreach (var (name, value) in Tags)
        {
            var found = false;
            foreach (var (objectName, objectValue) in objectTags)
            {
                if (objectName == name && objectValue == value)
                {
                    found = true;
                    break;
                }
            }

            if (!found)
            {
                return false;
            }
        }

        return true;
    }
}
