namespace ComIO.Storage;

/// <summary>
/// S3 Object Lock retention mode of a version. The numeric values are the on-disk codes of the record section
/// <c>'R'</c> (see <c>RecordSerializer</c>) and must never change.
/// </summary>
public enum RetentionMode : byte
{
    /// <summary>Protected until the retain-until date; a caller allowed to bypass governance may shorten, remove or delete.</summary>
    Governance = 1,

    /// <summary>Protected until the retain-until date against everyone; the date can only be extended.</summary>
    Compliance = 2,
}
