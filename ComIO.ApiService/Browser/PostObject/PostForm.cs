namespace ComIO.ApiService.Browser.PostObject;

/// <summary>
/// A browser-upload form as <see cref="PostFormReader"/> read it: the text fields that came before the file (names
/// case-insensitive, first occurrence kept; <c>key</c> already has <c>${filename}</c> replaced by
/// <see cref="FileName"/> when the part has one) and the file part, not yet read. <see cref="File"/> is the live request body positioned at
/// the start of the file's content; it ends at the part's closing boundary, may be read once, is owned by the request
/// (do not dispose it), and may throw <see cref="IOException"/> when the body is truncated.
/// </summary>
public sealed class PostForm(IReadOnlyDictionary<string, string> fields, string? fileName, string? fileContentType, Stream file)
{
    /// <summary>The text fields preceding the file, case-insensitive, in form order.</summary>
    public IReadOnlyDictionary<string, string> Fields { get; } = fields;

    /// <summary>The object key: the <c>key</c> field after <c>${filename}</c> substitution.</summary>
    public string Key => Fields["key"];

    /// <summary>The file part's <c>filename</c>; null when the part has no filename parameter.</summary>
    public string? FileName { get; } = fileName;

    /// <summary>
    /// The file part's own <c>Content-Type</c>, if it has one. S3 takes the object's type from the <c>Content-Type</c>
    /// form field and otherwise stores <c>binary/octet-stream</c>.
    /// </summary>
    public string? FileContentType { get; } = fileContentType;

    /// <summary>The file's content, streamed from the request body.</summary>
    public Stream File { get; } = file;
}
